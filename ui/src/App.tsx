import { useEffect, useState } from "react";
import { HashRouter, NavLink, Route, Routes } from "react-router";
import { api } from "./api";
import type { WorkspaceInfo } from "./bindings/WorkspaceInfo";
import { longDate } from "./format";
import { AuditPageView } from "./pages/Audit";
import { BoardPage } from "./pages/Board";
import { ContractsPage } from "./pages/Contracts";
import { LotPage } from "./pages/LotPage";
import { NewLotPage } from "./pages/NewLot";
import { EvaluationPage } from "./pages/eval/EvaluationPage";

export function App() {
  const [info, setInfo] = useState<WorkspaceInfo | null>(null);
  useEffect(() => {
    api.workspaceInfo().then(setInfo, () => setInfo(null));
  }, []);
  return (
    <HashRouter>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="app-header">
        <span className="brand">Lotwise</span>
        <nav aria-label="Main">
          <NavLink to="/" end data-testid="nav-board">Pipeline</NavLink>
          <NavLink to="/contracts" data-testid="nav-contracts">Contracts</NavLink>
          <NavLink to="/audit" data-testid="nav-audit">Audit log</NavLink>
        </nav>
        {info && (
          <span className="who" title={info.path}>
            {info.user} · {longDate(info.today)}
          </span>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<BoardPage />} />
          <Route path="/lots/new" element={<NewLotPage />} />
          <Route path="/lots/:id" element={<LotPage />} />
          <Route path="/lots/:id/evaluation" element={<EvaluationPage />} />
          <Route path="/contracts" element={<ContractsPage />} />
          <Route path="/audit" element={<AuditPageView />} />
        </Routes>
      </main>
    </HashRouter>
  );
}
