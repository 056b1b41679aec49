import { useEffect, useState, type FormEvent } from "react";
import { api, importedNote, type EngineError } from "../../api";
import type { EvalState } from "../../bindings/EvalState";
import type { Scale } from "../../bindings/Scale";
import { ErrorSummary, fieldError, sentence } from "../../components/forms";
import { dateTime, money } from "../../format";
import { readPicked } from "./EvaluationPage";
import { WriteForm, Writes } from "../../components/writes";
import { useReadOnly } from "../../workspace";

export function scaleLabel(s: Scale): string {
  switch (s.type) {
    case "zeroToFive":
      return "0 to 5";
    case "zeroToTen":
      return "0 to 10";
    case "passFail":
      return "Pass or fail";
    case "custom":
      return `0 to ${s.max}`;
  }
}

const KIND: Record<string, string> = { quality: "Quality", socialValue: "Social value", price: "Price" };

export function ModelTab({ state, reload }: { state: EvalState; reload: () => void }) {
  const [error, setError] = useState<EngineError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [template, setTemplate] = useState("standard");
  const [exported, setExported] = useState<string | null>(null);
  const lot = state.lotId;
  const readOnly = useReadOnly();
  // A read-only copy changes nothing: no template, import, copy or approval is offered.
  const editable = (state.stage === "market_engagement" || state.stage === "draft_specification") && !state.approved && !readOnly;
  const run = async <T,>(what: () => Promise<T>, done: string | ((r: T) => string)) => {
    setError(null);
    setNotice(null);
    try {
      const r = await what();
      setNotice(typeof done === "string" ? done : done(r));
      reload();
    } catch (e) {
      setError(e as EngineError);
    }
  };
  const m = state.model;
  return (
    <>
      <ErrorSummary error={error} fields={{ model: "model", csv: "csv", person: "person", fingerprint: "sheet-fingerprint", sheetFile: "sheet-file", receivedFrom: "sheet-received-from" }} />
      {notice && (
        <p className="notice" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      <section>
        <h2>Evaluation model</h2>
        {m ? (
          <>
            <p data-testid="model-status">
              {state.approved
                ? `Approved by ${state.approved.by} on ${dateTime(state.approved.at)}: these weightings are published and cannot change.`
                : "Not approved yet. Approving it publishes the weightings and is needed before the lot goes to tender."}
            </p>
            <table data-testid="model-table">
              <thead>
                <tr>
                  <th>Criterion</th>
                  <th>Type</th>
                  <th className="num">Weight</th>
                  <th>Scale</th>
                  <th>Minimum</th>
                </tr>
              </thead>
              <tbody>
                {m.sections.map((s) => [
                  <tr key={s.key} className="section-row">
                    <th scope="row">{s.title}</th>
                    <td>{KIND[s.kind]}</td>
                    <td className="num">{s.weight}%</td>
                    <td colSpan={2}>{s.kind === "price" ? state.priceMethod : ""}</td>
                  </tr>,
                  ...s.questions.map((q) => (
                    <tr key={q.key}>
                      <td>
                        {q.key}: {q.text}
                      </td>
                      <td></td>
                      <td className="num">{q.scale.type === "passFail" ? "—" : `${q.weight}% of ${s.title.toLowerCase()}`}</td>
                      <td>{scaleLabel(q.scale)}</td>
                      <td>{q.minScore ?? "—"}</td>
                    </tr>
                  )),
                ])}
              </tbody>
            </table>
            <p className="hint">
              {m.qualityThreshold ? `Bids scoring below ${m.qualityThreshold}% of the quality marks are excluded. ` : ""}
              Justifications need at least {m.justificationMinChars} characters.
            </p>
          </>
        ) : (
          <p>This lot has no evaluation model yet.</p>
        )}
        {editable && (
          <div className="actions">
            <label htmlFor="template">Start from a template</label>
            <div className="inline">
              <select id="template" className="auto" value={template} onChange={(e) => setTemplate(e.target.value)}>
                <option value="standard">Competitive tender: quality 60%, social value 10%, price 30%</option>
                <option value="psr">Provider Selection Regime: the five key criteria</option>
              </select>
              <button type="button" className="secondary" data-testid="apply-template" onClick={() => run(() => api.applyTemplate(lot, template, state.modelVersion), "Template applied.")}>
                Apply template
              </button>
            </div>
            <label htmlFor="model-file">Import a model (JSON)</label>
            <input
              id="model-file"
              type="file"
              accept=".json,application/json"
              onChange={async (e) => {
                const f = await readPicked(e.currentTarget);
                if (f) run(() => api.importModel(lot, f.bytes, f.name, state.modelVersion), `Imported ${f.name}.`);
              }}
            />
            <CopyFrom lot={lot} version={state.modelVersion} run={run} />
            {m && (
              <p>
                <button type="button" data-testid="approve-model" onClick={() => run(() => api.approveModel(lot), "Model approved.")}>
                  Approve the model
                </button>
              </p>
            )}
          </div>
        )}
        {m && (
          <details onToggle={(e) => (e.currentTarget.open && !exported ? api.exportModel(lot).then(setExported) : undefined)}>
            <summary>Export the model as JSON</summary>
            <textarea readOnly rows={10} value={exported ?? ""} aria-label="The model as JSON" />
          </details>
        )}
      </section>
      <BidsSection state={state} run={run} />
      <PanelSection state={state} run={run} error={error} setError={setError} />
    </>
  );
}

type Run = <T,>(what: () => Promise<T>, done: string | ((r: T) => string)) => Promise<void>;

/** Copy another lot's model: councils reuse what worked. */
function CopyFrom({ lot, version, run }: { lot: number; version: number; run: Run }) {
  const [lots, setLots] = useState<{ id: number; label: string }[]>([]);
  const [from, setFrom] = useState("");
  useEffect(() => {
    api.board().then((b) =>
      setLots(
        b.columns
          .flatMap((c) => c.cards)
          .filter((c) => c.id !== lot)
          .map((c) => ({ id: c.id, label: `${c.procurementTitle}: ${c.reference} ${c.title}` })),
      ),
    );
  }, [lot]);
  return (
    <>
      <label htmlFor="copy-from">Copy the model of another lot</label>
      <div className="inline">
        <select id="copy-from" className="auto" value={from} onChange={(e) => setFrom(e.target.value)}>
          <option value="">Choose a lot</option>
          {lots.map((l) => (
            <option key={l.id} value={l.id}>
              {l.label}
            </option>
          ))}
        </select>
        <button type="button" className="secondary" disabled={!from} onClick={() => run(() => api.copyModel(lot, Number(from), version), "Model copied.")}>
          Copy
        </button>
      </div>
    </>
  );
}

function BidsSection({ state, run }: { state: EvalState; run: Run }) {
  // A read-only copy imports nothing.
  const readOnly = useReadOnly();
  const canImport = (state.stage === "tender" || state.stage === "evaluation") && !readOnly;
  return (
    <section>
      <h2>Bids ({state.bids.length})</h2>
      {state.bids.length > 0 && (
        <table data-testid="bids-table">
          <thead>
            <tr>
              <th>Bidder</th>
              <th>Registration</th>
              <th>Consortium members</th>
              <th className="num">Price</th>
            </tr>
          </thead>
          <tbody>
            {state.bids.map((b) => (
              <tr key={b.id}>
                <td>{b.lead.name}</td>
                <td>{b.lead.registrationNumber ?? "—"}</td>
                <td>{b.members.map((x) => x.name).join("; ") || "—"}</td>
                <td className="num">{money(b.price)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canImport && state.access.maySeeBids && (
        <>
          <label htmlFor="bids-file">Import bids (CSV: supplier, registration_number, lot, price, members)</label>
          <input
            id="bids-file"
            type="file"
            accept=".csv,text/csv"
            onChange={async (e) => {
              const f = await readPicked(e.currentTarget);
              if (f) run(() => api.importBids(state.lotId, f.bytes, f.name), (s) => `Imported ${importedNote(s, "bid")}.`);
            }}
          />
        </>
      )}
    </section>
  );
}

function PanelSection({ state, run, error, setError }: { state: EvalState; run: Run; error: EngineError | null; setError: (e: EngineError | null) => void }) {
  const [person, setPerson] = useState("");
  const [role, setRole] = useState("evaluator");
  const [conflict, setConflict] = useState<"none" | "conflict">("none");
  const [details, setDetails] = useState("");
  const me = state.panel.find((m) => m.person === state.viewer);
  // Offline scoresheets go out and come back during evaluation, through the officer.
  const sheets = state.stage === "evaluation" && state.access.role !== "evaluator" && state.access.role !== "moderator";
  const add = (e: FormEvent) => {
    e.preventDefault();
    run(() => api.addPanel(state.lotId, person, role), `Added ${person} to the panel.`).then(() => setPerson(""));
  };
  const declare = (e: FormEvent) => {
    e.preventDefault();
    run(
      () => api.declare(state.lotId, conflict === "conflict" ? details : null),
      conflict === "conflict" ? "Your conflict is recorded: you take no part in this lot." : "Your declaration is recorded.",
    );
  };
  return (
    <section>
      <h2>Panel</h2>
      <table data-testid="panel-table">
        <thead>
          <tr>
            <th>Member</th>
            <th>Role</th>
            <th>Conflict of interest</th>
            <th>Scores</th>
            <th>Sign-off (round {state.round})</th>
            {sheets && <th>Offline scoresheet</th>}
          </tr>
        </thead>
        <tbody>
          {state.panel.map((m) => (
            <tr key={m.person}>
              <td>{m.person}</td>
              <td>{m.role === "moderator" ? "Moderator (does not score)" : "Evaluator"}</td>
              <td>{!m.declaredAt ? "Not declared yet" : m.conflict ? `Conflict declared: ${m.conflict}` : "None declared"}</td>
              <td>{m.role === "moderator" ? "—" : m.submittedAt ? `Submitted ${dateTime(m.submittedAt)}` : "Not submitted"}</td>
              <td>{m.signedOffAt ? `Signed ${dateTime(m.signedOffAt)}` : "—"}</td>
              {sheets && (
                <td>
                  {m.role === "evaluator" && m.declaredAt && !m.conflict && !m.submittedAt ? (
                    <span className="button-row">
                      <Writes><button
                        type="button"
                        className="secondary"
                        data-testid={`export-sheet-${m.person}`}
                        onClick={() => run(() => api.exportScoresheet(state.lotId, m.person, false), (path) => `Wrote ${m.person}’s scoresheet to ${path}: send it to them.`)}
                      >
                        Export scoresheet
                      </button></Writes>
                      <Writes><button
                        type="button"
                        className="secondary"
                        data-testid={`export-xlsx-${m.person}`}
                        onClick={() =>
                          run(
                            () => api.exportScoresheet(state.lotId, m.person, true),
                            (path) => `Wrote ${m.person}’s scoresheet as an Excel workbook to ${path}: send it to them, for scoring without Lotwise.`,
                          )
                        }
                      >
                        As Excel
                      </button></Writes>
                    </span>
                  ) : (
                    "—"
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {me && !me.declaredAt && (
        <WriteForm onSubmit={declare} className="narrow" data-testid="declare-form">
          <fieldset>
            <legend>Your conflict-of-interest declaration</legend>
            <p className="hint">Declare any personal, financial or professional interest in a bidder. Bids and scores are shown after you declare.</p>
            <label className="radio">
              <input type="radio" name="coi" checked={conflict === "none"} onChange={() => setConflict("none")} data-testid="coi-none" /> I have no conflict of interest in this lot
            </label>
            <label className="radio">
              <input type="radio" name="coi" checked={conflict === "conflict"} onChange={() => setConflict("conflict")} /> I have a conflict of interest
            </label>
            {conflict === "conflict" && <textarea aria-label="Describe the conflict" value={details} onChange={(e) => setDetails(e.target.value)} rows={3} />}
          </fieldset>
          <button type="submit" data-testid="declare-submit">
            Record my declaration
          </button>
        </WriteForm>
      )}
      {state.stage !== "award" && state.stage !== "contract" && state.stage !== "abandoned" && (
        <WriteForm onSubmit={add} className="inline-form">
          <div className="inline">
            <div>
              <label htmlFor="person">User name</label>
              <input id="person" value={person} onChange={(e) => setPerson(e.target.value)} />
            </div>
            <div>
              <label htmlFor="role">Role</label>
              <select id="role" value={role} onChange={(e) => setRole(e.target.value)}>
                <option value="evaluator">Evaluator</option>
                <option value="moderator">Moderator</option>
              </select>
            </div>
            <button type="submit" className="secondary">
              Add to the panel
            </button>
          </div>
        </WriteForm>
      )}
      {sheets && <ImportSheet state={state} run={run} error={error} setError={setError} />}
      <p className="hint">{sentence("each evaluator scores alone and blind; a non-scoring moderator then agrees consensus scores, and every panel member signs the record.")}</p>
    </section>
  );
}

/** A signed scoresheet (.lwscores) brought back: the first from an evaluator needs the six words they read out. */
function ImportSheet({ state, run, error, setError }: { state: EvalState; run: Run; error: EngineError | null; setError: (e: EngineError | null) => void }) {
  const [file, setFile] = useState<{ bytes: number[]; name: string } | null>(null);
  const [words, setWords] = useState("");
  const [from, setFrom] = useState("");
  const workbook = !!file && file.name.toLowerCase().endsWith(".xlsx");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError({ code: "validation", message: "choose the .lwscores file the evaluator sent", field: "sheetFile", details: [] });
      return;
    }
    await run(
      async () => {
        try {
          return await api.importScoresheet(state.lotId, file.bytes, file.name, words.trim() || null, workbook ? from.trim() || null : null);
        } catch (err) {
          const e2 = err as EngineError;
          // Whatever is wrong with the file is said beside the file; the words beside the words.
          throw e2.field === "fingerprint" || e2.field === "receivedFrom" ? e2 : { ...e2, field: "sheetFile" };
        }
      },
      (r) =>
        r.fingerprint
          ? `Imported ${r.scores} scores from ${r.evaluator}, signed with the key “${r.fingerprint}”, and submitted them.`
          : `Imported ${r.scores} scores from ${r.evaluator}’s workbook (unsigned, received from them as you confirmed) and submitted them.`,
    );
  };
  return (
    <WriteForm onSubmit={submit} className="narrow" data-testid="import-sheet-form">
      <h3>Import a scoresheet sent back</h3>
      <div className={"form-group" + (fieldError(error, "sheetFile") ? " form-group--error" : "")}>
        <label htmlFor="sheet-file">The .lwscores file (or Excel workbook) the evaluator sent</label>
        {fieldError(error, "sheetFile") && <p className="error-message" data-testid="error-sheet-file">{fieldError(error, "sheetFile")}</p>}
        <input
          id="sheet-file"
          type="file"
          accept=".lwscores,.xlsx"
          onChange={async (e) => setFile(await readPicked(e.currentTarget))}
        />
      </div>
      {workbook && (
        <div className={"form-group" + (fieldError(error, "receivedFrom") ? " form-group--error" : "")}>
          <label htmlFor="sheet-received-from">A workbook is not signed: the user name of the evaluator you received it from yourself</label>
          {fieldError(error, "receivedFrom") && <p className="error-message" data-testid="error-sheet-received-from">{fieldError(error, "receivedFrom")}</p>}
          <input id="sheet-received-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
      )}
      <div className={"form-group" + (fieldError(error, "fingerprint") ? " form-group--error" : "")}>
        <label htmlFor="sheet-fingerprint">Their key’s fingerprint (first sheet from them only)</label>
        <p className="hint">Telephone the evaluator and ask them to read the six words on their screen.</p>
        {fieldError(error, "fingerprint") && <p className="error-message" data-testid="error-sheet-fingerprint">{fieldError(error, "fingerprint")}</p>}
        <input id="sheet-fingerprint" value={words} onChange={(e) => setWords(e.target.value)} />
      </div>
      <button type="submit" data-testid="import-sheet">
        Import and submit their scores
      </button>
    </WriteForm>
  );
}
