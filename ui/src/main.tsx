import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { listen } from "@tauri-apps/api/event";
import { useEffect, useState } from "react";
import { App } from "./App";
import { api } from "./api";
import type { AppMode } from "./bindings/AppMode";
import { ScoresheetMode } from "./pages/eval/ScoresheetMode";
import { announceChange } from "./changes";
import "./styles.css";

/** Opened on a scoresheet, the app scores that sheet only; otherwise it is the workspace. */
function Root() {
  const [mode, setMode] = useState<AppMode | null>(null);
  useEffect(() => {
    api.appMode().then(setMode, () => setMode({ sheet: null, workspace: true }));
  }, []);
  if (mode === null) return null;
  return mode.sheet ? <ScoresheetMode backToWorkspace={mode.workspace} /> : <App />;
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

// On a team workspace the app passes on the server's announcement of every committed
// change; the pages showing shared records reload (unsaved edits are left alone).
void listen("workspace-changed", () => announceChange(false)).catch(() => undefined);
