// The award: the recommendation, the award dates with the standstill's working, the pack
// for legal with its review, and what the contract stage still waits for. Legal reads the
// pack here, read-only, and approves it or returns it with comments per section.
import { useCallback, useEffect, useState } from "react";
import { api, type EngineError } from "../../api";
import type { AwardPack } from "../../bindings/AwardPack";
import type { AwardView } from "../../bindings/AwardView";
import type { PackStatus } from "../../bindings/PackStatus";
import { ErrorSummary, Field, SavedNote, TextInput, sentence } from "../../components/forms";
import { dateTime, longDate, money, shortDate } from "../../format";
import { PdfPreview } from "../docs/PdfPreview";
import { WriteForm, Writes } from "../../components/writes";

/** Regimes with no mandatory standstill, where the council may give a voluntary one (s51(3), (4)). */
const VOLUNTARY = new Set(["light-touch", "framework-call-off", "dynamic-market", "urgent-direct-award"]);

const STATUS: Record<PackStatus, string> = {
  notBuilt: "Not built",
  awaitingReview: "With legal for review",
  approved: "Approved by legal",
  returned: "Returned by legal with comments",
};

export function AwardTab({ lotId, onLotChanged }: { lotId: number; onLotChanged: () => void }) {
  const [view, setView] = useState<AwardView | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const reload = useCallback(() => api.award(lotId).then(setView, setError), [lotId]);
  useEffect(() => {
    reload();
  }, [reload]);
  if (!view) return error ? <p className="error-message">{sentence(error.message)}</p> : <p aria-busy="true">Loading the award…</p>;
  const legal = view.role === "legal";
  return (
    <div data-testid="award-tab">
      <Recommendation view={view} />
      {!legal && <DatesForm view={view} onSaved={setView} />}
      {view.timeline && <TimelineView view={view} />}
      {!legal && view.dates?.regime === "psr" && view.dates.noticePublished && <Representations view={view} onSaved={setView} />}
      <PackPanel view={view} reload={() => { reload(); onLotChanged(); }} />
      <section aria-labelledby="contract-h">
        <h2 id="contract-h">Before the contract</h2>
        {view.contractMissing.length === 0 ? (
          <p className="inset" data-testid="contract-ready">
            Standstill is over and legal has approved the pack: the lot can move to Contract (Overview tab).
          </p>
        ) : (
          <ul data-testid="contract-missing">
            {view.contractMissing.map((m) => (
              <li key={m}>Waiting for {m}</li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function Recommendation({ view }: { view: AwardView }) {
  const r = view.recommendation;
  return (
    <section aria-labelledby="rec-h">
      <h2 id="rec-h">Recommendation</h2>
      {r ? (
        <dl className="facts" data-testid="recommendation">
          <dt>Recommended for award</dt>
          <dd>
            <strong>{r.winner}</strong> (total {r.winnerTotal}, price {money(r.winnerPrice)})
          </dd>
          <dt>Reserve</dt>
          <dd>{r.reserve ?? "None"}</dd>
          <dt>Excluded</dt>
          <dd>{r.excluded.length === 0 ? "None" : r.excluded.map((e) => `${e.bidder} (${e.reasons.join("; ")})`).join("; ")}</dd>
        </dl>
      ) : (
        <p className="inset">{view.resultsBlocker}</p>
      )}
    </section>
  );
}

function DatesForm({ view, onSaved }: { view: AwardView; onSaved: (v: AwardView) => void }) {
  const d = view.dates;
  const [regime, setRegime] = useState<string>(d?.regime ?? "pa2023");
  const [voluntary, setVoluntary] = useState(d?.voluntaryStandstill ?? false);
  // Shown as people write dates here (27/10/2026); the engine reads either form.
  const [published, setPublished] = useState(d?.noticePublished ? shortDate(d.noticePublished) : "");
  const [signed, setSigned] = useState(d?.contractSigned ? shortDate(d.contractSigned) : "");
  const [error, setError] = useState<EngineError | null>(null);
  const [saved, setSaved] = useState(false);
  const notice = view.regimes.find((r) => r.regime === regime)?.notice ?? "award notice";
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    try {
      const v = await api.setAwardDates({
        lotId: view.lotId,
        regime,
        voluntaryStandstill: VOLUNTARY.has(regime) && voluntary,
        noticePublished: published || null,
        contractSigned: signed || null,
      });
      setError(null);
      setSaved(true);
      onSaved(v);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  return (
    <section aria-labelledby="dates-h">
      <h2 id="dates-h">Award dates</h2>
      <WriteForm shows onSubmit={save} noValidate data-testid="award-dates">
        <ErrorSummary
          error={error}
          fields={{ regime: "Regime", voluntaryStandstill: "Voluntary standstill", noticePublished: "Notice published", contractSigned: "Contract signed" }}
        />
        <Field name="regime" label="Regime" error={error}>
          {(id, describedBy) => (
            <select id={id} value={regime} aria-describedby={describedBy} onChange={(e) => setRegime(e.target.value)}>
              {view.regimes.map((r) => (
                <option key={r.regime} value={r.regime}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {VOLUNTARY.has(regime) && (
          <div className="form-group">
            <label className="check">
              <input type="checkbox" checked={voluntary} onChange={(e) => setVoluntary(e.target.checked)} data-testid="voluntary-standstill" />{" "}
              Give a voluntary standstill of 8 working days in the contract award notice (s51(4), (5))
            </label>
          </div>
        )}
        <TextInput
          name="noticePublished"
          label={`Date the ${notice} was published`}
          hint="For example 30/11/2026. Leave empty until it is published."
          value={published}
          onChange={setPublished}
          error={error}
          width="12em"
        />
        <TextInput
          name="contractSigned"
          label="Date the contract was entered into (signed)"
          hint="Only once the standstill has ended. It is day 1 of the contract details notice's 30 days (s53(1)), not the service start."
          value={signed}
          onChange={setSigned}
          error={error}
          width="12em"
        />
        <button type="submit" data-testid="save-award-dates">
          Save the award dates
        </button>
        <SavedNote shown={saved} />
      </WriteForm>
    </section>
  );
}

function TimelineView({ view }: { view: AwardView }) {
  const t = view.timeline!;
  const s = t.standstill;
  return (
    <section aria-labelledby="standstill-h" data-testid="standstill">
      <h2 id="standstill-h">Standstill</h2>
      <p>{t.standstillRule}</p>
      <dl className="facts">
        {s && (
          <>
            <dt>Begins</dt>
            <dd data-testid="standstill-first">{longDate(s.firstDay)}</dd>
            <dt>Ends at midnight at the end of</dt>
            <dd data-testid="standstill-last">
              {t.standstillExtendedTo ? longDate(t.standstillExtendedTo) : longDate(s.lastDay)}
              {t.standstillExtendedTo && t.standstillExtendedTo !== s.lastDay && ` (extended from ${longDate(s.lastDay)})`}
            </dd>
          </>
        )}
        <dt>Contract may be entered into from</dt>
        <dd data-testid="may-enter-from">
          {t.contractMayBeEnteredFrom
            ? longDate(t.contractMayBeEnteredFrom)
            : view.dates?.noticePublished
              ? `Not yet: waiting for ${t.waitingFor ?? "the standstill"}`
              : "Once the notice is published"}
        </dd>
        <dt>Contract entered into (signed)</dt>
        <dd>{t.contractSigned ? longDate(t.contractSigned) : "Not yet"}</dd>
        <dt>Contract start</dt>
        <dd>{t.contractStart ? longDate(t.contractStart) : "No contract start milestone yet"}</dd>
        <dt>Contract details notice due by</dt>
        <dd data-testid="uk7-due">{t.contractDetailsNoticeDue ? longDate(t.contractDetailsNoticeDue) : "Counted from the signature"}</dd>
        {t.contractCopyRule && (
          <>
            <dt>Copy of the contract due by</dt>
            <dd>{t.contractCopyDue ? longDate(t.contractCopyDue) : "Counted from the signature"}</dd>
          </>
        )}
      </dl>
      <p className="hint">{t.contractDetailsRule}</p>
      {t.contractCopyRule && <p className="hint">{t.contractCopyRule}</p>}
      {t.standstillExtension && (
        <p className="inset" data-testid="standstill-extension">
          {t.standstillExtension}
        </p>
      )}
      {s && s.skipped.length > 0 && (
        <table data-testid="skipped-days">
          <caption>Days not counted</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {s.skipped.map((k) => (
              <tr key={k.date}>
                <td>{longDate(k.date)}</td>
                <td>{k.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {s && <p className="hint">{s.rule}</p>}
    </section>
  );
}

/** A PSR standstill's written representations and the further decisions in reply
 * (SI 2023/1348 reg 12(3), (4), (6)-(10)), each kept and audited. */
function Representations({ view, onSaved }: { view: AwardView; onSaved: (v: AwardView) => void }) {
  const t = view.timeline!;
  const [received, setReceived] = useState("");
  const [provider, setProvider] = useState("");
  const [summary, setSummary] = useState("");
  const [communicated, setCommunicated] = useState("");
  const [decision, setDecision] = useState("proceed");
  const [reasons, setReasons] = useState("");
  const [repError, setRepError] = useState<EngineError | null>(null);
  const [decError, setDecError] = useState<EngineError | null>(null);
  const addRep = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      onSaved(await api.recordRepresentation({ lotId: view.lotId, receivedOn: received, provider, summary }));
      setRepError(null);
      setReceived("");
      setProvider("");
      setSummary("");
    } catch (err) {
      setRepError(err as EngineError);
    }
  };
  const addDecision = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      onSaved(await api.recordFurtherDecision({ lotId: view.lotId, communicatedOn: communicated, decision, reasons }));
      setDecError(null);
      setCommunicated("");
      setReasons("");
    } catch (err) {
      setDecError(err as EngineError);
    }
  };
  return (
    <section aria-labelledby="reps-h" data-testid="representations">
      <h2 id="reps-h">Representations during the standstill</h2>
      <p className="hint">
        A provider aggrieved by the decision may make written representations until midnight at the end of the standstill (SI 2023/1348
        reg 12(3)). They keep it open until the further decision is communicated and at least 5 working days have passed (reg 12(10)).
      </p>
      {t.representations.length > 0 && (
        <table data-testid="representations-table">
          <caption>Representations received</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">From</th>
              <th scope="col">Summary</th>
            </tr>
          </thead>
          <tbody>
            {t.representations.map((r) => (
              <tr key={r.id}>
                <td>
                  {longDate(r.receivedOn)}
                  {r.outOfTime && <span className="tag tag--amber"> Out of time</span>}
                </td>
                <td>{r.provider}</td>
                <td>{r.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <WriteForm onSubmit={addRep} noValidate data-testid="representation-form">
        <ErrorSummary error={repError} form="rep" fields={{ receivedOn: "Received", provider: "Provider", summary: "Summary", regime: "Regime" }} />
        <TextInput form="rep" name="receivedOn" label="Date received" hint="For example 03/02/2027." value={received} onChange={setReceived} error={repError} width="12em" />
        <TextInput form="rep" name="provider" label="Provider who made them" value={provider} onChange={setProvider} error={repError} />
        <Field form="rep" name="summary" label="What they say" error={repError}>
          {(id, describedBy, invalid) => (
            <textarea id={id} rows={2} value={summary} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => setSummary(e.target.value)} />
          )}
        </Field>
        <button type="submit" className="secondary" data-testid="record-representation">
          Record the representations
        </button>
      </WriteForm>
      {t.representations.length > 0 && (
        <>
          {t.furtherDecisions.length > 0 && (
            <table data-testid="further-decisions">
              <caption>Further decisions communicated</caption>
              <thead>
                <tr>
                  <th scope="col">Communicated</th>
                  <th scope="col">Decision</th>
                  <th scope="col">Reasons</th>
                </tr>
              </thead>
              <tbody>
                {t.furtherDecisions.map((f) => (
                  <tr key={f.id}>
                    <td>{longDate(f.communicatedOn)}</td>
                    <td>{sentence(f.decision === "proceed" ? "enter into the contract as intended" : f.decision === "repeat" ? "go back to an earlier step and repeat it" : "abandon the procurement")}</td>
                    <td>{f.reasons}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <WriteForm onSubmit={addDecision} noValidate data-testid="further-decision-form">
            <ErrorSummary error={decError} form="dec" fields={{ communicatedOn: "Communicated", decision: "Decision", reasons: "Reasons" }} />
            <TextInput form="dec" name="communicatedOn" label="Date the further decision was communicated" value={communicated} onChange={setCommunicated} error={decError} width="12em" />
            <Field form="dec" name="decision" label="The further decision" error={decError}>
              {(id, describedBy) => (
                <select id={id} value={decision} aria-describedby={describedBy} onChange={(e) => setDecision(e.target.value)}>
                  <option value="proceed">Enter into the contract as intended</option>
                  <option value="repeat">Go back to an earlier step and repeat it</option>
                  <option value="abandon">Abandon the procurement</option>
                </select>
              )}
            </Field>
            <Field form="dec" name="reasons" label="Reasons given to the providers" error={decError}>
              {(id, describedBy, invalid) => (
                <textarea id={id} rows={2} value={reasons} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => setReasons(e.target.value)} />
              )}
            </Field>
            <button type="submit" className="secondary" data-testid="record-further-decision">
              Record the further decision
            </button>
          </WriteForm>
        </>
      )}
    </section>
  );
}

function PackPanel({ view, reload }: { view: AwardView; reload: () => void }) {
  const [error, setError] = useState<EngineError | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [reading, setReading] = useState<{ pack: AwardPack; bytes: ArrayBuffer } | null>(null);
  const newest = view.packs[0] ?? null;
  const build = async () => {
    setError(null);
    try {
      await api.buildPack(view.lotId, (p) => setProgress(p.step));
      setProgress(null);
      setReading(null);
      reload();
    } catch (e) {
      setProgress(null);
      setError(e as EngineError);
    }
  };
  const read = async (p: AwardPack) => {
    try {
      setReading({ pack: p, bytes: await api.packBytes(p.id) });
    } catch (e) {
      setError(e as EngineError);
    }
  };
  return (
    <section aria-labelledby="pack-h">
      <h2 id="pack-h">Award pack for legal</h2>
      <p>
        Status: <strong data-testid="pack-status">{STATUS[view.status]}</strong>
      </p>
      <ErrorSummary error={error} fields={{}} />
      {view.role === "officer" && (
        <p>
          <Writes><button type="button" onClick={build} disabled={progress !== null} data-testid="build-pack">
            {newest ? "Build a new award pack" : "Build the award pack"}
          </button></Writes>{" "}
          {progress && (
            <span role="status" aria-live="polite">
              {progress}…
            </span>
          )}
          {!view.awardPaper && <span className="hint"> The pack includes the award decision paper: generate it on the Documents tab first.</span>}
        </p>
      )}
      {view.packs.length > 0 && (
        <table data-testid="packs">
          <thead>
            <tr>
              <th scope="col">Pack</th>
              <th scope="col">Built</th>
              <th scope="col">Pages</th>
              <th scope="col">Legal review</th>
              <th scope="col">SHA-256</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {view.packs.map((p) => (
              <tr key={p.id}>
                <td>{p.number}</td>
                <td>
                  {dateTime(p.builtAt)} by {p.builtBy}
                </td>
                <td>{p.pages}</td>
                <td>
                  {p.review ? (
                    <>
                      {p.review.decision === "approved" ? "Approved" : "Returned"} by {p.review.by}, {dateTime(p.review.at)}
                      {p.review.comments.length > 0 && (
                        <ul data-testid={`pack-${p.number}-comments`}>
                          {p.review.comments.map((c) => (
                            <li key={c.section + c.comment}>
                              <strong>{c.section}:</strong> {c.comment}
                            </li>
                          ))}
                        </ul>
                      )}
                    </>
                  ) : (
                    "Not yet reviewed"
                  )}
                </td>
                <td>
                  <code className="hash">{p.sha256.slice(0, 16)}…</code>
                </td>
                <td>
                  <button type="button" className="secondary" onClick={() => read(p)} data-testid={`read-pack-${p.number}`}>
                    Read
                  </button>{" "}
                  <button type="button" className="secondary" onClick={() => api.openPack(p.id).catch(setError)}>
                    Open in PDF viewer
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reading && (
        <div className="pack-reader" data-testid="pack-reader">
          <h3>
            Award pack {reading.pack.number} (read-only)
          </h3>
          {view.role === "legal" && newest && reading.pack.id === newest.id && !newest.review && (
            <ReviewForm pack={newest} sections={view.sections} onDone={() => { setReading(null); reload(); }} />
          )}
          <PdfPreview bytes={reading.bytes} label={`Award pack ${reading.pack.number}`} />
        </div>
      )}
    </section>
  );
}

function ReviewForm({ pack, sections, onDone }: { pack: AwardPack; sections: string[]; onDone: () => void }) {
  const [comments, setComments] = useState<Record<string, string>>({});
  const [error, setError] = useState<EngineError | null>(null);
  const send = async (decision: "approve" | "return") => {
    try {
      await api.reviewPack({
        packId: pack.id,
        decision,
        comments: Object.entries(comments)
          .filter(([, c]) => c.trim() !== "")
          .map(([section, comment]) => ({ section, comment })),
      });
      setError(null);
      onDone();
    } catch (e) {
      setError(e as EngineError);
    }
  };
  return (
    <WriteForm onSubmit={(e) => e.preventDefault()} data-testid="review-form" noValidate>
      <ErrorSummary error={error} fields={{ comments: "Comments" }} />
      <p>Comment on any section that needs to change. A returned pack goes back to the officer with your comments.</p>
      <Field name="comments" label="Comments by section" error={error}>
        {() => (
          <div>
            {sections.map((s, i) => (
              <div className="form-group" key={s}>
                <label htmlFor={`comment-${i}`}>{s}</label>
                <textarea
                  id={`comment-${i}`}
                  data-testid={`comment-${i}`}
                  rows={2}
                  value={comments[s] ?? ""}
                  onChange={(e) => setComments({ ...comments, [s]: e.target.value })}
                />
              </div>
            ))}
          </div>
        )}
      </Field>
      <button type="button" onClick={() => send("approve")} data-testid="approve-pack">
        Approve the pack
      </button>{" "}
      <button type="button" className="secondary" onClick={() => send("return")} data-testid="return-pack">
        Return to the officer
      </button>
    </WriteForm>
  );
}
