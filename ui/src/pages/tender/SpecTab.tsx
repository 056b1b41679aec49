// The specification: write the draft (sections start with "## Heading"), save it as a new
// version, record comments against a section, compare any two versions side by side, and
// approve the newest, which the tender then references.
import { useCallback, useEffect, useState } from "react";
import { useWorkspaceChanges } from "../../changes";
import { api, type EngineError } from "../../api";
import type { Segment } from "../../bindings/Segment";
import type { SpecDiff } from "../../bindings/SpecDiff";
import type { SpecView } from "../../bindings/SpecView";
import { ErrorSummary, Field, SavedNote, TextArea, TextInput, sentence, useSave } from "../../components/forms";
import { dateTime, shortDate } from "../../format";
import { WriteForm, Writes } from "../../components/writes";
import { useReadOnly } from "../../workspace";

export function SpecTab({ lotId, onLotChanged }: { lotId: number; onLotChanged: () => void }) {
  const [view, setView] = useState<SpecView | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const readOnly = useReadOnly();
  const reload = useCallback(() => api.spec(lotId).then(setView, setError), [lotId]);
  useEffect(() => {
    reload();
  }, [reload]);
  useWorkspaceChanges(reload);
  if (!view) return error ? <p className="error-message">{sentence(error.message)}</p> : <p aria-busy="true">Loading the specification…</p>;
  const saved = (v: SpecView) => {
    setView(v);
    onLotChanged();
  };
  return (
    <div data-testid="spec-tab">
      <Status view={view} />
      {/* A read-only copy shows a draft that exists, disabled; an empty one is just the status above. */}
      {view.editable && !(readOnly && view.versions.length === 0) && <Editor key={view.versions[0]?.version ?? 0} view={view} onSaved={saved} />}
      <Versions view={view} onSaved={saved} />
      {view.versions.length > 1 && <Compare view={view} />}
      <Comments view={view} onSaved={setView} />
    </div>
  );
}

function Status({ view }: { view: SpecView }) {
  const newest = view.versions[0];
  const readOnly = useReadOnly();
  return (
    <p className="inset" data-testid="spec-status">
      {!newest
        ? readOnly
          ? "No specification saved yet."
          : "No specification saved yet. Write the draft below: each section starts with a line such as “## Service outcomes”."
        : view.tenderVersion
          ? `The tender references version ${view.tenderVersion}. The specification is closed: changes after the tender notice are made by clarification.`
          : view.approved
            ? `Version ${view.approved} is approved${view.approved === newest.version ? "" : `; version ${newest.version} is a newer draft`}. The tender will reference the newest approved version.`
            : `Version ${newest.version} is a draft. The tender stage needs an approved version.`}
    </p>
  );
}

function Editor({ view, onSaved }: { view: SpecView; onSaved: (v: SpecView) => void }) {
  const [text, setText] = useState(view.draftText);
  const [note, setNote] = useState("");
  const { error, saved, submit } = useSave(() => api.saveSpec({ lotId: view.lotId, text, note, basedOn: view.versions[0]?.version ?? 0 }), (v) => {
    onSaved(v);
    setNote("");
  });
  const next = (view.versions[0]?.version ?? 0) + 1;
  return (
    <section aria-labelledby="spec-edit-h">
      <h2 id="spec-edit-h">Draft</h2>
      <WriteForm shows onSubmit={submit} noValidate data-testid="spec-form" style={{ maxWidth: "56rem" }}>
        <ErrorSummary error={error} form="spec" fields={{ text: "Specification", note: "What changed" }} />
        <TextArea
          name="text"
          form="spec"
          label="Specification"
          hint="Markdown: start each section with a heading line, for example “## Who the service is for”."
          rows={16}
          className="mono"
          value={text}
          onChange={setText}
          error={error}
        />
        <TextInput name="note" form="spec" label="What changed in this version" value={note} onChange={setNote} error={error} />
        <button type="submit" data-testid="spec-save">
          Save as version {next}
        </button>
        <SavedNote shown={saved} />
      </WriteForm>
    </section>
  );
}

