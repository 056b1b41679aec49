// Scoring only: the app opened on a scoresheet (.lwsheet), with no workspace, for an
// evaluator away from the council's network. Every score is kept on this computer as it is
// saved; submitting signs the scores and the declaration with this computer's key and writes
// the .lwscores file beside the sheet, to send back to the procurement officer.
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, type EngineError } from "../../api";
import type { SheetView } from "../../bindings/SheetView";
import { sentence } from "../../components/forms";
import { longDate } from "../../format";
import { ScoringGrid, cellKey, type Draft } from "./ScoringGrid";
import { SkipLink } from "../../components/links";

export function ScoresheetMode({ backToWorkspace }: { backToWorkspace: boolean }) {
  const [view, setView] = useState<SheetView | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const load = useCallback(() => {
    api.sheetView().then(setView, (e) => setError(e as EngineError));
  }, []);
  useEffect(load, [load]);
  const mine = useMemo(() => {
    const m = new Map<string, Draft>();
    for (const s of view?.scores ?? []) m.set(cellKey(s.bidId, s.question), { score: String(s.score), justification: s.justification });
    return m;
  }, [view]);
  if (error && !view)
    return (
      <main id="main" className="sheet-mode">
        <div className="error-summary" role="alert" data-testid="sheet-error">
          <h2>This scoresheet cannot be opened</h2>
          <p>{sentence(error.message)}</p>
        </div>
      </main>
    );
  if (!view)
    return (
      <main id="main" aria-busy="true">
        <p>Opening the scoresheet…</p>
      </main>
    );
  const s = view.sheet;
  // Exported by the evaluator for themselves, the file goes to whoever runs the procurement.
  const sendTo = s.issuedBy === s.evaluator ? "the procurement officer" : s.issuedBy;
  return (
    <>
      <SkipLink />
      <header className="app-header">
        <span className="brand">Lotwise</span>
        <span className="identity who" data-testid="acting-as">
          Scoresheet for {s.evaluator} · scoring only{" "}
          {backToWorkspace && (
            <button
              type="button"
              className="secondary"
              data-testid="back-to-workspace"
              onClick={async () => {
                await api.sheetClose();
                window.location.hash = "#/";
                window.location.reload();
              }}
            >
              Back to the workspace
            </button>
          )}
        </span>
      </header>
      <main id="main" tabIndex={-1} className="sheet-mode">
        <h1 data-testid="sheet-title">
          {s.lotReference}: {s.lotTitle}
        </h1>
        <p>
          Your scoresheet, issued by {s.issuedBy} on {longDate(s.issuedAt.slice(0, 10))}. Your scores are kept on this computer as you save each one.
          When you submit, they are signed with your key and written to a file to send back.
        </p>
        <p className="inset" data-testid="fingerprint">
          Your key’s fingerprint: <strong>{view.fingerprint}</strong>. The officer asks you to read these six words when they import your first scoresheet.
        </p>
        <ScoringGrid
          lotReference={s.lotReference}
          model={s.model}
          bids={s.bidders.map((b) => ({ id: b.bidId, name: b.name }))}
          mine={mine}
          submitted={!!view.submitted}
          submittedNote={
            view.submitted && (
              <p className="notice" role="status" data-testid="sheet-submitted">
                You submitted these scores on {new Date(view.submitted.at).toLocaleString("en-GB")}. Send this file to {sendTo}: <code>{view.submitted.path}</code>
              </p>
            )
          }
          declaration={s.declaration}
          submitWhat="Submitting signs your scores and your declaration with your key and writes the file to send to the officer; they cannot be changed afterwards."
          reload={load}
          actions={{
            save: async (bidId, question, score, justification) => {
              setView(await api.sheetSaveScore({ bidId, question, score, justification }));
            },
            importCsv: async (bytes, fileName) => {
              const n = await api.sheetImportScores(bytes, fileName);
              return `Imported ${n} score${n === 1 ? "" : "s"}.`;
            },
            submit: async (declared) => {
              await api.sheetSubmit(declared);
              return null;
            },
          }}
        />
      </main>
    </>
  );
}
