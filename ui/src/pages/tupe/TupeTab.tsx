// TUPE: the transfer plan, the incumbent's staff list (with what changed since the last one),
// every obligation with its legal basis, owner and date, and the checklist PDF.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useWorkspaceChanges } from "../../changes";
import { api, type EngineError } from "../../api";
import type { Group } from "../../bindings/Group";
import type { MixRow } from "../../bindings/MixRow";
import type { Obligation } from "../../bindings/Obligation";
import type { StaffDiff } from "../../bindings/StaffDiff";
import type { TupeView } from "../../bindings/TupeView";
import { ErrorSummary, Field, SavedNote, TextInput, sentence } from "../../components/forms";
import { dateTime, longDate, money, shortDate } from "../../format";
import { readPicked } from "../eval/EvaluationPage";
import { PdfPreview } from "../docs/PdfPreview";
import { WriteForm, Writes } from "../../components/writes";

const OWNER: Record<Obligation["owner"], string> = {
  council: "Council",
  "outgoing-provider": "Outgoing provider",
  "incoming-provider": "Incoming provider",
  "both-providers": "Outgoing and incoming providers",
};

const STATUS: Record<Obligation["status"], string> = {
  "to-do": "To do",
  "in-progress": "In progress",
  done: "Done",
};

const COLUMNS =
  "employee_reference, role, grade, annual_pay, fte, hours, contract_type, continuous_service_start, pension_scheme, work_location, wholly_or_mainly_assigned";

/** `onChanged` lets the lot's header refresh its overdue count after a save here. */
export function TupeTab({ lotId, onChanged }: { lotId: number; onChanged: () => void }) {
  const [view, setView] = useState<TupeView | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const reload = useCallback(() => api.tupe(lotId).then(setView, setError), [lotId]);
  const saved = useCallback(
    (v: TupeView) => {
      setView(v);
      onChanged();
    },
    [onChanged],
  );
  useEffect(() => {
    reload();
  }, [reload]);
  useWorkspaceChanges(reload);
  if (!view) return error ? <p className="error-message">{sentence(error.message)}</p> : <p aria-busy="true">Loading TUPE…</p>;
  return (
    <div data-testid="tupe-tab">
      <ChecklistHead view={view} />
      <PlanForm key={view.planVersion} view={view} onSaved={saved} />
      <StaffSection view={view} onImported={() => { reload(); onChanged(); }} />
      {view.checklist && <Obligations view={view} onSaved={saved} />}
      {view.checklist && <ChecklistPdf lotId={view.lotId} />}
    </div>
  );
}

function ChecklistHead({ view }: { view: TupeView }) {
  const c = view.checklist;
  if (!c) {
    return (
      <p className="inset" data-testid="tupe-no-plan">
        No transfer is planned for this lot. Record the transfer date and the outgoing provider below to see the TUPE
        obligations and their dates.
      </p>
    );
  }
  return (
    <section aria-labelledby="tupe-progress-h">
      <h2 id="tupe-progress-h">TUPE transfer on {longDate(c.transferDate)}</h2>
      <p data-testid="tupe-progress">
        {c.done} of {c.applicable} obligations done.{" "}
        {c.overdue > 0 ? (
          <strong className="overdue-text" data-testid="tupe-overdue">
            {c.overdue} overdue.
          </strong>
        ) : (
          "None overdue."
        )}
      </p>
      <p className="hint">{c.calendarNote}</p>
      {c.transferNote && <p className="inset">{c.transferNote}</p>}
    </section>
  );
}

