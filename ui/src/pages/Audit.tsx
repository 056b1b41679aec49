import { useCallback, useEffect, useState } from "react";
import { sentence } from "../components/forms";
import { api, type EngineError } from "../api";
import type { AuditPage } from "../bindings/AuditPage";
import type { VerifyReport } from "../bindings/VerifyReport";
import { dateTime } from "../format";

const PAGE = 50;

function describe(v: unknown): string {
  if (v === null || v === undefined) return "";
  return JSON.stringify(v);
}

export function AuditPageView() {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [verification, setVerification] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const load = useCallback(() => api.auditPage(offset, PAGE).then(setPage, setError), [offset]);
  useEffect(() => {
    load();
  }, [load]);
  const verify = () => api.auditVerify().then(setVerification, setError);

  return (
    <>
      <h1>Audit log</h1>
      <p>Every change in this workspace, newest first. Each event is chained to the one before it by a hash, so a change made behind the app’s back is detected.</p>
      <button type="button" className="secondary" onClick={verify} data-testid="verify">
        Check the audit trail
      </button>
      {verification && (
        <div role="status" data-testid="verification">
        <p className={verification.ok ? "notice" : "error-message"}>
          {verification.status === "broken"
            ? `The trail is broken at event ${verification.firstBrokenSeq}: ${verification.reason}`
            : verification.ok
              ? `The trail is intact: ${verification.length} events, head ${verification.head.slice(0, 16)}…` +
                (verification.anchors.length > 0 ? ` All ${verification.anchors.length} anchors this computer keeps for it hold.` : "")
              : `The trail's ${verification.length} events still link to each other, but ${verification.anchors.filter((a) => !a.holds).length} of the ${verification.anchors.length} anchors this computer keeps for it fail: events have been removed or rewritten since.`}
        </p>
        {!verification.ok && (
          <ul>
            {verification.anchors
              .filter((a) => !a.holds)
              .slice(-3)
              .map((a) => (
                <li key={a.from}>{sentence(`an anchor ${a.message}`)}</li>
              ))}
          </ul>
        )}
        </div>
      )}
      {error && <p className="error-message">{sentence(error.message)}</p>}
      {page && (
        <>
          <table data-testid="audit-log" className="audit">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {page.events.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>{dateTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>
                    {e.action}
                    <br />
                    <span className="muted">
                      {e.entity} {e.entityId ?? ""}
                    </span>
                  </td>
                  <td className="json">{describe(e.before)}</td>
                  <td className="json">{describe(e.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label="Audit log pages">
            <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Newer
            </button>
            <span>
              Events {page.total - offset} to {Math.max(1, page.total - offset - page.events.length + 1)} of {page.total}
            </span>
            <button type="button" className="secondary" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
              Older
            </button>
          </nav>
        </>
      )}
    </>
  );
}
