// The notices the route requires: each a form filled from the workspace, with what is still
// missing, its status and deadline, and a way to record it as published.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, type EngineError } from "../../api";
import type { NoticeForm } from "../../bindings/NoticeForm";
import type { NoticesView } from "../../bindings/NoticesView";
import { ErrorSummary, TextInput, sentence } from "../../components/forms";
import { longDate } from "../../format";
import { WriteForm } from "../../components/writes";

const STATUS: Record<NoticeForm["status"], [string, string]> = {
  draft: ["Draft", "tag tag--amber"],
  ready: ["Ready to publish", "tag tag--green"],
  published: ["Published", "tag tag--complete"],
};

export function NoticesTab({ lotId }: { lotId: number }) {
  const [view, setView] = useState<NoticesView | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const reload = useCallback(() => api.notices(lotId).then(setView, setError), [lotId]);
  useEffect(() => {
    reload();
  }, [reload]);
  if (!view) return error ? <p className="error-message">{sentence(error.message)}</p> : <p aria-busy="true">Loading the notices…</p>;
  return (
    <div data-testid="notices-tab">
      {view.note && <p className="inset">{view.note}</p>}
      {view.notices.map((n) => (
        <Notice key={n.kind} lotId={lotId} notice={n} onSaved={setView} />
      ))}
    </div>
  );
}

function Notice({ lotId, notice: n, onSaved }: { lotId: number; notice: NoticeForm; onSaved: (v: NoticesView) => void }) {
  const [on, setOn] = useState("");
  const [reference, setReference] = useState("");
  const [error, setError] = useState<EngineError | null>(null);
  const [label, cls] = STATUS[n.status];
  const publish = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onSaved(await api.publishNotice({ lotId, kind: n.kind, publishedOn: on, reference }));
      setError(null);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  return (
    <section className="notice-form" aria-labelledby={`notice-${n.kind}-h`} data-testid={`notice-${n.kind}`}>
      <h2 id={`notice-${n.kind}-h`}>
        {n.code} {n.title}{" "}
        <span className={cls} data-testid={`notice-${n.kind}-status`}>
          {label}
        </span>
        {n.overdue && <span className="tag tag--red"> Overdue</span>}
      </h2>
      <p>
        {n.published
          ? `Published ${longDate(n.published.publishedOn)}${n.published.reference ? ` (${n.published.reference})` : ""}, recorded by ${n.published.recordedBy}.`
          : `Due ${n.due ? longDate(n.due) : "— date not yet planned"}: ${n.dueRule}.`}
      </p>
      <dl className="summary">
        {n.fields.map((f) => (
          <div key={f.label} style={{ display: "contents" }}>
            <dt>{f.label}</dt>
            <dd>{f.value ?? <span className="tag tag--amber">Missing</span>}</dd>
          </div>
        ))}
      </dl>
      {n.missing.length > 0 && (
        <div className="inset" data-testid={`notice-${n.kind}-missing`}>
          <strong>Still needed before it can be published:</strong>
          <ul>
            {n.missing.map((m) => (
              <li key={m}>{sentence(m)}</li>
            ))}
          </ul>
        </div>
      )}
      {n.status === "ready" && (
        <WriteForm onSubmit={publish} noValidate data-testid={`publish-${n.kind}`}>
          <ErrorSummary error={error} form={n.kind} fields={{ publishedOn: "Date published" }} />
          <TextInput name="publishedOn" form={n.kind} label="Date published" hint="For example 20/11/2026." value={on} onChange={setOn} error={error} width="12em" />
          <TextInput name="reference" form={n.kind} label="Find a Tender reference (optional)" value={reference} onChange={setReference} error={error} width="20em" />
          <button type="submit" data-testid={`publish-${n.kind}-submit`}>
            Record as published
          </button>
        </WriteForm>
      )}
    </section>
  );
}
