// The tender: its dates against the route's time limits, the specification it references,
// clarification questions (published without the asker's name) and answers, the bid receipt
// log with late bids flagged and decided, and the hand-over of the bids to evaluation.
import { useCallback, useEffect, useState } from "react";
import { api, type EngineError } from "../../api";
import type { ClarificationRow } from "../../bindings/ClarificationRow";
import type { ReceiptRow } from "../../bindings/ReceiptRow";
import type { TenderView } from "../../bindings/TenderView";
import { ErrorSummary, Field, SavedNote, TextArea, TextInput, sentence, useSave } from "../../components/forms";
import { longDate, money, shortDate } from "../../format";
import { WriteForm, Writes } from "../../components/writes";

export function TenderTab({ lotId, onLotChanged }: { lotId: number; onLotChanged: () => void }) {
  const [view, setView] = useState<TenderView | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const reload = useCallback(() => api.tender(lotId).then(setView, setError), [lotId]);
  useEffect(() => {
    reload();
  }, [reload]);
  if (!view) return error ? <p className="error-message">{sentence(error.message)}</p> : <p aria-busy="true">Loading the tender…</p>;
  const atTender = view.stage === "tender";
  return (
    <div data-testid="tender-tab">
      <Dates view={view} onSaved={setView} />
      <Clarifications view={view} onSaved={setView} open={atTender} />
      <Receipts view={view} onSaved={setView} open={atTender} onLotChanged={onLotChanged} />
    </div>
  );
}

function closes(view: TenderView): string {
  if (!view.closesAt) return "not planned";
  return `${view.closesAt.slice(11, 16)} on ${longDate(view.closesAt)}`;
}

function Dates({ view, onSaved }: { view: TenderView; onSaved: (v: TenderView) => void }) {
  const [time, setTime] = useState(view.opened?.closingTime ?? "12:00");
  const { error, saved, submit } = useSave(() => api.setClosingTime(view.lotId, time), onSaved);
  return (
    <section aria-labelledby="tender-dates-h">
      <h2 id="tender-dates-h">The tender</h2>
      {!view.opened && (
        <p className="inset" data-testid="tender-not-open">
          The lot has not entered the tender stage. It needs a route, a conflicts assessment and an approved specification
          first (see the Route and Specification tabs).
        </p>
      )}
      <dl className="facts" data-testid="tender-dates">
        <dt>Specification</dt>
        <dd>{view.opened ? `Version ${view.opened.specVersion}, approved` : "—"}</dd>
        <dt>Tender notice</dt>
        <dd>{longDate(view.noticeDate)}</dd>
        <dt>Clarification deadline</dt>
        <dd>{longDate(view.clarificationDeadline)}</dd>
        <dt>Submissions close</dt>
        <dd data-testid="tender-closes">{closes(view)}</dd>
      </dl>
      {view.dateChecks.length > 0 && (
        <ul>
          {view.dateChecks.map((c) => (
            <li key={c.message}>
              <span className={c.ok ? "tag tag--green" : "tag tag--red"}>{c.ok ? "Meets" : "Fails"}</span> {sentence(c.message)}.
            </li>
          ))}
        </ul>
      )}
      {view.stage === "tender" && (
        <WriteForm shows onSubmit={submit} noValidate className="inline" data-testid="closing-time-form">
          <TextInput name="closingTime" form="closing" label="Closing time (UK time)" hint="24-hour clock, e.g. 12:00." value={time} onChange={setTime} error={error} width="8em" />
          <button type="submit" className="secondary">
            Set the closing time
          </button>
          <SavedNote shown={saved} />
        </WriteForm>
      )}
    </section>
  );
}

