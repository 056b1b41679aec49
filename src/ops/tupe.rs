//! TUPE use cases: plan the transfer, import the incumbent's staff list, keep the obligations
//! up to date, and produce the checklist as data and as a PDF.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use ts_rs::TS;

use super::csvfile::Sheet;
use super::textfile::TextFile;
use super::{Ctx, field, optional, required, write_file};
use crate::docs::font::Fonts;
use crate::docs::render::render;
use crate::docs::tupe::{ChecklistInput, build};
use crate::domain::calendar::{Calendar, Nation, WorkingDays};
use crate::domain::dates;
use crate::domain::ids::LotId;
use crate::domain::lot::Lot;
use crate::domain::milestone::{CONTRACT_START, TENDER_NOTICE};
use crate::domain::roles::Action;
use crate::domain::tupe::obligations::ObligationRecord;
use crate::domain::tupe::obligations::{
    self, Applies, CALENDAR_DAYS, Facts, Obligation, ObligationStatus, SpcAssessment, StaffCounts,
    TupePlan,
};
use crate::domain::tupe::staff::{self, COLUMNS, StaffDiff, StaffMember, StaffSummary};
use crate::domain::tupe::{Checklist, StaffListMeta};
use crate::error::{Error, Result};
use crate::store::NewAuditEvent;

/// Everything the TUPE tab shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TupeView {
    pub lot_id: LotId,
    pub plan: Option<TupePlan>,
    /// The plan's version, sent back when changing it (domain::edit; 0 before any).
    pub plan_version: i64,
    /// What the form offers before a plan is saved: the replaced contract's provider, the
    /// recommended bidder and the contract start milestone.
    pub suggested_outgoing: String,
    pub suggested_incoming: String,
    pub suggested_transfer_date: Option<NaiveDate>,
    /// Newest first.
    pub lists: Vec<StaffListMeta>,
    /// The newest list's people.
    pub staff: Vec<StaffMember>,
    pub summary: Option<StaffSummary>,
    /// The newest list against the one before it.
    pub diff: Option<StaffDiff>,
    pub checklist: Option<Checklist>,
}

struct Gathered {
    lot: Lot,
    plan: Option<TupePlan>,
    lists: Vec<StaffListMeta>,
    staff: Vec<StaffMember>,
    previous: Option<Vec<StaffMember>>,
}

async fn gather(ctx: &Ctx, lot: LotId) -> Result<Gathered> {
    let mut tx = ctx.store.read().await?;
    let l = super::lots::view(&mut *tx, lot, ctx.read()).await?;
    let plan = tx.tupe().plan(lot).await?;
    let lists = tx.tupe().lists(lot).await?;
    let staff = match lists.first() {
        Some(m) => tx.tupe().staff(m.id).await?,
        None => Vec::new(),
    };
    let previous = match lists.get(1) {
        Some(m) => Some(tx.tupe().staff(m.id).await?),
        None => None,
    };
    Ok(Gathered {
        lot: l,
        plan,
        lists,
        staff,
        previous,
    })
}

impl Gathered {
    fn summary(&self) -> Option<StaffSummary> {
        (!self.lists.is_empty()).then(|| StaffSummary::of(&self.staff))
    }
    fn diff(&self) -> Option<StaffDiff> {
        self.previous.as_ref().map(|p| staff::diff(p, &self.staff))
    }
}

/// England and Wales: TUPE 2006 covers Great Britain, and the councils using Lotwise are
/// English; the calendar only decides which dates carry a "not a working day" note.
async fn calendar(ctx: &Ctx) -> Result<Calendar> {
    Ok(Calendar::new(
        WorkingDays::In(Nation::EnglandWales),
        ctx.store.read().await?.calendar().extra_holidays().await?,
    ))
}

