// The rendered pages of a paper, drawn by pdf.js from the very bytes the engine produced,
// so the preview is the document, not an imitation of it.
import { useEffect, useRef, useState } from "react";
import { GlobalWorkerOptions, getDocument } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

export function PdfPreview({ bytes, label }: { bytes: ArrayBuffer | null; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [pages, setPages] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const host = ref.current;
    if (!host) return;
    if (!bytes) {
      host.replaceChildren();
      return;
    }
    let cancelled = false;
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const task = getDocument({ data: new Uint8Array(bytes.slice(0)), isEvalSupported: false });
    (async () => {
      try {
        const pdf = await task.promise;
        const canvases: HTMLCanvasElement[] = [];
        for (let n = 1; n <= pdf.numPages; n++) {
          const page = await pdf.getPage(n);
          const viewport = page.getViewport({ scale: 1.1 });
          const canvas = document.createElement("canvas");
          canvas.width = Math.floor(viewport.width);
          canvas.height = Math.floor(viewport.height);
          canvas.setAttribute("role", "img");
          canvas.setAttribute("aria-label", `${label}, page ${n} of ${pdf.numPages}`);
          canvas.dataset.testid = "preview-page";
          await page.render({ canvas, viewport }).promise;
          if (cancelled) return;
          canvases.push(canvas);
        }
        if (cancelled) return;
        host.replaceChildren(...canvases);
        setPages(pdf.numPages);
        setError(null);
      } catch (e) {
        if (!cancelled) setError(`The preview could not be drawn: ${String(e)}`);
      }
    })();
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [bytes, label]);
  return (
    <div className="pdf-preview" aria-label={`Preview of the ${label}`}>
      <p className="hint" data-testid="preview-pages">
        {bytes ? `${pages} page${pages === 1 ? "" : "s"}, as they will print` : "The preview appears here."}
      </p>
      {error && <p className="error-message">{error}</p>}
      <div ref={ref} className="pdf-pages" />
    </div>
  );
}
