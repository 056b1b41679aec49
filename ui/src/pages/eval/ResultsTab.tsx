// Results: weighted scores by section, exclusions with their reasons, the ranking, a stacked
// bar of each bidder's score by section, and the sensitivity read-out.
import { useEffect, useState } from "react";
import { api, type EngineError } from "../../api";
import type { EvalResults } from "../../bindings/EvalResults";
import type { EvalState } from "../../bindings/EvalState";
import { sentence } from "../../components/forms";
import { money } from "../../format";

const COLOURS = ["#1d70b8", "#00703c", "#f47738", "#4c2c92", "#d4351c", "#28a197", "#912b88"];

export function ResultsTab({ state }: { state: EvalState }) {
  const [r, setR] = useState<EvalResults | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  useEffect(() => {
    api.results(state.lotId).then(setR, setError);
  }, [state.lotId]);
  if (error) return <p className="inset">{sentence(error.message)}</p>;
  if (!r) return <p aria-busy="true">Calculating the results…</p>;
  const s = r.scored;
  const sections = s.bids[0]?.sections ?? [];
  return (
    <>
      {!r.signedOff && (
        <p className="inset" data-testid="not-signed">
          {s.complete ? "Provisional: the moderated record is not yet signed off by every panel member." : `Provisional: ${s.missing.length} consensus scores are still to be agreed, so nothing is ranked.`}
        </p>
      )}
      <table data-testid="results-table">
        <thead>
          <tr>
            <th>Rank</th>
            <th>Bidder</th>
            <th className="num">Price</th>
            {sections.map((x) => (
              <th key={x.key} className="num">
                {x.title} ({x.weight}%)
              </th>
            ))}
            <th className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {s.bids.map((b) => (
            <tr key={b.bidId} className={b.exclusions.length ? "excluded" : ""}>
              <td>{b.rank ?? "—"}</td>
              <td>
                {b.bidder}
                {r.recommended === b.bidId && <strong className="tag tag--green"> Recommended</strong>}
                {b.exclusions.map((e) => (
                  <div key={e} className="exclusion">
                    Excluded: {e}
                  </div>
                ))}
              </td>
              <td className="num">{money(b.price)}</td>
              {b.sections.map((x) => (
                <td key={x.key} className="num">
                  {x.kind === "price" && !b.priceScore ? "—" : x.score.shown}
                </td>
              ))}
              <td className="num">
                <strong>{b.total.shown}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Weighted score by section</h2>
      <div className="legend" aria-hidden="true">
        {sections.map((x, i) => (
          <span key={x.key}>
            <i style={{ background: COLOURS[i % COLOURS.length] }} /> {x.title}
          </span>
        ))}
      </div>
      <div className="bars" data-testid="results-chart" role="img" aria-label={`Bar chart: weighted score by bidder, out of 100, by section (the table above gives each section's figure). ${s.bids.map((b) => `${b.bidder}: ${b.total.shown}`).join("; ")}.`}>
        {s.bids.map((b) => (
          <div key={b.bidId} className="bar-row">
            <span className="bar-label">{b.bidder}</span>
            <span className="bar">
              {b.sections.map((x, i) => (
                <span key={x.key} className="seg" style={{ width: `${Number(x.score.exact)}%`, background: COLOURS[i % COLOURS.length] }} title={`${x.title}: ${x.score.shown}`} />
              ))}
            </span>
            <span className="bar-total">{b.total.shown}</span>
          </div>
        ))}
      </div>
      {r.sensitivity && (
        <section data-testid="sensitivity">
          <h2>Sensitivity</h2>
          <ul>
            {r.sensitivity.summary.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      )}
      {r.awardLimit && (
        <section>
          <h2>Lot award limit: {r.awardLimit.limit} per supplier</h2>
          <p className="hint">{r.awardLimit.rule}</p>
          <ul>
            {r.awardLimit.awards.map((a) => (
              <li key={a.lotId}>
                {a.reference}: {a.bidder ?? "no eligible bid"}
                {a.passedOver.length > 0 && ` (passed over: ${a.passedOver.join(", ")})`}
              </li>
            ))}
          </ul>
          {r.awardLimit.unsettled.length > 0 && <p>Not yet settled: {r.awardLimit.unsettled.join(", ")}.</p>}
        </section>
      )}
      <h2>How the scores are worked out</h2>
      <ul className="hint">
        {s.priceMethod && <li>{s.priceMethod}</li>}
        <li>{s.roundingRule}</li>
        <li>{s.tieBreak}</li>
      </ul>
    </>
  );
}
