// Status shown with words as well as colour (WCAG: no colour-only meaning).
import type { Rag } from "../bindings/Rag";
import type { Stage } from "../bindings/Stage";

const RAG_TEXT: Record<Rag, string> = { red: "Overdue", amber: "Due soon", green: "On track", complete: "Complete" };

export function RagTag({ rag }: { rag: Rag }) {
  return <span className={`tag tag--${rag}`}>{RAG_TEXT[rag]}</span>;
}

export const STAGE_LABEL: Record<Stage, string> = {
  market_engagement: "Market engagement",
  draft_specification: "Draft specification",
  tender: "Tender",
  evaluation: "Evaluation",
  award: "Award",
  contract: "Contract",
  abandoned: "Abandoned",
};

export const PIPELINE: Stage[] = ["market_engagement", "draft_specification", "tender", "evaluation", "award", "contract"];
