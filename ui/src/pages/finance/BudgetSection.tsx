// Budget against committed by financial year and funder: a chart, the table behind it, and
// the forms that set a year's budget, a funder's contribution and a lot's own budget.
import { useState, type FormEvent } from "react";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";
import { api, type EngineError } from "../../api";
import type { FinanceView } from "../../bindings/FinanceView";
import { ErrorSummary, Field, TextInput } from "../../components/forms";
import { longDate, money } from "../../format";
import { WriteForm, Writes } from "../../components/writes";

// Colour-blind-safe (Okabe-Ito) fills for funders, then grey for what no funder covers.
const FUNDER_FILLS = ["#0072B2", "#009E73", "#56B4E9", "#E69F00", "#CC79A7", "#D55E00", "#F0E442"];
const UNFUNDED = "#b1b4b6";
const COMMITTED = "#0b0c0c";
const BUDGET = "#d4351c";

/** Chart heights only: money is shown from its exact string, never from this number. */
function height(amount: string): number {
  return Number(amount);
}

function axisMoney(v: number): string {
  if (Math.abs(v) >= 1_000_000) return `£${(v / 1_000_000).toLocaleString("en-GB", { maximumFractionDigits: 1 })}m`;
  if (Math.abs(v) >= 1_000) return `£${(v / 1_000).toLocaleString("en-GB", { maximumFractionDigits: 0 })}k`;
  return `£${v}`;
}

function BudgetChart({ view }: { view: FinanceView }) {
  const years = view.position.years;
  const funders = Array.from(new Set(years.flatMap((y) => y.funders.map((f) => f.funder))));
  // Exact strings for the tooltip, keyed as the chart's series are.
  const exact: Record<string, Record<string, string>> = {};
  const data = years.map((y) => {
    const row: Record<string, string | number> = { year: y.financialYear };
    const shown: Record<string, string> = {};
    for (const f of y.funders) {
      row[f.funder] = height(f.amount);
      shown[f.funder] = f.amount;
    }
    const unfunded = height(y.budget) - height(y.funded);
    if (funders.length === 0) {
      row["Budget"] = height(y.budget);
    } else {
      row["Budget line"] = height(y.budget);
      if (unfunded > 0) row["Budget not yet funded"] = unfunded;
    }
    shown["Budget"] = y.budget;
    shown["Budget line"] = y.budget;
    row["Committed"] = height(y.committed);
    shown["Committed"] = y.committed;
    exact[y.financialYear] = shown;
    return row;
  });
  const stacks = funders.length === 0 ? ["Budget"] : [...funders, "Budget not yet funded"];
  return (
    <figure data-testid="budget-chart" className="chart">
      <ComposedChart width={760} height={300} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="year" />
        <YAxis tickFormatter={axisMoney} width={64} />
        <Tooltip
          formatter={(value, name, item) => {
            const year = String((item?.payload as { year?: string } | undefined)?.year ?? "");
            const s = exact[year]?.[String(name)];
            return [s ? money(s) : axisMoney(Number(value)), String(name)];
          }}
        />
        <Legend />
        {stacks.map((name, i) => (
          <Bar
            key={name}
            dataKey={name}
            stackId="budget"
            fill={name === "Budget not yet funded" ? UNFUNDED : FUNDER_FILLS[i % FUNDER_FILLS.length]}
            isAnimationActive={false}
          />
        ))}
        <Bar dataKey="Committed" fill={COMMITTED} isAnimationActive={false} />
        {funders.length > 0 && (
          <Line
            dataKey="Budget line"
            name="Budget"
            stroke={BUDGET}
            strokeWidth={0}
            legendType="plainline"
            isAnimationActive={false}
            activeDot={false}
            // Each year's budget is its own level, not a trend: a dash across the year, unjoined.
            dot={(p: { cx?: number; cy?: number; index?: number }) => (
              <line
                key={`budget-${p.index}`}
                x1={(p.cx ?? 0) - 52}
                x2={(p.cx ?? 0) + 52}
                y1={p.cy ?? 0}
                y2={p.cy ?? 0}
                stroke={BUDGET}
                strokeWidth={3}
                strokeDasharray="6 3"
              />
            )}
          />
        )}
      </ComposedChart>
      <figcaption className="hint">
        Left bar: each financial year’s funding by funder (grey: budget not yet funded). Right bar: committed by
        contracts. Red dashes: each year’s budget. The table below gives the exact figures.
      </figcaption>
    </figure>
  );
}

