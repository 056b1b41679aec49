//! The demo's front half of the lifecycle, from seed 004 (Community Navigation): the market
//! engagement sessions, the draft specification out for comment and its revision, and the
//! tender's first clarifications and bids; elsewhere the reasons a lot had no engagement.
use chrono::{Days, NaiveDate};

use super::Ctx;
use super::engagement::{
    self, AddAttendee, AddEngagementEvent, AddEngagementQuestion, AddInterest,
};
use super::spec::{self, AddSpecComment, RespondToComment, SaveSpec};
use super::tender::{self, AddClarification, PublishClarification, RecordBidReceipt};
use crate::domain::ids::LotId;
use crate::domain::milestone::{MARKET_ENGAGEMENT_EVENT, SUBMISSION_DEADLINE, TENDER_NOTICE};
use crate::error::Result;

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The draft as it went out for comment: it still has the social prescribing database.
const NAVIGATION_V1: &str = "## Purpose\n\nA community navigation service that is a first point of contact for individuals, carers and health and social care professionals, guiding and co-ordinating each person's journey through the care system.\n\n## Who the service is for\n\nOlder people (over 55 years) and people under 55 with complex issues or frailty. Part B supports people who care for adults: navigators identify their support needs, signpost them to services and carry out statutory Carers Assessments where one is needed.\n\n## Structure and working practice\n\nNavigators are aligned to the GP clusters in their localities, embedded in their communities, and linked to district council staff, which may include hot desking in council offices.\n\n## Time limits\n\nNavigators do not hold a caseload. Each intervention lasts up to 12 weeks.\n\n## Social prescribing database\n\nThe provider will build and maintain a social prescribing database of local community services for navigators and GP practices.\n";

/// After the market's comments: no new database, the money buys navigator posts, and the
/// time limit is guidance, as the seed records.
const NAVIGATION_V2: &str = "## Purpose\n\nA community navigation service that is a first point of contact for individuals, carers and health and social care professionals, guiding and co-ordinating each person's journey through the care system.\n\n## Who the service is for\n\nOlder people (over 55 years) and people under 55 with complex issues or frailty. Part B supports people who care for adults: navigators identify their support needs, signpost them to services and carry out statutory Carers Assessments where one is needed.\n\n## Structure and working practice\n\nNavigators are aligned to the GP clusters in their localities, embedded in their communities, and linked to district council staff, which may include hot desking in council offices.\n\n## Time limits\n\nNavigators do not hold a caseload. Interventions are guided by a 12 week limit, working at a person-centred level: some people need less time and some more.\n\n## Staffing\n\nOne community navigator per 20,000 people aged 55 and over in each lot's area, using the existing databases rather than commissioning a new one.\n";

const GENERIC: &str = "## Purpose\n\nThe service described in the procurement paper, delivered to the outcomes and standards set out below.\n\n## Outcomes\n\nThe outcomes framework agreed by the commissioners, reported quarterly.\n\n## Quality and safeguarding\n\nThe provider meets the commissioners' safeguarding, data protection and quality standards.\n";

fn is_navigation(title: &str) -> bool {
    title.starts_with("Community Navigation")
}

/// Recorded as the lot enters the draft specification stage: the engagement that shaped
/// it, and the first draft with the comments it drew.
pub async fn draft(ctx: &Ctx, lot: LotId) -> Result<()> {
    let l = super::lots::show(ctx, lot).await?;
    let held = l
        .milestones
        .iter()
        .find(|m| m.key.as_deref() == Some(MARKET_ENGAGEMENT_EVENT))
        .and_then(|m| m.actual);
    let navigation = is_navigation(&l.title);
    if let (true, Some(on)) = (navigation, held) {
        engagement_session(ctx, lot, on).await?;
    }
    spec::save(
        ctx,
        SaveSpec {
            based_on: None,
            lot_id: lot,
            text: (if navigation { NAVIGATION_V1 } else { GENERIC }).to_string(),
            note: "First draft, for comment".into(),
        },
    )
    .await?;
    if navigation {
        let on = held
            .unwrap_or_else(|| ctx.clock.today())
            .min(ctx.clock.today());
        let v = spec::add_comment(
            ctx,
            AddSpecComment {
                lot_id: lot,
                version: 1,
                section: 5,
                source: "market".into(),
                author: "Bid manager".into(),
                organisation: "Age UK Faversham and Sittingbourne".into(),
                comment: "A new database would duplicate the directories that already exist; the money would do more as additional navigator posts.".into(),
                received_on: iso(on),
            },
        )
        .await?;
        spec::add_comment(
            ctx,
            AddSpecComment {
                lot_id: lot,
                version: 1,
                section: 4,
                source: "stakeholder".into(),
                author: "Carers lead".into(),
                organisation: "Kent County Council".into(),
                comment: "A hard 12 week limit will not suit carers whose needs change; make it guidance.".into(),
                received_on: iso(on),
            },
        )
        .await?;
        spec::respond(
            ctx,
            RespondToComment {
                lot_id: lot,
                comment_id: v.comments.last().map(|c| c.id).unwrap_or_default(),
                response:
                    "Accepted: no database will be commissioned; the money funds navigator posts."
                        .into(),
            },
        )
        .await?;
    }
    Ok(())
}

