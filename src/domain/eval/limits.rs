//! Lot award limits: "no more than N lots per supplier", applied across a procurement's lots.
use serde::Serialize;
use ts_rs::TS;

use crate::domain::ids::{BidId, LotId, SupplierId};
use crate::domain::money::Money;

pub const LIMIT_RULE: &str = "Lots are settled in order of estimated annual value, highest first (then by reference). Each lot goes to its highest-ranked compliant bid whose bidder has not already reached the limit; a bidder at the limit is passed over for the next-ranked bid. A consortium counts against its lead.";

/// One lot's compliant bids in rank order.
#[derive(Debug, Clone)]
pub struct LotRanking {
    pub lot: LotId,
    pub reference: String,
    pub value: Option<Money>,
    pub ranked: Vec<(BidId, SupplierId, String)>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LotAward {
    pub lot_id: LotId,
    pub reference: String,
    pub bid_id: Option<BidId>,
    pub bidder: Option<String>,
    /// Higher-ranked bidders passed over because they had reached the limit.
    pub passed_over: Vec<String>,
}

pub fn apply(mut lots: Vec<LotRanking>, limit: u32) -> Vec<LotAward> {
    lots.sort_by(|a, b| {
        b.value
            .cmp(&a.value)
            .then_with(|| a.reference.cmp(&b.reference))
    });
    let mut held: std::collections::HashMap<SupplierId, u32> = Default::default();
    lots.into_iter()
        .map(|l| {
            let mut passed_over = Vec::new();
            let mut chosen = None;
            for (bid, supplier, name) in &l.ranked {
                if held.get(supplier).copied().unwrap_or(0) >= limit {
                    passed_over.push(name.clone());
                    continue;
                }
                *held.entry(*supplier).or_default() += 1;
                chosen = Some((*bid, name.clone()));
                break;
            }
            LotAward {
                lot_id: l.lot,
                reference: l.reference,
                bid_id: chosen.as_ref().map(|c| c.0),
                bidder: chosen.map(|c| c.1),
                passed_over,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supplier_at_the_limit_is_passed_over() {
        let a = (SupplierId(1), "Alpha".to_string());
        let b = (SupplierId(2), "Beta".to_string());
        let lot = |id, r: &str, v, ranked: Vec<&(SupplierId, String)>| LotRanking {
            lot: LotId(id),
            reference: r.into(),
            value: Some(Money::from_pounds(v)),
            ranked: ranked
                .into_iter()
                .enumerate()
                .map(|(i, s)| (BidId(id * 10 + i as i64), s.0, s.1.clone()))
                .collect(),
        };
        // Alpha leads both lots; with a limit of 1 it keeps the more valuable one.
        let out = apply(
            vec![
                lot(1, "Lot 1", 100, vec![&a, &b]),
                lot(2, "Lot 2", 300, vec![&a, &b]),
            ],
            1,
        );
        assert_eq!(out[0].reference, "Lot 2");
        assert_eq!(out[0].bidder.as_deref(), Some("Alpha"));
        assert_eq!(out[1].bidder.as_deref(), Some("Beta"));
        assert_eq!(out[1].passed_over, vec!["Alpha".to_string()]);
        let out = apply(
            vec![
                lot(1, "Lot 1", 100, vec![&a]),
                lot(2, "Lot 2", 300, vec![&a]),
            ],
            1,
        );
        assert_eq!(out[1].bidder, None, "no other compliant bid");
        let out = apply(
            vec![
                lot(1, "Lot 1", 100, vec![&a]),
                lot(2, "Lot 2", 300, vec![&a]),
            ],
            2,
        );
        assert!(out.iter().all(|o| o.bidder.as_deref() == Some("Alpha")));
    }
}
