// Someone else changed the workspace: on a team workspace the server announces every commit
// (PostgreSQL NOTIFY, passed on by the app as the "workspace-changed" event), and "Reload"
// after a refused stale save asks for the same. Pages showing shared records load them again.
import { useEffect } from "react";

const EVENT = "lotwise:changed";

/** `asked`: the person pressed "Reload" (after a refused save), so even unsaved edits give
 * way to what is now stored; a change announced by the server leaves unsaved edits alone. */
export function announceChange(asked = true): void {
  window.dispatchEvent(new CustomEvent(EVENT, { detail: { asked } }));
}

/** Calls `reload` whenever the workspace changes under this page. */
export function useWorkspaceChanges(reload: (asked: boolean) => unknown): void {
  useEffect(() => {
    const handler = (e: Event) => {
      reload(Boolean((e as CustomEvent<{ asked?: boolean }>).detail?.asked));
    };
    window.addEventListener(EVENT, handler);
    return () => window.removeEventListener(EVENT, handler);
  }, [reload]);
}