async fn engagement_session(ctx: &Ctx, lot: LotId, on: NaiveDate) -> Result<()> {
    let v = engagement::add_event(
        ctx,
        AddEngagementEvent {
            lot_id: lot,
            held_on: iso(on),
            format: "in_person".into(),
            title: "Community Navigation market engagement session".into(),
            agenda: "The proposed lots and parts, navigator numbers by area (1 per 20,000 aged 55+), the carers role, time limits, the social prescribing database, block contract or framework, and partnership working between providers".into(),
        },
    )
    .await?;
    let event = v.records.events.last().map(|e| e.id).unwrap_or_default();
    for (name, org) in [
        ("Chief executive", "Age UK Faversham and Sittingbourne"),
        ("Service manager", "Carers' Support East Kent"),
        ("Head of partnerships", "Porchlight"),
        ("Bid manager", "Red Zebra Community Solutions"),
    ] {
        engagement::add_attendee(
            ctx,
            AddAttendee {
                lot_id: lot,
                event_id: event,
                name: name.into(),
                organisation: org.into(),
            },
        )
        .await?;
    }
    for (q, a) in [
        (
            "Will the contract be a block contract or a framework?",
            "Both are being considered: a block for 5 years with a 2 year extension, or a framework of at most 4 years that could add providers and lots.",
        ),
        (
            "Is a new social prescribing database wanted?",
            "It is in the draft for comment; we would like providers' views on whether existing databases are enough.",
        ),
    ] {
        engagement::add_question(
            ctx,
            AddEngagementQuestion {
                lot_id: lot,
                event_id: event,
                question: q.into(),
                answer: a.into(),
            },
        )
        .await?;
    }
    engagement::add_interest(
        ctx,
        AddInterest {
            lot_id: lot,
            organisation: "Age UK Faversham and Sittingbourne".into(),
            received_on: iso(on),
            consortium_with: "Carers' Support East Kent; Red Zebra Community Solutions".into(),
            note: "Exploring a joint bid for parts A and B".into(),
        },
    )
    .await?;
    engagement::add_interest(
        ctx,
        AddInterest {
            lot_id: lot,
            organisation: "Porchlight".into(),
            received_on: iso(on),
            consortium_with: String::new(),
            note: String::new(),
        },
    )
    .await?;
    Ok(())
}

/// Before the tender stage: the revised draft approved, or the reasons for having had no
/// market engagement where none was held.
pub async fn approve(ctx: &Ctx, lot: LotId) -> Result<()> {
    let l = super::lots::show(ctx, lot).await?;
    let mut view = spec::view(ctx, lot).await?;
    if is_navigation(&l.title) {
        view = spec::save(
            ctx,
            SaveSpec {
based_on: None,
                lot_id: lot,
                text: NAVIGATION_V2.into(),
                note: "After the market's comments: no new database, navigator posts by population, time limits as guidance".into(),
            },
        )
        .await?;
    }
    if let Some(newest) = view.versions.first() {
        spec::approve(ctx, lot, newest.version).await?;
    }
    if !super::engagement::records(ctx, lot)
        .await?
        .held_by(ctx.clock.today())
    {
        engagement::set_no_engagement_reason(
            ctx,
            lot,
            "The commissioners' existing provider forums were consulted on the service model, and the market for these services is well known to them, so no separate preliminary market engagement was held",
        )
        .await?;
    }
    Ok(())
}

/// A lot left at the tender stage: the first clarifications and the bids logged so far.
pub async fn tender_activity(ctx: &Ctx, lot: LotId) -> Result<()> {
    let l = super::lots::show(ctx, lot).await?;
    let today = ctx.clock.today();
    let notice = l.milestone_date(TENDER_NOTICE).unwrap_or(today);
    let asked = (notice + Days::new(5)).min(today);
    tender::add_clarification(
        ctx,
        AddClarification {
            lot_id: lot,
            received_on: iso(asked),
            asked_by: "Porchlight".into(),
            question: "May a navigator's time be shared between parts A and B of the lot?".into(),
        },
    )
    .await?;
    tender::publish_clarification(
        ctx,
        PublishClarification {
            lot_id: lot,
            number: 1,
            answer: "Yes, where the bid shows how the time is divided and each part's outcomes are still met.".into(),
            published_on: iso((asked + Days::new(2)).min(today)),
        },
    )
    .await?;
    tender::add_clarification(
        ctx,
        AddClarification {
            lot_id: lot,
            received_on: iso(today),
            asked_by: "Age UK Faversham and Sittingbourne".into(),
            question: "Will TUPE apply to the current Care Navigators?".into(),
        },
    )
    .await?;
    if l.milestone_date(SUBMISSION_DEADLINE)
        .is_some_and(|d| d >= today)
    {
        tender::record_receipt(
            ctx,
            RecordBidReceipt {
                lot_id: lot,
                supplier: "Porchlight".into(),
                registration_number: String::new(),
                members: String::new(),
                price: "£612,000".into(),
                received_at: format!("{} 09:14", today.format("%d/%m/%Y")),
            },
        )
        .await?;
    }
    Ok(())
}
