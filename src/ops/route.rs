//! Route to market use cases: record the route and the conflicts assessment, the Section 75
//! checklist, the notices the route requires (each a form filled from the workspace, with
//! what is missing), and the lot's timeline of milestones, notices and time limits.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Ctx, field, long_text, optional};
use crate::domain::dates;
use crate::domain::engagement::EngagementRecords;
use crate::domain::ids::LotId;
use crate::domain::lot::Lot;
use crate::domain::milestone::Rag;
use crate::domain::milestone::{
    CLARIFICATION_DEADLINE, MARKET_ENGAGEMENT_EVENT, SUBMISSION_DEADLINE,
};
use crate::domain::roles::Action;
use crate::domain::route::conflicts::ConflictsAssessment;
use crate::domain::route::notices::{self, NoticeDates, NoticeKind, PublishedNotice};
use crate::domain::route::section75::{self, ChecklistItem};
use crate::domain::route::time_limits::{self, DateCheck};
use crate::domain::route::{
    self, Authority, ContractKind, LotValueFacts, Regime, Route, RouteAssessment, RouteChoice,
    assess,
};
use crate::domain::stage::Stage;
use crate::error::{Error, Result};
use crate::store::{NewAuditEvent, NewConflictsAssessment, RouteRecords, Tx};

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RouteOption {
    pub route: Route,
    pub label: String,
    pub regime: Regime,
    pub needs_justification: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TimelineKind {
    Milestone,
    Notice,
    TimeLimit,
}

/// One point on the lot's timeline chart.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimelineEntry {
    pub date: NaiveDate,
    pub kind: TimelineKind,
    pub label: String,
    /// "Complete", "Overdue", "Due soon", "On track", "Published", "Not yet published", or
    /// for a time limit what it means.
    pub status: String,
    pub late: bool,
}

/// Everything the route tab shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RouteView {
    pub lot_id: LotId,
    pub stage: Stage,
    pub today: NaiveDate,
    pub assessment: Option<RouteAssessment>,
    pub options: Vec<RouteOption>,
    /// Newest first; the first is the current one.
    pub conflicts: Vec<ConflictsAssessment>,
    /// Only for Section 75 lots.
    pub section75: Option<Vec<ChecklistItem>>,
    /// The tender dates against the route's minimum time limits.
    pub tender_checks: Vec<DateCheck>,
    /// What the lot still needs before it may enter the tender stage (empty when ready).
    pub tender_gate: Vec<String>,
    pub timeline: Vec<TimelineEntry>,
}

struct Gathered {
    lot: Lot,
    records: RouteRecords,
    engagement: EngagementRecords,
    assessment: Option<RouteAssessment>,
}

async fn gather(ctx: &Ctx, lot_id: LotId) -> Result<Gathered> {
    let lot = super::lots::show(ctx, lot_id).await?;
    let records = records(ctx, lot_id).await?;
    let engagement = super::engagement::records(ctx, lot_id).await?;
    let today = ctx.clock.today();
    let facts = LotValueFacts::of(&lot, today, engagement.held_by(today), &records.notices);
    let assessment = records.route.clone().map(|c| assess(c, &facts));
    Ok(Gathered {
        lot,
        records,
        engagement,
        assessment,
    })
}

/// The lot's tendering period as the route decides it (None without a route, or for routes
/// with no tender), for papers that print the timetable.
pub async fn tendering_period(
    ctx: &Ctx,
    lot_id: LotId,
) -> Result<Option<time_limits::TenderingPeriod>> {
    Ok(gather(ctx, lot_id)
        .await?
        .assessment
        .and_then(|a| a.tendering_period))
}

pub async fn view(ctx: &Ctx, lot_id: LotId) -> Result<RouteView> {
    let g = gather(ctx, lot_id).await?;
    let today = ctx.clock.today();
    let dates = route::tender_dates(&g.lot);
    let tender_checks = match &g.assessment {
        Some(a) if a.choice.route.is_competed() => {
            time_limits::check(a.tendering_period.as_ref(), dates)
        }
        _ => Vec::new(),
    };
    // Only a lot not yet at tender has a gate ahead of it.
    let tender_gate = if matches!(
        g.lot.stage,
        Stage::MarketEngagement | Stage::DraftSpecification
    ) {
        route::tender_gate(
            g.assessment.as_ref(),
            !g.records.conflicts.is_empty(),
            g.records.approved_spec,
            dates,
        )
    } else {
        Vec::new()
    };
    let section75 = g
        .assessment
        .as_ref()
        .filter(|a| a.choice.route == Route::Section75)
        .map(|_| section75::checklist(&g.records.section75));
    Ok(RouteView {
        lot_id,
        stage: g.lot.stage,
        today,
        options: Route::ALL
            .iter()
            .map(|r| RouteOption {
                route: *r,
                label: r.label().into(),
                regime: r.regime(),
                needs_justification: r.needs_justification(),
            })
            .collect(),
        timeline: timeline(&g, today),
        assessment: g.assessment,
        conflicts: g.records.conflicts,
        section75,
        tender_checks,
        tender_gate,
    })
}