function PlanForm({ view, onSaved }: { view: TupeView; onSaved: (v: TupeView) => void }) {
  const p = view.plan;
  const [transfer, setTransfer] = useState(
    p ? shortDate(p.transferDate) : view.suggestedTransferDate ? shortDate(view.suggestedTransferDate) : "",
  );
  const [outgoing, setOutgoing] = useState(p?.outgoing ?? view.suggestedOutgoing);
  const [incoming, setIncoming] = useState(p?.incoming ?? view.suggestedIncoming);
  const [assessment, setAssessment] = useState<string>(p?.assessment ?? "not-assessed");
  const [notes, setNotes] = useState(p?.notes ?? "");
  const [error, setError] = useState<EngineError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    try {
      const v = await api.setTupePlan({ lotId: view.lotId, transferDate: transfer, outgoing, incoming, assessment, notes, expectedVersion: view.planVersion });
      setError(null);
      setSaved(true);
      onSaved(v);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  return (
    <section aria-labelledby="tupe-plan-h">
      <h2 id="tupe-plan-h">The transfer</h2>
      <WriteForm shows onSubmit={save} noValidate data-testid="tupe-plan">
        <ErrorSummary
          error={error}
          fields={{ transferDate: "Transfer date", outgoing: "Outgoing provider", assessment: "Assessment", notes: "Notes" }}
        />
        <TextInput
          name="transferDate"
          label="Transfer date (T)"
          hint="The day the staff move to the new employer, for example 01/04/2027."
          value={transfer}
          onChange={setTransfer}
          error={error}
          width="12em"
        />
        <TextInput name="outgoing" label="Outgoing provider (current employer)" value={outgoing} onChange={setOutgoing} error={error} />
        <TextInput
          name="incoming"
          label="Incoming provider"
          hint="Leave empty until the award is known."
          value={incoming}
          onChange={setIncoming}
          error={error}
        />
        <Field name="assessment" label="Does a service provision change apply? (TUPE reg 3(1)(b))" error={error}>
          {(id, describedBy) => (
            <select id={id} value={assessment} aria-describedby={describedBy} onChange={(e) => setAssessment(e.target.value)}>
              <option value="not-assessed">Not yet assessed</option>
              <option value="applies">Yes: a service provision change applies</option>
              <option value="does-not-apply">No: no service provision change</option>
            </select>
          )}
        </Field>
        <Field name="notes" label="Notes" error={error}>
          {(id, describedBy) => (
            <textarea id={id} rows={3} value={notes} aria-describedby={describedBy} onChange={(e) => setNotes(e.target.value)} />
          )}
        </Field>
        <button type="submit" data-testid="save-tupe-plan">
          Save the transfer
        </button>
        <SavedNote shown={saved} />
      </WriteForm>
    </section>
  );
}

function GroupRow({ label, g }: { label: string; g: Group }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{g.headcount}</td>
      <td className="num">{Number(g.fte).toFixed(2)}</td>
      <td className="num">{money(g.payBill)}</td>
    </tr>
  );
}

