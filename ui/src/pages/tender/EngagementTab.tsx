// Preliminary market engagement: events with attendees and the questions asked, expressions
// of interest and potential consortia, the market's comments on the draft specification,
// and the UK2 notice they feed; or the reasons there was none.
import { useCallback, useEffect, useState } from "react";
import { api, type EngineError } from "../../api";
import type { EngagementEvent } from "../../bindings/EngagementEvent";
import type { EngagementView } from "../../bindings/EngagementView";
import { ErrorSummary, Field, SavedNote, TextArea, TextInput, sentence, useSave } from "../../components/forms";
import { longDate, shortDate } from "../../format";
import { WriteForm } from "../../components/writes";

export function EngagementTab({ lotId }: { lotId: number }) {
  const [view, setView] = useState<EngagementView | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const reload = useCallback(() => api.engagement(lotId).then(setView, setError), [lotId]);
  useEffect(() => {
    reload();
  }, [reload]);
  if (!view) return error ? <p className="error-message">{sentence(error.message)}</p> : <p aria-busy="true">Loading the engagement…</p>;
  const r = view.records;
  return (
    <div data-testid="engagement-tab">
      <Summary view={view} />
      <section aria-labelledby="events-h">
        <h2 id="events-h">Engagement events</h2>
        {r.events.length === 0 && <p>No events recorded yet.</p>}
        {r.events.map((e) => (
          <Event key={e.id} lotId={lotId} event={e} today={view.today} onSaved={setView} />
        ))}
        <EventForm lotId={lotId} view={view} onSaved={setView} />
      </section>
      <Interests lotId={lotId} view={view} onSaved={setView} />
      <section aria-labelledby="feedback-h">
        <h2 id="feedback-h">The market’s comments on the draft specification</h2>
        {view.marketFeedback.length === 0 ? (
          <p>None yet. Comments are recorded against a section on the Specification tab.</p>
        ) : (
          <table data-testid="market-feedback">
            <thead>
              <tr>
                <th>Section</th>
                <th>From</th>
                <th>Comment</th>
                <th>Response</th>
              </tr>
            </thead>
            <tbody>
              {view.marketFeedback.map((c) => (
                <tr key={c.id}>
                  <td>
                    {c.heading} (version {c.version})
                  </td>
                  <td>{c.organisation || c.author}</td>
                  <td>{c.comment}</td>
                  <td>{c.response || <span className="tag tag--amber">No response yet</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {r.events.length === 0 && <NoEngagement lotId={lotId} view={view} onSaved={setView} />}
    </div>
  );
}

function Summary({ view }: { view: EngagementView }) {
  const r = view.records;
  const uk2 = view.uk2;
  return (
    <div className="inset" data-testid="engagement-summary">
      <p>
        {r.events.length} event{r.events.length === 1 ? "" : "s"}, {view.organisations.length} organisation
        {view.organisations.length === 1 ? "" : "s"} engaged, {r.interests.length} expression
        {r.interests.length === 1 ? "" : "s"} of interest.
      </p>
      {uk2 ? (
        <p data-testid="engagement-uk2">
          UK2 preliminary market engagement notice:{" "}
          <strong>{uk2.status === "published" ? "published" : uk2.status === "ready" ? "ready to publish" : "draft"}</strong>
          {uk2.missing.length > 0 && <> — still needs {uk2.missing.join("; ")}</>}. See the Notices tab.
        </p>
      ) : r.events.length === 0 ? (
        <p>
          With no engagement there is no UK2: the tender notice gives the reasons instead
          {r.noEngagementReason ? " (recorded below)." : ", which are not yet recorded."}
        </p>
      ) : view.routeRecorded ? (
        <p>The route recorded for this lot needs no UK2 notice.</p>
      ) : (
        <p>No route to market is recorded yet: once it is, the Notices tab shows whether a UK2 notice is needed.</p>
      )}
    </div>
  );
}

function Event({ lotId, event: e, today, onSaved }: { lotId: number; event: EngagementEvent; today: string; onSaved: (v: EngagementView) => void }) {
  const [name, setName] = useState("");
  const [organisation, setOrganisation] = useState("");
  const [question, setQuestion] = useState("");
  const [answer, setAnswer] = useState("");
  const attendee = useSave(() => api.addAttendee({ lotId, eventId: e.id, name, organisation }), (v) => {
    onSaved(v);
    setName("");
    setOrganisation("");
  });
  const asked = useSave(() => api.addEngagementQuestion({ lotId, eventId: e.id, question, answer }), (v) => {
    onSaved(v);
    setQuestion("");
    setAnswer("");
  });
  const form = `event-${e.id}`;
  return (
    <article className="notice-form" data-testid={form}>
      <h3>
        {e.title}{" "}
        <span className={e.heldOn <= today ? "tag tag--complete" : "tag tag--green"}>{e.heldOn <= today ? "Held" : "Planned"}</span>
      </h3>
      <dl className="facts">
        <dt>Date</dt>
        <dd>{longDate(e.heldOn)}</dd>
        <dt>Format</dt>
        <dd>{FORMAT[e.format]}</dd>
        <dt>Agenda</dt>
        <dd>{e.agenda}</dd>
      </dl>
      <h4>Attendees</h4>
      {e.attendees.length === 0 ? (
        <p>None recorded.</p>
      ) : (
        <ul data-testid={`${form}-attendees`}>
          {e.attendees.map((a, i) => (
            <li key={i}>
              {a.name}, {a.organisation}
            </li>
          ))}
        </ul>
      )}
      <ErrorSummary error={attendee.error} form={`${form}-att`} fields={{ name: "Name", organisation: "Organisation" }} />
      <WriteForm onSubmit={attendee.submit} noValidate className="inline" aria-label={`Add an attendee to ${e.title}`}>
        <TextInput name="name" form={`${form}-att`} label="Name or role" value={name} onChange={setName} error={attendee.error} />
        <TextInput name="organisation" form={`${form}-att`} label="Organisation" value={organisation} onChange={setOrganisation} error={attendee.error} />
        <button type="submit" className="secondary" data-testid={`${form}-add-attendee`}>
          Add attendee
        </button>
      </WriteForm>
      <h4>Questions asked and answers given</h4>
      {e.questions.length === 0 ? (
        <p>None recorded.</p>
      ) : (
        <dl className="facts" data-testid={`${form}-questions`}>
          {e.questions.map((q, i) => (
            <div key={i} style={{ display: "contents" }}>
              <dt>Q: {q.question}</dt>
              <dd>A: {q.answer}</dd>
            </div>
          ))}
        </dl>
      )}
      <WriteForm onSubmit={asked.submit} noValidate aria-label={`Add a question asked at ${e.title}`}>
        <ErrorSummary error={asked.error} form={`${form}-q`} fields={{ question: "Question", answer: "Answer" }} />
        <TextArea name="question" form={`${form}-q`} label="Question asked" rows={2} value={question} onChange={setQuestion} error={asked.error} />
        <TextArea name="answer" form={`${form}-q`} label="Answer given" rows={2} value={answer} onChange={setAnswer} error={asked.error} />
        <button type="submit" className="secondary" data-testid={`${form}-add-question`}>
          Add question and answer
        </button>
      </WriteForm>
    </article>
  );
}

const FORMAT: Record<string, string> = {
  in_person: "In person",
  online: "Online",
  hybrid: "Hybrid",
  written: "Written questionnaire",
};

function EventForm({ lotId, view, onSaved }: { lotId: number; view: EngagementView; onSaved: (v: EngagementView) => void }) {
  const [title, setTitle] = useState("");
  const [heldOn, setHeldOn] = useState("");
  const [format, setFormat] = useState("in_person");
  const [agenda, setAgenda] = useState("");
  const { error, saved, submit } = useSave(() => api.addEngagementEvent({ lotId, title, heldOn, format, agenda }), (v) => {
    onSaved(v);
    setTitle("");
    setHeldOn("");
    setAgenda("");
  });
  return (
    <WriteForm onSubmit={submit} noValidate data-testid="event-form" className="notice-form">
      <h3>Record an event</h3>
      <ErrorSummary error={error} form="event" fields={{ title: "Title", heldOn: "Date", format: "Format", agenda: "Agenda" }} />
      <TextInput name="title" form="event" label="Title" value={title} onChange={setTitle} error={error} />
      <TextInput name="heldOn" form="event" label="Date" hint="For example 10/11/2026. A planned event may be in the future." value={heldOn} onChange={setHeldOn} error={error} width="12em" />
      <Field name="format" label="Format" error={error} form="event">
        {(id, describedBy) => (
          <select id={id} value={format} aria-describedby={describedBy} onChange={(e) => setFormat(e.target.value)} className="auto">
            {view.formats.map((f) => (
              <option key={f.format} value={f.format}>
                {f.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextArea name="agenda" form="event" label="Agenda" hint="What was put to the market: lots, volumes, contract options, questions for providers." value={agenda} onChange={setAgenda} error={error} />
      <button type="submit" data-testid="event-submit">
        Record the event
      </button>
      <SavedNote shown={saved} />
    </WriteForm>
  );
}

function Interests({ lotId, view, onSaved }: { lotId: number; view: EngagementView; onSaved: (v: EngagementView) => void }) {
  const [organisation, setOrganisation] = useState("");
  const [receivedOn, setReceivedOn] = useState("");
  const [consortiumWith, setConsortiumWith] = useState("");
  const [note, setNote] = useState("");
  const { error, saved, submit } = useSave(() => api.addInterest({ lotId, organisation, receivedOn, consortiumWith, note }), (v) => {
    onSaved(v);
    setOrganisation("");
    setReceivedOn("");
    setConsortiumWith("");
    setNote("");
  });
  const interests = view.records.interests;
  return (
    <section aria-labelledby="interests-h">
      <h2 id="interests-h">Expressions of interest and potential consortia</h2>
      {interests.length === 0 ? (
        <p>None recorded yet.</p>
      ) : (
        <table data-testid="interests">
          <thead>
            <tr>
              <th>Organisation</th>
              <th>Received</th>
              <th>Potential consortium with</th>
              <th>Note</th>
            </tr>
          </thead>
          <tbody>
            {interests.map((i) => (
              <tr key={i.id}>
                <td>{i.organisation}</td>
                <td>{shortDate(i.receivedOn)}</td>
                <td>{i.consortiumWith.length ? i.consortiumWith.join(", ") : "Alone"}</td>
                <td>{i.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <WriteForm onSubmit={submit} noValidate data-testid="interest-form">
        <ErrorSummary error={error} form="interest" fields={{ organisation: "Organisation", receivedOn: "Received", consortiumWith: "Consortium" }} />
        <TextInput name="organisation" form="interest" label="Organisation" value={organisation} onChange={setOrganisation} error={error} />
        <TextInput name="receivedOn" form="interest" label="Received" hint="For example 12/11/2026." value={receivedOn} onChange={setReceivedOn} error={error} width="12em" />
        <TextInput
          name="consortiumWith"
          form="interest"
          label="Potential consortium with (optional)"
          hint="The other members, separated by semicolons."
          value={consortiumWith}
          onChange={setConsortiumWith}
          error={error}
        />
        <TextInput name="note" form="interest" label="Note (optional)" value={note} onChange={setNote} error={error} />
        <button type="submit" className="secondary" data-testid="interest-submit">
          Record the expression of interest
        </button>
        <SavedNote shown={saved} />
      </WriteForm>
    </section>
  );
}

function NoEngagement({ lotId, view, onSaved }: { lotId: number; view: EngagementView; onSaved: (v: EngagementView) => void }) {
  const [reason, setReason] = useState(view.records.noEngagementReason ?? "");
  const { error, saved, submit } = useSave(() => api.setNoEngagement(lotId, reason), onSaved);
  return (
    <section aria-labelledby="none-h">
      <h2 id="none-h">No preliminary market engagement</h2>
      <WriteForm onSubmit={submit} noValidate data-testid="no-engagement-form">
        <ErrorSummary error={error} form="none" fields={{ reason: "Reasons" }} />
        <TextArea
          name="reason"
          form="none"
          label="Reasons for having none"
          hint="The tender notice gives these reasons when there was no preliminary market engagement."
          value={reason}
          onChange={setReason}
          error={error}
        />
        <button type="submit" className="secondary" data-testid="no-engagement-submit">
          Save the reasons
        </button>
        <SavedNote shown={saved} />
      </WriteForm>
    </section>
  );
}
