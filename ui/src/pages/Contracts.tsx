import { useCallback, useEffect, useState } from "react";
import { api, type EngineError } from "../api";
import type { Contract } from "../bindings/Contract";
import type { ExpiringContract } from "../bindings/ExpiringContract";
import { ErrorSummary, TextInput, sentence } from "../components/forms";
import { longDate, money, shortDate } from "../format";
import { WriteForm } from "../components/writes";

export function ContractsPage() {
  const [months, setMonths] = useState(18);
  const [radar, setRadar] = useState<ExpiringContract[] | null>(null);
  const [all, setAll] = useState<Contract[] | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const load = useCallback(() => {
    api.expiring(months).then(setRadar, setError);
    api.contracts().then(setAll, setError);
  }, [months]);
  useEffect(() => {
    load();
  }, [load]);

  return (
    <>
      <h1>Contracts register</h1>
      {error && !error.field && <p className="error-message">{sentence(error.message)}</p>}
      <section aria-labelledby="radar-h">
        <h2 id="radar-h">Expiry radar</h2>
        <label htmlFor="radar-months">Show contracts ending within</label>{" "}
        <select id="radar-months" className="auto" value={months} onChange={(e) => setMonths(Number(e.target.value))}>
          {[6, 12, 18, 24, 36].map((m) => (
            <option key={m} value={m}>
              {m} months
            </option>
          ))}
        </select>
        {radar && radar.length === 0 && <p>No contracts end within {months} months.</p>}
        {radar && radar.length > 0 && (
          <table data-testid="radar">
            <thead>
              <tr>
                <th scope="col">Contract</th>
                <th scope="col">Provider</th>
                <th scope="col" className="num">Annual value</th>
                <th scope="col">Ends</th>
                <th scope="col">Decide on extension by</th>
                <th scope="col">Final possible end</th>
                <th scope="col">Start re-procurement by</th>
                <th scope="col">Contract termination notice (UK11)</th>
              </tr>
            </thead>
            <tbody>
              {radar.map((e) => (
                <tr key={e.contract.id}>
                  <td>
                    {e.contract.title}
                    <br />
                    <span className="muted">{e.contract.reference}</span>
                  </td>
                  <td>{e.contract.provider.name}</td>
                  <td className="num">{money(e.contract.annualValue)}</td>
                  <td>
                    {longDate(e.currentEnd)}
                    <br />
                    <span className="muted">in {e.daysToCurrentEnd} days</span>
                  </td>
                  <td>
                    {e.extensionDecisionBy ? longDate(e.extensionDecisionBy) : "No extension left"}
                    {e.extensionDecisionOverdue && (
                      <>
                        {" "}
                        <span className="tag tag--red">Passed</span>
                      </>
                    )}
                  </td>
                  <td>{longDate(e.finalPossibleEnd)}</td>
                  <td>
                    {longDate(e.reprocureStartBy)}
                    {e.reprocurementOverdue && (
                      <>
                        {" "}
                        <span className="tag tag--red">Overdue</span>
                      </>
                    )}
                  </td>
                  <td data-testid={`uk11-${e.contract.reference}`}>
                    {e.terminationNotice.required ? (
                      <>By {longDate(e.terminationNotice.due)}</>
                    ) : (
                      <span className="muted">Not if awarded under the 2015 Regulations</span>
                    )}
                    <br />
                    <span className="muted">{e.terminationNotice.required ? "Expiry is a termination (s80)" : `Under the Act: by ${longDate(e.terminationNotice.due)} (s80)`}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="all-h">
        <h2 id="all-h">All contracts</h2>
        {all && (
          <table data-testid="contracts">
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Contract</th>
                <th scope="col">Provider</th>
                <th scope="col">Commissioner</th>
                <th scope="col" className="num">Annual value</th>
                <th scope="col">Term</th>
                <th scope="col">Start</th>
                <th scope="col">Extension options</th>
                <th scope="col">Ends</th>
              </tr>
            </thead>
            <tbody>
              {all.map((c) => (
                <tr key={c.id}>
                  <td>{c.reference}</td>
                  <td>{c.title}</td>
                  <td>{c.provider.name}</td>
                  <td>{c.commissioner?.name ?? "—"}</td>
                  <td className="num">{money(c.annualValue)}</td>
                  <td>{c.term}</td>
                  <td>{shortDate(c.start)}</td>
                  <td>
                    {c.dates.options.length === 0
                      ? "None"
                      : c.dates.options.map((o) => `${o.number}: ${o.status} (to ${shortDate(o.end)})`).join("; ")}
                  </td>
                  <td>{shortDate(c.dates.currentEnd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <AddContractForm onAdded={load} />
    </>
  );
}

function AddContractForm({ onAdded }: { onAdded: () => void }) {
  const empty = { reference: "", title: "", service: "", provider: "", commissioner: "", annualValue: "", start: "", term: "", notice: "3" };
  const [f, setF] = useState(empty);
  const [error, setError] = useState<EngineError | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const set = (k: keyof typeof empty) => (v: string) => setF({ ...f, [k]: v });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setAdded(null);
    const notice = Number(f.notice);
    if (!Number.isInteger(notice) || notice < 0) {
      setError({ code: "validation", message: "enter the notice period as a whole number of months", field: "noticePeriodMonths", details: [] });
      return;
    }
    try {
      const c = await api.addContract({
        reference: f.reference,
        title: f.title,
        service: f.service,
        provider: f.provider,
        providerCompaniesHouseNumber: null,
        providerCharityNumber: null,
        commissioner: f.commissioner.trim() || null,
        annualValue: f.annualValue,
        start: f.start,
        term: f.term,
        optionStatuses: [],
        noticePeriodMonths: notice,
      });
      setAdded(`Added ${c.reference}: ends ${longDate(c.dates.currentEnd)}.`);
      setF(empty);
      onAdded();
    } catch (err) {
      setError(err as EngineError);
    }
  };
  const fields = { reference: "Reference", title: "Title", service: "Service", provider: "Provider", commissioner: "Commissioner", annualValue: "Annual value", start: "Start", term: "Term", noticePeriodMonths: "Notice", optionStatuses: "Options" };
  return (
    <section>
      <details>
        <summary>Add a contract to the register</summary>
        <WriteForm onSubmit={submit} noValidate className="narrow">
          <ErrorSummary error={error} fields={fields} />
          {added && <p className="notice" role="status">{added}</p>}
          <TextInput name="reference" label="Contract reference" value={f.reference} onChange={set("reference")} error={error} width="14em" />
          <TextInput name="title" label="Title" value={f.title} onChange={set("title")} error={error} />
          <TextInput name="service" label="Service" value={f.service} onChange={set("service")} error={error} />
          <TextInput name="provider" label="Provider" hint="Added to the supplier register if new" value={f.provider} onChange={set("provider")} error={error} />
          <TextInput name="commissioner" label="Commissioner (optional)" hint="An organisation already in the workspace" value={f.commissioner} onChange={set("commissioner")} error={error} />
          <TextInput name="annualValue" label="Annual value" hint="For example £1,462,000" value={f.annualValue} onChange={set("annualValue")} error={error} width="14em" />
          <TextInput name="start" label="Start date" hint="For example 01/04/2026" value={f.start} onChange={set("start")} error={error} width="12em" />
          <TextInput name="term" label="Term" hint="For example 5+2+2: all extension options start as available" value={f.term} onChange={set("term")} error={error} width="10em" />
          <TextInput name="noticePeriodMonths" label="Notice period in months" value={f.notice} onChange={set("notice")} error={error} width="5em" />
          <button type="submit">Add contract</button>
        </WriteForm>
      </details>
    </section>
  );
}
