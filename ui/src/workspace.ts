import { createContext, useContext } from "react";
import type { WorkspaceInfo } from "./bindings/WorkspaceInfo";

/** The open workspace, for screens whose offers depend on it (a read-only copy offers no changes). */
export const WorkspaceContext = createContext<WorkspaceInfo | null>(null);

/** True on a read-only copy of a team workspace: every change is refused there, so none is offered. */
export function useReadOnly(): boolean {
  return useContext(WorkspaceContext)?.readOnly ?? false;
}