/// The route as typed in the form or on the command line.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetRoute {
    pub lot_id: LotId,
    pub route: String,
    pub reason: String,
    pub justification: String,
    /// sub_central (councils) or central.
    pub authority: String,
    /// services, goods or works.
    pub kind: String,
    pub vat_chargeable: bool,
    /// Tenders may be submitted electronically.
    pub electronic: bool,
    /// The tender notice and every associated tender document are provided together.
    pub documents_with_notice: bool,
    /// The state of urgency relied on for the 10-day period (s54(4) row 5), with its
    /// reason; empty when none.
    pub urgency: String,
}

pub async fn set_route(ctx: &Ctx, input: SetRoute) -> Result<RouteView> {
    let w = ctx.act(Action::ManageRoute)?;
    let route = Route::parse(&input.route)?;
    let reason = input.reason.trim().to_string();
    if reason.chars().count() < 10 {
        return Err(Error::validation(
            "reason",
            "give the reason for choosing this route (at least 10 characters); it is kept in the record",
        ));
    }
    if reason.chars().count() > 4000 {
        return Err(Error::validation(
            "reason",
            "the reason must be 4,000 characters or fewer",
        ));
    }
    let justification = optional(Some(&input.justification)).map(str::to_string);
    if route.needs_justification() && justification.is_none() {
        return Err(Error::validation(
            "justification",
            match route {
                Route::DirectAward => {
                    "give the justification for a direct award: the Schedule 5 paragraph relied on, or section 43 after a failed competition"
                }
                Route::Extension => {
                    "give the justification for the extension or modification: the contract's option, or the Schedule 8 ground relied on"
                }
                _ => {
                    "give the basis in the Provider Selection Regime regulations for awarding by this process"
                }
            },
        ));
    }
    let choice = RouteChoice {
        route,
        reason,
        justification,
        authority: field("authority", Authority::parse(&input.authority))?,
        kind: field("kind", ContractKind::parse(&input.kind))?,
        vat_chargeable: input.vat_chargeable,
        electronic: input.electronic,
        documents_with_notice: input.documents_with_notice,
        urgency: match optional(Some(&input.urgency)) {
            None => None,
            Some(u) if u.chars().count() < 10 => {
                return Err(Error::validation(
                    "urgency",
                    "say what the state of urgency is and why any other minimum period is impractical (at least 10 characters; s54(4) row 5)",
                ));
            }
            Some(u) if u.chars().count() > 4000 => {
                return Err(Error::validation(
                    "urgency",
                    "the urgency reason must be 4,000 characters or fewer",
                ));
            }
            Some(u) => Some(u.to_string()),
        },
        decided_by: w.actor.clone(),
        decided_at: w.at,
    };
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    let before = tx.route().route(lot).await?;
    tx.route().set_route(lot, &choice, &w).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(&w, "route.set", "lot", Some(lot.0))
                .before_opt(before.as_ref())
                .after(&choice),
        )
        .await?;
    tx.commit().await?;
    view(ctx, input.lot_id).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordConflicts {
    pub lot_id: LotId,
    /// 24/11/2026 or 2026-11-24.
    pub assessed_on: String,
    pub scope: String,
    pub findings: String,
    pub mitigations: String,
}

