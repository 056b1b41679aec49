//! The front half of a lot: market engagement, the specification and the tender. Thin
//! adapters over `ops::engagement`, `ops::spec` and `ops::tender`.
use lotwise::domain::ids::LotId;
use lotwise::domain::spec::SpecDiff;
use lotwise::ops::engagement::{
    self, AddAttendee, AddEngagementEvent, AddEngagementQuestion, AddInterest, EngagementView,
};
use lotwise::ops::spec::{self, AddSpecComment, RespondToComment, SaveSpec, SpecView};
use lotwise::ops::tender::{
    self, AddClarification, DecideLateBid, PublishClarification, RecordBidReceipt, TenderView,
};
use tauri::State;

use super::Res;
use crate::AppState;

#[tauri::command]
pub async fn engagement_view(s: State<'_, AppState>, lot: LotId) -> Res<EngagementView> {
    engagement::view(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn engagement_add_event(
    s: State<'_, AppState>,
    input: AddEngagementEvent,
) -> Res<EngagementView> {
    engagement::add_event(&s.ctx(), input).await
}

#[tauri::command]
pub async fn engagement_add_attendee(
    s: State<'_, AppState>,
    input: AddAttendee,
) -> Res<EngagementView> {
    engagement::add_attendee(&s.ctx(), input).await
}

#[tauri::command]
pub async fn engagement_add_question(
    s: State<'_, AppState>,
    input: AddEngagementQuestion,
) -> Res<EngagementView> {
    engagement::add_question(&s.ctx(), input).await
}

#[tauri::command]
pub async fn engagement_add_interest(
    s: State<'_, AppState>,
    input: AddInterest,
) -> Res<EngagementView> {
    engagement::add_interest(&s.ctx(), input).await
}

#[tauri::command]
pub async fn engagement_set_none(
    s: State<'_, AppState>,
    lot: LotId,
    reason: String,
) -> Res<EngagementView> {
    engagement::set_no_engagement_reason(&s.ctx(), lot, &reason).await
}

#[tauri::command]
pub async fn spec_view(s: State<'_, AppState>, lot: LotId) -> Res<SpecView> {
    spec::view(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn spec_save(s: State<'_, AppState>, input: SaveSpec) -> Res<SpecView> {
    spec::save(&s.ctx(), input).await
}

#[tauri::command]
pub async fn spec_approve(s: State<'_, AppState>, lot: LotId, version: u32) -> Res<SpecView> {
    spec::approve(&s.ctx(), lot, version).await
}

#[tauri::command]
pub async fn spec_compare(s: State<'_, AppState>, lot: LotId, from: u32, to: u32) -> Res<SpecDiff> {
    spec::compare(&s.ctx(), lot, from, to).await
}

#[tauri::command]
pub async fn spec_add_comment(s: State<'_, AppState>, input: AddSpecComment) -> Res<SpecView> {
    spec::add_comment(&s.ctx(), input).await
}

#[tauri::command]
pub async fn spec_respond(s: State<'_, AppState>, input: RespondToComment) -> Res<SpecView> {
    spec::respond(&s.ctx(), input).await
}

#[tauri::command]
pub async fn tender_view(s: State<'_, AppState>, lot: LotId) -> Res<TenderView> {
    tender::view(&s.ctx(), lot).await
}

#[tauri::command]
pub async fn tender_set_closing_time(
    s: State<'_, AppState>,
    lot: LotId,
    time: String,
) -> Res<TenderView> {
    tender::set_closing_time(&s.ctx(), lot, &time).await
}

#[tauri::command]
pub async fn tender_add_clarification(
    s: State<'_, AppState>,
    input: AddClarification,
) -> Res<TenderView> {
    tender::add_clarification(&s.ctx(), input).await
}

#[tauri::command]
pub async fn tender_publish_clarification(
    s: State<'_, AppState>,
    input: PublishClarification,
) -> Res<TenderView> {
    tender::publish_clarification(&s.ctx(), input).await
}

#[tauri::command]
pub async fn tender_record_receipt(
    s: State<'_, AppState>,
    input: RecordBidReceipt,
) -> Res<TenderView> {
    tender::record_receipt(&s.ctx(), input).await
}

#[tauri::command]
pub async fn tender_decide_late(s: State<'_, AppState>, input: DecideLateBid) -> Res<TenderView> {
    tender::decide_late(&s.ctx(), input).await
}

#[tauri::command]
pub async fn tender_to_evaluation(s: State<'_, AppState>, lot: LotId) -> Res<TenderView> {
    tender::send_to_evaluation(&s.ctx(), lot).await
}