async fn checklist_of(
    ctx: &Ctx,
    g: &Gathered,
    summary: Option<&StaffSummary>,
    as_at: NaiveDate,
) -> Result<Option<Checklist>> {
    let Some(plan) = &g.plan else {
        return Ok(None);
    };
    let records = ctx
        .store
        .read()
        .await?
        .tupe()
        .obligation_records(g.lot.id)
        .await?;
    let described = g.lists.first().map(StaffListMeta::describe);
    let facts = Facts {
        plan,
        tender_notice: g.lot.milestone_date(TENDER_NOTICE),
        staff: summary.map(StaffCounts::of),
        staff_list: described.as_deref(),
        records: &records,
        as_at,
    };
    let mut cal = calendar(ctx).await?;
    let obligations = obligations::obligations(&facts, &mut cal)?;
    let transfer_note = obligations
        .iter()
        .find(|o| o.due == Some(plan.transfer_date))
        .and_then(|o| o.due_note.clone());
    let counts =
        |f: &dyn Fn(&Obligation) -> bool| obligations.iter().filter(|o| f(o)).count() as u32;
    Ok(Some(Checklist {
        as_at,
        transfer_date: plan.transfer_date,
        transfer_note,
        calendar_note: CALENDAR_DAYS.into(),
        applicable: counts(&|o| !matches!(o.applies, Applies::No(_))),
        done: counts(&|o| {
            !matches!(o.applies, Applies::No(_)) && o.status == ObligationStatus::Done
        }),
        overdue: counts(&|o| o.overdue),
        obligations,
    }))
}

pub async fn view(ctx: &Ctx, lot: LotId) -> Result<TupeView> {
    let g = gather(ctx, lot).await?;
    let summary = g.summary();
    let checklist = checklist_of(ctx, &g, summary.as_ref(), ctx.clock.today()).await?;
    let suggested_incoming = match super::eval::results(ctx, g.lot.id).await {
        Ok(r) => r
            .settled_winner()
            .map(|b| b.bidder.clone())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let plan_version = ctx
        .store
        .read()
        .await?
        .audit()
        .last_change("lot", lot.0, "tupe.plan_set")
        .await?
        .map_or(0, |c| c.version);
    Ok(TupeView {
        plan_version,
        lot_id: g.lot.id,
        suggested_outgoing: g
            .lot
            .replaces_contract
            .as_ref()
            .map(|c| c.provider.clone())
            .unwrap_or_default(),
        suggested_incoming,
        suggested_transfer_date: g.lot.milestone_date(CONTRACT_START),
        diff: g.diff(),
        plan: g.plan,
        lists: g.lists,
        staff: g.staff,
        summary,
        checklist,
    })
}

/// How many of the lot's obligations are overdue today (0 when no transfer is planned), for
/// the lot's header.
pub async fn overdue(ctx: &Ctx, lot: LotId) -> Result<u32> {
    let g = gather(ctx, lot).await?;
    let summary = g.summary();
    Ok(checklist_of(ctx, &g, summary.as_ref(), ctx.clock.today())
        .await?
        .map_or(0, |c| c.overdue))
}

/// The plan as typed in the form or on the command line.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetTupePlan {
    pub lot_id: LotId,
    /// 24/11/2026 or 2026-11-24.
    pub transfer_date: String,
    pub outgoing: String,
    pub incoming: String,
    /// not-assessed, applies or does-not-apply.
    pub assessment: String,
    pub notes: String,
    /// The version shown when the person opened it (0 when there was none yet). A save
    /// started from an older version is refused with `conflict`, naming who changed it
    /// and when (domain::edit). Left out (the command line), the save is not checked.
    #[serde(default)]
    #[ts(optional)]
    pub expected_version: Option<i64>,
}

pub async fn set_plan(ctx: &Ctx, input: SetTupePlan) -> Result<TupeView> {
    let w = ctx.act(Action::ManageTupe)?;
    let plan = TupePlan {
        transfer_date: field("transferDate", dates::parse(&input.transfer_date))?,
        outgoing: required(
            "outgoing",
            "outgoing provider (the current employer)",
            &input.outgoing,
        )?,
        incoming: optional(Some(&input.incoming))
            .unwrap_or_default()
            .to_string(),
        assessment: field("assessment", SpcAssessment::parse(&input.assessment))?,
        notes: input.notes.trim().to_string(),
    };
    if plan.notes.chars().count() > 4000 {
        return Err(Error::validation(
            "notes",
            "the notes must be 4,000 characters or fewer",
        ));
    }
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    let before = tx.tupe().plan(lot).await?;
    let current = tx
        .audit()
        .last_change("lot", lot.0, "tupe.plan_set")
        .await?;
    crate::domain::edit::check_not_stale(
        "the TUPE plan",
        input.expected_version,
        current.as_ref(),
    )?;
    if before.as_ref() != Some(&plan) {
        tx.tupe().set_plan(lot, &plan, &w).await?;
        tx.audit()
            .append(
                NewAuditEvent::new(&w, "tupe.plan_set", "lot", Some(lot.0))
                    .before_opt(before.as_ref())
                    .after(&plan),
            )
            .await?;
        tx.commit().await?;
    }
    view(ctx, input.lot_id).await
}

