// Sizing lots by population: areas from CSV, a total (posts or £) or a ratio, shared by
// largest remainder, each area assigned to a lot, and the result saved against the lots.
import { useState, type FormEvent } from "react";
import { api, type EngineError } from "../../api";
import type { AllocationPreview } from "../../bindings/AllocationPreview";
import type { FinanceView } from "../../bindings/FinanceView";
import { ErrorSummary, Field, TextInput } from "../../components/forms";
import { dateTime, money, moneyFromPence } from "../../format";
import { Writes } from "../../components/writes";

export function AllocationTool({ view, onSaved }: { view: FinanceView; onSaved: () => void }) {
  const [csv, setCsv] = useState("");
  const [fileName, setFileName] = useState("areas.csv");
  const [total, setTotal] = useState("");
  const [per, setPer] = useState("");
  const [lots, setLots] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<AllocationPreview | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [readAs, setReadAs] = useState<string | null>(null);
  // The engine reads bytes; typed or pasted text is UTF-8.
  const input = { csv: Array.from(new TextEncoder().encode(csv)), fileName, total, per, lots };

  const show = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    try {
      setPreview(await api.allocationPreview(input));
      setError(null);
    } catch (err) {
      setPreview(null);
      setError(err as EngineError);
    }
  };
  const save = async () => {
    try {
      const s = await api.allocationSave(view.procurement.id, input);
      setError(null);
      setSaved(`Saved: ${s.basis}.`);
      onSaved();
    } catch (err) {
      setError(err as EngineError);
    }
  };
  const pick = async (el: HTMLInputElement) => {
    const f = el.files?.[0];
    if (!f) return;
    // Decoded by the engine, so a Windows-1252 file from Excel shows its £ and é correctly.
    try {
      const d = await api.decodeText(Array.from(new Uint8Array(await f.arrayBuffer())), f.name, "csv");
      setCsv(d.text);
      setReadAs(d.readAs);
      setFileName(f.name);
      setError(null);
    } catch (err) {
      setError(err as EngineError);
    }
  };
  // Problems in the file (a bad area or population) are shown beside the areas box.
  const csvError = error && ["csv", "area", "population"].includes(error.field ?? "") ? { ...error, field: "csv" } : error;
  const latest = view.allocations[0];
  const lotName = (id: number | null) => {
    const l = view.lots.find((x) => x.lotId === id);
    return l ? `${l.reference}: ${l.title}` : "Not assigned";
  };
  return (
    <section aria-labelledby="alloc-h">
      <h2 id="alloc-h">Sizing lots by population</h2>
      <p className="hint">
        Share a number of posts, or an amount of money, across areas in proportion to a population, by largest
        remainder. Ties between equal remainders go to the larger population, then to the area listed first.
      </p>
      <form onSubmit={show} noValidate data-testid="allocation-form">
        <ErrorSummary error={error} fields={{ csv: "Areas", area: "Areas", population: "Areas", total: "Total", per: "People per post", lot: "Lots" }} form="alloc" />
        <Field form="alloc" name="csv" label="Areas (CSV)" hint="Columns area and population, and optionally lot (a lot reference). Paste them or choose a file." error={csvError}>
          {(id, describedBy, invalid) => (
            <textarea id={id} rows={6} value={csv} aria-describedby={describedBy} aria-invalid={invalid} onChange={(e) => setCsv(e.target.value)} placeholder={"area,population,lot\nAshford,\"38,479\",Lot 1"} />
          )}
        </Field>
        <label className="inline">
          Or choose a file <input type="file" accept=".csv,text/csv" data-testid="allocation-file" onChange={(e) => pick(e.target)} />
        </label>
        {readAs && (
          <p className="hint" data-testid="allocation-read-as">
            {fileName} was {readAs}.
          </p>
        )}
        <div className="two-col">
          <TextInput form="alloc" name="total" label="Total to share" hint="Posts (25) or money (£5,950,000)." value={total} onChange={setTotal} error={error} width="12em" />
          <TextInput form="alloc" name="per" label="Or one post per (people)" hint="For example 20,000." value={per} onChange={setPer} error={error} width="10em" />
        </div>
        <button type="submit">Work it out</button>
      </form>
      {preview && (
        <>
          <table data-testid="allocation-table">
            <caption>{preview.basis}</caption>
            <thead>
              <tr>
                <th scope="col">Area</th>
                <th scope="col" className="num">Population</th>
                <th scope="col" className="num">Quota</th>
                <th scope="col" className="num">From remainder</th>
                <th scope="col" className="num">Allocation</th>
                <th scope="col">Lot</th>
              </tr>
            </thead>
            <tbody>
              {preview.allocation.rows.map((r, i) => (
                <tr key={r.area}>
                  <td>{r.area}</td>
                  <td className="num">{r.population.toLocaleString("en-GB")}</td>
                  <td className="num">{r.quota}</td>
                  <td className="num">{preview.allocation.unit === "money" ? `${r.remainderAward}p` : `+${r.remainderAward}`}</td>
                  <td className="num" data-testid={`alloc-${r.area}`}>
                    {r.amount ? money(r.amount) : r.allocation}
                  </td>
                  <td>
                    <select
                      aria-label={`Lot for ${r.area}`}
                      value={lots[r.area] ?? preview.lots[i] ?? ""}
                      onChange={(e) => {
                        setSaved(null);
                        setLots({ ...lots, [r.area]: e.target.value });
                      }}
                    >
                      <option value="">Not assigned</option>
                      {view.lots.map((l) => (
                        <option key={l.lotId} value={l.reference}>
                          {l.reference}: {l.title}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
              <tr>
                <th scope="row">Total</th>
                <td className="num">{preview.allocation.totalPopulation.toLocaleString("en-GB")}</td>
                <td colSpan={2} />
                <td className="num">
                  <strong>{preview.allocation.totalAmount ? money(preview.allocation.totalAmount) : preview.allocation.total}</strong>
                </td>
                <td />
              </tr>
            </tbody>
          </table>
          <div className="button-row">
            <Writes><button type="button" onClick={save} data-testid="allocation-save">
              Save against the lots
            </button></Writes>
            {saved && (
              <span className="notice" role="status">
                {saved}
              </span>
            )}
          </div>
        </>
      )}
      {latest && (
        <>
          <h3>Saved allocation</h3>
          <p className="hint" data-testid="saved-allocation-basis">
            {latest.basis}, saved by {latest.savedBy} on {dateTime(latest.savedAt)}.
          </p>
          <table data-testid="saved-allocation">
            <thead>
              <tr>
                <th scope="col">Lot</th>
                <th scope="col">Areas</th>
                <th scope="col" className="num">Population</th>
                <th scope="col" className="num">Allocation</th>
              </tr>
            </thead>
            <tbody>
              {byLot(latest).map((g) => (
                <tr key={g.lot ?? "none"}>
                  <td>{lotName(g.lot)}</td>
                  <td>{g.areas.join(", ")}</td>
                  <td className="num">{g.population.toLocaleString("en-GB")}</td>
                  <td className="num" data-testid={`saved-alloc-${g.lot ?? "none"}`}>
                    {g.amount}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** The saved rows grouped by lot, in the order lots first appear; totals in whole units. */
function byLot(s: FinanceView["allocations"][number]) {
  const groups: { lot: number | null; areas: string[]; population: number; units: bigint }[] = [];
  s.allocation.rows.forEach((r, i) => {
    const lot = s.areas[i]?.lotId ?? null;
    let g = groups.find((x) => x.lot === lot);
    if (!g) {
      g = { lot, areas: [], population: 0, units: 0n };
      groups.push(g);
    }
    g.areas.push(r.area);
    g.population += r.population;
    g.units += BigInt(r.allocation);
  });
  return groups.map((g) => {
    const amount = s.allocation.unit === "money" ? moneyFromPence(g.units) : `${g.units} posts`;
    return { ...g, amount };
  });
}
