import { Suspense, lazy, useEffect, useState } from "react";
import { HashRouter, NavLink, Route, Routes } from "react-router";
import { api, type EngineError } from "./api";
import { sentence } from "./components/forms";
import type { WorkspaceInfo } from "./bindings/WorkspaceInfo";
import type { OpeningCheck } from "./bindings/OpeningCheck";
import { longDate } from "./format";
import { AuditPageView } from "./pages/Audit";
import { BoardPage } from "./pages/Board";
import { ContractsPage } from "./pages/Contracts";
import { LotPage } from "./pages/LotPage";
import { NewLotPage } from "./pages/NewLot";
import { EvaluationPage } from "./pages/eval/EvaluationPage";
import { TeamPage } from "./pages/Team";
import { OpenScoresheetPage } from "./pages/eval/OpenScoresheet";
import { WorkspaceContext } from "./workspace";
import { SkipLink } from "./components/links";

// The finance pages carry the charting library: it loads when a procurement is opened.
const ProcurementPage = lazy(() => import("./pages/finance/ProcurementPage").then((m) => ({ default: m.ProcurementPage })));
const ProcurementsPage = lazy(() =>
  import("./pages/finance/ProcurementPage").then((m) => ({ default: m.ProcurementsPage })),
);

/** Who the person is acting as: on a single-user laptop they say which role they hold. */
function Identity({ info }: { info: WorkspaceInfo }) {
  const [editing, setEditing] = useState(false);
  const [user, setUser] = useState(info.user);
  const [role, setRole] = useState<string>(info.role);
  const [error, setError] = useState<EngineError | null>(null);
  // On a team workspace the server says who you are: there is nothing to change here.
  if (info.team)
    return (
      <span className="identity who" title={info.team}>
        <span data-testid="acting-as">
          {info.user}, {info.roleLabel}
        </span>{" "}
        · <NavLink to="/team" data-testid="team-where" title={info.team}>
          Team workspace on {info.team.replace(/^postgres(ql)?:\/\/[^@]*@/, "")}
        </NavLink>{" "}
        · {longDate(info.today)}
      </span>
    );
  if (!editing)
    return (
      <span className="identity who" title={info.path}>
        <span data-testid="acting-as">
          {info.user}, {info.roleLabel}
        </span>{" "}
        · {longDate(info.today)}{" "}
        {/* A read-only copy records nothing, so who is acting cannot matter there. */}
        {!info.readOnly && (
          <button type="button" className="secondary" onClick={() => setEditing(true)} data-testid="switch-identity">
            Change
          </button>
        )}
      </span>
    );
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await api.switchIdentity(user, role);
      // Every screen reloads as the new person: what they may see and do changes.
      window.location.reload();
    } catch (err) {
      setError(err as EngineError);
    }
  };
  return (
    <span className="identity">
      <form onSubmit={save} data-testid="identity-form">
        <div>
          <label htmlFor="identity-user">Your name</label>
          <input id="identity-user" value={user} onChange={(e) => setUser(e.target.value)} aria-invalid={error?.field === "user"} />
        </div>
        <div>
          <label htmlFor="identity-role">Acting as</label>
          <select id="identity-role" value={role} onChange={(e) => setRole(e.target.value)}>
            {info.roles.map((r) => (
              <option key={r.role} value={r.role}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" data-testid="identity-save">
          Switch
        </button>
        <button type="button" className="secondary" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </form>
      {error && (
        <span className="error-message" role="alert">
          {sentence(error.message)}
        </span>
      )}
    </span>
  );
}

/**
 * This computer's anchor journal checked against the workspace as it opens: a record cut
 * short, rewritten or swapped for another is said at once, in plain words, on every screen.
 */
function AnchorAlert({ check }: { check: OpeningCheck | null }) {
  if (!check || check.failed.length === 0) return null;
  return (
    <div className="error-summary" role="alert" data-testid="anchor-alert">
      <h2>The audit record does not match what this computer saw</h2>
      <ul>
        {check.failed.map((f) => (
          <li key={f.from}>{sentence(`an anchor ${f.message}`)}</li>
        ))}
      </ul>
      {check.more > 0 && <p>{check.more} more of this computer&rsquo;s anchors fail the same way.</p>}
      <p>
        Someone has removed or changed events in this workspace outside Lotwise, or an older copy has been put in its place.
        Nothing here has been changed by this check. Keep the file as it is and tell your monitoring officer; <code>lotwise audit verify</code> gives
        the full report.
      </p>
    </div>
  );
}

export function App() {
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  const [opening, setOpening] = useState<OpeningCheck | null>(null);
  useEffect(() => {
    api.workspaceInfo().then(setInfo, () => setInfo(null));
  }, []);
  // Checked again whenever another workspace is opened (a team workspace, or back to the laptop's).
  const where = info?.path;
  useEffect(() => {
    if (where) api.auditOpeningCheck().then(setOpening, () => setOpening(null));
  }, [where]);
  return (
    <WorkspaceContext.Provider value={info}>
    <HashRouter>
      <SkipLink />
      <header className="app-header">
        <span className="brand">Lotwise</span>
        <nav aria-label="Main">
          <NavLink to="/" end data-testid="nav-board">Pipeline</NavLink>
          <NavLink to="/procurements" data-testid="nav-procurements">Procurements</NavLink>
          <NavLink to="/contracts" data-testid="nav-contracts">Contracts</NavLink>
          <NavLink to="/audit" data-testid="nav-audit">Audit log</NavLink>
          {!info?.team && <NavLink to="/team" data-testid="nav-team">Team workspace</NavLink>}
          <NavLink to="/open-scoresheet" data-testid="nav-open-scoresheet" title="Open a scoresheet you were sent">Scoresheet</NavLink>
        </nav>
        {info && <Identity info={info} />}
      </header>
      <main id="main" tabIndex={-1}>
        <AnchorAlert check={opening} />
        {info?.copyOf && (
          <p className="inset" role="note" data-testid="copy-of">
            This workspace is {info.copyOf}. It opens read-only: the record is kept on the team workspace, so make changes there.
          </p>
        )}
        <Routes>
          <Route path="/team" element={<TeamPage info={info} />} />
          <Route path="/" element={<BoardPage />} />
          <Route path="/lots/new" element={<NewLotPage />} />
          <Route path="/lots/:id" element={<LotPage />} />
          <Route path="/lots/:id/evaluation" element={<EvaluationPage />} />
          <Route
            path="/procurements"
            element={
              <Suspense fallback={<p aria-busy="true">Loading procurements…</p>}>
                <ProcurementsPage />
              </Suspense>
            }
          />
          <Route
            path="/procurements/:id"
            element={
              <Suspense fallback={<p aria-busy="true">Loading the procurement…</p>}>
                <ProcurementPage />
              </Suspense>
            }
          />
          <Route path="/contracts" element={<ContractsPage />} />
          <Route path="/audit" element={<AuditPageView />} />
          <Route path="/open-scoresheet" element={<OpenScoresheetPage />} />
        </Routes>
      </main>
    </HashRouter>
    </WorkspaceContext.Provider>
  );
}