pub async fn record_conflicts(ctx: &Ctx, input: RecordConflicts) -> Result<RouteView> {
    let w = ctx.act(Action::ManageRoute)?;
    let assessed_on = field("assessedOn", dates::parse(&input.assessed_on))?;
    if assessed_on > w.today {
        return Err(Error::validation(
            "assessedOn",
            format!(
                "the assessment date, {}, is in the future",
                dates::long(assessed_on)
            ),
        ));
    }
    let text = long_text;
    let a = NewConflictsAssessment {
        assessed_on,
        scope: text("scope", "people and roles assessed", &input.scope)?,
        findings: text(
            "findings",
            "conflicts found (or “none identified”)",
            &input.findings,
        )?,
        mitigations: input.mitigations.trim().to_string(),
    };
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    let id = tx.route().insert_conflicts(lot, &a, &w).await?;
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let after = serde_json::json!({"lotId": lot, "assessedOn": iso(a.assessed_on), "scope": a.scope,
        "findings": a.findings, "mitigations": a.mitigations});
    tx.audit()
        .append(
            NewAuditEvent::new(&w, "conflicts.assessed", "conflicts_assessment", Some(id))
                .after(&after),
        )
        .await?;
    tx.commit().await?;
    view(ctx, input.lot_id).await
}

