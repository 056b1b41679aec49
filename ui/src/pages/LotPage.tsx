import { Suspense, lazy, useCallback, useEffect, useState } from "react";
import { useWorkspaceChanges } from "../changes";
import { Link, useParams, useSearchParams } from "react-router";
import { api, type EngineError } from "../api";
import type { Lot } from "../bindings/Lot";
import type { Stage } from "../bindings/Stage";
import { ErrorSummary, Field, TextInput, sentence } from "../components/forms";
import { PIPELINE, RagTag, STAGE_LABEL } from "../components/status";
import { dateTime, longDate, money } from "../format";
import { WriteForm } from "../components/writes";

// pdf.js is large: it loads when the Documents tab is opened, not when the app starts.
const DocumentsTab = lazy(() => import("./docs/DocumentsTab").then((m) => ({ default: m.DocumentsTab })));
const AwardTab = lazy(() => import("./award/AwardTab").then((m) => ({ default: m.AwardTab })));
const RouteTab = lazy(() => import("./route/RouteTab").then((m) => ({ default: m.RouteTab })));
const NoticesTab = lazy(() => import("./route/NoticesTab").then((m) => ({ default: m.NoticesTab })));
const EngagementTab = lazy(() => import("./tender/EngagementTab").then((m) => ({ default: m.EngagementTab })));
const SpecTab = lazy(() => import("./tender/SpecTab").then((m) => ({ default: m.SpecTab })));
const TenderTab = lazy(() => import("./tender/TenderTab").then((m) => ({ default: m.TenderTab })));
const TupeTab = lazy(() => import("./tupe/TupeTab").then((m) => ({ default: m.TupeTab })));

const STANDARD_MILESTONES: [string, string][] = [
  ["market_engagement_event", "Market engagement event"],
  ["draft_specification_issued", "Draft specification issued for comment"],
  ["tender_notice", "Tender notice published"],
  ["clarification_deadline", "Clarification deadline"],
  ["submission_deadline", "Tender submission deadline"],
  ["evaluation_complete", "Evaluation and moderation complete"],
  ["award_decision", "Award decision"],
  ["contract_start", "Contract start"],
];

// In the order the work happens.
const TABS = [
  ["overview", "Overview"],
  ["route", "Route"],
  ["engagement", "Engagement"],
  ["specification", "Specification"],
  ["tender", "Tender"],
  ["notices", "Notices"],
  ["documents", "Documents"],
  ["award", "Award"],
  ["tupe", "TUPE"],
] as const;

