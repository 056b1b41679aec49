//! The backend conformance suite: one set of cases, run unchanged against every backend in
//! `backends!` below. It talks only to the `Store` seam (a transaction's area reads and
//! writes) and to `ops`, never to a backend's own types, so a new backend joins by adding
//! one line here and passing.
mod cases;
mod fixture;

/// Every backend the suite runs against, each with how to open a fresh, empty workspace.
macro_rules! backends {
    ($($name:ident => $open:path),* $(,)?) => {$(
        mod $name {
            macro_rules! case {
                ($case:ident) => {
                    #[tokio::test]
                    async fn $case() {
                        let b = $open().await;
                        crate::cases::$case(&b).await;
                    }
                };
            }
            case!(registers_keep_and_find);
            case!(contracts_keep_their_options);
            case!(lots_records_board_and_milestones);
            case!(audit_chain_links_every_event);
            case!(calendar_keeps_added_holidays);
            case!(engagement_records);
            case!(specification_versions_and_comments);
            case!(route_records);
            case!(tender_records);
            case!(evaluation_records);
            case!(scoring_facts_are_the_separate_reads_at_once);
            case!(blind_read_returns_only_the_authors_named);
            case!(award_records);
            case!(papers_keep_drafts_and_documents);
            case!(tupe_records);
            case!(finance_records);
            case!(a_submitted_score_cannot_change);
            case!(an_approved_specification_cannot_change);
            case!(a_kept_paper_or_pack_cannot_change);
            case!(a_dropped_transaction_keeps_nothing);
            case!(a_failed_write_rolls_back_the_whole_use_case);
            case!(a_stale_save_is_refused_naming_who_changed_it);
        }
    )*};
}

backends! {
    sqlite => crate::fixture::sqlite,
    postgres => crate::fixture::postgres,
}
