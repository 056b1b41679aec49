// A lot's decision papers: the officer writes the narrative beside a live preview of the
// rendered pages, saves it as a version, and generates the PDF, which is kept with its hash.
// Figures are never typed here: the engine reads them from the workspace.
import { useCallback, useEffect, useRef, useState } from "react";
import { useWorkspaceChanges } from "../../changes";
import { api, type EngineError } from "../../api";
import type { Edition } from "../../bindings/Edition";
import type { GenerationProgress } from "../../bindings/GenerationProgress";
import type { PaperDraft } from "../../bindings/PaperDraft";
import type { PaperKind } from "../../bindings/PaperKind";
import type { PaperView } from "../../bindings/PaperView";
import { ErrorSummary, sentence } from "../../components/forms";
import { dateTime } from "../../format";
import { NarrativeEditor } from "./NarrativeEditor";
import { PdfPreview } from "./PdfPreview";
import { FocusLink } from "../../components/links";
import { ReadOnlyFields, Writes } from "../../components/writes";

const KINDS: [PaperKind, string][] = [
  ["extension", "Contract extension"],
  ["procurement", "Procurement approval"],
  ["award", "Award recommendation"],
];

export function DocumentsTab({ lotId }: { lotId: number }) {
  const [kind, setKind] = useState<PaperKind>("procurement");
  const [view, setView] = useState<PaperView | null>(null);
  const [draft, setDraft] = useState<PaperDraft | null>(null);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [preview, setPreview] = useState<ArrayBuffer | null>(null);
  const [previewError, setPreviewError] = useState<EngineError | null>(null);
  const [progress, setProgress] = useState<GenerationProgress | null>(null);
  const [edition, setEdition] = useState<Edition>("open");

  const load = useCallback(
    (k: PaperKind) =>
      api.paper(lotId, k).then(
        (v) => {
          setView(v);
          setDraft(v.draft);
          setDirty(false);
        },
        setError,
      ),
    [lotId],
  );
  useEffect(() => {
    void load(kind);
  }, [kind, load]);
  // Someone else's save reloads the narrative unless this person has unsaved edits; after a
  // refused save, "Reload" brings in theirs.
  useWorkspaceChanges(
    useCallback(
      (asked: boolean) => {
        if (asked || !dirty) void load(kind);
      },
      [dirty, kind, load],
    ),
  );

  // Live preview: redrawn a moment after the officer stops typing.
  const seq = useRef(0);
  useEffect(() => {
    if (!draft || !view || (view.kind === "extension" && view.blocked)) return;
    const mine = ++seq.current;
    const t = window.setTimeout(() => {
      api.previewPaper(lotId, kind, draft).then(
        (bytes) => {
          if (mine !== seq.current) return;
          setPreview(bytes);
          setPreviewError(null);
        },
        (e: EngineError) => mine === seq.current && setPreviewError(e),
      );
    }, 500);
    return () => window.clearTimeout(t);
  }, [draft, view, lotId, kind]);

  // An edit supersedes the last save's error; the live preview checks the new text at once.
  const change = (d: PaperDraft) => {
    setDraft(d);
    setDirty(true);
    setError(null);
  };
  const save = async () => {
    if (!draft) return;
    setError(null);
    setNotice(null);
    try {
      const v = await api.savePaper(lotId, kind, draft, view?.version ?? 0);
      setView(v);
      setDraft(v.draft);
      setDirty(false);
      setNotice(`Saved as version ${v.version}.`);
    } catch (e) {
      setError(e as EngineError);
    }
  };
  const generate = async () => {
    setError(null);
    setNotice(null);
    setProgress({ step: "Starting", done: 0, total: 0 });
    try {
      const doc = await api.generatePaper(lotId, kind, edition, setProgress);
      setNotice(
        doc
          ? `Generated version ${doc.number} (${doc.pages} pages, ${doc.edition} edition). SHA-256 ${doc.sha256}.`
          : "Generated.",
      );
      const v = await api.paper(lotId, kind);
      setView(v);
    } catch (e) {
      setError(e as EngineError);
    } finally {
      setProgress(null);
    }
  };
  const open = async (id: number) => {
    setError(null);
    try {
      const path = await api.openPaper(id);
      setNotice(`Opened ${path} in your PDF viewer.`);
    } catch (e) {
      setError(e as EngineError);
    }
  };
  const openHtml = async (id: number) => {
    setError(null);
    try {
      const path = await api.openPaperHtml(id);
      setNotice(`Saved the web page ${path} and opened it in your browser.`);
    } catch (e) {
      setError(e as EngineError);
    }
  };
  const restore = async (version: number) => {
    setError(null);
    try {
      const v = await api.restorePaper(lotId, kind, version);
      setView(v);
      setDraft(v.draft);
      setDirty(false);
      setNotice(`Version ${version} restored as version ${v.version}.`);
    } catch (e) {
      setError(e as EngineError);
    }
  };

  const shownError = error ?? previewError;
  return (
    <section aria-labelledby="documents-heading">
      <h2 id="documents-heading">Decision papers</h2>
      <div role="radiogroup" aria-label="Kind of paper" className="tabs">
        {KINDS.map(([k, label]) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={k === kind}
            className={k === kind ? "tab tab--current" : "tab"}
            data-testid={`paper-kind-${k}`}
            onClick={() => {
              if (dirty && !window.confirm("Leave this paper without saving your changes?")) return;
              seq.current++; // a preview still on its way belongs to the other paper
              setPreview(null);
              setView(null);
              setError(null);
              setNotice(null);
              setKind(k);
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <ErrorSummary error={shownError} fields={fieldsOf(view)} />
      {notice && (
        <p className="notice" role="status" data-testid="paper-notice">
          {notice}
        </p>
      )}
      {!view || !draft ? (
        !error && <p aria-busy="true">Loading the paper…</p>
      ) : (
        <>
          {view.blocked && (
            <p className="inset" data-testid="paper-blocked">
              {view.blocked}
            </p>
          )}
          {!(view.kind === "extension" && view.blocked) && (
            <div className="paper-layout">
              <div className="paper-editor">
                <Checklist view={view} />
                <ReadOnlyFields>
                  <NarrativeEditor view={view} draft={draft} onChange={change} error={shownError} />
                </ReadOnlyFields>
                <div className="button-row sticky-actions">
                  <Writes><button type="button" onClick={save} data-testid="paper-save" disabled={!dirty}>
                    {dirty ? "Save draft" : view.version ? `Saved (version ${view.version})` : "Save draft"}
                  </button></Writes>
                  <label className="inline">
                    Edition{" "}
                    <select
                      value={edition}
                      onChange={(e) => setEdition(e.target.value as Edition)}
                      data-testid="paper-edition"
                    >
                      <option value="open">Open (for publication)</option>
                      <option value="full">Full (with Part B)</option>
                    </select>
                  </label>
                  <Writes><button
                    type="button"
                    className="secondary"
                    onClick={generate}
                    disabled={dirty || !!progress}
                    title={dirty ? "Save the draft first: a paper is generated from a saved version" : undefined}
                    data-testid="paper-generate"
                  >
                    Generate PDF
                  </button></Writes>
                </div>
                {progress && (
                  <div role="status" data-testid="paper-progress">
                    <label>
                      {progress.step}{" "}
                      <progress max={progress.total || undefined} value={progress.total ? progress.done : undefined} />
                    </label>
                  </div>
                )}
                <Versions view={view} onOpen={open} onOpenHtml={openHtml} onRestore={restore} />
              </div>
              <div className="paper-preview-column" data-testid="paper-preview" tabIndex={0} role="region" aria-label="Preview">
                <h3>Preview</h3>
                <PdfPreview bytes={preview} label={`${view.kindLabel} paper`} />
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function fieldsOf(view: PaperView | null): Record<string, string> {
  const f: Record<string, string> = { header: "Header", sections: "Sections", options: "Options", contacts: "Contacts", appendices: "Appendices", preferredOption: "Preferred option" };
  for (const g of view?.gaps ?? []) f[g.field] = g.message;
  return f;
}

function Checklist({ view }: { view: PaperView }) {
  if (view.gaps.length === 0 && view.advice.length === 0)
    return (
      <p className="notice" data-testid="paper-ready">
        Everything a published paper needs has been written.
      </p>
    );
  return (
    <div className="inset" data-testid="paper-gaps">
      {view.gaps.length > 0 && (
        <>
          <p>
            <strong>
              Still to write before this paper can be generated ({view.gaps.length}):
            </strong>
          </p>
          <ul className="link-list">
            {view.gaps.map((g) => (
              <li key={g.field}>
                <FocusLink to={`field-${g.field}`}>{sentence(g.message)}</FocusLink>
              </li>
            ))}
          </ul>
        </>
      )}
      {view.advice.map((a) => (
        <p key={a} className="hint">
          {a}
        </p>
      ))}
    </div>
  );
}

function Versions({
  view,
  onOpen,
  onOpenHtml,
  onRestore,
}: {
  view: PaperView;
  onOpen: (id: number) => void;
  onOpenHtml: (id: number) => void;
  onRestore: (version: number) => void;
}) {
  return (
    <>
      <h3>Generated papers</h3>
      {view.documents.length === 0 ? (
        <p>None yet. Each paper you generate is kept here with its SHA-256 hash.</p>
      ) : (
        <table data-testid="paper-documents">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Edition</th>
              <th scope="col">From draft</th>
              <th scope="col">Pages</th>
              <th scope="col">Generated</th>
              <th scope="col">SHA-256</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {view.documents.map((d) => (
              <tr key={d.id}>
                <td>{d.number}</td>
                <td>{d.edition === "open" ? "Open" : "Full (Part B)"}</td>
                <td>{d.draftVersion}</td>
                <td>{d.pages}</td>
                <td>
                  {dateTime(d.generatedAt)} by {d.generatedBy}
                </td>
                <td>
                  <code title={d.sha256}>{d.sha256.slice(0, 16)}…</code>
                </td>
                <td>
                  <span className="button-row">
                    <button type="button" className="secondary" onClick={() => onOpen(d.id)} data-testid="paper-open">
                      Open
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => onOpenHtml(d.id)}
                      data-testid="paper-open-html"
                      aria-label={`Web page of paper ${d.number}`}
                    >
                      Web page
                    </button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>Saved drafts ({view.versions.length})</summary>
        {view.versions.length === 0 ? (
          <p>Nothing saved yet: the first draft was filled in from the lot’s data.</p>
        ) : (
          <ul data-testid="paper-versions">
            {view.versions.map((v) => (
              <li key={v.version}>
                Version {v.version}, {dateTime(v.savedAt)} by {v.savedBy}
                {v.version !== view.version && (
                  <>
                    {" "}
                    <Writes><button type="button" className="link-button" onClick={() => onRestore(v.version)}>
                      Restore
                    </button></Writes>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </details>
    </>
  );
}
