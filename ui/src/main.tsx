import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { listen } from "@tauri-apps/api/event";
import { useEffect, useState } from "react";
import { App } from "./App";
import { api } from "./api";
import { ScoresheetMode } from "./pages/eval/ScoresheetMode";
import { announceChange } from "./changes";
import "./styles.css";

/** Opened on a scoresheet, the app scores that sheet only; otherwise it is the workspace. */
function Root() {
  const [sheet, setSheet] = useState<boolean | null>(null);
  useEffect(() => {
    api.appMode().then(
      (m) => setSheet(!!m.sheet),
      () => setSheet(false),
    );
  }, []);
  if (sheet === null) return null;
  return sheet ? <ScoresheetMode /> : <App />;
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

// On a team workspace the app passes on the server's announcement of every committed
// change; the pages showing shared records reload (unsaved edits are left alone).
void listen("workspace-changed", () => announceChange(false)).catch(() => undefined);
