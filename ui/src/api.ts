// Typed wrappers over the Tauri commands; every type comes from the Rust bindings.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AuditPage } from "./bindings/AuditPage";
import type { VerifyReport } from "./bindings/VerifyReport";
import type { OpeningCheck } from "./bindings/OpeningCheck";
import type { AddContract } from "./bindings/AddContract";
import type { AdvanceStage } from "./bindings/AdvanceStage";
import type { Board } from "./bindings/Board";
import type { Contract } from "./bindings/Contract";
import type { CreateLot } from "./bindings/CreateLot";
import type { Error as EngineError } from "./bindings/Error";
import type { ExpiringContract } from "./bindings/ExpiringContract";
import type { Lot } from "./bindings/Lot";
import type { Procurement } from "./bindings/Procurement";
import type { SetMilestone } from "./bindings/SetMilestone";
import type { SetOptionStatus } from "./bindings/SetOptionStatus";
import type { WorkspaceInfo } from "./bindings/WorkspaceInfo";
import type { TeamConnection } from "./bindings/TeamConnection";
import type { EvalState } from "./bindings/EvalState";
import type { EvalResults } from "./bindings/EvalResults";
import type { ModerationBoard } from "./bindings/ModerationBoard";
import type { SaveScore } from "./bindings/SaveScore";
import type { Moderate } from "./bindings/Moderate";
import type { PaperView } from "./bindings/PaperView";
import type { PaperKind } from "./bindings/PaperKind";
import type { PaperDraft } from "./bindings/PaperDraft";
import type { PaperDocument } from "./bindings/PaperDocument";
import type { Edition } from "./bindings/Edition";
import type { GenerationProgress } from "./bindings/GenerationProgress";
import type { AwardView } from "./bindings/AwardView";
import type { AwardPack } from "./bindings/AwardPack";
import type { SetAwardDates } from "./bindings/SetAwardDates";
import type { TupeView } from "./bindings/TupeView";
import type { RouteView } from "./bindings/RouteView";
import type { SetRoute } from "./bindings/SetRoute";
import type { RecordConflicts } from "./bindings/RecordConflicts";
import type { NoticesView } from "./bindings/NoticesView";
import type { PublishNotice } from "./bindings/PublishNotice";
import type { SetTupePlan } from "./bindings/SetTupePlan";
import type { StaffImport } from "./bindings/StaffImport";
import type { SetObligation } from "./bindings/SetObligation";
import type { ReviewPack } from "./bindings/ReviewPack";
import type { PackProgress } from "./bindings/PackProgress";
import type { FinanceView } from "./bindings/FinanceView";
import type { SetBudget } from "./bindings/SetBudget";
import type { SetLotBudget } from "./bindings/SetLotBudget";
import type { SetContribution } from "./bindings/SetContribution";
import type { SetSavings } from "./bindings/SetSavings";
import type { AllocationInput } from "./bindings/AllocationInput";
import type { AllocationPreview } from "./bindings/AllocationPreview";
import type { AppMode } from "./bindings/AppMode";
import type { ImportedScoresheet } from "./bindings/ImportedScoresheet";
import type { SheetView } from "./bindings/SheetView";
import type { SheetScoreInput } from "./bindings/SheetScoreInput";
import type { SheetSubmitted } from "./bindings/SheetSubmitted";
import type { SavedAllocation } from "./bindings/SavedAllocation";
import type { EngagementView } from "./bindings/EngagementView";
import type { AddEngagementEvent } from "./bindings/AddEngagementEvent";
import type { AddAttendee } from "./bindings/AddAttendee";
import type { AddEngagementQuestion } from "./bindings/AddEngagementQuestion";
import type { AddInterest } from "./bindings/AddInterest";
import type { SpecView } from "./bindings/SpecView";
import type { SaveSpec } from "./bindings/SaveSpec";
import type { SpecDiff } from "./bindings/SpecDiff";
import type { AddSpecComment } from "./bindings/AddSpecComment";
import type { RespondToComment } from "./bindings/RespondToComment";
import type { TenderView } from "./bindings/TenderView";
import type { AddClarification } from "./bindings/AddClarification";
import type { PublishClarification } from "./bindings/PublishClarification";
import type { RecordBidReceipt } from "./bindings/RecordBidReceipt";
import type { DecideLateBid } from "./bindings/DecideLateBid";
import type { ImportSummary } from "./bindings/ImportSummary";
import type { RecordRepresentation } from "./bindings/RecordRepresentation";
import type { RecordFurtherDecision } from "./bindings/RecordFurtherDecision";
import type { DecodedText } from "./bindings/DecodedText";

