// The Evaluation tab's scoring: who may score, then the shared grid saving to the workspace.
import { useMemo } from "react";
import { api, importedNote } from "../../api";
import type { EvalState } from "../../bindings/EvalState";
import { ScoringGrid, cellKey, type Draft } from "./ScoringGrid";

export function ScoringTab({ state, reload }: { state: EvalState; reload: () => void }) {
  const me = state.panel.find((m) => m.person === state.viewer);
  const model = state.model;
  const mine = useMemo(() => {
    const m = new Map<string, Draft>();
    for (const s of state.scores) if (s.evaluator === state.viewer) m.set(cellKey(s.bidId, s.question), { score: String(s.score), justification: s.justification });
    return m;
  }, [state]);
  const bids = useMemo(() => state.bids.map((b) => ({ id: b.id, name: b.lead.name })), [state]);

  if (!me || me.role !== "evaluator") return <p>Only evaluators on this lot’s panel score it. {state.access.role === "moderator" ? "As moderator, you work on the Moderation tab." : ""}</p>;
  if (!me.declaredAt || me.conflict) return <p>{state.access.withheld}</p>;
  if (!model) return <p>The lot has no evaluation model.</p>;
  if (state.stage !== "evaluation" && !me.submittedAt) return <p>Scoring opens when the lot reaches evaluation.</p>;
  return (
    <>
      <Progress state={state} />
      <ScoringGrid
        lotReference={state.lotReference}
        model={model}
        bids={bids}
        mine={mine}
        submitted={!!me.submittedAt}
        submittedNote={<p className="inset">You submitted your scores on {new Date(me.submittedAt!).toLocaleString("en-GB")}. They are shown here as submitted and never change.</p>}
        submitWhat="Once submitted, your scores never change, and you can see the other evaluators’ submitted scores."
        reload={reload}
        actions={{
          save: (bidId, question, score, justification) => api.saveScore({ lotId: state.lotId, bidId, question, score, justification }),
          importCsv: async (bytes, fileName) => `Imported ${importedNote(await api.importScores(state.lotId, bytes, fileName), "score")}.`,
          submit: async () => {
            await api.submitScores(state.lotId);
            return "Your scores are submitted. They can no longer change.";
          },
        }}
      />
    </>
  );
}

export function Progress({ state }: { state: EvalState }) {
  if (state.progress.length === 0) return null;
  return (
    <ul className="progress" data-testid="progress">
      {state.progress.map((p) => (
        <li key={p.evaluator}>
          <span>{p.evaluator}</span>
          <meter min={0} max={p.required || 1} value={p.scored} aria-label={`${p.evaluator}: ${p.scored} of ${p.required}`} />
          <span>
            {p.scored} of {p.required}
            {p.submitted ? " · submitted" : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}