function Clarifications({ view, onSaved, open }: { view: TenderView; onSaved: (v: TenderView) => void; open: boolean }) {
  const [receivedOn, setReceivedOn] = useState("");
  const [askedBy, setAskedBy] = useState("");
  const [question, setQuestion] = useState("");
  const { error, saved, submit } = useSave(() => api.addClarification({ lotId: view.lotId, receivedOn, askedBy, question }), (v) => {
    onSaved(v);
    setQuestion("");
    setAskedBy("");
  });
  return (
    <section aria-labelledby="clarifications-h">
      <h2 id="clarifications-h">Clarification questions</h2>
      {view.clarifications.length === 0 ? (
        <p>None received.</p>
      ) : (
        <table data-testid="clarifications">
          <thead>
            <tr>
              <th>No.</th>
              <th>Question, as published</th>
              <th>Received</th>
              <th>Answer</th>
            </tr>
          </thead>
          <tbody>
            {view.clarifications.map((c) => (
              <Clarification key={c.number} lotId={view.lotId} row={c} onSaved={onSaved} open={open} />
            ))}
          </tbody>
        </table>
      )}
      {open && (
        <WriteForm onSubmit={submit} noValidate data-testid="clarification-form">
          <h3>Record a question</h3>
          <ErrorSummary error={error} form="cq" fields={{ receivedOn: "Received", askedBy: "Asked by", question: "Question" }} />
          <TextInput name="receivedOn" form="cq" label="Received" hint="For example 24/11/2026." value={receivedOn} onChange={setReceivedOn} error={error} width="12em" />
          <TextInput name="askedBy" form="cq" label="Asked by" hint="Kept for the record; never published." value={askedBy} onChange={setAskedBy} error={error} />
          <TextArea
            name="question"
            form="cq"
            label="Question, as it will be published"
            hint="Every bidder sees the question and its answer, without the name of who asked."
            value={question}
            onChange={setQuestion}
            error={error}
          />
          <button type="submit" className="secondary" data-testid="clarification-submit">
            Record the question
          </button>
          <SavedNote shown={saved} />
        </WriteForm>
      )}
    </section>
  );
}

function Clarification({ lotId, row, onSaved, open }: { lotId: number; row: ClarificationRow; onSaved: (v: TenderView) => void; open: boolean }) {
  const [answer, setAnswer] = useState("");
  const [publishedOn, setPublishedOn] = useState("");
  const { error, submit } = useSave(() => api.publishClarification({ lotId, number: row.number, answer, publishedOn }), onSaved);
  const form = `cq${row.number}`;
  return (
    <tr data-testid={`clarification-${row.number}`}>
      <td>CQ{row.number}</td>
      <td>
        {row.question}
        <br />
        <span className="muted">Asked by {row.askedBy} (not published)</span>
      </td>
      <td>
        {shortDate(row.receivedOn)}
        {row.late && (
          <>
            <br />
            <span className="tag tag--red">After the clarification deadline</span>
          </>
        )}
      </td>
      <td>
        {row.answer ? (
          <>
            {row.answer}
            <br />
            <span className="muted">Published to all bidders {shortDate(row.publishedOn)}</span>
          </>
        ) : open ? (
          <WriteForm onSubmit={submit} noValidate className="obligation-form" data-testid={`answer-${row.number}`}>
            <TextArea name="answer" form={form} label="Answer" rows={2} value={answer} onChange={setAnswer} error={error} />
            <TextInput name="publishedOn" form={form} label="Published to all bidders on" value={publishedOn} onChange={setPublishedOn} error={error} width="12em" />
            {error && !error.field && <p className="error-message">{sentence(error.message)}</p>}
            <button type="submit" className="secondary">
              Publish the answer
            </button>
          </WriteForm>
        ) : (
          <span className="tag tag--amber">Not answered</span>
        )}
      </td>
    </tr>
  );
}

function statusClass(r: ReceiptRow): string {
  if (!r.late) return "tag tag--green";
  if (r.decision === "accepted") return "tag tag--amber";
  return "tag tag--red";
}