export function BudgetSection({ view, onSaved }: { view: FinanceView; onSaved: (v: FinanceView) => void }) {
  const pid = view.procurement.id;
  return (
    <section aria-labelledby="budget-h">
      <h2 id="budget-h">Budget and commitments by year</h2>
      {view.position.years.length === 0 ? (
        <p className="inset">No budget, funding or commitments are recorded yet. Set a year’s budget below.</p>
      ) : (
        <>
          <BudgetChart view={view} />
          <table data-testid="budget-table">
            <thead>
              <tr>
                <th scope="col">Year</th>
                <th scope="col" className="num">Budget</th>
                <th scope="col" className="num">Pooled</th>
                <th scope="col" className="num">Aligned</th>
                <th scope="col" className="num">Committed</th>
                <th scope="col" className="num">Headroom</th>
              </tr>
            </thead>
            <tbody>
              {view.position.years.map((y) => (
                <tr key={y.financialYear} className={y.overBudget ? "row--overdue" : undefined} data-testid={`budget-${y.financialYear}`}>
                  <td>{y.financialYear}</td>
                  <td className="num">{money(y.budget)}</td>
                  <td className="num">{money(y.pooled)}</td>
                  <td className="num">{money(y.aligned)}</td>
                  <td className="num">{money(y.committed)}</td>
                  <td className="num">
                    {money(y.headroom)}
                    {y.overBudget && <strong className="overdue-text"> Over budget</strong>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {view.position.commitments.length > 0 && (
        <>
          <h3>What is committed</h3>
          <ul data-testid="commitments">
            {view.position.commitments.map((c) => (
              <li key={c.label}>
                {c.label}: {money(c.annual)} a year, {longDate(c.start)} to {longDate(c.end)}
              </li>
            ))}
          </ul>
        </>
      )}
      {view.position.prospects.length > 0 && (
        <>
          <h3>Decisions still to come</h3>
          <ul data-testid="prospects">
            {view.position.prospects.map((p) => (
              <li key={p.label}>
                {p.label}: {p.byYear.map((y) => `${y.financialYear} ${money(y.amount)}`).join(", ")}
                {p.overruns.length > 0 && <strong className="overdue-text"> Would exceed the budget</strong>}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="two-col">
        <BudgetForm procurementId={pid} onSaved={onSaved} />
        <LotBudgetForm view={view} onSaved={onSaved} />
      </div>
      <Funders view={view} onSaved={onSaved} />
    </section>
  );
}

function BudgetForm({ procurementId, onSaved }: { procurementId: number; onSaved: (v: FinanceView) => void }) {
  const [year, setYear] = useState("");
  const [amount, setAmount] = useState("");
  const [error, setError] = useState<EngineError | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onSaved(await api.setBudget({ procurementId, financialYear: year, amount }));
      setError(null);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  return (
    <WriteForm shows onSubmit={save} noValidate data-testid="budget-form">
      <h3>Set a year’s budget</h3>
      <ErrorSummary error={error} fields={{ financialYear: "Financial year", amount: "Budget" }} form="budget" />
      <TextInput form="budget" name="financialYear" label="Financial year" hint="For example 2026/27." value={year} onChange={setYear} error={error} width="8em" />
      <TextInput form="budget" name="amount" label="Budget" hint="Leave empty to remove the year’s budget." value={amount} onChange={setAmount} error={error} width="12em" />
      <button type="submit">Save budget</button>
    </WriteForm>
  );
}

function LotBudgetForm({ view, onSaved }: { view: FinanceView; onSaved: (v: FinanceView) => void }) {
  const [lotId, setLotId] = useState<number | "">(view.lots[0]?.lotId ?? "");
  const [year, setYear] = useState("");
  const [amount, setAmount] = useState("");
  const [error, setError] = useState<EngineError | null>(null);
  if (view.lots.length === 0) return null;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onSaved(await api.setLotBudget({ lotId: Number(lotId), financialYear: year, amount }));
      setError(null);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  return (
    <WriteForm shows onSubmit={save} noValidate data-testid="lot-budget-form">
      <h3>Set a lot’s budget</h3>
      <ErrorSummary error={error} fields={{ financialYear: "Financial year", amount: "Budget" }} form="lot-budget" />
      <Field form="lot-budget" name="lotId" label="Lot" error={error}>
        {(id) => (
          <select id={id} value={lotId} onChange={(e) => setLotId(Number(e.target.value))}>
            {view.lots.map((l) => (
              <option key={l.lotId} value={l.lotId}>
                {l.reference}: {l.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextInput form="lot-budget" name="financialYear" label="Financial year" value={year} onChange={setYear} error={error} width="8em" />
      <TextInput form="lot-budget" name="amount" label="Budget" hint="Leave empty to remove it." value={amount} onChange={setAmount} error={error} width="12em" />
      <button type="submit">Save lot budget</button>
      {view.position.lots.some((l) => l.years.some((y) => y.budget !== null)) && (
        <table data-testid="lot-budgets">
          <thead>
            <tr>
              <th scope="col">Lot</th>
              <th scope="col">Year</th>
              <th scope="col" className="num">Budget</th>
              <th scope="col" className="num">Committed</th>
              <th scope="col" className="num">Headroom</th>
            </tr>
          </thead>
          <tbody>
            {view.position.lots.flatMap((l) =>
              l.years
                .filter((y) => y.budget !== null)
                .map((y) => (
                  <tr key={`${l.lotId}-${y.financialYear}`}>
                    <td>{l.lot}</td>
                    <td>{y.financialYear}</td>
                    <td className="num">{money(y.budget)}</td>
                    <td className="num">{money(y.committed)}</td>
                    <td className="num">{money(y.headroom)}</td>
                  </tr>
                )),
            )}
          </tbody>
        </table>
      )}
    </WriteForm>
  );
}

function Funders({ view, onSaved }: { view: FinanceView; onSaved: (v: FinanceView) => void }) {
  const pid = view.procurement.id;
  const [funder, setFunder] = useState("");
  const [year, setYear] = useState("");
  const [amount, setAmount] = useState("");
  const [arrangement, setArrangement] = useState("pooled");
  const [purpose, setPurpose] = useState("");
  const [error, setError] = useState<EngineError | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onSaved(await api.setContribution({ procurementId: pid, funder, financialYear: year, amount, arrangement, purpose }));
      setError(null);
      setAmount("");
    } catch (err) {
      setError(err as EngineError);
    }
  };
  const remove = async (id: number) => {
    try {
      onSaved(await api.removeContribution(pid, id));
    } catch (err) {
      setError(err as EngineError);
    }
  };
  return (
    <>
      <h3>Funders’ contributions</h3>
      {view.contributions.length === 0 ? (
        <p className="hint">No funder is recorded yet.</p>
      ) : (
        <table data-testid="contributions">
          <thead>
            <tr>
              <th scope="col">Year</th>
              <th scope="col">Funder</th>
              <th scope="col" className="num">Amount</th>
              <th scope="col">Arrangement</th>
              <th scope="col">For</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {view.contributions.map((c) => (
              <tr key={c.id}>
                <td>{c.financialYear}</td>
                <td>{c.funder}</td>
                <td className="num">{money(c.amount)}</td>
                <td>{c.arrangement === "pooled" ? "Pooled" : "Aligned"}</td>
                <td>{c.purpose}</td>
                <td>
                  <Writes><button type="button" className="link-button" onClick={() => remove(c.id)} aria-label={`Remove ${c.funder} ${c.financialYear}`}>
                    Remove
                  </button></Writes>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <WriteForm onSubmit={save} noValidate data-testid="contribution-form">
        <ErrorSummary
          error={error}
          fields={{ funder: "Funder", financialYear: "Financial year", amount: "Amount", arrangement: "Arrangement", purpose: "What it is for" }}
          form="funder"
        />
        <Field form="funder" name="funder" label="Funder" error={error}>
          {(id, describedBy, invalid) => (
            <select id={id} value={funder} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => setFunder(e.target.value)}>
              <option value="">Choose the funder</option>
              {view.organisations.map((o) => (
                <option key={o.id} value={String(o.id)}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextInput form="funder" name="financialYear" label="Financial year" hint="For example 2026/27." value={year} onChange={setYear} error={error} width="8em" />
        <TextInput form="funder" name="amount" label="Amount" value={amount} onChange={setAmount} error={error} width="12em" />
        <Field form="funder" name="arrangement" label="Arrangement" hint="Pooled: one fund spent as one budget. Aligned: each partner keeps its own budget for shared outcomes." error={error}>
          {(id, describedBy) => (
            <select id={id} value={arrangement} aria-describedby={describedBy} onChange={(e) => setArrangement(e.target.value)}>
              <option value="pooled">Pooled</option>
              <option value="aligned">Aligned</option>
            </select>
          )}
        </Field>
        <TextInput form="funder" name="purpose" label="What it is for" value={purpose} onChange={setPurpose} error={error} />
        <button type="submit">Save contribution</button>
      </WriteForm>
    </>
  );
}
