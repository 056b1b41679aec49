// A lot's evaluation: the model and panel, the evaluator's blind scoring grid, the
// moderation board and the results. What each person may see is decided by the engine.
import { useCallback, useEffect, useState } from "react";
import { useWorkspaceChanges } from "../../changes";
import { Link, useParams, useSearchParams } from "react-router";
import { api, type EngineError } from "../../api";
import type { EvalState } from "../../bindings/EvalState";
import { sentence } from "../../components/forms";
import { STAGE_LABEL } from "../../components/status";
import { ModelTab } from "./ModelTab";
import { ModerationTab } from "./ModerationTab";
import { ResultsTab } from "./ResultsTab";
import { ScoringTab } from "./ScoringTab";

const TABS = [
  ["model", "Model, bids and panel"],
  ["scoring", "My scores"],
  ["moderation", "Moderation"],
  ["results", "Results"],
] as const;
type Tab = (typeof TABS)[number][0];

export function EvaluationPage() {
  const lotId = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const tab = (params.get("tab") as Tab) || "model";
  const [state, setState] = useState<EvalState | null>(null);
  const [loadError, setLoadError] = useState<EngineError | null>(null);
  const reload = useCallback(() => {
    api.evalState(lotId).then(setState, setLoadError);
  }, [lotId]);
  useEffect(() => {
    reload();
  }, [reload]);
  useWorkspaceChanges(reload);

  if (loadError) return <p className="error-message">{sentence(loadError.message)}</p>;
  if (!state) return <p aria-busy="true">Loading the evaluation…</p>;
  return (
    <>
      <p>
        <Link to={`/lots/${lotId}`}>← Back to the lot</Link>
      </p>
      <span className="caption">
        {state.lotReference} · {STAGE_LABEL[state.stage]} · you are {state.viewer}
        {state.access.role ? ` (${state.access.role} on this panel)` : " (not on the panel)"}
      </span>
      <h1 data-testid="eval-title">Evaluation: {state.lotTitle}</h1>
      {state.access.withheld && (
        <p className="inset" data-testid="withheld">
          {state.access.withheld}
        </p>
      )}
      <nav className="tabs" aria-label="Evaluation">
        {TABS.map(([key, label]) => (
          <button
            key={key}
            type="button"
            className={key === tab ? "tab tab--current" : "tab"}
            aria-current={key === tab ? "page" : undefined}
            data-testid={`tab-${key}`}
            onClick={() => setParams({ tab: key })}
          >
            {label}
          </button>
        ))}
      </nav>
      {tab === "model" && <ModelTab state={state} reload={reload} />}
      {tab === "scoring" && <ScoringTab state={state} reload={reload} />}
      {tab === "moderation" && <ModerationTab state={state} reload={reload} />}
      {tab === "results" && <ResultsTab state={state} />}
    </>
  );
}

/** Reads a file the user picked as bytes: the engine decodes it (UTF-8, or Windows-1252 as
 * Excel writes it), exactly as the command line does. */
export async function readPicked(input: HTMLInputElement): Promise<{ bytes: number[]; name: string } | null> {
  const file = input.files?.[0];
  if (!file) return null;
  return { bytes: Array.from(new Uint8Array(await file.arrayBuffer())), name: file.name };
}
