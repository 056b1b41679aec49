import { useCallback, useEffect, useState } from "react";
import { useWorkspaceChanges } from "../changes";
import { sentence } from "../components/forms";
import { Link } from "react-router";
import { api, type EngineError } from "../api";
import type { Board } from "../bindings/Board";
import { RagTag } from "../components/status";
import { money, shortDate } from "../format";
import { useReadOnly } from "../workspace";

/** Cards shown per column before "Show all": a column of hundreds helps nobody. */
const FIRST = 25;

export function BoardPage() {
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const readOnly = useReadOnly();
  const load = useCallback(() => api.board().then(setBoard, setError), []);
  useEffect(() => {
    load();
  }, [load]);
  useWorkspaceChanges(load);
  if (error) return <p className="error-message">{sentence(error.message)}</p>;
  if (!board) return <p aria-busy="true">Loading the pipeline…</p>;
  const total = board.columns.reduce((n, c) => n + c.cards.length, 0);
  return (
    <>
      <div className="page-head">
        <h1>Pipeline</h1>
        <p className="muted">
          {total} lots · overdue first in each stage · milestones due within {board.amberDays} days are shown as due soon
        </p>
        {!readOnly && (
          <Link className="button" to="/lots/new">
            Add a lot
          </Link>
        )}
      </div>
      <div className="board" data-testid="board">
        {board.columns.map((col) => (
          <section key={col.stage} className="column" aria-labelledby={`col-${col.stage}`}>
            <h2 id={`col-${col.stage}`}>
              {col.label} <span className="count">{col.cards.length}</span>
            </h2>
            <ul>
              {(expanded.has(col.stage) ? col.cards : col.cards.slice(0, FIRST)).map((card) => (
                <li key={card.id}>
                  <Link className={`card card--${card.rag}`} to={`/lots/${card.id}`} data-testid={`lot-card-${card.id}`}>
                    <span className="card-ref">
                      {card.procurementTitle} · {card.reference}
                      {card.partCodes.length > 0 && ` (parts ${card.partCodes.join(", ")})`}
                    </span>
                    <span className="card-title">{card.title}</span>
                    <span className="card-meta">
                      {card.stage === "abandoned" ? <span className="tag tag--complete">Abandoned</span> : <RagTag rag={card.rag} />}{" "}
                      {money(card.estimatedAnnualValue)} a year
                    </span>
                    {card.tupeOverdue > 0 && (
                      <span className="card-next" data-testid={`tupe-overdue-${card.id}`}>
                        <span className="tag tag--red">TUPE</span> {card.tupeOverdue} obligation{card.tupeOverdue === 1 ? "" : "s"} overdue
                      </span>
                    )}
                    {card.nextMilestone && (
                      <span className="card-next">
                        Next: {card.nextMilestone.title}, {shortDate(card.nextMilestone.planned)}
                      </span>
                    )}
                  </Link>
                </li>
              ))}
            </ul>
            {col.cards.length > FIRST && (
              <button
                type="button"
                className="secondary show-all"
                aria-expanded={expanded.has(col.stage)}
                onClick={() => {
                  const next = new Set(expanded);
                  if (next.has(col.stage)) next.delete(col.stage);
                  else next.add(col.stage);
                  setExpanded(next);
                }}
              >
                {expanded.has(col.stage) ? `Show the first ${FIRST}` : `Show all ${col.cards.length} lots`}
              </button>
            )}
          </section>
        ))}
      </div>
    </>
  );
}