function MixTable({ caption, rows, testid }: { caption: string; rows: MixRow[]; testid: string }) {
  return (
    <table data-testid={testid}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{caption}</th>
          <th scope="col" className="num">Expected to transfer</th>
          <th scope="col" className="num">Not wholly or mainly assigned</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td className="num">{r.assigned}</td>
            <td className="num">{r.notAssigned}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DiffList({ diff, version }: { diff: StaffDiff; version: number }) {
  const empty = diff.joined.length + diff.left.length + diff.changed.length === 0;
  return (
    <div data-testid="staff-diff">
      <h3>Changes since version {version - 1}</h3>
      {empty ? (
        <p>None: the newer list is the same as the one before.</p>
      ) : (
        <ul>
          {diff.joined.map((s) => (
            <li key={"j" + s.reference}>
              <strong>Joined:</strong> {s.reference} {s.role} ({s.grade}, {money(s.annualPay)}, {s.fte} FTE)
            </li>
          ))}
          {diff.left.map((s) => (
            <li key={"l" + s.reference}>
              <strong>Left:</strong> {s.reference} {s.role} ({s.grade}, {money(s.annualPay)}, {s.fte} FTE)
            </li>
          ))}
          {diff.changed.map((c) => (
            <li key={"c" + c.reference}>
              <strong>
                Changed: {c.reference} {c.role}:
              </strong>{" "}
              {c.changes.map((f) => `${f.field} ${f.before} → ${f.after}`).join("; ")}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function StaffSection({ view, onImported }: { view: TupeView; onImported: () => void }) {
  const [error, setError] = useState<EngineError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const list = view.lists[0];
  const s = view.summary;
  const pick = async (input: HTMLInputElement) => {
    const f = await readPicked(input);
    if (!f) return;
    setDone(null);
    try {
      const r = await api.importStaff(view.lotId, f.bytes, f.name);
      setError(null);
      setDone(`Imported ${f.name} as version ${r.list.version}: ${r.list.rows} people${r.readAs ? ` (${r.readAs})` : ""}.`);
      onImported();
    } catch (e) {
      setError(e as EngineError);
    }
    input.value = "";
  };
  return (
    <section aria-labelledby="tupe-staff-h">
      <h2 id="tupe-staff-h">Staff in scope</h2>
      {list && s ? (
        <>
          <p data-testid="staff-list">
            Version {list.version} of the staff list, imported {dateTime(list.importedAt)} by {list.importedBy} from {list.fileName}.
          </p>
          <table data-testid="staff-summary">
            <thead>
              <tr>
                <th scope="col">Staff</th>
                <th scope="col" className="num">Headcount</th>
                <th scope="col" className="num">FTE</th>
                <th scope="col" className="num">Annual pay bill</th>
              </tr>
            </thead>
            <tbody>
              <GroupRow label="Wholly or mainly assigned (expected to transfer)" g={s.assigned} />
              <GroupRow label="Not wholly or mainly assigned" g={s.notAssigned} />
              <GroupRow label="All staff on the list" g={s.all} />
            </tbody>
          </table>
          <div className="two-col">
            <MixTable caption="Pension scheme" rows={s.pensions} testid="pension-mix" />
            <MixTable caption="Contract type" rows={s.contracts} testid="contract-mix" />
          </div>
          {view.diff && <DiffList diff={view.diff} version={list.version} />}
          <details>
            <summary>Everyone on version {list.version} ({view.staff.length})</summary>
            <table data-testid="staff-table">
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col">Role</th>
                  <th scope="col">Grade</th>
                  <th scope="col" className="num">Annual pay</th>
                  <th scope="col" className="num">FTE</th>
                  <th scope="col">Contract</th>
                  <th scope="col">Service from</th>
                  <th scope="col">Pension</th>
                  <th scope="col">Location</th>
                  <th scope="col">Assigned</th>
                </tr>
              </thead>
              <tbody>
                {view.staff.map((p) => (
                  <tr key={p.reference}>
                    <td>{p.reference}</td>
                    <td>{p.role}</td>
                    <td>{p.grade}</td>
                    <td className="num">{money(p.annualPay)}</td>
                    <td className="num">{p.fte}</td>
                    <td>{p.contractType}</td>
                    <td>{shortDate(p.serviceStart)}</td>
                    <td>{p.pension}</td>
                    <td>{p.location}</td>
                    <td>{p.assigned ? "Yes" : "No"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      ) : (
        <p>No staff list has been imported yet. Ask the incumbent for its anonymised staff list before the tender goes out.</p>
      )}
      <Writes>
      <div className={"form-group" + (error ? " form-group--error" : "")}>
        <label htmlFor="staff-file">{list ? "Import a newer staff list" : "Import the staff list"}</label>
        <div className="hint" id="staff-file-hint">
          CSV with the columns {COLUMNS}. A newer list replaces the older one; both are kept.
        </div>
        {error && (
          <p className="error-message" id="staff-file-error" role="alert" data-testid="error-staff-file">
            <span className="visually-hidden">Error:</span> {sentence(error.message)}. Nothing was imported.
          </p>
        )}
        <input
          id="staff-file"
          type="file"
          accept=".csv,text/csv"
          data-testid="staff-file"
          aria-describedby={"staff-file-hint" + (error ? " staff-file-error" : "")}
          onChange={(e) => pick(e.currentTarget)}
        />
        {done && (
          <p role="status" className="saved-note" data-testid="staff-imported">
            {done}
          </p>
        )}
      </div>
      </Writes>
    </section>
  );
}

function ObligationRow({ o, lotId, onSaved }: { o: Obligation; lotId: number; onSaved: (v: TupeView) => void }) {
  const [status, setStatus] = useState<string>(o.status);
  const [evidence, setEvidence] = useState(o.note);
  const [error, setError] = useState<EngineError | null>(null);
  const toConfirm = o.applies.kind === "to-confirm";
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const v = await api.setObligation({ lotId, key: o.key, status, evidence });
      setError(null);
      onSaved(v);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  const due = o.due ? (o.ongoing ? `From ${shortDate(o.due)}` : shortDate(o.due)) : "Not set";
  return (
    <tr className={o.overdue ? "row--overdue" : undefined} data-testid={`obligation-${o.key}`}>
      <td>
        <strong>{o.name}</strong>
        <div>{o.title}</div>
        <div className="hint">{o.legalBasis}</div>
        {toConfirm && o.applies.kind === "to-confirm" && <div className="hint">To confirm: {o.applies.reason}.</div>}
      </td>
      <td>{OWNER[o.owner]}</td>
      <td>
        {due}
        <div className="hint">{o.dueRule}</div>
        {o.dueNote && <div className="hint">{o.dueNote}</div>}
        {o.overdue && (
          <div>
            <span className="tag tag--red" data-testid={`overdue-${o.key}`}>
              Overdue
            </span>
          </div>
        )}
      </td>
      <td>
        <WriteForm shows onSubmit={save} noValidate className="obligation-form">
          {o.automatic ? (
            <p data-testid={`status-${o.key}`}>
              <strong>{STATUS[o.status]}:</strong> {o.evidence}
            </p>
          ) : (
            <>
            <label className="visually-hidden" htmlFor={`status-${o.key}`}>
              Status of {o.name}
            </label>
            <select id={`status-${o.key}`} value={status} onChange={(e) => setStatus(e.target.value)} data-testid={`status-${o.key}`}>
              {Object.entries(STATUS).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
            </>
          )}
          <label className="visually-hidden" htmlFor={`evidence-${o.key}`}>
            Evidence for {o.name}
          </label>
          <textarea
            id={`evidence-${o.key}`}
            rows={2}
            placeholder={o.automatic ? "Add a note (optional)" : "What shows it was done, or where it has got to"}
            value={evidence}
            aria-invalid={error?.field === "evidence" || undefined}
            aria-describedby={error ? `evidence-${o.key}-error` : undefined}
            onChange={(e) => setEvidence(e.target.value)}
            data-testid={`evidence-${o.key}`}
          />
          {error && (
            <p className="error-message" id={`evidence-${o.key}-error`} data-testid={`error-${o.key}`}>
              <span className="visually-hidden">Error:</span> {sentence(error.message)}
            </p>
          )}
          <button type="submit" className="secondary" data-testid={`save-${o.key}`}>
            Save
          </button>
          {o.updatedBy && <div className="hint">Last recorded by {o.updatedBy}</div>}
        </WriteForm>
      </td>
    </tr>
  );
}

function Obligations({ view, onSaved }: { view: TupeView; onSaved: (v: TupeView) => void }) {
  const c = view.checklist!;
  const applying = c.obligations.filter((o) => o.applies.kind !== "no");
  const not = c.obligations.filter((o) => o.applies.kind === "no");
  return (
    <section aria-labelledby="tupe-obligations-h">
      <h2 id="tupe-obligations-h">Obligations</h2>
      <table data-testid="obligations">
        <thead>
          <tr>
            <th scope="col">Obligation and legal basis</th>
            <th scope="col">Owner</th>
            <th scope="col">Due</th>
            <th scope="col">Status and evidence</th>
          </tr>
        </thead>
        <tbody>
          {applying.map((o) => (
            // Keyed on the record too, so a saved change from elsewhere resets the row.
            <ObligationRow key={o.key + o.status + o.note} o={o} lotId={view.lotId} onSaved={onSaved} />
          ))}
        </tbody>
      </table>
      {not.length > 0 && (
        <>
          <h3>Not applicable to this lot</h3>
          <ul data-testid="not-applicable">
            {not.map((o) => (
              <li key={o.key}>
                <strong>{o.name}:</strong> {o.applies.kind === "no" ? o.applies.reason : ""}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ChecklistPdf({ lotId }: { lotId: number }) {
  const [bytes, setBytes] = useState<ArrayBuffer | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  return (
    <section aria-labelledby="tupe-pdf-h">
      <h2 id="tupe-pdf-h">TUPE checklist PDF</h2>
      <ErrorSummary error={error} fields={{}} />
      <p>
        <button
          type="button"
          data-testid="preview-checklist"
          onClick={() => api.checklistBytes(lotId).then((b) => { setBytes(b); setError(null); }, setError)}
        >
          Show the checklist
        </button>{" "}
        <button type="button" className="secondary" onClick={() => api.openChecklist(lotId).then(setOpened, setError)}>
          Open in PDF viewer
        </button>
        {opened && <span className="hint"> Written to {opened}</span>}
      </p>
      {bytes && (
        <div data-testid="checklist-preview">
          <PdfPreview bytes={bytes} label="TUPE checklist" />
        </div>
      )}
    </section>
  );
}