export function LotPage() {
  const { id } = useParams();
  const lotId = Number(id);
  const [lot, setLot] = useState<Lot | null>(null);
  const [loadError, setLoadError] = useState<EngineError | null>(null);
  const [params, setParams] = useSearchParams();
  const asked = params.get("tab");
  const tab = TABS.some(([key]) => key === asked) ? (asked as (typeof TABS)[number][0]) : "overview";
  const reload = useCallback(() => api.lot(lotId).then(setLot, setLoadError), [lotId]);
  useEffect(() => {
    reload();
  }, [reload]);
  // Overdue TUPE obligations are shown on every tab of the lot, not only on the TUPE tab.
  const [tupeOverdue, setTupeOverdue] = useState(0);
  const reloadTupe = useCallback(
    () => api.tupeOverdue(lotId).then(setTupeOverdue, () => setTupeOverdue(0)),
    [lotId],
  );
  useEffect(() => {
    reloadTupe();
  }, [reloadTupe]);
  useWorkspaceChanges(reload);
  useWorkspaceChanges(reloadTupe);

  if (loadError) return <p className="error-message">{sentence(loadError.message)}</p>;
  if (!lot) return <p aria-busy="true">Loading the lot…</p>;
  return (
    <>
      <p>
        <Link to="/">← Back to the pipeline</Link>
      </p>
      <span className="caption">
        {lot.procurement.title} · {lot.reference}
      </span>
      <h1 data-testid="lot-title">{lot.title}</h1>
      <p>
        <strong data-testid="lot-stage">{STAGE_LABEL[lot.stage]}</strong> <RagTag rag={lot.rag} />
        {tupeOverdue > 0 && (
          <>
            {" "}
            <button type="button" className="link-button" onClick={() => setParams({ tab: "tupe" })} data-testid="lot-tupe-overdue">
              <span className="tag tag--red">TUPE: {tupeOverdue} overdue</span>
            </button>
          </>
        )}
      </p>
      {lot.abandonedReason && <p className="inset">Abandoned: {lot.abandonedReason}</p>}
      <p>
        <Link to={`/lots/${lot.id}/evaluation`} className="button secondary-link" data-testid="open-evaluation">
          Evaluation: model, bids, scoring and results
        </Link>
      </p>
      <nav className="tabs" aria-label="Lot">
        {TABS.map(([key, label]) => (
          <button
            key={key}
            type="button"
            className={key === tab ? "tab tab--current" : "tab"}
            aria-current={key === tab ? "page" : undefined}
            data-testid={`lot-tab-${key}`}
            onClick={() => setParams({ tab: key })}
          >
            {label}
          </button>
        ))}
      </nav>
      {tab === "documents" ? (
        <Suspense fallback={<p aria-busy="true">Loading the documents…</p>}>
          <DocumentsTab lotId={lot.id} />
        </Suspense>
      ) : tab === "route" ? (
        <Suspense fallback={<p aria-busy="true">Loading the route…</p>}>
          <RouteTab lotId={lot.id} onLotChanged={reload} />
        </Suspense>
      ) : tab === "engagement" ? (
        <Suspense fallback={<p aria-busy="true">Loading the engagement…</p>}>
          <EngagementTab lotId={lot.id} />
        </Suspense>
      ) : tab === "specification" ? (
        <Suspense fallback={<p aria-busy="true">Loading the specification…</p>}>
          <SpecTab lotId={lot.id} onLotChanged={reload} />
        </Suspense>
      ) : tab === "tender" ? (
        <Suspense fallback={<p aria-busy="true">Loading the tender…</p>}>
          <TenderTab lotId={lot.id} onLotChanged={reload} />
        </Suspense>
      ) : tab === "notices" ? (
        <Suspense fallback={<p aria-busy="true">Loading the notices…</p>}>
          <NoticesTab lotId={lot.id} />
        </Suspense>
      ) : tab === "tupe" ? (
        <Suspense fallback={<p aria-busy="true">Loading TUPE…</p>}>
          <TupeTab lotId={lot.id} onChanged={reloadTupe} />
        </Suspense>
      ) : tab === "award" ? (
        <Suspense fallback={<p aria-busy="true">Loading the award…</p>}>
          <AwardTab lotId={lot.id} onLotChanged={reload} />
        </Suspense>
      ) : (
        <Overview lot={lot} setLot={setLot} />
      )}
    </>
  );
}