function Versions({ view, onSaved }: { view: SpecView; onSaved: (v: SpecView) => void }) {
  const newest = view.versions[0];
  const { error, submit } = useSave(() => api.approveSpec(view.lotId, newest?.version ?? 0), onSaved);
  if (!newest) return null;
  return (
    <section aria-labelledby="spec-versions-h">
      <h2 id="spec-versions-h">Versions</h2>
      <ErrorSummary error={error} fields={{}} />
      <table data-testid="spec-versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>Saved</th>
            <th>What changed</th>
            <th>Sections</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {view.versions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td>
                {dateTime(v.savedAt)} by {v.savedBy}
              </td>
              <td>{v.note}</td>
              <td>{v.sections.map((s) => s.heading).join(" · ")}</td>
              <td>
                {v.approvedAt ? (
                  <span className="tag tag--green">
                    Approved {dateTime(v.approvedAt)} by {v.approvedBy}
                  </span>
                ) : (
                  <span className="tag tag--amber">Draft</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.editable && !newest.approvedAt && (
        <Writes><button type="button" onClick={() => submit()} data-testid="spec-approve">
          Approve version {newest.version}
        </button></Writes>
      )}
    </section>
  );
}

function Marked({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.change === "removed" ? (
          <del key={i}>{s.text}</del>
        ) : s.change === "added" ? (
          <ins key={i}>{s.text}</ins>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

const CHANGE: Record<string, [string, string]> = {
  unchanged: ["Unchanged", "tag tag--complete"],
  changed: ["Changed", "tag tag--amber"],
  added: ["Added", "tag tag--green"],
  removed: ["Removed", "tag tag--red"],
};

function Compare({ view }: { view: SpecView }) {
  const [from, setFrom] = useState(String(view.versions[1].version));
  const [to, setTo] = useState(String(view.versions[0].version));
  const [diff, setDiff] = useState<SpecDiff | null>(null);
  const [hideSame, setHideSame] = useState(true);
  const { error, submit } = useSave(() => api.compareSpec(view.lotId, Number(from), Number(to)), setDiff);
  const choose = (name: string, label: string, value: string, set: (v: string) => void) => (
    <Field name={name} label={label} error={error} form="compare">
      {(id) => (
        <select id={id} value={value} onChange={(e) => set(e.target.value)} className="auto">
          {view.versions.map((v) => (
            <option key={v.version} value={v.version}>
              Version {v.version}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <section aria-labelledby="compare-h">
      <h2 id="compare-h">Compare versions</h2>
      <form onSubmit={submit} noValidate className="inline" data-testid="compare-form">
        {choose("from", "Older", from, setFrom)}
        {choose("to", "Newer", to, setTo)}
        <button type="submit" className="secondary" data-testid="compare-submit">
          Compare
        </button>
      </form>
      {diff && (
        <div data-testid="spec-diff">
          <p>
            <strong>
              Version {diff.from} against version {diff.to}: {diff.summary}.
            </strong>{" "}
            Removed words are struck through; added words are highlighted.
          </p>
          <label className="check">
            <input type="checkbox" checked={hideSame} onChange={(e) => setHideSame(e.target.checked)} /> Hide unchanged sections
          </label>
          <table className="diff">
            <thead>
              <tr>
                <th>Section</th>
                <th>Version {diff.from}</th>
                <th>Version {diff.to}</th>
              </tr>
            </thead>
            <tbody>
              {diff.sections
                .filter((s) => !hideSame || s.change !== "unchanged")
                .map((s) => (
                  <tr key={s.heading + s.change} data-testid={`diff-${s.change}`}>
                    <th scope="row">
                      {s.heading} <span className={CHANGE[s.change][1]}>{CHANGE[s.change][0]}</span>
                    </th>
                    <td>
                      <Marked segments={s.left} />
                    </td>
                    <td>
                      <Marked segments={s.right} />
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Comments({ view, onSaved }: { view: SpecView; onSaved: (v: SpecView) => void }) {
  const newest = view.versions[0];
  const [version, setVersion] = useState(String(newest?.version ?? 1));
  const [section, setSection] = useState("1");
  const [source, setSource] = useState("stakeholder");
  const [author, setAuthor] = useState("");
  const [organisation, setOrganisation] = useState("");
  const [receivedOn, setReceivedOn] = useState("");
  const [comment, setComment] = useState("");
  const { error, saved, submit } = useSave(
    () =>
      api.addSpecComment({
        lotId: view.lotId,
        version: Number(version),
        section: Number(section),
        source,
        author,
        organisation,
        receivedOn,
        comment,
      }),
    (v) => {
      onSaved(v);
      setComment("");
    },
  );
  const sections = view.versions.find((v) => String(v.version) === version)?.sections ?? [];
  return (
    <section aria-labelledby="comments-h">
      <h2 id="comments-h">Comments</h2>
      {view.comments.length === 0 ? (
        <p>No comments recorded yet.</p>
      ) : (
        <table data-testid="spec-comments">
          <thead>
            <tr>
              <th>Section</th>
              <th>From</th>
              <th>Comment</th>
              <th>Response</th>
            </tr>
          </thead>
          <tbody>
            {[...view.comments].reverse().map((c) => (
              <tr key={c.id}>
                <td>
                  {c.heading}
                  <br />
                  <span className="muted">version {c.version}</span>
                </td>
                <td>
                  {c.author}
                  {c.organisation && `, ${c.organisation}`}
                  <br />
                  <span className="muted">
                    {c.source === "market" ? "Market" : "Stakeholder"}, {shortDate(c.receivedOn)}
                  </span>
                </td>
                <td>{c.comment}</td>
                <td>{c.response ? c.response : <Respond lotId={view.lotId} commentId={c.id} onSaved={onSaved} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {newest && (
        <WriteForm onSubmit={submit} noValidate data-testid="comment-form">
          <h3>Record a comment</h3>
          <ErrorSummary
            error={error}
            form="comment"
            fields={{ section: "Section", source: "From", author: "Who", receivedOn: "Received", comment: "Comment" }}
          />
          <div className="inline">
            <Field name="version" label="Version" error={error} form="comment">
              {(id) => (
                <select
                  id={id}
                  value={version}
                  className="auto"
                  onChange={(e) => {
                    setVersion(e.target.value);
                    setSection("1");
                  }}
                >
                  {view.versions.map((v) => (
                    <option key={v.version} value={v.version}>
                      Version {v.version}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="section" label="Section" error={error} form="comment">
              {(id) => (
                <select id={id} value={section} className="auto" onChange={(e) => setSection(e.target.value)}>
                  {sections.map((s) => (
                    <option key={s.position} value={s.position}>
                      {s.position}. {s.heading}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="source" label="From" error={error} form="comment">
              {(id) => (
                <select id={id} value={source} className="auto" onChange={(e) => setSource(e.target.value)}>
                  <option value="stakeholder">A stakeholder</option>
                  <option value="market">The market</option>
                </select>
              )}
            </Field>
          </div>
          <TextInput name="author" form="comment" label="Who made it" value={author} onChange={setAuthor} error={error} />
          <TextInput name="organisation" form="comment" label="Organisation (optional)" value={organisation} onChange={setOrganisation} error={error} />
          <TextInput name="receivedOn" form="comment" label="Received" hint="For example 20/11/2026." value={receivedOn} onChange={setReceivedOn} error={error} width="12em" />
          <TextArea name="comment" form="comment" label="Comment" value={comment} onChange={setComment} error={error} />
          <button type="submit" className="secondary" data-testid="comment-submit">
            Record the comment
          </button>
          <SavedNote shown={saved} />
        </WriteForm>
      )}
    </section>
  );
}

function Respond({ lotId, commentId, onSaved }: { lotId: number; commentId: number; onSaved: (v: SpecView) => void }) {
  const [response, setResponse] = useState("");
  const { error, submit } = useSave(() => api.respondToComment({ lotId, commentId, response }), onSaved);
  const form = `respond-${commentId}`;
  return (
    <WriteForm onSubmit={submit} noValidate data-testid={form} className="obligation-form">
      <TextArea name="response" form={form} label="How it was dealt with" rows={2} value={response} onChange={setResponse} error={error} />
      <button type="submit" className="secondary">
        Save the response
      </button>
    </WriteForm>
  );
}