pub async fn set_section75_item(
    ctx: &Ctx,
    lot: LotId,
    item: &str,
    agreed: bool,
    note: &str,
) -> Result<RouteView> {
    let w = ctx.act(Action::ManageRoute)?;
    section75::item_title(item)?;
    if note.chars().count() > 4000 {
        return Err(Error::validation(
            "note",
            "the note must be 4,000 characters or fewer",
        ));
    }
    let note = note.trim();
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    tx.route()
        .set_section75_item(lot, item, agreed, note)
        .await?;
    let after = serde_json::json!({"lotId": lot, "item": item, "agreed": agreed, "note": note});
    tx.audit()
        .append(NewAuditEvent::new(&w, "section75.item_set", "lot", Some(lot.0)).after(&after))
        .await?;
    tx.commit().await?;
    view(ctx, lot).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NoticeStatus {
    Draft,
    Ready,
    Published,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NoticeField {
    pub label: String,
    /// None when the workspace does not hold it yet.
    pub value: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NoticeForm {
    pub kind: NoticeKind,
    pub code: String,
    pub title: String,
    pub fields: Vec<NoticeField>,
    /// What must be recorded before it can be published, one line each.
    pub missing: Vec<String>,
    pub status: NoticeStatus,
    pub published: Option<PublishedNotice>,
    pub due: Option<NaiveDate>,
    pub due_rule: String,
    /// Not published and its date has passed.
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NoticesView {
    pub lot_id: LotId,
    pub lot_reference: String,
    pub route: Option<Route>,
    pub notices: Vec<NoticeForm>,
    /// Why the list is empty, when it is.
    pub note: Option<String>,
}

pub async fn notices(ctx: &Ctx, lot_id: LotId) -> Result<NoticesView> {
    let g = gather(ctx, lot_id).await?;
    let forms = forms(ctx, &g).await;
    let note = match &g.assessment {
        None => Some("Record the route to market first: the notices follow from it.".to_string()),
        Some(a) if forms.is_empty() => Some(format!(
            "{}: no notices are required on this route.",
            a.route_label
        )),
        Some(_) => None,
    };
    Ok(NoticesView {
        lot_id,
        lot_reference: g.lot.reference.clone(),
        route: g.assessment.as_ref().map(|a| a.choice.route),
        notices: forms,
        note,
    })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PublishNotice {
    pub lot_id: LotId,
    /// uk2, uk4, uk5, uk6, uk7, uk10, psr_contract, psr_intention, psr_direct_award or
    /// psr_confirmation.
    pub kind: String,
    /// 24/11/2026 or 2026-11-24.
    pub published_on: String,
    /// The notice's identifier on Find a Tender (optional).
    pub reference: String,
}

/// Records a notice as published: refused while its form lacks anything, or for a notice
/// the route does not require.
pub async fn publish_notice(ctx: &Ctx, input: PublishNotice) -> Result<NoticesView> {
    let w = ctx.act(Action::ManageRoute)?;
    let kind = field("kind", NoticeKind::parse(&input.kind))?;
    let published_on = field("publishedOn", dates::parse(&input.published_on))?;
    if published_on > w.today {
        return Err(Error::validation(
            "publishedOn",
            format!(
                "the publication date, {}, is in the future: record a notice once it is published",
                dates::long(published_on)
            ),
        ));
    }
    let view = notices(ctx, input.lot_id).await?;
    let Some(form) = view.notices.iter().find(|f| f.kind == kind) else {
        return Err(Error::validation(
            "kind",
            format!(
                "the route recorded for this lot does not require a {} ({})",
                kind.title().to_lowercase(),
                kind.code()
            ),
        ));
    };
    if !form.missing.is_empty() {
        let mut e = Error::validation(
            "kind",
            format!(
                "the {} cannot be recorded as published yet: it needs {}",
                kind.title().to_lowercase(),
                form.missing.join("; ")
            ),
        );
        e.details = form.missing.clone();
        return Err(e);
    }
    let n = PublishedNotice {
        kind,
        published_on,
        reference: input.reference.trim().to_string(),
        recorded_by: w.actor.clone(),
    };
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    // Read in the same transaction as the write: an assessment cannot vanish in between.
    route::notices::may_publish(kind, !tx.route().conflicts(lot).await?.is_empty())?;
    let before = tx
        .route()
        .notices(lot)
        .await?
        .into_iter()
        .find(|p| p.kind == n.kind);
    tx.route().publish_notice(lot, &n, &w).await?;
    tx.audit()
        .append(
            NewAuditEvent::new(&w, "notice.published", "lot", Some(lot.0))
                .before_opt(before.as_ref())
                .after(&n),
        )
        .await?;
    tx.commit().await?;
    notices(ctx, input.lot_id).await
}

fn date_field(label: &str, d: Option<NaiveDate>) -> NoticeField {
    NoticeField {
        label: label.into(),
        value: d.map(dates::long),
    }
}

fn text_field(label: &str, v: Option<String>) -> NoticeField {
    NoticeField {
        label: label.into(),
        value: v.filter(|s| !s.trim().is_empty()),
    }
}

/// Each required notice filled from the workspace.
async fn forms(ctx: &Ctx, g: &Gathered) -> Vec<NoticeForm> {
    let Some(a) = &g.assessment else {
        return Vec::new();
    };
    let lot = &g.lot;
    let today = ctx.clock.today();
    let route = a.choice.route;
    let nd = NoticeDates::of(lot);
    // Only looked up when a notice needs it: it computes the evaluation results.
    let needs_winner = a.notices.iter().any(|k| {
        matches!(
            k,
            NoticeKind::Uk6
                | NoticeKind::Uk7
                | NoticeKind::PsrIntention
                | NoticeKind::PsrConfirmation
                | NoticeKind::PsrDirectAward
        )
    });
    let winner = if needs_winner {
        super::eval::winning_tender(ctx, lot).await
    } else {
        None
    };
    let eval_approved =
        crate::ops::eval::load::read(ctx, lot.id, "", crate::domain::eval::EvalScope::Consensus)
            .await
            .is_ok_and(|st| st.approved.is_some());
    let published = |k: NoticeKind| g.records.notices.iter().find(|n| n.kind == k).cloned();
    let dates = route::tender_dates(lot);
    let period_ok = time_limits::check(a.tendering_period.as_ref(), dates)
        .iter()
        .all(|c| c.ok);
    let conflicts = g.records.conflicts.first();

    a.notices
        .iter()
        .map(|&kind| {
            let mut fields = vec![
                text_field(
                    "Contracting authority",
                    lot.procurement.commissioners.first().map(|o| o.name.clone()),
                ),
                text_field("Procurement", Some(lot.procurement.title.clone())),
                text_field("Lot", Some(format!("{} {}", lot.reference, lot.title))),
                text_field("Description of the requirement", Some(lot.procurement.service.clone())),
                text_field("Procedure", Some(a.route_label.clone())),
                text_field(
                    "Estimated value (including VAT, whole term)",
                    a.value.as_ref().map(|v| v.including_vat.display()),
                ),
                text_field("Contract term", lot.term.as_ref().map(|t| t.describe())),
            ];
            let mut missing = Vec::new();
            match kind {
                NoticeKind::Uk2 => {
                    let events = &g.engagement.events;
                    fields.push(text_field(
                        "Engagement events",
                        (!events.is_empty()).then(|| {
                            events.iter().map(|e| format!("{} ({}, {})", e.title, e.format.label().to_lowercase(), dates::long(e.held_on))).collect::<Vec<_>>().join("; ")
                        }),
                    ));
                    if events.is_empty() {
                        fields.push(date_field("Engagement event (planned)", lot.milestone_date(MARKET_ENGAGEMENT_EVENT)));
                    }
                    fields.push(text_field("What the engagement covers", events.iter().map(|e| e.agenda.trim()).find(|a| !a.is_empty()).map(str::to_string)));
                }
                NoticeKind::Uk3 => {
                    fields.push(date_field("Planned tender notice date", nd.tender_notice));
                    fields.push(text_field(
                        "Effect on the tendering period",
                        a.tendering_period.as_ref().map(|p| match &p.planned_notice {
                            Some(t) => t.reason.clone(),
                            None => match nd.tender_notice {
                                Some(t) => time_limits::planned_notice(today, t).reason.replacen(
                                    "Qualifies",
                                    "Published today it would qualify",
                                    1,
                                ).replacen("Does not qualify", "Published today it would not qualify", 1),
                                None => "plan the tender notice to see whether it would qualify".into(),
                            },
                        }),
                    ));
                }
                NoticeKind::Uk4 | NoticeKind::PsrContract => {
                    fields.push(date_field("Tender notice date", nd.tender_notice));
                    fields.push(date_field("Clarification deadline", lot.milestone_date(CLARIFICATION_DEADLINE)));
                    fields.push(date_field("Submission deadline", lot.milestone_date(SUBMISSION_DEADLINE)));
                    fields.push(text_field("Award criteria", eval_approved.then(|| "Evaluation model approved (criteria, weightings and price method)".to_string())));
                    fields.push(text_field(
                        "Conflicts assessment",
                        conflicts.map(|c| format!("Recorded on {} by {}", dates::long(c.assessed_on), c.recorded_by)),
                    ));
                    fields.push(text_field(
                        "Specification",
                        g.records.approved_spec.map(|v| format!("Version {v}, approved")),
                    ));
                    if kind == NoticeKind::Uk4 {
                        let engagement = if a.notices.contains(&NoticeKind::Uk2) {
                            published(NoticeKind::Uk2).map(|p| format!("UK2 published {}", dates::long(p.published_on)))
                        } else if g.engagement.held_by(today) {
                            Some("Carried out; no UK2 notice is required on this route".into())
                        } else {
                            g.engagement.no_engagement_reason.as_ref().map(|r| format!("None carried out: {r}"))
                        };
                        fields.push(text_field("Preliminary market engagement", engagement));
                    }
                    if !period_ok {
                        missing.push("tender dates that meet the minimum tendering period (see the route tab)".to_string());
                    }
                }
                NoticeKind::Uk5 | NoticeKind::PsrDirectAward | NoticeKind::Uk10 => {
                    fields.push(text_field("Justification", a.choice.justification.clone()));
                    if kind == NoticeKind::Uk10 {
                        fields.push(text_field("Contract being changed", lot.replaces_contract.as_ref().map(|c| format!("{} {} ({})", c.reference, c.title, c.provider))));
                    }
                    if kind == NoticeKind::PsrDirectAward {
                        fields.push(text_field("Provider", lot.replaces_contract.as_ref().map(|c| c.provider.clone()).or(winner.as_ref().map(|w| w.0.clone()))));
                        fields.push(date_field("Contract start", nd.contract_start));
                    }
                }
                NoticeKind::Uk6 | NoticeKind::PsrIntention => {
                    fields.push(text_field("Successful supplier", winner.as_ref().map(|w| w.0.clone())));
                    fields.push(text_field("Annual price", winner.as_ref().map(|w| w.1.display())));
                    fields.push(date_field("Award decision", nd.award_decision));
                }
                NoticeKind::Uk7 | NoticeKind::PsrConfirmation => {
                    fields.push(text_field("Supplier", winner.as_ref().map(|w| w.0.clone())));
                    fields.push(text_field("Annual price", winner.as_ref().map(|w| w.1.display())));
                    fields.push(date_field("Contract entered into (signed)", nd.contract_signed));
                    fields.push(date_field("Contract start", nd.contract_start));
                }
            }
            missing.splice(0..0, fields.iter().filter(|f| f.value.is_none()).map(|f| f.label.to_lowercase()));
            if kind == NoticeKind::Uk4 && a.notices.contains(&NoticeKind::Uk2) && published(NoticeKind::Uk2).is_none() {
                // The label is already listed; say why.
                missing.retain(|m| m != "preliminary market engagement");
                missing.push("the preliminary market engagement notice (UK2) published first".into());
            } else if kind == NoticeKind::Uk4 && missing.iter().any(|m| m == "preliminary market engagement") {
                missing.retain(|m| m != "preliminary market engagement");
                missing.push("the reasons for having no preliminary market engagement (engagement tab)".into());
            }
            if missing.iter().any(|m| m == "specification") {
                missing.retain(|m| m != "specification");
                missing.push("an approved specification (specification tab)".into());
            }
            let published = published(kind);
            let status = match (&published, missing.is_empty()) {
                (Some(_), _) => NoticeStatus::Published,
                (None, true) => NoticeStatus::Ready,
                (None, false) => NoticeStatus::Draft,
            };
            let (due, due_rule) = notices::deadline(kind, route, nd);
            NoticeForm {
                kind,
                code: kind.code().into(),
                title: kind.title().into(),
                fields,
                missing,
                status,
                overdue: !kind.optional() && published.is_none() && due.is_some_and(|d| d < today),
                published,
                due,
                due_rule,
            }
        })
        .collect()
}

/// Milestones, notice deadlines (or publication dates) and the earliest lawful submission
/// deadline. Built from dates alone: the notices' forms, which need the evaluation, are not.
fn timeline(g: &Gathered, today: NaiveDate) -> Vec<TimelineEntry> {
    let mut out: Vec<TimelineEntry> = g
        .lot
        .milestones
        .iter()
        .map(|m| TimelineEntry {
            date: m.actual.unwrap_or(m.planned),
            kind: TimelineKind::Milestone,
            label: m.title.clone(),
            status: m.rag.label().into(),
            late: m.rag == Rag::Red,
        })
        .collect();
    for e in &g.engagement.events {
        out.push(TimelineEntry {
            date: e.held_on,
            kind: TimelineKind::Milestone,
            label: format!("Engagement: {}", e.title),
            status: if e.held_on <= today {
                "Held"
            } else {
                "Planned"
            }
            .into(),
            late: false,
        });
    }
    if let Some(a) = &g.assessment {
        let nd = NoticeDates::of(&g.lot);
        for &kind in &a.notices {
            let published = g.records.notices.iter().find(|n| n.kind == kind);
            let due = notices::deadline(kind, a.choice.route, nd).0;
            let overdue = !kind.optional() && published.is_none() && due.is_some_and(|d| d < today);
            let (date, status) = match (published, due) {
                (Some(p), _) => (p.published_on, "Published"),
                (None, Some(d)) if overdue => (d, "Overdue"),
                (None, Some(d)) if kind.optional() => (d, "Optional: last day to qualify"),
                (None, Some(d)) => (d, "Not yet published"),
                (None, None) => continue,
            };
            out.push(TimelineEntry {
                date,
                kind: TimelineKind::Notice,
                label: format!("{} {}", kind.code(), kind.title().to_lowercase()),
                status: status.into(),
                late: overdue,
            });
        }
    }
    if let Some(a) = &g.assessment
        && let Some(p) = &a.tendering_period
        && let (Some(days), Some(earliest)) = (p.min_days, p.earliest_deadline)
    {
        let late = g
            .lot
            .milestone_date(SUBMISSION_DEADLINE)
            .is_some_and(|s| s < earliest);
        out.push(TimelineEntry {
            date: earliest,
            kind: TimelineKind::TimeLimit,
            label: format!(
                "Earliest lawful submission deadline ({days}-day minimum, {})",
                p.provision
            ),
            status: if late {
                "The planned submission deadline is earlier".into()
            } else {
                "Met".into()
            },
            late,
        });
    }
    out.sort_by_key(|e| e.date);
    out
}

/// Everything recorded about the lot's route; not found, named, for a lot that does not exist.
pub async fn records(ctx: &Ctx, lot: LotId) -> Result<RouteRecords> {
    let mut tx = ctx.store.read().await?;
    super::lots::require(&mut *tx, lot).await?;
    records_in(&mut *tx, lot).await
}

async fn records_in(tx: &mut dyn Tx, lot: LotId) -> Result<RouteRecords> {
    Ok(RouteRecords {
        route: tx.route().route(lot).await?,
        conflicts: tx.route().conflicts(lot).await?,
        section75: tx.route().section75(lot).await?,
        notices: tx.route().notices(lot).await?,
        approved_spec: tx.spec().approved(lot).await?,
    })
}

/// What the route still lacks before tenders may be invited (`domain::route::tender_gate`),
/// from facts read in the caller's transaction.
pub(crate) async fn tender_gate(
    tx: &mut dyn Tx,
    lot: &Lot,
    today: NaiveDate,
) -> Result<Vec<String>> {
    let records = records_in(tx, lot.id).await?;
    let held = tx.engagement().held_by(lot.id, today).await?;
    let assessment = records
        .route
        .map(|c| assess(c, &LotValueFacts::of(lot, today, held, &records.notices)));
    Ok(route::tender_gate(
        assessment.as_ref(),
        !records.conflicts.is_empty(),
        records.approved_spec,
        route::tender_dates(lot),
    ))
}
