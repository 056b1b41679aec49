// Whole-life value of each lot and of each contract the lots replace: core term, each
// extension option with its dates, and the whole possible term, excluding and including VAT.
import type { FinanceView } from "../../bindings/FinanceView";
import type { WholeLife } from "../../bindings/WholeLife";
import { longDate, money } from "../../format";

function Periods({ w, testid }: { w: WholeLife; testid: string }) {
  return (
    <table data-testid={testid}>
      <caption className="visually-hidden">Periods and values</caption>
      <thead>
        <tr>
          <th scope="col">Period</th>
          <th scope="col">From</th>
          <th scope="col">To</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">Excluding VAT</th>
          <th scope="col" className="num">Including VAT</th>
        </tr>
      </thead>
      <tbody>
        {w.periods.map((p) => (
          <tr key={p.label}>
            <td>{p.label}</td>
            <td>{longDate(p.start)}</td>
            <td>{longDate(p.end)}</td>
            <td>{p.status === null ? "" : p.status === "taken" ? "Taken" : p.status === "declined" ? "Declined" : "Available"}</td>
            <td className="num">{money(p.value)}</td>
            <td className="num">{money(p.valueIncVat)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row" colSpan={4}>
            Whole-life value ({w.term}){w.finalPossibleEnd && `, to ${longDate(w.finalPossibleEnd)} at the latest`}
          </th>
          <td className="num">
            <strong>{money(w.total)}</strong>
          </td>
          <td className="num">
            <strong>{money(w.totalIncVat)}</strong>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

export function WholeLifeSection({ view }: { view: FinanceView }) {
  return (
    <section aria-labelledby="wlv-h">
      <h2 id="wlv-h">Whole-life value</h2>
      <p className="hint">
        What procurement thresholds and key-decision thresholds look at: the annual value over the core term and every
        extension option. VAT at the standard rate of the contract’s start.
      </p>
      {view.lots.map((l) => (
        <div key={l.lotId}>
          <h3>
            {l.reference}: {l.title}
          </h3>
          {l.wholeLife ? (
            <>
              <p className="hint">
                {money(l.annual)} a year ({l.basis}). {l.wholeLife.termDescription}.
              </p>
              <Periods w={l.wholeLife} testid={`wlv-lot-${l.lotId}`} />
            </>
          ) : (
            <p className="hint">No annual value or term is set for this lot yet.</p>
          )}
        </div>
      ))}
      {view.contracts.map((c) => (
        <div key={c.contractId}>
          <h3>
            Current contract {c.reference}: {c.provider}
          </h3>
          <p className="hint">
            {money(c.wholeLife.annual)} a year. {c.wholeLife.termDescription}.
          </p>
          <Periods w={c.wholeLife} testid={`wlv-contract-${c.reference}`} />
        </div>
      ))}
    </section>
  );
}
