// The moderation board: a heat map of spreads, each evaluator's original score beside the
// consensus, and sign-off. Only the moderator records consensus; originals never change.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useWorkspaceChanges } from "../../changes";
import { api, importedNote, type EngineError } from "../../api";
import type { EvalState } from "../../bindings/EvalState";
import type { ModerationBoard } from "../../bindings/ModerationBoard";
import { ErrorSummary, fieldError, sentence } from "../../components/forms";
import { readPicked } from "./EvaluationPage";
import { Progress } from "./ScoringTab";
import { WriteForm, Writes } from "../../components/writes";

export function ModerationTab({ state, reload }: { state: EvalState; reload: () => void }) {
  const [board, setBoard] = useState<ModerationBoard | null>(null);
  const [loadError, setLoadError] = useState<EngineError | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sel, setSel] = useState<[number, string] | null>(null);
  const [score, setScore] = useState("");
  const [reason, setReason] = useState("");
  const [reopenReason, setReopenReason] = useState("");
  const load = useCallback(() => {
    api.moderation(state.lotId).then(setBoard, setLoadError);
  }, [state.lotId]);
  useEffect(() => {
    load();
  }, [load]);
  useWorkspaceChanges(load);
  if (loadError) return <p className="inset">{sentence(loadError.message)}</p>;
  if (!board || !state.model) return <p aria-busy="true">Loading the moderation board…</p>;
  const questions = state.model.sections.flatMap((s) => s.questions);
  const cell = (bid: number, q: string) => board.cells.find((c) => c.bidId === bid && c.question === q);
  const isModerator = state.access.role === "moderator";
  const me = state.panel.find((m) => m.person === state.viewer && m.declaredAt && !m.conflict);
  const selected = sel ? cell(sel[0], sel[1]) : undefined;
  const selectedBid = sel ? state.bids.find((b) => b.id === sel[0]) : undefined;
  const anySigned = state.panel.some((m) => m.signedOffAt);
  const act = async <T,>(what: () => Promise<T>, done: string | ((r: T) => string)) => {
    setError(null);
    setNotice(null);
    try {
      const r = await what();
      setNotice(typeof done === "string" ? done : done(r));
      load();
      reload();
      return true;
    } catch (e) {
      setError(e as EngineError);
      return false;
    }
  };
  const choose = (bid: number, q: string) => {
    setSel([bid, q]);
    const c = cell(bid, q);
    setScore(c?.consensus ? String(c.consensus.score) : "");
    setReason(c?.consensus?.reason ?? "");
    setError(null);
  };
  const record = async (e: FormEvent) => {
    e.preventDefault();
    if (!sel) return;
    await act(() => api.moderate({ lotId: state.lotId, bidId: sel[0], question: sel[1], score, reason }), `Consensus recorded for ${sel[1]}.`);
  };
  return (
    <>
      <ErrorSummary error={error} fields={{ score: "score", reason: "reason" }} />
      {notice && (
        <p className="notice" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      <p data-testid="moderation-summary">
        {board.agreed} of {board.required} consensus scores agreed · {board.flagged} flagged for a spread above the gap ·{" "}
        {board.signedOff ? <strong>signed off by every panel member</strong> : board.ready ? "open for moderation" : "waiting for every evaluator to submit"}
      </p>
      <Progress state={state} />
      <div className="scoring">
        <table className="grid heat" data-testid="heat-map">
          <caption className="visually-hidden">Spread of evaluators’ scores and the consensus, questions down and bids across</caption>
          <thead>
            <tr>
              <th>Question</th>
              {state.bids.map((b) => (
                <th key={b.id} className="num">
                  {b.lead.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {questions.map((q) => (
              <tr key={q.key}>
                <th scope="row" title={q.text}>
                  {q.key}
                </th>
                {state.bids.map((b) => {
                  const c = cell(b.id, q.key);
                  const spread = c?.spread ?? null;
                  const heat = c?.flagged ? "heat--flag" : spread === null ? "heat--none" : spread === 0 ? "heat--0" : spread === 1 ? "heat--1" : "heat--2";
                  const isSel = sel && sel[0] === b.id && sel[1] === q.key;
                  return (
                    <td key={b.id} className={`heat-cell ${heat}${isSel ? " cell--at" : ""}`}>
                      <button type="button" data-testid={`mod-${q.key}-${b.id}`} onClick={() => choose(b.id, q.key)}>
                        {/* The name a screen reader gives starts with what the cell is about and
                            then says what is shown, so a voice user can say what they see (2.5.3). */}
                        <span className="visually-hidden">
                          {q.key} for {b.lead.name}: {spread === null ? "no scores yet" : "spread"}
                          {c?.flagged ? " (flagged)" : ""}, then the agreed score:{" "}
                        </span>
                        <span className="spread">{spread === null ? "–" : `±${spread}`}</span>
                        {c?.flagged && <span className="flag"> ! wide</span>}
                        <span className="agreed">{c?.consensus ? `= ${c.consensus.score}` : "·"}</span>
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <aside className="justify" data-testid="moderation-panel">
          {!selected || !selectedBid ? (
            <p>Choose a cell to see each evaluator’s score and justification{isModerator ? " and record the consensus" : ""}. Red cells have a spread wider than the model’s gap and need discussion.</p>
          ) : (
            <>
              <h3>
                {selected.question} for {selectedBid.lead.name}
              </h3>
              <table>
                <thead>
                  <tr>
                    <th>Evaluator</th>
                    <th className="num">Score</th>
                    <th>Justification</th>
                  </tr>
                </thead>
                <tbody data-testid="originals">
                  {selected.originals.map((o) => (
                    <tr key={o.evaluator}>
                      <td>{o.evaluator}</td>
                      <td className="num">{o.score}</td>
                      <td>{o.justification}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {selected.consensus && (
                <p className="inset" data-testid="consensus">
                  Consensus {selected.consensus.score} ({selected.consensus.moderator}): {selected.consensus.reason}
                </p>
              )}
              {isModerator && board.ready && !anySigned && (
                <WriteForm onSubmit={record} noValidate data-testid="consensus-form">
                  <div className={"form-group" + (fieldError(error, "score") ? " form-group--error" : "")}>
                    <label htmlFor="c-score">Consensus score</label>
                    {fieldError(error, "score") && <p className="error-message">{fieldError(error, "score")}</p>}
                    <input id="c-score" className="short" value={score} onChange={(e) => setScore(e.target.value)} data-testid="consensus-score" />
                  </div>
                  <div className={"form-group" + (fieldError(error, "reason") ? " form-group--error" : "")}>
                    <label htmlFor="c-reason">Reason, tied to the bid’s evidence</label>
                    {fieldError(error, "reason") && (
                      <p className="error-message" data-testid="error-reason">
                        {fieldError(error, "reason")}
                      </p>
                    )}
                    <textarea id="c-reason" rows={4} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="consensus-reason" />
                  </div>
                  <button type="submit" data-testid="consensus-save">
                    Record the consensus
                  </button>
                </WriteForm>
              )}
            </>
          )}
        </aside>
      </div>
      {isModerator && board.ready && !anySigned && (
        <Writes>
        <section>
          <label htmlFor="consensus-file">Record consensus scores from CSV (bidder, question, score, reason)</label>
          <input
            id="consensus-file"
            type="file"
            accept=".csv,text/csv"
            onChange={async (e) => {
              const f = await readPicked(e.currentTarget);
              if (f) await act(() => api.importConsensus(state.lotId, f.bytes, f.name), (s) => `Recorded ${importedNote(s, "consensus score")}.`);
            }}
          />
        </section>
        </Writes>
      )}
      <section>
        <h2>Sign-off (round {state.round})</h2>
        <ul data-testid="signoffs">
          {state.panel
            .filter((m) => m.declaredAt && !m.conflict)
            .map((m) => (
              <li key={m.person}>
                {m.person}: {m.signedOffAt ? `signed ${new Date(m.signedOffAt).toLocaleString("en-GB")}` : "not signed yet"}
              </li>
            ))}
        </ul>
        {me && !me.signedOffAt && board.agreed === board.required && (
          <Writes><button type="button" onClick={() => act(() => api.signOff(state.lotId), "You have signed off the moderated record.")} data-testid="sign-off">
            Sign off the moderated record
          </button></Writes>
        )}
        {isModerator && anySigned && (
          <WriteForm
            onSubmit={(e) => {
              e.preventDefault();
              act(() => api.reopen(state.lotId, reopenReason), "The record is reopened; every panel member signs it again.");
            }}
            noValidate
            className="narrow"
          >
            <div className={"form-group" + (fieldError(error, "reason") ? " form-group--error" : "")}>
              <label htmlFor="reopen-reason">Reopen the record: reason</label>
              {fieldError(error, "reason") && <p className="error-message">{fieldError(error, "reason")}</p>}
              <textarea id="reopen-reason" rows={2} value={reopenReason} onChange={(e) => setReopenReason(e.target.value)} />
            </div>
            <button type="submit" className="secondary">
              Reopen
            </button>
          </WriteForm>
        )}
        {state.reopenings.length > 0 && (
          <ul>
            {state.reopenings.map((r) => (
              <li key={r.round}>
                Reopened for round {r.round} by {r.by}: {r.reason}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
