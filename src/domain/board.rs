//! The pipeline board: every lot as a card in its stage's column.
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::domain::ids::*;
use crate::domain::milestone::Rag;
use crate::domain::money::Money;
use crate::domain::stage::Stage;

/// A card on the pipeline board: just what the board shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BoardCard {
    pub id: LotId,
    pub reference: String,
    pub title: String,
    pub procurement_title: String,
    pub geography: String,
    pub stage: Stage,
    pub estimated_annual_value: Option<Money>,
    pub part_codes: Vec<String>,
    pub rag: Rag,
    pub next_milestone: Option<NextMilestone>,
    /// TUPE obligations past their date and not done (0 when no transfer is planned).
    pub tupe_overdue: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NextMilestone {
    pub title: String,
    pub planned: NaiveDate,
    pub rag: Rag,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Board {
    pub today: NaiveDate,
    pub amber_days: i64,
    pub columns: Vec<BoardColumn>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
/// A stage's lots, most urgent first (overdue, then by next milestone date).
pub struct BoardColumn {
    pub stage: Stage,
    pub label: String,
    pub cards: Vec<BoardCard>,
}

/// One lot as the board reads it from the store: its head and its open milestones only
/// (complete ones neither colour a card nor come next).
#[derive(Debug, Clone)]
pub struct BoardLot {
    pub id: LotId,
    pub reference: String,
    pub title: String,
    pub procurement_title: String,
    pub geography: String,
    pub stage: Stage,
    pub estimated_annual_value: Option<Money>,
    pub part_codes: Vec<String>,
    /// (title, planned), soonest first.
    pub open_milestones: Vec<(String, NaiveDate)>,
}

/// Lays the lots out in their stages' columns; within a column what needs attention comes
/// first: overdue, then due soonest.
pub fn build(lots: Vec<BoardLot>, today: NaiveDate, amber_days: i64) -> Board {
    use crate::domain::milestone;
    let mut columns: Vec<BoardColumn> = Stage::PIPELINE
        .iter()
        .chain([Stage::Abandoned].iter())
        .map(|s| BoardColumn {
            stage: *s,
            label: s.label().to_string(),
            cards: Vec::new(),
        })
        .collect();
    for l in lots {
        let rag_of = |p: NaiveDate| milestone::rag(p, None, today, amber_days);
        let rag = if l.stage.is_closed() {
            Rag::Complete
        } else {
            milestone::worst(l.open_milestones.iter().map(|(_, p)| rag_of(*p)))
        };
        let next_milestone = l
            .open_milestones
            .first()
            .filter(|_| !l.stage.is_closed())
            .map(|(t, p)| NextMilestone {
                title: t.clone(),
                planned: *p,
                rag: rag_of(*p),
            });
        let card = BoardCard {
            id: l.id,
            reference: l.reference,
            title: l.title,
            procurement_title: l.procurement_title,
            geography: l.geography,
            stage: l.stage,
            estimated_annual_value: l.estimated_annual_value,
            part_codes: l.part_codes,
            rag,
            next_milestone,
            tupe_overdue: 0,
        };
        if let Some(col) = columns.iter_mut().find(|c| c.stage == l.stage) {
            col.cards.push(card);
        }
    }
    for col in &mut columns {
        col.cards.sort_by_key(|c| {
            (
                c.rag.urgency(),
                c.next_milestone.as_ref().map(|m| m.planned),
                c.id,
            )
        });
    }
    Board {
        today,
        amber_days,
        columns,
    }
}
