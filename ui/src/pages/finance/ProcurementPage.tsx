// A procurement: its lots, and its finance tab (budget against committed by year and funder,
// funders, savings, whole-life values and the allocation tool).
import { useCallback, useEffect, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { api, type EngineError } from "../../api";
import type { FinanceView } from "../../bindings/FinanceView";
import type { Procurement } from "../../bindings/Procurement";
import { sentence } from "../../components/forms";
import { longDate, money, moneyFromPence } from "../../format";
import { STAGE_LABEL } from "../../components/status";
import { AllocationTool } from "./AllocationTool";
import { BudgetSection } from "./BudgetSection";
import { SavingsSection } from "./SavingsSection";
import { WholeLifeSection } from "./WholeLifeSection";

/** Every procurement, with its lead commissioner and budget. */
export function ProcurementsPage() {
  const [all, setAll] = useState<Procurement[] | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  useEffect(() => {
    api.procurements().then(setAll, setError);
  }, []);
  if (error) return <p className="error-message">{sentence(error.message)}</p>;
  if (!all) return <p aria-busy="true">Loading procurements…</p>;
  return (
    <>
      <h1>Procurements</h1>
      <table data-testid="procurements">
        <thead>
          <tr>
            <th scope="col">Reference</th>
            <th scope="col">Procurement</th>
            <th scope="col">Commissioners</th>
            <th scope="col" className="num">
              Budget (all years)
            </th>
          </tr>
        </thead>
        <tbody>
          {all.map((p) => (
            <tr key={p.id}>
              <td>{p.reference}</td>
              <td>
                <Link to={`/procurements/${p.id}?tab=finance`} data-testid={`procurement-${p.reference}`}>
                  {p.title}
                </Link>
              </td>
              <td>{p.commissioners.map((c) => c.name).join(", ")}</td>
              <td className="num">{budgetTotal(p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

// Summed in pence from the exact strings, never as floating point.
function budgetTotal(p: Procurement): string {
  return moneyFromPence(p.budget.reduce((sum, b) => sum + BigInt(b.amount.replace(".", "")), 0n));
}

export function ProcurementPage() {
  const { id } = useParams();
  const procurementId = Number(id);
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "lots" ? "lots" : "finance";
  const [view, setView] = useState<FinanceView | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const reload = useCallback(() => api.finance(procurementId).then(setView, setError), [procurementId]);
  useEffect(() => {
    reload();
  }, [reload]);
  if (!view) return error ? <p className="error-message">{sentence(error.message)}</p> : <p aria-busy="true">Loading the procurement…</p>;
  const p = view.procurement;
  return (
    <>
      <p>
        <Link to="/procurements">← All procurements</Link>
      </p>
      <span className="caption">
        {p.reference} · {p.commissioners.map((c) => c.name).join(", ")}
      </span>
      <h1 data-testid="procurement-title">{p.title}</h1>
      <nav className="tabs" aria-label="Procurement">
        {(["finance", "lots"] as const).map((key) => (
          <button
            key={key}
            type="button"
            className={key === tab ? "tab tab--current" : "tab"}
            aria-current={key === tab ? "page" : undefined}
            data-testid={`procurement-tab-${key}`}
            onClick={() => setParams({ tab: key })}
          >
            {key === "finance" ? "Finance" : "Lots"}
          </button>
        ))}
      </nav>
      {tab === "lots" ? (
        <table data-testid="procurement-lots">
          <thead>
            <tr>
              <th scope="col">Lot</th>
              <th scope="col">Stage</th>
              <th scope="col" className="num">
                Annual value
              </th>
              <th scope="col">Contract start</th>
            </tr>
          </thead>
          <tbody>
            {view.lots.map((l) => (
              <tr key={l.lotId}>
                <td>
                  <Link to={`/lots/${l.lotId}`}>
                    {l.reference}: {l.title}
                  </Link>
                </td>
                <td>{STAGE_LABEL[l.stage]}</td>
                <td className="num">
                  {money(l.annual)} <span className="hint">({l.basis})</span>
                </td>
                <td>{longDate(l.contractStart)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <div data-testid="finance-tab">
          <p className="hint">
            As at {longDate(view.asAt)}. Amounts exclude VAT unless marked. Financial years run from 1 April to 31
            March.
          </p>
          {view.position.warnings.length > 0 && (
            <div className="warning-panel" role="status" data-testid="finance-warnings">
              <h2>Check the budget</h2>
              <ul>
                {view.position.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          )}
          <BudgetSection view={view} onSaved={setView} />
          <SavingsSection view={view} onSaved={setView} />
          <WholeLifeSection view={view} />
          <AllocationTool view={view} onSaved={reload} />
        </div>
      )}
    </>
  );
}