function Overview({ lot, setLot }: { lot: Lot; setLot: (l: Lot) => void }) {
  return (
    <>
      <div className="two-col">
        <section>
          <h2>Details</h2>
          <dl className="summary">
            <dt>Procurement</dt>
            <dd>
              <Link to={`/procurements/${lot.procurement.id}?tab=finance`} data-testid="lot-procurement-link">
                {lot.procurement.title} ({lot.procurement.reference})
              </Link>
            </dd>
            <dt>Commissioners</dt>
            <dd>{lot.procurement.commissioners.map((c) => c.name).join(", ")}</dd>
            <dt>Geography</dt>
            <dd>{lot.geography || "—"}</dd>
            <dt>Estimated annual value</dt>
            <dd>{money(lot.estimatedAnnualValue)}</dd>
            <dt>Term</dt>
            <dd>{lot.term ?? "—"}</dd>
            <dt>Whole-life value</dt>
            <dd>{money(lot.wholeLifeValue)}</dd>
            <dt>Replaces</dt>
            <dd>
              {lot.replacesContract
                ? `${lot.replacesContract.reference} ${lot.replacesContract.title} (${lot.replacesContract.provider})`
                : "—"}
            </dd>
          </dl>
          {lot.parts.length > 0 && (
            <>
              <h3>Parts</h3>
              <ul>
                {lot.parts.map((p) => (
                  <li key={p.code}>
                    {p.code}: {p.title}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <AdvanceForm lot={lot} onDone={setLot} />
      </div>
      <Milestones lot={lot} onDone={setLot} />
      <section>
        <h2>Stage history</h2>
        <table data-testid="history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Change</th>
              <th scope="col">Who</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {lot.history.map((h, i) => (
              <tr key={i}>
                <td>{dateTime(h.at)}</td>
                <td>{h.from ? `${STAGE_LABEL[h.from]} → ${STAGE_LABEL[h.to]}` : `Created at ${STAGE_LABEL[h.to]}`}</td>
                <td>{h.actor}</td>
                <td>{h.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function AdvanceForm({ lot, onDone }: { lot: Lot; onDone: (l: Lot) => void }) {
  const options = lot.allowedMoves;
  const [to, setTo] = useState<Stage | "">(options[0] ?? "");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<EngineError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  if (options.length === 0) {
    return (
      <section>
        <h2>Stage</h2>
        <p>This lot is closed at {STAGE_LABEL[lot.stage]}.</p>
      </section>
    );
  }
  const current = options.includes(to as Stage) ? to : options[0];
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const updated = await api.advance({ lotId: lot.id, to: current, reason: reason.trim() || null });
      setReason("");
      setDone(`Moved to ${STAGE_LABEL[updated.stage]}.`);
      onDone(updated);
    } catch (err) {
      setError(err as EngineError);
    } finally {
      setBusy(false);
    }
  };
  const needsReason = current === "abandoned" || PIPELINE.indexOf(current as Stage) < PIPELINE.indexOf(lot.stage);
  return (
    <section>
      <h2>Move this lot</h2>
      <WriteForm onSubmit={submit} noValidate data-testid="advance-form">
        <ErrorSummary error={error} fields={{ to: "Stage", reason: "Reason" }} />
        {done && (
          <p className="notice" role="status">
            {done}
          </p>
        )}
        <Field name="to" label="Move to" error={error}>
          {(id, describedBy) => (
            <select id={id} value={current} aria-describedby={describedBy} onChange={(e) => setTo(e.target.value as Stage)}>
              {options.map((s) => (
                <option key={s} value={s}>
                  {STAGE_LABEL[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          name="reason"
          label={needsReason ? "Reason (required)" : "Reason (optional)"}
          hint="Kept in the record with your name and the time."
          error={error}
        >
          {(id, describedBy, invalid) => (
            <textarea id={id} rows={2} value={reason} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => setReason(e.target.value)} />
          )}
        </Field>
        <button type="submit" disabled={busy} data-testid="advance-submit">
          {busy ? "Moving…" : `Move to ${STAGE_LABEL[current as Stage]}`}
        </button>
      </WriteForm>
    </section>
  );
}

function Milestones({ lot, onDone }: { lot: Lot; onDone: (l: Lot) => void }) {
  const [key, setKey] = useState("");
  const [title, setTitle] = useState("");
  const [planned, setPlanned] = useState("");
  const [actual, setActual] = useState("");
  const [error, setError] = useState<EngineError | null>(null);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const updated = await api.setMilestone({
        lotId: lot.id,
        key: key || null,
        title: title.trim() || null,
        planned,
        actual: actual.trim() || null,
        // The version this person saw: someone else's change since is refused, not overwritten.
        expectedVersion: key ? (lot.milestones.find((m) => m.key === key)?.version ?? 0) : undefined,
      });
      setKey("");
      setTitle("");
      setPlanned("");
      setActual("");
      onDone(updated);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  return (
    <section>
      <h2>Milestones</h2>
      {lot.milestones.length === 0 ? (
        <p>No milestones yet.</p>
      ) : (
        <table data-testid="milestones">
          <thead>
            <tr>
              <th scope="col">Milestone</th>
              <th scope="col">Planned</th>
              <th scope="col">Actual</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {lot.milestones.map((m) => (
              <tr key={m.id}>
                <td>{m.title}</td>
                <td>{longDate(m.planned)}</td>
                <td>{m.actual ? longDate(m.actual) : "—"}</td>
                <td>
                  <RagTag rag={m.rag} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>Add or update a milestone</summary>
        <WriteForm onSubmit={submit} noValidate className="inline-form">
          <ErrorSummary error={error} fields={{ key: "Milestone", title: "Title", planned: "Planned date", actual: "Actual date" }} />
          <Field name="key" label="Milestone" hint="A standard milestone replaces the lot's existing one of that kind." error={error}>
            {(id, describedBy) => (
              <select id={id} value={key} aria-describedby={describedBy} onChange={(e) => setKey(e.target.value)}>
                <option value="">Another milestone (give a title)</option>
                {STANDARD_MILESTONES.map(([k, t]) => (
                  <option key={k} value={k}>
                    {t}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {key === "" && <TextInput name="title" label="Title" value={title} onChange={setTitle} error={error} />}
          <TextInput name="planned" label="Planned date" hint="For example 15/01/2027" value={planned} onChange={setPlanned} error={error} width="12em" />
          <TextInput name="actual" label="Actual date (when done)" hint="Leave blank until it has happened" value={actual} onChange={setActual} error={error} width="12em" />
          <button type="submit">Save milestone</button>
        </WriteForm>
      </details>
    </section>
  );
}