export type { EngineError };

/** Whatever went wrong, the UI gets the engine's error shape back. */
export function asEngineError(e: unknown): EngineError {
  if (e && typeof e === "object" && "code" in e && "message" in e) return e as EngineError;
  return { code: "storage", message: String(e), field: null, details: [] };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asEngineError(e);
  }
}

export const api = {
  appMode: () => call<AppMode>("app_mode"),
  sheetView: () => call<SheetView>("sheet_view"),
  sheetSaveScore: (input: SheetScoreInput) => call<SheetView>("sheet_save_score", { input }),
  sheetImportScores: (bytes: number[], fileName: string) => call<number>("sheet_import_scores", { bytes, fileName }),
  sheetSubmit: (declared: boolean) => call<SheetSubmitted>("sheet_submit", { declared }),
  sheetOpenFile: (bytes: number[], fileName: string) => call<string>("sheet_open_file", { bytes, fileName }),
  sheetClose: () => call<void>("sheet_close"),
  workspaceInfo: () => call<WorkspaceInfo>("workspace_info"),
  board: () => call<Board>("board"),
  lot: (id: number) => call<Lot>("lot_show", { id }),
  createLot: (input: CreateLot) => call<Lot>("lot_create", { input }),
  advance: (input: AdvanceStage) => call<Lot>("lot_advance", { input }),
  setMilestone: (input: SetMilestone) => call<Lot>("lot_set_milestone", { input }),
  procurements: () => call<Procurement[]>("procurements_list"),
  contracts: () => call<Contract[]>("contracts_list"),
  expiring: (withinMonths: number) => call<ExpiringContract[]>("contracts_expiring", { withinMonths }),
  addContract: (input: AddContract) => call<Contract>("contract_add", { input }),
  setOption: (input: SetOptionStatus) => call<Contract>("contract_set_option", { input }),
  auditPage: (offset: number, limit: number) => call<AuditPage>("audit_page", { offset, limit }),
  auditVerify: () => call<VerifyReport>("audit_verify"),
  auditOpeningCheck: () => call<OpeningCheck>("audit_opening_check"),
  evalState: (lot: number) => call<EvalState>("eval_state", { lot }),
  applyTemplate: (lot: number, template: string, expectedVersion?: number) => call<void>("eval_apply_template", { lot, template, expectedVersion }),
  importModel: (lot: number, bytes: number[], fileName: string, expectedVersion?: number) =>
    call<void>("eval_import_model", { lot, bytes, fileName, expectedVersion }),
  exportModel: (lot: number) => call<string>("eval_export_model", { lot }),
  copyModel: (lot: number, from: number, expectedVersion?: number) => call<void>("eval_copy_model", { lot, from, expectedVersion }),
  approveModel: (lot: number) => call<void>("eval_approve", { lot }),
  importBids: (lot: number, bytes: number[], fileName: string) => call<ImportSummary>("eval_import_bids", { lot, bytes, fileName }),
  addPanel: (lot: number, person: string, role: string) => call<void>("eval_add_panel", { lot, person, role }),
  declare: (lot: number, conflict: string | null) => call<void>("eval_declare", { lot, conflict }),
  saveScore: (input: SaveScore) => call<void>("eval_save_score", { input }),
  importScores: (lot: number, bytes: number[], fileName: string) => call<ImportSummary>("eval_import_scores", { lot, bytes, fileName }),
  importConsensus: (lot: number, bytes: number[], fileName: string) => call<ImportSummary>("eval_import_consensus", { lot, bytes, fileName }),
  submitScores: (lot: number) => call<void>("eval_submit", { lot }),
  exportScoresheet: (lot: number, evaluator: string, xlsx: boolean) => call<string>("eval_scoresheet_export", { lot, evaluator, xlsx }),
  importScoresheet: (lot: number, bytes: number[], fileName: string, fingerprint: string | null, receivedFrom: string | null) =>
    call<ImportedScoresheet>("eval_scoresheet_import", { lot, bytes, fileName, fingerprint, receivedFrom }),
  moderation: (lot: number) => call<ModerationBoard>("eval_moderation", { lot }),
  moderate: (input: Moderate) => call<void>("eval_moderate", { input }),
  signOff: (lot: number) => call<void>("eval_sign_off", { lot }),
  reopen: (lot: number, reason: string) => call<void>("eval_reopen", { lot, reason }),
  results: (lot: number) => call<EvalResults>("eval_results", { lot }),
  paper: (lot: number, kind: PaperKind) => call<PaperView>("paper_view", { lot, kind }),
  savePaper: (lot: number, kind: PaperKind, draft: PaperDraft, basedOn?: number) =>
    call<PaperView>("paper_save", { lot, kind, draft, basedOn }),
  restorePaper: (lot: number, kind: PaperKind, version: number) =>
    call<PaperView>("paper_restore", { lot, kind, version }),
  /** The rendered pages of the unsaved draft, as PDF bytes. */
  previewPaper: (lot: number, kind: PaperKind, draft: PaperDraft) =>
    call<ArrayBuffer>("paper_preview", { lot, kind, draft }),
  generatePaper: (lot: number, kind: PaperKind, edition: Edition, onProgress: (p: GenerationProgress) => void) => {
    const channel = new Channel<GenerationProgress>();
    channel.onmessage = onProgress;
    return call<PaperDocument | null>("paper_generate", { lot, kind, edition, onProgress: channel });
  },
  /** Opens a kept paper in the system PDF viewer; returns where it was written. */
  openPaper: (id: number) => call<string>("paper_open", { id }),
  /** The kept paper as a web page (one HTML file), opened in the browser; returns its path. */
  openPaperHtml: (id: number) => call<string>("paper_open_html", { id }),
  switchIdentity: (user: string, role: string) => call<WorkspaceInfo>("identity_switch", { user, role }),
  openTeam: (input: TeamConnection) => call<WorkspaceInfo>("workspace_open_team", { input }),
  openLaptop: () => call<WorkspaceInfo>("workspace_open_laptop"),
  award: (lot: number) => call<AwardView>("award_view", { lot }),
  setAwardDates: (input: SetAwardDates) => call<AwardView>("award_set_dates", { input }),
  recordRepresentation: (input: RecordRepresentation) => call<AwardView>("award_record_representation", { input }),
  recordFurtherDecision: (input: RecordFurtherDecision) => call<AwardView>("award_record_further_decision", { input }),
  buildPack: (lot: number, onProgress: (p: PackProgress) => void) => {
    const channel = new Channel<PackProgress>();
    channel.onmessage = onProgress;
    return call<AwardPack>("award_build_pack", { lot, onProgress: channel });
  },
  /** A kept pack's PDF bytes, read in the app. */
  packBytes: (id: number) => call<ArrayBuffer>("award_pack_bytes", { id }),
  reviewPack: (input: ReviewPack) => call<AwardPack>("award_review", { input }),
  openPack: (id: number) => call<string>("award_pack_open", { id }),
  finance: (procurement: number) => call<FinanceView>("finance_view", { procurement }),
  setBudget: (input: SetBudget) => call<FinanceView>("finance_set_budget", { input }),
  setLotBudget: (input: SetLotBudget) => call<FinanceView>("finance_set_lot_budget", { input }),
  setContribution: (input: SetContribution) => call<FinanceView>("finance_set_contribution", { input }),
  removeContribution: (procurement: number, id: number) =>
    call<FinanceView>("finance_remove_contribution", { procurement, id }),
  setSavings: (input: SetSavings) => call<FinanceView>("finance_set_savings", { input }),
  clearSavings: (procurement: number) => call<FinanceView>("finance_clear_savings", { procurement }),
  allocationPreview: (input: AllocationInput) => call<AllocationPreview>("allocation_preview", { input }),
  /** A picked file's text as the engine reads it (UTF-8, or Windows-1252 from Excel). */
  decodeText: (bytes: number[], fileName: string, field: string) => call<DecodedText>("text_file_decode", { bytes, fileName, field }),
  allocationSave: (procurement: number, input: AllocationInput) =>
    call<SavedAllocation>("allocation_save", { procurement, input }),
  route: (lot: number) => call<RouteView>("route_view", { lot }),
  setRoute: (input: SetRoute) => call<RouteView>("route_set", { input }),
  recordConflicts: (input: RecordConflicts) => call<RouteView>("route_record_conflicts", { input }),
  setSection75Item: (lot: number, item: string, agreed: boolean, note: string) =>
    call<RouteView>("route_set_section75_item", { lot, item, agreed, note }),
  notices: (lot: number) => call<NoticesView>("notices_view", { lot }),
  publishNotice: (input: PublishNotice) => call<NoticesView>("notices_publish", { input }),
  engagement: (lot: number) => call<EngagementView>("engagement_view", { lot }),
  addEngagementEvent: (input: AddEngagementEvent) => call<EngagementView>("engagement_add_event", { input }),
  addAttendee: (input: AddAttendee) => call<EngagementView>("engagement_add_attendee", { input }),
  addEngagementQuestion: (input: AddEngagementQuestion) => call<EngagementView>("engagement_add_question", { input }),
  addInterest: (input: AddInterest) => call<EngagementView>("engagement_add_interest", { input }),
  setNoEngagement: (lot: number, reason: string) => call<EngagementView>("engagement_set_none", { lot, reason }),
  spec: (lot: number) => call<SpecView>("spec_view", { lot }),
  saveSpec: (input: SaveSpec) => call<SpecView>("spec_save", { input }),
  approveSpec: (lot: number, version: number) => call<SpecView>("spec_approve", { lot, version }),
  compareSpec: (lot: number, from: number, to: number) => call<SpecDiff>("spec_compare", { lot, from, to }),
  addSpecComment: (input: AddSpecComment) => call<SpecView>("spec_add_comment", { input }),
  respondToComment: (input: RespondToComment) => call<SpecView>("spec_respond", { input }),
  tender: (lot: number) => call<TenderView>("tender_view", { lot }),
  setClosingTime: (lot: number, time: string) => call<TenderView>("tender_set_closing_time", { lot, time }),
  addClarification: (input: AddClarification) => call<TenderView>("tender_add_clarification", { input }),
  publishClarification: (input: PublishClarification) => call<TenderView>("tender_publish_clarification", { input }),
  recordReceipt: (input: RecordBidReceipt) => call<TenderView>("tender_record_receipt", { input }),
  decideLate: (input: DecideLateBid) => call<TenderView>("tender_decide_late", { input }),
  sendToEvaluation: (lot: number) => call<TenderView>("tender_to_evaluation", { lot }),
  tupe: (lot: number) => call<TupeView>("tupe_view", { lot }),
  tupeOverdue: (lot: number) => call<number>("tupe_overdue", { lot }),
  setTupePlan: (input: SetTupePlan) => call<TupeView>("tupe_set_plan", { input }),
  importStaff: (lot: number, bytes: number[], fileName: string) => call<StaffImport>("tupe_import_staff", { lot, bytes, fileName }),
  setObligation: (input: SetObligation) => call<TupeView>("tupe_set_obligation", { input }),
  /** The TUPE checklist as at today, as PDF bytes. */
  checklistBytes: (lot: number) => call<ArrayBuffer>("tupe_checklist_bytes", { lot }),
  openChecklist: (lot: number) => call<string>("tupe_checklist_open", { lot }),
};

/** "12 scores from scores.csv (read as Windows-1252)". */
export function importedNote(s: ImportSummary, what: string): string {
  const n = `${s.rows} ${what}${s.rows === 1 ? "" : "s"} from ${s.file}`;
  return s.readAs ? `${n} (${s.readAs})` : n;
}
