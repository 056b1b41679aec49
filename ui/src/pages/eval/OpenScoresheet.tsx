// Opening a scoresheet (.lwsheet) from inside the app, for a panel member who was sent one:
// the app switches to scoring that sheet only, and can come back to the workspace.
import { useState } from "react";
import { api, type EngineError } from "../../api";
import { sentence } from "../../components/forms";
import { readPicked } from "./EvaluationPage";

export function OpenScoresheetPage() {
  const [error, setError] = useState<EngineError | null>(null);
  return (
    <section className="narrow">
      <h1>Open a scoresheet</h1>
      <p>
        A procurement officer may send you a scoresheet (a <code>.lwsheet</code> file) to score away from the workspace. Open it here to score it: your scores are kept
        on this computer as you save each one, and when you submit they are signed with your key and written to a file to send back.
      </p>
      <div className={"form-group" + (error ? " form-group--error" : "")}>
        <label htmlFor="open-sheet">The scoresheet you were sent</label>
        {error && (
          <p className="error-message" role="alert" data-testid="error-open-sheet">
            {sentence(error.message)}
          </p>
        )}
        <input
          id="open-sheet"
          type="file"
          accept=".lwsheet"
          onChange={async (e) => {
            const f = await readPicked(e.currentTarget);
            if (!f) return;
            setError(null);
            try {
              await api.sheetOpenFile(f.bytes, f.name);
              window.location.reload();
            } catch (err) {
              setError(err as EngineError);
            }
          }}
        />
      </div>
    </section>
  );
}
