// The savings tracker: the target phased by year against what contract prices (and, for
// months not yet contracted, estimates) deliver, with delayed savings shown as such.
import { useState, type FormEvent } from "react";
import { api, type EngineError } from "../../api";
import type { FinanceView } from "../../bindings/FinanceView";
import type { SavingsYear } from "../../bindings/SavingsYear";
import { ErrorSummary, TextInput } from "../../components/forms";
import { money } from "../../format";
import { WriteForm } from "../../components/writes";

function status(y: SavingsYear): string {
  switch (y.status) {
    case "met":
      return "Met";
    case "delayed":
      return `Delayed to ${y.delayedTo}`;
    case "short":
      return "Short";
  }
}

export function SavingsSection({ view, onSaved }: { view: FinanceView; onSaved: (v: FinanceView) => void }) {
  const s = view.savings;
  return (
    <section aria-labelledby="savings-h">
      <h2 id="savings-h">Savings</h2>
      {s ? (
        <>
          <p data-testid="savings-target">Target: {s.description}.</p>
          {s.target.notes && <p className="hint">{s.target.notes}</p>}
          <table data-testid="savings-table">
            <thead>
              <tr>
                <th scope="col">Year</th>
                <th scope="col" className="num">Target saving</th>
                <th scope="col" className="num">Committed spend</th>
                <th scope="col" className="num">Estimated spend</th>
                <th scope="col" className="num">Saving</th>
                <th scope="col" className="num">Gap</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {s.years.map((y) => (
                <tr key={y.financialYear} className={y.status === "met" ? undefined : "row--overdue"} data-testid={`savings-${y.financialYear}`}>
                  <td>{y.financialYear}</td>
                  <td className="num">{money(y.target)}</td>
                  <td className="num">{money(y.committed)}</td>
                  <td className="num">{money(y.estimated)}</td>
                  <td className="num">{money(y.saving)}</td>
                  <td className="num">{y.gap.startsWith("-") || y.gap === "0.00" ? "—" : money(y.gap)}</td>
                  <td>
                    {status(y)}
                    {!y.secured && <span className="hint"> (forecast)</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="savings-summary">{s.summary}</p>
        </>
      ) : (
        <p className="hint">No savings target is set.</p>
      )}
      <SavingsForm view={view} onSaved={onSaved} />
    </section>
  );
}

function SavingsForm({ view, onSaved }: { view: FinanceView; onSaved: (v: FinanceView) => void }) {
  const t = view.savings?.target;
  const [baseline, setBaseline] = useState(t ? money(t.baseline) : "");
  const [target, setTarget] = useState(t ? (t.target.kind === "percent" ? `${t.target.value}%` : money(t.target.value)) : "");
  const [years, setYears] = useState(t ? String(t.years) : "3");
  const [firstYear, setFirstYear] = useState(t?.firstYear ?? "");
  const [notes, setNotes] = useState(t?.notes ?? "");
  const [error, setError] = useState<EngineError | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onSaved(await api.setSavings({ procurementId: view.procurement.id, baseline, target, years, firstYear, notes }));
      setError(null);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  return (
    <details>
      <summary>{t ? "Change the savings target" : "Set a savings target"}</summary>
      <WriteForm shows onSubmit={save} noValidate data-testid="savings-form">
        <ErrorSummary
          error={error}
          fields={{ baseline: "Baseline", target: "Target", years: "Years", firstYear: "First year" }}
          form="savings"
        />
        <TextInput form="savings" name="baseline" label="Baseline: current annual spend" value={baseline} onChange={setBaseline} error={error} width="12em" />
        <TextInput form="savings" name="target" label="Target" hint="A percentage of the baseline (10%) or an amount a year (£200,000)." value={target} onChange={setTarget} error={error} width="12em" />
        <TextInput form="savings" name="years" label="Reached evenly over (years)" value={years} onChange={setYears} error={error} width="5em" />
        <TextInput form="savings" name="firstYear" label="First year" hint="For example 2027/28." value={firstYear} onChange={setFirstYear} error={error} width="8em" />
        <TextInput form="savings" name="notes" label="Notes" value={notes} onChange={setNotes} error={error} />
        <button type="submit">Save savings target</button>
      </WriteForm>
    </details>
  );
}