/// What an import did: the new version, and what changed since the one before.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffImport {
    pub list: StaffListMeta,
    pub summary: StaffSummary,
    pub diff: Option<StaffDiff>,
    /// "read as Windows-1252" when the file was not UTF-8.
    pub read_as: Option<String>,
}

/// Every row checked before anything is written; the first bad cell is named by file, line
/// and column, and the workspace is left as it was.
pub fn parse_staff(text: &str, file: &str, today: NaiveDate) -> Result<Vec<StaffMember>> {
    parse_staff_file(&TextFile::from_text(text, file), today)
}

pub fn parse_staff_file(f: &TextFile, today: NaiveDate) -> Result<Vec<StaffMember>> {
    let sheet = Sheet::parse(f, &COLUMNS)?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(sheet.rows.len());
    for row in &sheet.rows {
        let cells: [&str; 11] = std::array::from_fn(|i| sheet.get(row, COLUMNS[i]));
        let person = StaffMember::parse(&cells, today).map_err(|e| {
            let column = e.field.clone().unwrap_or_default();
            sheet.at(row, &column, e)
        })?;
        if let Some(line) = seen.insert(person.reference.to_ascii_lowercase(), row.line) {
            return Err(sheet.error(
                row,
                COLUMNS[0],
                format!(
                    "employee reference “{}” is already on line {line}; each person appears once",
                    person.reference
                ),
            ));
        }
        out.push(person);
    }
    Ok(out)
}

pub async fn import_staff_text(
    ctx: &Ctx,
    lot: LotId,
    text: &str,
    file: &str,
) -> Result<StaffImport> {
    import_staff_file(ctx, lot, &TextFile::from_text(text, file)).await
}

pub async fn import_staff_file(ctx: &Ctx, lot: LotId, f: &TextFile) -> Result<StaffImport> {
    let file = f.name.as_str();
    let w = ctx.act(Action::ManageTupe)?;
    let people = parse_staff_file(f, ctx.clock.today())?;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    let lists = tx.tupe().lists(lot).await?;
    let before = match lists.first() {
        Some(m) => Some(tx.tupe().staff(m.id).await?),
        None => None,
    };
    let version = lists.first().map_or(1, |m| m.version + 1);
    let id = tx
        .tupe()
        .insert_list(lot, version, file, &people, &w)
        .await?;
    let list = StaffListMeta {
        id,
        version,
        file_name: file.to_string(),
        rows: people.len() as u32,
        imported_by: w.actor.clone(),
        imported_at: w.at,
    };
    tx.audit()
        .append(NewAuditEvent::new(&w, "tupe.staff_imported", "lot", Some(lot.0)).after(&list))
        .await?;
    tx.commit().await?;
    Ok(StaffImport {
        list,
        summary: StaffSummary::of(&people),
        diff: before.map(|b| staff::diff(&b, &people)),
        read_as: f.read_as.note().map(str::to_string),
    })
}

pub async fn import_staff(ctx: &Ctx, lot: LotId, path: &Path) -> Result<StaffImport> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut f = TextFile::read(path, "csv")?;
    f.name = name;
    import_staff_file(ctx, lot, &f).await
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SetObligation {
    pub lot_id: LotId,
    pub key: String,
    /// to-do, in-progress or done.
    pub status: String,
    /// What shows it was done, or where it has got to.
    pub evidence: String,
}

pub async fn set_obligation(ctx: &Ctx, input: SetObligation) -> Result<TupeView> {
    let w = ctx.act(Action::ManageTupe)?;
    if !obligations::known(&input.key) {
        return Err(Error::validation(
            "key",
            format!("“{}” is not an obligation on the TUPE checklist", input.key),
        ));
    }
    let status = field("status", ObligationStatus::parse(&input.status))?;
    let evidence = input.evidence.trim();
    if status == ObligationStatus::Done && evidence.is_empty() && !obligations::derived(&input.key)
    {
        return Err(Error::validation(
            "evidence",
            "say what shows it was done, e.g. “Employee liability information received 2 March 2027, kept in the contract file”",
        ));
    }
    if evidence.chars().count() > 2000 {
        return Err(Error::validation(
            "evidence",
            "the evidence note must be 2,000 characters or fewer",
        ));
    }
    let lot = input.lot_id;
    let mut tx = ctx.store.begin().await?;
    super::lots::require(&mut *tx, lot).await?;
    if tx.tupe().plan(lot).await?.is_none() {
        return Err(Error::conflict(
            "record the transfer date and the outgoing provider first: the obligations are dated from T",
        ));
    }
    let before = tx
        .tupe()
        .obligation_records(lot)
        .await?
        .into_iter()
        .find(|r| r.key == input.key);
    // Recording what is already recorded changes nothing, and is not audited again.
    if before
        .as_ref()
        .is_none_or(|b| b.status != status || b.evidence != evidence)
    {
        let rec = ObligationRecord {
            key: input.key.clone(),
            status,
            evidence: evidence.to_string(),
            updated_by: w.actor.clone(),
            updated_at: w.at,
        };
        tx.tupe().set_obligation(lot, &rec).await?;
        tx.audit()
            .append(
                NewAuditEvent::new(&w, "tupe.obligation_set", "lot", Some(lot.0))
                    .before_opt(before.as_ref())
                    .after(&rec),
            )
            .await?;
        tx.commit().await?;
    }
    view(ctx, input.lot_id).await
}

