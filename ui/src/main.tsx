import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { listen } from "@tauri-apps/api/event";
import { App } from "./App";
import { announceChange } from "./changes";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// On a team workspace the app passes on the server's announcement of every committed
// change; the pages showing shared records reload (unsaved edits are left alone).
void listen("workspace-changed", () => announceChange(false)).catch(() => undefined);
