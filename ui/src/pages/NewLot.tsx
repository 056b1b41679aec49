import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";
import { api, type EngineError } from "../api";
import type { Contract } from "../bindings/Contract";
import type { Procurement } from "../bindings/Procurement";
import { ErrorSummary, Field, TextInput } from "../components/forms";
import { WriteForm } from "../components/writes";
import { useReadOnly } from "../workspace";

type Part = { code: string; title: string };

export function NewLotPage() {
  const navigate = useNavigate();
  const readOnly = useReadOnly();
  const [procurements, setProcurements] = useState<Procurement[]>([]);
  const [contracts, setContracts] = useState<Contract[]>([]);
  const [procurementId, setProcurementId] = useState<number | "">("");
  const [reference, setReference] = useState("");
  const [title, setTitle] = useState("");
  const [geography, setGeography] = useState("");
  const [value, setValue] = useState("");
  const [term, setTerm] = useState("");
  const [replaces, setReplaces] = useState<number | "">("");
  const [parts, setParts] = useState<Part[]>([]);
  const [error, setError] = useState<EngineError | null>(null);
  useEffect(() => {
    api.procurements().then(setProcurements, setError);
    api.contracts().then(setContracts, setError);
  }, []);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (procurementId === "") {
      setError({ code: "validation", message: "choose the procurement this lot belongs to", field: "procurementId", details: [] });
      return;
    }
    try {
      const lot = await api.createLot({
        procurementId,
        reference,
        title,
        geography,
        estimatedAnnualValue: value.trim() || null,
        term: term.trim() || null,
        replacesContractId: replaces === "" ? null : replaces,
        parts,
      });
      navigate(`/lots/${lot.id}`);
    } catch (err) {
      setError(err as EngineError);
    }
  };

  return (
    <>
      <p>
        <Link to="/">← Back to the pipeline</Link>
      </p>
      <h1>Add a lot</h1>
      {readOnly && (
        <p className="inset" data-testid="read-only-no-new-lot">
          This workspace is open read-only: lots are added where it can be changed (for a copy of a team workspace, on the team workspace itself).
        </p>
      )}
      <WriteForm onSubmit={submit} noValidate className="narrow" data-testid="new-lot-form">
        <ErrorSummary
          error={error}
          fields={{
            procurementId: "Procurement",
            reference: "Reference",
            title: "Title",
            estimatedAnnualValue: "Estimated annual value",
            term: "Term",
            parts: "Parts",
          }}
        />
        <Field name="procurementId" label="Procurement" error={error}>
          {(id, describedBy) => (
            <select
              id={id}
              value={procurementId}
              aria-describedby={describedBy}
              onChange={(e) => setProcurementId(e.target.value === "" ? "" : Number(e.target.value))}
            >
              <option value="">Choose a procurement</option>
              {procurements.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title} ({p.reference})
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextInput name="reference" label="Lot reference" hint="For example Lot 1" value={reference} onChange={setReference} error={error} width="12em" />
        <TextInput name="title" label="Title" value={title} onChange={setTitle} error={error} />
        <TextInput name="geography" label="Geography" hint="The area the lot covers, for example East Kent" value={geography} onChange={setGeography} error={error} />
        <TextInput name="estimatedAnnualValue" label="Estimated annual value" hint="In pounds, for example £1,850,000" value={value} onChange={setValue} error={error} width="14em" />
        <TextInput name="term" label="Contract term" hint="Core years plus extension options, as councils write it: 5+2+2, 2+1+1, or 9m for months" value={term} onChange={setTerm} error={error} width="10em" />
        <Field name="replacesContractId" label="Contract it replaces (optional)" error={error}>
          {(id) => (
            <select id={id} value={replaces} onChange={(e) => setReplaces(e.target.value === "" ? "" : Number(e.target.value))}>
              <option value="">None</option>
              {contracts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.reference} {c.title} ({c.provider.name})
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset>
          <legend>Parts (optional)</legend>
          <p className="hint">For example A: Community Navigation and B: Community Navigation for Carers.</p>
          {parts.map((p, i) => (
            <div className="part-row" key={i}>
              <TextInput name={`parts.${i}.code`} label={`Part ${i + 1} code`} value={p.code} width="5em" error={error}
                onChange={(v) => setParts(parts.map((x, j) => (j === i ? { ...x, code: v } : x)))} />
              <TextInput name={`parts.${i}.title`} label={`Part ${i + 1} title`} value={p.title} error={error}
                onChange={(v) => setParts(parts.map((x, j) => (j === i ? { ...x, title: v } : x)))} />
              <button type="button" className="secondary" onClick={() => setParts(parts.filter((_, j) => j !== i))}>
                Remove part {i + 1}
              </button>
            </div>
          ))}
          <button type="button" className="secondary" onClick={() => setParts([...parts, { code: String.fromCharCode(65 + parts.length), title: "" }])}>
            Add a part
          </button>
        </fieldset>
        <button type="submit">Add lot</button>
      </WriteForm>
    </>
  );
}