function Receipts({ view, onSaved, open, onLotChanged }: { view: TenderView; onSaved: (v: TenderView) => void; open: boolean; onLotChanged: () => void }) {
  const [supplier, setSupplier] = useState("");
  const [registrationNumber, setRegistrationNumber] = useState("");
  const [members, setMembers] = useState("");
  const [price, setPrice] = useState("");
  const [receivedAt, setReceivedAt] = useState("");
  const record = useSave(() => api.recordReceipt({ lotId: view.lotId, supplier, registrationNumber, members, price, receivedAt }), (v) => {
    onSaved(v);
    setSupplier("");
    setRegistrationNumber("");
    setMembers("");
    setPrice("");
    setReceivedAt("");
  });
  const send = useSave(() => api.sendToEvaluation(view.lotId), (v) => {
    onSaved(v);
    onLotChanged();
  });
  return (
    <section aria-labelledby="receipts-h">
      <h2 id="receipts-h">Bids received</h2>
      {view.receipts.length === 0 ? (
        <p>None logged.</p>
      ) : (
        <table data-testid="receipts">
          <thead>
            <tr>
              <th>Bidder</th>
              <th>Received</th>
              <th className="num">Annual price</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {view.receipts.map((r) => (
              <tr key={r.id} data-testid={`receipt-${r.id}`} className={r.late && !r.decision ? "row--overdue" : undefined}>
                <td>
                  {r.supplier}
                  {r.members && <div className="muted">with {r.members}</div>}
                </td>
                <td>
                  {shortDate(r.receivedAt)} {r.receivedAt.slice(11, 16)}
                </td>
                <td className="num">{money(r.price)}</td>
                <td>
                  <span className={statusClass(r)}>{r.status}</span>
                  {r.decisionReason && (
                    <div className="muted">
                      {r.decisionReason} ({r.decidedBy})
                    </div>
                  )}
                  {r.late && !r.decision && <Decide lotId={view.lotId} receiptId={r.id} onSaved={onSaved} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="inset" data-testid="to-evaluation">
        {view.evaluationBlockers.length > 0 ? (
          <>
            <p>
              <strong>Before the bids go to evaluation the tender needs:</strong>
            </p>
            <ul>
              {view.evaluationBlockers.map((b) => (
                <li key={b}>{sentence(b)}</li>
              ))}
            </ul>
          </>
        ) : view.readyForEvaluation > 0 ? (
          <>
            <ErrorSummary error={send.error} fields={{}} />
            <p>
              {view.readyForEvaluation} bid{view.readyForEvaluation === 1 ? " is" : "s are"} ready to be opened and passed to the
              evaluation panel. Rejected late bids are not passed on.
            </p>
            <Writes><button type="button" onClick={() => send.submit()} data-testid="send-to-evaluation">
              Pass {view.readyForEvaluation} bid{view.readyForEvaluation === 1 ? "" : "s"} to evaluation
            </button></Writes>
          </>
        ) : (
          <p>{view.receipts.length > 0 ? "Every evaluable bid is with the evaluation." : "Bids go to evaluation once the deadline has passed."}</p>
        )}
      </div>
      {open && (
        <WriteForm onSubmit={record.submit} noValidate data-testid="receipt-form">
          <h3>Log a bid as received</h3>
          <ErrorSummary
            error={record.error}
            form="receipt"
            fields={{ supplier: "Bidder", registrationNumber: "Registration number", members: "Consortium", price: "Price", receivedAt: "Received" }}
          />
          <TextInput name="supplier" form="receipt" label="Bidder (or consortium lead)" value={supplier} onChange={setSupplier} error={record.error} />
          <TextInput
            name="registrationNumber"
            form="receipt"
            label="Companies House or charity number (optional)"
            value={registrationNumber}
            onChange={setRegistrationNumber}
            error={record.error}
            width="14em"
          />
          <TextInput
            name="members"
            form="receipt"
            label="Other consortium members (optional)"
            hint="For example: Carers’ Support East Kent (1063234); Red Zebra"
            value={members}
            onChange={setMembers}
            error={record.error}
          />
          <TextInput name="price" form="receipt" label="Annual price tendered" hint="For example £1,395,000." value={price} onChange={setPrice} error={record.error} width="14em" />
          <TextInput
            name="receivedAt"
            form="receipt"
            label="Received at"
            hint="As the e-tendering portal logged it, for example 21/12/2026 11:58."
            value={receivedAt}
            onChange={setReceivedAt}
            error={record.error}
            width="14em"
          />
          <button type="submit" className="secondary" data-testid="receipt-submit">
            Log the bid
          </button>
          <SavedNote shown={record.saved} />
        </WriteForm>
      )}
    </section>
  );
}

function Decide({ lotId, receiptId, onSaved }: { lotId: number; receiptId: number; onSaved: (v: TenderView) => void }) {
  const [decision, setDecision] = useState("rejected");
  const [reason, setReason] = useState("");
  const { error, submit } = useSave(() => api.decideLate({ lotId, receiptId, decision, reason }), onSaved);
  const form = `late-${receiptId}`;
  return (
    <WriteForm onSubmit={submit} noValidate className="obligation-form" data-testid={form}>
      <Field name="decision" label="Decision on the late bid" error={error} form={form}>
        {(id) => (
          <select id={id} value={decision} onChange={(e) => setDecision(e.target.value)}>
            <option value="rejected">Reject</option>
            <option value="accepted">Accept</option>
          </select>
        )}
      </Field>
      <TextArea name="reason" form={form} label="Reason" rows={2} value={reason} onChange={setReason} error={error} />
      <button type="submit" className="secondary">
        Record the decision
      </button>
    </WriteForm>
  );
}