/// The checklist document for a lot as at a day, with the plan it is dated from; None when
/// no transfer is planned.
pub async fn checklist_doc(
    ctx: &Ctx,
    lot: LotId,
    as_at: NaiveDate,
    created: DateTime<Utc>,
) -> Result<Option<(TupePlan, Checklist, crate::docs::DocSpec)>> {
    let g = gather(ctx, lot).await?;
    let summary = g.summary();
    let (Some(plan), Some(checklist)) = (
        &g.plan,
        checklist_of(ctx, &g, summary.as_ref(), as_at).await?,
    ) else {
        return Ok(None);
    };
    let spec = build(&ChecklistInput {
        lot: &g.lot,
        plan,
        checklist: &checklist,
        list: g.lists.first(),
        summary: summary.as_ref(),
        diff: g.diff().as_ref(),
        created,
        author: ctx.user.clone(),
    });
    Ok(Some((plan.clone(), checklist, spec)))
}

/// The checklist PDF as at today, with its page count.
pub async fn checklist_bytes(ctx: &Ctx, lot: LotId) -> Result<(Checklist, Vec<u8>, u32)> {
    let (_, checklist, mut spec) = checklist_doc(ctx, lot, ctx.clock.today(), ctx.clock.now())
        .await?
        .ok_or_else(no_plan)?;
    spec.anchor = Some(super::audit::anchor(ctx).await?);
    let (bytes, pages) = render(Fonts::shared(), &spec)?;
    Ok((checklist, bytes, pages as u32))
}

/// Writes the checklist PDF as at today.
pub async fn checklist_pdf(ctx: &Ctx, lot: LotId, out: &Path) -> Result<(Checklist, u32)> {
    let (checklist, bytes, pages) = checklist_bytes(ctx, lot).await?;
    write_file(out, &bytes)?;
    Ok((checklist, pages))
}

/// Writes the checklist into `dir` under a name that says what it is, for opening.
pub async fn export_checklist(ctx: &Ctx, lot: LotId, dir: &Path) -> Result<std::path::PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::validation(
            "out",
            format!("{} could not be created: {e}", dir.display()),
        )
    })?;
    let l = super::lots::show(ctx, lot).await?;
    let path = dir.join(format!(
        "{}_{}_TUPE_checklist_{}.pdf",
        super::file_name_part(&l.procurement.reference),
        super::file_name_part(&l.reference),
        ctx.clock.today().format("%Y-%m-%d")
    ));
    checklist_pdf(ctx, lot, &path).await?;
    Ok(path)
}

pub fn no_plan() -> Error {
    Error::conflict(
        "no TUPE transfer is planned for this lot: record the transfer date and the outgoing provider first",
    )
}

/// Overdue obligations per lot with a planned transfer, for the pipeline board: read in one
/// go, with one calendar for all of them.
pub async fn overdue_by_lot(ctx: &Ctx) -> Result<HashMap<LotId, u32>> {
    let mut out = HashMap::new();
    let facts = ctx.store.read().await?.tupe().board_facts().await?;
    if facts.is_empty() {
        return Ok(out);
    }
    let mut cal = calendar(ctx).await?;
    for f in &facts {
        let described = f.list.as_ref().map(StaffListMeta::describe);
        let o = obligations::obligations(
            &Facts {
                plan: &f.plan,
                tender_notice: f.tender_notice,
                staff: f.list.as_ref().map(|_| f.staff),
                staff_list: described.as_deref(),
                records: &f.records,
                as_at: ctx.clock.today(),
            },
            &mut cal,
        )?;
        out.insert(f.lot, o.iter().filter(|x| x.overdue).count() as u32);
    }
    Ok(out)
}
