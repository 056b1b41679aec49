// Route to market: the route and its reason, the value tested against the thresholds, what
// follows (rules, notices, minimum tendering period), the conflicts assessment, the Section 75
// checklist, and the lot's timeline.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, type EngineError } from "../../api";
import type { RouteView } from "../../bindings/RouteView";
import type { TenderingPeriod } from "../../bindings/TenderingPeriod";
import { ErrorSummary, Field, SavedNote, TextInput, sentence } from "../../components/forms";
import { longDate, money } from "../../format";
import { Timeline } from "./Timeline";
import { WriteForm } from "../../components/writes";

export function RouteTab({ lotId, onLotChanged }: { lotId: number; onLotChanged: () => void }) {
  const [view, setView] = useState<RouteView | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const reload = useCallback(() => api.route(lotId).then(setView, setError), [lotId]);
  useEffect(() => {
    reload();
  }, [reload]);
  const saved = (v: RouteView) => {
    setView(v);
    onLotChanged();
  };
  if (!view) return error ? <p className="error-message">{sentence(error.message)}</p> : <p aria-busy="true">Loading the route…</p>;
  return (
    <div data-testid="route-tab">
      <Assessment view={view} />
      <TenderGate view={view} />
      <RouteForm view={view} onSaved={saved} />
      <Conflicts view={view} onSaved={saved} />
      {view.section75 && <Section75 view={view} onSaved={saved} />}
      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <Timeline entries={view.timeline} today={view.today} />
      </section>
    </div>
  );
}

