// The evaluator's blind scoring grid: questions down, bids across. Arrow keys move between
// cells, a digit types the score, Enter goes to the justification, Ctrl+Enter saves. The
// Evaluation tab and the scoring-only mode (a scoresheet opened without a workspace) both
// use it: only where a score is saved, imported and submitted differs.
import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import type { EngineError } from "../../api";
import type { EvalModel } from "../../bindings/EvalModel";
import type { Scale } from "../../bindings/Scale";
import { ErrorSummary, fieldError } from "../../components/forms";
import { readPicked } from "./EvaluationPage";
import { useReadOnly } from "../../workspace";

export type Draft = { score: string; justification: string };
export type GridBid = { id: number; name: string };
export const cellKey = (bid: number, q: string) => `${bid}|${q}`;

export type ScoringActions = {
  save: (bidId: number, question: string, score: string, justification: string) => Promise<void>;
  /** Returns what to tell the person (how many rows were imported). */
  importCsv: (bytes: number[], fileName: string) => Promise<string>;
  /** `declared`: the declaration was ticked (scoring-only mode). Returns what to tell the
   * person, or null when the submitted note says it. */
  submit: (declared: boolean) => Promise<string | null>;
};

export function ScoringGrid({
  lotReference,
  model,
  bids,
  mine,
  submitted,
  submittedNote,
  declaration,
  submitWhat,
  actions,
  reload,
}: {
  lotReference: string;
  model: EvalModel;
  bids: GridBid[];
  /** The scores saved so far, by cellKey. */
  mine: Map<string, Draft>;
  submitted: boolean;
  submittedNote?: ReactNode;
  /** The declaration to tick before submitting (scoring-only mode). */
  declaration?: string;
  /** What submitting does, said before the person confirms. */
  submitWhat: string;
  actions: ScoringActions;
  reload: () => void;
}) {
  // A read-only copy shows the scores as a submitted sheet does: nothing to type or press.
  const locked = useReadOnly() || submitted;
  const questions = useMemo(() => model.sections.flatMap((s) => s.questions), [model]);
  const [drafts, setDrafts] = useState<Map<string, Draft>>(new Map());
  const [at, setAt] = useState<[number, number]>([0, 0]);
  const [error, setError] = useState<EngineError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [declared, setDeclared] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const justRef = useRef<HTMLTextAreaElement>(null);
  const grid = useRef<HTMLTableElement>(null);

  const [row, col] = at;
  const q = questions[row];
  const bid = bids[col];
  const k = q && bid ? cellKey(bid.id, q.key) : "";
  const current: Draft = drafts.get(k) ?? mine.get(k) ?? { score: "", justification: "" };
  const setCurrent = (d: Partial<Draft>) => setDrafts(new Map(drafts).set(k, { ...current, ...d }));
  const gaps = bids.flatMap((b) => questions.filter((qq) => !mine.has(cellKey(b.id, qq.key))).map((qq) => `${b.name}: ${qq.key}`));
  const total = bids.length * questions.length;

  const focusCell = (r: number, c: number) => {
    const rr = Math.max(0, Math.min(questions.length - 1, r));
    const cc = Math.max(0, Math.min(bids.length - 1, c));
    setAt([rr, cc]);
    grid.current?.querySelector<HTMLInputElement>(`[data-cell="${rr}-${cc}"]`)?.focus();
  };
  const onCellKey = (e: KeyboardEvent<HTMLInputElement>, r: number, c: number) => {
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[e.key]) {
      e.preventDefault();
      focusCell(r + moves[e.key][0], c + moves[e.key][1]);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (e.ctrlKey) void save();
      else justRef.current?.focus();
    }
  };
  const save = async () => {
    setError(null);
    setNotice(null);
    try {
      await actions.save(bid.id, q.key, current.score, current.justification);
      const next = new Map(drafts);
      next.delete(k);
      setDrafts(next);
      setNotice(`Saved ${q.key} for ${bid.name}.`);
      reload();
      // On to the next bid, then the next question.
      if (col + 1 < bids.length) focusCell(row, col + 1);
      else focusCell(row + 1, 0);
    } catch (e) {
      setError(e as EngineError);
    }
  };
  const submit = async () => {
    setError(null);
    try {
      const said = await actions.submit(declared);
      setConfirming(false);
      setNotice(said);
      reload();
    } catch (e) {
      setError(e as EngineError);
    }
  };

  return (
    <>
      <ErrorSummary error={error} fields={{ score: "score", justification: "justification", scores: "scores", scoresFile: "scores-file", declaration: "declaration" }} />
      {notice && (
        <p className="notice" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      {submitted && submittedNote}
      <div className="scoring">
        <table className="grid" ref={grid} data-testid="score-grid">
          <caption className="visually-hidden">Your scores: questions down, bids across. Arrow keys move between cells; Enter goes to the justification; Ctrl+Enter saves.</caption>
          <thead>
            <tr>
              <th>Question</th>
              {bids.map((b) => (
                <th key={b.id} className="num">
                  {b.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {questions.map((qq, r) => (
              <tr key={qq.key}>
                <th scope="row" title={qq.text}>
                  {qq.key} <span className="muted">{qq.scale.type === "passFail" ? "pass/fail" : `0–${qq.scale.type === "zeroToTen" ? 10 : qq.scale.type === "custom" ? qq.scale.max : 5}`}</span>
                </th>
                {bids.map((b, c) => {
                  const kk = cellKey(b.id, qq.key);
                  const d = drafts.get(kk);
                  const saved = mine.get(kk);
                  const value = d ? d.score : saved ? saved.score : "";
                  return (
                    <td key={b.id} className={"cell" + (r === row && c === col ? " cell--at" : "") + (d ? " cell--draft" : "")}>
                      <input
                        data-cell={`${r}-${c}`}
                        data-testid={`cell-${qq.key}-${b.id}`}
                        aria-label={`${qq.key} for ${b.name}`}
                        inputMode="numeric"
                        value={value}
                        readOnly={locked}
                        // One tab stop for the whole grid (roving tabindex): Tab moves on to the
                        // justification, arrows move between cells (WAI-ARIA grid pattern).
                        tabIndex={r === row && c === col ? 0 : -1}
                        onFocus={() => setAt([r, c])}
                        onKeyDown={(e) => onCellKey(e, r, c)}
                        onChange={(e) => setDrafts(new Map(drafts).set(kk, { score: e.target.value.trim(), justification: (d ?? saved)?.justification ?? "" }))}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {q && bid && (
          <aside className="justify" data-testid="justify-panel">
            <h3>
              {q.key} for {bid.name}
            </h3>
            <p>{q.text}</p>
            <details>
              <summary>Scale descriptors</summary>
              <Descriptors scale={q.scale} />
            </details>
            <div className={"form-group" + (fieldError(error, "justification") ? " form-group--error" : "")}>
              <label htmlFor="justification">Justification, referring to the bid</label>
              <p className="hint">At least {model.justificationMinChars} characters. Refer to the bid’s own evidence, never to other bids.</p>
              {fieldError(error, "justification") && <p className="error-message" data-testid="error-justification">{fieldError(error, "justification")}</p>}
              {fieldError(error, "score") && <p className="error-message" data-testid="error-score">{fieldError(error, "score")}</p>}
              <textarea
                id="justification"
                ref={justRef}
                rows={6}
                readOnly={locked}
                value={current.justification}
                data-testid="justification"
                onChange={(e) => setCurrent({ justification: e.target.value })}
                onKeyDown={(e) => {
                  if (e.key === "Enter" && e.ctrlKey) {
                    e.preventDefault();
                    void save();
                  }
                }}
              />
            </div>
            {!locked && (
              <button type="button" onClick={save} data-testid="save-score">
                Save score (Ctrl+Enter)
              </button>
            )}
          </aside>
        )}
      </div>
      {!locked && (
        <section>
          <h2>Import from a spreadsheet</h2>
          <label htmlFor="field-scoresFile">Your scores as CSV (evaluator, bidder, question, score, justification)</label>
          {fieldError(error, "scoresFile") && (
            <p className="error-message" data-testid="error-scores-file">
              {fieldError(error, "scoresFile")}
            </p>
          )}
          <input
            id="field-scoresFile"
            type="file"
            accept=".csv,text/csv"
            onChange={async (e) => {
              const f = await readPicked(e.currentTarget);
              if (!f) return;
              setError(null);
              try {
                setNotice(await actions.importCsv(f.bytes, f.name));
                reload();
              } catch (err) {
                // A file's error belongs beside the file picker; it names its own line and column.
                setError({ ...(err as EngineError), field: "scoresFile" });
              }
            }}
          />
        </section>
      )}
      {!locked && (
        <section>
          <h2>Submit</h2>
          <p>
            You have scored {total - gaps.length} of {total}. {submitWhat}
          </p>
          {!confirming ? (
            <button type="button" className="secondary" onClick={() => setConfirming(true)} data-testid="submit-scores">
              Submit my scores…
            </button>
          ) : (
            <div className="confirm" role="alertdialog" aria-labelledby="confirm-h" data-testid="submit-confirm">
              <h3 id="confirm-h">Submit your scores for {lotReference}?</h3>
              {gaps.length > 0 ? (
                <>
                  <p>These {gaps.length} scores are still to be given; you cannot submit until they are:</p>
                  <ul data-testid="gaps">
                    {gaps.slice(0, 30).map((g) => (
                      <li key={g}>{g}</li>
                    ))}
                    {gaps.length > 30 && <li>and {gaps.length - 30} more</li>}
                  </ul>
                </>
              ) : (
                <p>Every question has a score and a justification. Submitted scores cannot be changed.</p>
              )}
              {declaration && (
                <div className={"form-group" + (fieldError(error, "declaration") ? " form-group--error" : "")}>
                  {fieldError(error, "declaration") && <p className="error-message">{fieldError(error, "declaration")}</p>}
                  <label className="inline">
                    <input id="declaration" type="checkbox" checked={declared} onChange={(e) => setDeclared(e.target.checked)} data-testid="declaration" /> {declaration}
                  </label>
                </div>
              )}
              <button type="button" onClick={submit} disabled={gaps.length > 0 || (!!declaration && !declared)} data-testid="submit-confirm-yes">
                Submit my scores
              </button>{" "}
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          )}
        </section>
      )}
    </>
  );
}

function Descriptors({ scale }: { scale: Scale }) {
  const rows: [number, string][] =
    scale.type === "zeroToFive"
      ? [[5, "Excellent"], [4, "Good"], [3, "Acceptable"], [2, "Minor reservations"], [1, "Serious reservations"], [0, "Unacceptable or no answer"]]
      : scale.type === "zeroToTen"
        ? [[10, "Excellent (9–10)"], [8, "Good (7–8)"], [6, "Acceptable (5–6)"], [4, "Minor reservations (3–4)"], [2, "Serious reservations (1–2)"], [0, "Unacceptable or no answer"]]
        : scale.type === "passFail"
          ? [[1, "Pass (type 1 or pass)"], [0, "Fail (type 0 or fail)"]]
          : scale.descriptors.map((d) => [d.score, d.text] as [number, string]);
  return (
    <dl className="descriptors">
      {rows.map(([s, t]) => (
        <div key={s}>
          <dt>{s}</dt>
          <dd>{t}</dd>
        </div>
      ))}
    </dl>
  );
}