function Assessment({ view }: { view: RouteView }) {
  const a = view.assessment;
  if (!a) {
    return (
      <p className="inset" data-testid="route-none">
        No route to market is recorded yet. Choose one below, with the reason for it: the thresholds, notices and time limits follow from it.
      </p>
    );
  }
  const v = a.value;
  return (
    <section aria-labelledby="route-h" data-testid="route-assessment">
      <h2 id="route-h">{a.routeLabel}</h2>
      <p className="inset" data-testid="route-outcome">
        {a.outcome}.
      </p>
      <dl className="summary">
        <dt>Reason</dt>
        <dd>{a.choice.reason}</dd>
        {a.choice.justification && (
          <>
            <dt>Justification</dt>
            <dd>{a.choice.justification}</dd>
          </>
        )}
        {v && (
          <>
            <dt>Estimated value</dt>
            <dd data-testid="route-value">
              {money(v.annual)} a year × {v.termMonths} months = {money(v.net)}; VAT {v.vat}; <strong>{money(v.includingVat)}</strong>
            </dd>
          </>
        )}
        {v?.threshold && (
          <>
            <dt>Threshold</dt>
            <dd>
              {sentence(v.threshold.label)}: {money(v.threshold.amount)} ({v.threshold.source}, for procurements begun on or after{" "}
              {longDate(v.threshold.tableFrom)}; this one is taken to begin on {longDate(v.measuredOn)}) —{" "}
              {v.threshold.applies ? "at or above" : "below"}
            </dd>
          </>
        )}
        <dt>Decided</dt>
        <dd>by {a.choice.decidedBy}</dd>
      </dl>
      {a.problems.length > 0 && (
        <ul className="error-message" data-testid="route-problems">
          {a.problems.map((p) => (
            <li key={p}>{sentence(p)}</li>
          ))}
        </ul>
      )}
      <h3>What follows</h3>
      <ul data-testid="route-rules">
        {a.rules.map((r) => (
          <li key={r}>{r}.</li>
        ))}
        <li>
          Notices:{" "}
          {a.notices.length === 0 ? "none required on this route" : `${a.notices.length} required (see the Notices tab)`}.
        </li>
      </ul>
      {a.tenderingPeriod && <TenderingPeriodBox p={a.tenderingPeriod} />}
      {view.tenderChecks.length > 0 && (
        <>
          <h3>Tender dates</h3>
          <ul data-testid="tender-checks">
            {view.tenderChecks.map((c) => (
              <li key={c.message}>
                <span className={c.ok ? "tag tag--green" : "tag tag--red"}>{c.ok ? "Meets" : "Fails"}</span> {sentence(c.message)}.
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The minimum tendering period: the rule and the s54(4) row that decide it, every row that
 * applies, how the days are counted, the earliest lawful deadline and the UK3's test. */
function TenderingPeriodBox({ p }: { p: TenderingPeriod }) {
  return (
    <section aria-labelledby="tendering-h" className="inset" data-testid="tendering-period">
      <h3 id="tendering-h">Minimum tendering period</h3>
      <p data-testid="tendering-minimum">
        <strong>{p.minDays === null ? "No statutory minimum" : `At least ${p.minDays} days`}</strong> — {p.provision}: {p.row}.
      </p>
      {p.minDays !== null && (
        <p>
          Counted in {p.counting}.{" "}
          {p.earliestDeadline ? (
            <>
              Earliest lawful submission deadline: <strong data-testid="earliest-deadline">{longDate(p.earliestDeadline)}</strong>.
            </>
          ) : (
            "Plan the tender notice to see the earliest lawful submission deadline."
          )}
        </p>
      )}
      {p.rowsApplying.length > 1 && (
        <>
          <p>Rows of s54(4) that apply (the shortest decides):</p>
          <ul>
            {p.rowsApplying.map((r) => (
              <li key={r}>{sentence(r)}</li>
            ))}
          </ul>
        </>
      )}
      {p.plannedNotice && (
        <p data-testid="planned-notice-test">
          <span className={p.plannedNotice.qualifies ? "tag tag--green" : "tag tag--amber"}>
            {p.plannedNotice.qualifies ? "UK3 qualifies" : "UK3 does not qualify"}
          </span>{" "}
          {p.plannedNotice.reason}.
        </p>
      )}
    </section>
  );
}

function TenderGate({ view }: { view: RouteView }) {
  if (view.stage !== "market_engagement" && view.stage !== "draft_specification") return null;
  return view.tenderGate.length === 0 ? (
    <p className="inset" data-testid="tender-gate">
      <span className="tag tag--green">Ready</span> The route to market is ready for the tender stage.
    </p>
  ) : (
    <div className="inset" data-testid="tender-gate">
      <p>
        <strong>Before the tender stage the lot needs:</strong>
      </p>
      <ul>
        {view.tenderGate.map((m) => (
          <li key={m}>{sentence(m)}</li>
        ))}
      </ul>
    </div>
  );
}

function RouteForm({ view, onSaved }: { view: RouteView; onSaved: (v: RouteView) => void }) {
  const c = view.assessment?.choice;
  const [route, setRoute] = useState<string>(c?.route ?? "");
  const [reason, setReason] = useState(c?.reason ?? "");
  const [justification, setJustification] = useState(c?.justification ?? "");
  const [authority, setAuthority] = useState<string>(c?.authority ?? "sub_central");
  const [kind, setKind] = useState<string>(c?.kind ?? "services");
  const [vat, setVat] = useState(c?.vatChargeable ?? false);
  const [electronic, setElectronic] = useState(c?.electronic ?? true);
  const [documents, setDocuments] = useState(c?.documentsWithNotice ?? true);
  const [urgency, setUrgency] = useState(c?.urgency ?? "");
  const [error, setError] = useState<EngineError | null>(null);
  const [saved, setSaved] = useState(false);
  const chosen = view.options.find((o) => o.route === route);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    try {
      const v = await api.setRoute({
        lotId: view.lotId,
        route,
        reason,
        justification,
        authority,
        kind,
        vatChargeable: vat,
        electronic,
        documentsWithNotice: documents,
        urgency,
      });
      setError(null);
      setSaved(true);
      onSaved(v);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  const groups: [string, string][] = [
    ["procurement_act", "Procurement Act 2023"],
    ["provider_selection", "Provider Selection Regime"],
    ["other", "Other arrangements"],
  ];
  return (
    <section aria-labelledby="route-form-h">
      <h2 id="route-form-h">{c ? "Change the route" : "Record the route"}</h2>
      <WriteForm shows onSubmit={save} noValidate data-testid="route-form">
        <ErrorSummary
          error={error}
          form="route"
          fields={{ route: "Route", reason: "Reason", justification: "Justification", authority: "Authority", kind: "Kind", urgency: "Urgency" }}
        />
        <Field name="route" label="Route to market" error={error} form="route">
          {(id, describedBy) => (
            <select id={id} value={route} aria-describedby={describedBy} onChange={(e) => setRoute(e.target.value)}>
              <option value="">Choose a route</option>
              {groups.map(([regime, label]) => (
                <optgroup key={regime} label={label}>
                  {view.options
                    .filter((o) => o.regime === regime)
                    .map((o) => (
                      <option key={o.route} value={o.route}>
                        {o.label}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
        <Field name="reason" label="Reason for this route" hint="Kept in the record and used in the decision paper." error={error} form="route">
          {(id, describedBy) => (
            <textarea id={id} rows={3} value={reason} aria-describedby={describedBy} onChange={(e) => setReason(e.target.value)} />
          )}
        </Field>
        {chosen?.needsJustification && (
          <TextInput
            name="justification"
            form="route"
            label="Justification"
            hint="The ground relied on: for example Schedule 5 paragraph 5, section 43, or the PSR basis for the process."
            value={justification}
            onChange={setJustification}
            error={error}
          />
        )}
        <Field name="authority" label="Contracting authority" error={error} form="route">
          {(id, describedBy) => (
            <select id={id} value={authority} aria-describedby={describedBy} onChange={(e) => setAuthority(e.target.value)}>
              <option value="sub_central">Sub-central (a council)</option>
              <option value="central">Central government</option>
            </select>
          )}
        </Field>
        <Field name="kind" label="What is being bought" error={error} form="route">
          {(id, describedBy) => (
            <select id={id} value={kind} aria-describedby={describedBy} onChange={(e) => setKind(e.target.value)}>
              <option value="services">Services</option>
              <option value="goods">Goods</option>
              <option value="works">Works</option>
            </select>
          )}
        </Field>
        <div className="form-group">
          <label className="check">
            <input type="checkbox" checked={vat} onChange={(e) => setVat(e.target.checked)} data-testid="route-vat" /> VAT is charged
            (the value is tested including VAT)
          </label>
        </div>
        <fieldset className="form-group" data-testid="s54-facts">
          <legend>The facts the minimum tendering period turns on (Procurement Act 2023, s54(4))</legend>
          <label className="check">
            <input type="checkbox" checked={electronic} onChange={(e) => setElectronic(e.target.checked)} data-testid="route-electronic" />{" "}
            Tenders may be submitted electronically
          </label>
          <label className="check">
            <input type="checkbox" checked={documents} onChange={(e) => setDocuments(e.target.checked)} data-testid="route-documents" />{" "}
            The tender notice and every associated tender document are provided at the same time
          </label>
          <p className="hint">
            A planned procurement notice (UK3) is not claimed here: record it as published on the Notices tab, and its date decides
            whether it qualifies (s15(3)).
          </p>
        </fieldset>
        <Field
          name="urgency"
          label="State of urgency (optional)"
          hint="Only if the council relies on urgency for the 10-day minimum (s54(4) row 5): say what the urgency is and why any other minimum period is impractical."
          error={error}
          form="route"
        >
          {(id, describedBy, invalid) => (
            <textarea id={id} rows={2} value={urgency} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => setUrgency(e.target.value)} />
          )}
        </Field>
        <button type="submit" data-testid="save-route">
          Save the route
        </button>
        <SavedNote shown={saved} />
      </WriteForm>
    </section>
  );
}

function Conflicts({ view, onSaved }: { view: RouteView; onSaved: (v: RouteView) => void }) {
  const [on, setOn] = useState("");
  const [scope, setScope] = useState("");
  const [findings, setFindings] = useState("");
  const [mitigations, setMitigations] = useState("");
  const [error, setError] = useState<EngineError | null>(null);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const v = await api.recordConflicts({ lotId: view.lotId, assessedOn: on, scope, findings, mitigations });
      setError(null);
      setOn("");
      setScope("");
      setFindings("");
      setMitigations("");
      onSaved(v);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  return (
    <section aria-labelledby="conflicts-h">
      <h2 id="conflicts-h">Conflicts assessment</h2>
      <p className="hint">Required before the tender notice (Procurement Act 2023, section 83). A new assessment is added; earlier ones are kept.</p>
      {view.conflicts.length > 0 ? (
        <table data-testid="conflicts-list">
          <thead>
            <tr>
              <th>Date</th>
              <th>Who was assessed</th>
              <th>Findings</th>
              <th>Mitigations</th>
              <th>Recorded by</th>
            </tr>
          </thead>
          <tbody>
            {view.conflicts.map((c) => (
              <tr key={c.id}>
                <td>{longDate(c.assessedOn)}</td>
                <td>{c.scope}</td>
                <td>{c.findings}</td>
                <td>{c.mitigations || "—"}</td>
                <td>{c.recordedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p data-testid="conflicts-none">None recorded yet.</p>
      )}
      <WriteForm shows onSubmit={save} noValidate data-testid="conflicts-form">
        <ErrorSummary
          error={error}
          form="conflicts"
          fields={{ assessedOn: "Date", scope: "Who was assessed", findings: "Findings", mitigations: "Mitigations" }}
        />
        <TextInput name="assessedOn" form="conflicts" label="Date of the assessment" hint="For example 20/11/2026." value={on} onChange={setOn} error={error} width="12em" />
        <TextInput name="scope" form="conflicts" label="Who was assessed" hint="Officers, panel members, advisers, members." value={scope} onChange={setScope} error={error} />
        <TextInput name="findings" form="conflicts" label="Conflicts found" hint="Or “None identified”." value={findings} onChange={setFindings} error={error} />
        <TextInput name="mitigations" form="conflicts" label="Mitigations" value={mitigations} onChange={setMitigations} error={error} />
        <button type="submit" data-testid="save-conflicts">
          Record the assessment
        </button>
      </WriteForm>
    </section>
  );
}

function Section75({ view, onSaved }: { view: RouteView; onSaved: (v: RouteView) => void }) {
  const items = view.section75 ?? [];
  const [error, setError] = useState<EngineError | null>(null);
  const toggle = async (key: string, agreed: boolean, note: string) => {
    try {
      onSaved(await api.setSection75Item(view.lotId, key, agreed, note));
      setError(null);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  const agreed = items.filter((i) => i.agreed).length;
  return (
    <section aria-labelledby="s75-h" data-testid="section75">
      <h2 id="s75-h">Section 75 agreement</h2>
      <p>
        {agreed} of {items.length} elements agreed.
      </p>
      <ErrorSummary error={error} fields={{}} />
      <ul className="checklist">
        {items.map((i) => (
          <li key={i.key}>
            <label className="check">
              <input type="checkbox" checked={i.agreed} onChange={(e) => toggle(i.key, e.target.checked, i.note)} data-testid={`s75-${i.key}`} />{" "}
              {i.title}
            </label>
            {i.note && <span className="hint"> — {i.note}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
