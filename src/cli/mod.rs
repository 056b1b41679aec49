//! The `lotwise` command line: a thin adapter over `ops`, like the desktop shell.
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use crate::domain::audit::AuditVerification;
use crate::domain::dates;
use crate::domain::ids::{ContractId, LotId, ProcurementId};
use crate::domain::lot::Lot;
use crate::error::{Error, ErrorCode, Result};
use crate::ops::{self, Ctx, SystemClock};

mod award;
mod calendar;
mod eval;
mod finance;
mod paper;
mod print;
mod route;
mod spec;
mod team;
mod tender;
mod tupe;

#[derive(Parser, Debug)]
#[command(
    name = "lotwise",
    version,
    about = "Run UK public-sector procurements: lots, stages, contracts and the audit trail"
)]
pub struct Cli {
    /// The workspace file (default: the desktop app's workspace in your data folder).
    #[arg(long, global = true, value_name = "PATH")]
    pub workspace: Option<PathBuf>,
    /// Act as this user (default: LOTWISE_USER, then your login name). Evaluation uses it
    /// to decide whose scores you are and what you may see.
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// The role you act in: officer, evaluator, moderator or legal (default: LOTWISE_ROLE,
    /// then officer). The engine refuses what the role may not do.
    #[arg(long, global = true, value_name = "ROLE")]
    pub role: Option<String>,
    /// Milestones due within this many days are amber (default 14, or LOTWISE_AMBER_DAYS).
    #[arg(long, global = true, value_name = "DAYS")]
    pub amber_days: Option<i64>,
    #[command(subcommand)]
    pub command: Command,
}

/// A lot as typed on the command line: its id or its reference, and the procurement when
/// several procurements have a lot with that reference.
#[derive(Args, Debug, Clone)]
pub struct LotRef {
    /// The lot: its id (3) or its reference ("Lot 1").
    #[arg(value_name = "LOT")]
    pub lot: String,
    /// The procurement (its reference) whose lot is meant, when several share the lot's
    /// reference.
    #[arg(long = "procurement", value_name = "PROCUREMENT")]
    pub procurement: Option<String>,
}

impl LotRef {
    pub async fn id(&self, ctx: &Ctx) -> Result<LotId> {
        ops::lots::resolve(ctx, &self.lot, self.procurement.as_deref()).await
    }
}

impl std::fmt::Display for LotRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.lot.trim())
    }
}

#[derive(Subcommand, Debug)]
pub enum WorkspaceCmd {
    /// Move a laptop workspace into an empty team workspace: every row and every audit
    /// event, the chain head the same afterwards. Run as the owner or an administrator.
    Push {
        /// The workspace file (.lotwise).
        file: PathBuf,
        /// The team workspace: postgres://ADMIN@HOST:PORT/DB.
        #[arg(long, value_name = "URL")]
        to: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a new, empty workspace at --workspace (refuses a path that already holds a file).
    Init {
        #[arg(long)]
        json: bool,
    },
    /// Create the demo workspace: a new file, or a workspace with nothing in it yet.
    Demo {
        #[arg(long)]
        json: bool,
    },
    /// Commissioning bodies and partners.
    #[command(subcommand, alias = "orgs")]
    Organisations(OrgCmd),
    /// Commissioning projects.
    #[command(subcommand)]
    Procurements(ProcCmd),
    /// Lots and the pipeline.
    #[command(subcommand)]
    Lots(LotCmd),
    /// The contracts register and expiry radar.
    #[command(subcommand)]
    Contracts(ContractCmd),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Evaluation: model, bids, panel, blind scoring, moderation and results.
    #[command(subcommand)]
    Eval(eval::EvalCmd),
    /// For an evaluator scoring away from the network: fill a scoresheet (.lwsheet) and sign
    /// it with your key; no workspace needed.
    #[command(subcommand)]
    Scoresheet(eval::SheetCmd),
    /// Bank holidays, working days and standstill periods.
    #[command(subcommand)]
    Calendar(calendar::CalendarCmd),
    /// Award: assessment summaries.
    #[command(subcommand)]
    Award(award::AwardCmd),
    /// TUPE: the transfer plan, staff lists, obligations and the checklist.
    #[command(subcommand)]
    Tupe(tupe::TupeCmd),
    /// Budgets and funders by financial year, savings and whole-life values.
    #[command(subcommand)]
    Finance(finance::FinanceCmd),
    /// The route to market: show it, or record it with --set ROUTE --reason TEXT.
    Route(route::RouteArgs),
    /// Record the conflicts assessment the Act requires before the tender notice.
    Conflicts(route::ConflictsArgs),
    /// The notices the route requires, with what is missing, status and deadline; or record
    /// one as published with --publish KIND --on DATE.
    Notices(route::NoticesArgs),
    /// Market engagement: events, attendees, questions, expressions of interest, or the
    /// reasons there was none.
    #[command(subcommand)]
    Engagement(tender::EngagementCmd),
    /// The specification: versions, comments, compare, approve.
    #[command(subcommand, alias = "specification")]
    Spec(spec::SpecCmd),
    /// The tender: clarifications, the bid receipt log, late bids, bids to evaluation.
    #[command(subcommand)]
    Tender(tender::TenderCmd),
    /// Export data for publication.
    #[command(subcommand)]
    Export(ExportCmd),
    /// A team workspace on a PostgreSQL server: set it up, add and remove people.
    #[command(subcommand)]
    Team(team::TeamCmd),
    /// Moving a workspace: `lotwise workspace push FILE.lotwise --to postgres://…`.
    #[command(subcommand)]
    Workspace(WorkspaceCmd),
    /// Extension arithmetic and whole-life value: `lotwise term 5+2+2 --from 2018-04-01`.
    Term {
        /// As councils write it: 5+2+2, 2+1+1, 9m.
        term: String,
        /// The start date (2018-04-01 or 01/04/2018).
        #[arg(long)]
        from: Option<String>,
        /// Annual value excluding VAT (£1,462,000).
        #[arg(long, default_value = "")]
        annual: String,
        #[arg(long)]
        json: bool,
    },
    /// Generate a decision paper (extension, procurement approval or award) as a PDF.
    Paper(Box<paper::PaperArgs>),
    /// Share posts or money across areas in proportion to population (largest remainder).
    Allocate {
        /// CSV with a header naming `area` and `population` columns.
        #[arg(long)]
        csv: PathBuf,
        /// Posts to share (25), or money (£5,950,000).
        #[arg(long, conflicts_with = "per", required_unless_present = "per")]
        total: Option<String>,
        /// One post per this many people (20000); the total is rounded up.
        #[arg(long)]
        per: Option<u64>,
        /// Save the result against this procurement's lots (id or reference); the CSV's
        /// optional `lot` column names each area's lot.
        #[arg(long, value_name = "PROCUREMENT")]
        save: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Copy the whole workspace to a new file, consistently, while it is in use.
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum OrgCmd {
    Add {
        #[arg(long)]
        name: String,
        /// county_council, district_council, borough_council, unitary_council, icb, ccg, nhs_trust, other
        #[arg(long)]
        kind: String,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ProcCmd {
    Create {
        #[arg(long)]
        reference: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        service: String,
        /// Lead commissioner first; repeat for partners (name or id).
        #[arg(long = "commissioner", required = true)]
        commissioners: Vec<String>,
        /// Budget for a financial year: `2026/27=£1,462,000`; repeat for each year.
        #[arg(long = "budget")]
        budget: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct LotCreateArgs {
    /// The procurement's id or reference.
    #[arg(long)]
    procurement: String,
    #[arg(long)]
    reference: String,
    #[arg(long)]
    title: String,
    #[arg(long, default_value = "")]
    geography: String,
    /// Estimated annual value, e.g. £1,850,000.
    #[arg(long = "value", alias = "estimated-annual-value")]
    value: Option<String>,
    /// Contract term as councils write it: 5+2, 2+1+1.
    #[arg(long)]
    term: Option<String>,
    /// Reference of the contract this lot replaces.
    #[arg(long)]
    replaces: Option<String>,
    /// A part, as `A: Community Navigation`; repeat for each part.
    #[arg(long = "part")]
    parts: Vec<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
pub enum LotCmd {
    Create(Box<LotCreateArgs>),
    List {
        #[arg(long)]
        json: bool,
    },
    Show {
        #[command(flatten)]
        id: LotRef,
        #[arg(long)]
        json: bool,
    },
    /// Move a lot to another stage; gates that fail are listed.
    Advance {
        #[command(flatten)]
        id: LotRef,
        #[arg(long)]
        to: String,
        /// Required to abandon a lot or move it back a stage.
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add a milestone, or change the dates of a standard one.
    Milestone {
        #[command(flatten)]
        id: LotRef,
        /// A standard milestone: market_engagement_event, draft_specification_issued, tender_notice,
        /// clarification_deadline, submission_deadline, evaluation_complete, award_decision, contract_start.
        #[arg(long)]
        key: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        planned: String,
        #[arg(long)]
        actual: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct ContractAddArgs {
    #[arg(long)]
    reference: String,
    #[arg(long)]
    title: String,
    #[arg(long)]
    service: String,
    /// Provider name; added to the supplier register if new.
    #[arg(long)]
    provider: String,
    #[arg(long)]
    companies_house: Option<String>,
    #[arg(long)]
    charity: Option<String>,
    /// Commissioning organisation (name or id).
    #[arg(long)]
    commissioner: Option<String>,
    #[arg(long)]
    annual_value: String,
    /// Start date: 2026-04-01 or 01/04/2026.
    #[arg(long)]
    start: String,
    /// Term with extension options: 5+2+2, 2+1+1, 3+9m.
    #[arg(long)]
    term: String,
    /// Status of each extension option in order: available, taken, declined (default: all available).
    #[arg(long = "option")]
    options: Vec<String>,
    /// Notice needed to extend or end, in months (default 3).
    #[arg(long)]
    notice_months: Option<u32>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
pub enum ContractCmd {
    Add(Box<ContractAddArgs>),
    List {
        #[arg(long)]
        json: bool,
    },
    /// Contracts whose end or last available extension falls within the lead time.
    Expiring {
        #[arg(long, default_value_t = crate::domain::radar::DEFAULT_LEAD_MONTHS)]
        within_months: u32,
        #[arg(long)]
        json: bool,
    },
    /// Record an extension option as taken, declined or available.
    Option {
        /// Contract id or reference.
        contract: String,
        #[arg(long)]
        number: u32,
        #[arg(long)]
        status: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Recompute the hash chain; prints `ok` with its length and head, or the first broken event.
    /// Then checks each anchor given: the chain must still have its events, unchanged.
    Verify {
        /// An anchor file written by `lotwise audit anchor --out` (repeat for several).
        #[arg(long, value_name = "FILE")]
        anchor: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The workspace's anchor now (its id, how many events, the head hash, when): keep it
    /// outside the workspace, or send it on, and `audit verify --anchor` proves later that
    /// no event since has been removed or rewritten.
    Anchor {
        /// Write the anchor to this file (JSON) as well as printing it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The most recent events.
    Log {
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
}

/// Exit codes: 0 success; 1 the input or the workspace's state refused the request;
/// 2 the command line itself was wrong (clap's usage errors); 3 the workspace file could not
/// be used (missing, not a workspace, newer, read-only, a storage failure); 4 the record
/// does not verify (a broken audit trail, a damaged file).
pub fn exit_code(e: &Error) -> i32 {
    match e.code {
        ErrorCode::Validation
        | ErrorCode::NotFound
        | ErrorCode::GatesFailed
        | ErrorCode::Conflict
        | ErrorCode::Forbidden => 1,
        ErrorCode::Workspace | ErrorCode::Storage => 3,
        ErrorCode::Integrity => 4,
    }
}

pub async fn run(cli: Cli) -> Result<()> {
    // Team administration connects as the server's administrator, not to a workspace.
    if let Command::Team(cmd) = cli.command {
        return team::run(cmd).await;
    }
    // An evaluator's scoresheet and key are files of their own: no workspace.
    if let Command::Scoresheet(cmd) = cli.command {
        return eval::run_sheet(cmd);
    }
    // A push names its file and server itself.
    if let Command::Workspace(WorkspaceCmd::Push { file, to, json: j }) = cli.command {
        let r = ops::workspace::push(&file, &to).await?;
        if j {
            json(&r);
        } else {
            println!(
                "Pushed {} to {}: {} rows in {} tables, {} audit events; chain head {} on both.",
                r.from, r.to, r.rows, r.tables, r.audit_events, r.chain_head
            );
        }
        return Ok(());
    }
    // Allocation works on a CSV file alone: it neither needs nor touches a workspace.
    if let Command::Term {
        term,
        from,
        annual,
        json: j,
    } = &cli.command
    {
        let today = ops::Clock::today(&SystemClock);
        let w = ops::finance::term_value(term, from.as_deref(), annual, today)?;
        if *j {
            json(&w)
        } else {
            finance::print_term(&w)
        }
        return Ok(());
    }
    if let Command::Allocate {
        csv,
        total,
        per,
        save: None,
        json: j,
    } = &cli.command
    {
        let p = ops::finance::preview_allocation(&ops::finance::AllocationInput {
            csv: ops::textfile::read_bytes(csv, "csv")?,
            file_name: csv.display().to_string(),
            total: total.clone().unwrap_or_default(),
            per: per.map(|p| p.to_string()).unwrap_or_default(),
            lots: Default::default(),
        })?;
        if *j {
            json(&p.allocation)
        } else {
            print::allocation(&p.allocation);
            if let Some(note) = &p.read_as {
                println!("({} was {note}.)", csv.display());
            }
        }
        return Ok(());
    }
    let path = cli
        .workspace
        .clone()
        .unwrap_or_else(ops::default_workspace_path);
    // Only `init` and `demo` make a workspace: a mistyped --workspace is an error, not a
    // new empty file.
    let how = match cli.command {
        Command::Init { .. } => ops::workspace::Open::New,
        Command::Demo { .. } => ops::workspace::Open::OrCreate,
        _ => ops::workspace::Open::Existing,
    };
    let location = ops::workspace::Location::of_path(&path);
    let store = match (ops::workspace::open(&location, how).await, &location) {
        // No password in the URL, PGPASSWORD or ~/.pgpass: ask, as psql does, when someone
        // is at the terminal (never echoed, never kept).
        (Err(e), ops::workspace::Location::Server(url))
            if e.field.as_deref() == Some("password") && std::io::stdin().is_terminal() =>
        {
            let prompt = format!("Password for {}: ", ops::workspace::redact(url));
            let password = rpassword::prompt_password(prompt).map_err(|_| e)?;
            ops::workspace::open_server_with_password(url, &password, how).await?
        }
        (r, _) => r?,
    };
    let amber = match cli.amber_days {
        Some(d) => d,
        None => ops::amber_days_from_env()?,
    };
    let user = cli
        .user
        .clone()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(ops::current_user);
    let role_chosen =
        cli.role.is_some() || std::env::var("LOTWISE_ROLE").is_ok_and(|r| !r.trim().is_empty());
    let role = match &cli.role {
        Some(r) => crate::domain::roles::Role::parse(r)?,
        None => ops::role_from_env()?,
    };
    // On a team workspace the server says who you are: a different name or role is refused
    // rather than silently replaced.
    let (user, role) = match store.identity() {
        Some((server_user, server_role)) => {
            let named = cli.user.as_deref().map(str::trim).filter(|u| !u.is_empty());
            if named.is_some_and(|u| u != server_user) || (role_chosen && role != server_role) {
                store.close().await;
                return Err(crate::error::Error::new(
                    crate::error::ErrorCode::Workspace,
                    format!(
                        "on a team workspace the server says who you are: you are connected as {server_user} ({}); --user, --role, LOTWISE_USER and LOTWISE_ROLE cannot change that (connect as the other person instead)",
                        server_role.with_article()
                    ),
                ));
            }
            (server_user, server_role)
        }
        None => (user, role),
    };
    let mut ctx = Ctx::new(store.clone(), Arc::new(SystemClock), user).with_amber_days(amber)?;
    ctx.role = role;
    let result = dispatch(&ctx, cli.command, role_chosen).await;
    store.close().await;
    result
}

#[derive(Subcommand, Debug)]
pub enum ExportCmd {
    /// The procurement as an OCDS 1.1.5 release package (planning, tender with lots, awards,
    /// contracts, parties with GB-COH / GB-CHC identifiers).
    Ocds {
        /// The procurement's id or reference.
        procurement: String,
        #[arg(long, value_name = "FILE.json")]
        out: PathBuf,
    },
}

pub(crate) fn json<T: serde::Serialize>(v: &T) {
    println!("{}", serde_json::to_string_pretty(v).expect("serialisable"));
}

async fn dispatch(ctx: &Ctx, command: Command, role_chosen: bool) -> Result<()> {
    match command {
        Command::Init { json: j } => {
            let path = ctx.store.location();
            if j {
                json(&serde_json::json!({ "workspace": path }));
            } else {
                println!("Created an empty workspace at {path}.");
            }
        }
        Command::Demo { json: j } => {
            let s = ops::demo::create(ctx).await?;
            if j {
                json(&s);
                return Ok(());
            }
            println!(
                "Demo workspace created: {} organisations, {} contracts, {} procurements, {} lots.",
                s.organisations, s.contracts, s.procurements, s.lots
            );
        }
        Command::Organisations(OrgCmd::Add {
            name,
            kind,
            json: j,
        }) => {
            let o = ops::registers::create_organisation(
                ctx,
                ops::registers::CreateOrganisation { name, kind },
            )
            .await?;
            if j {
                json(&o)
            } else {
                println!("Added organisation {}: {}", o.id, o.name);
            }
        }
        Command::Organisations(OrgCmd::List { json: j }) => {
            let all = ops::registers::list_organisations(ctx).await?;
            if j {
                json(&all)
            } else {
                for o in all {
                    println!("{:>4}  {}  ({})", o.id, o.name, o.kind.key());
                }
            }
        }
        Command::Procurements(ProcCmd::Create {
            reference,
            title,
            service,
            commissioners,
            budget,
            json: j,
        }) => {
            let budget = budget
                .iter()
                .map(|b| {
                    b.split_once('=')
                        .map(|(y, a)| ops::registers::BudgetLineInput {
                            financial_year: y.into(),
                            amount: a.into(),
                        })
                        .ok_or_else(|| {
                            Error::validation(
                                "budget",
                                format!(
                                    "“{b}” is not a budget line: write it as 2026/27=£1,462,000"
                                ),
                            )
                        })
                })
                .collect::<Result<Vec<_>>>()?;
            let p = ops::registers::create_procurement(
                ctx,
                ops::registers::CreateProcurement {
                    reference,
                    title,
                    service,
                    commissioners,
                    budget,
                },
            )
            .await?;
            if j {
                json(&p)
            } else {
                println!(
                    "Created procurement {} ({}): {}",
                    p.id, p.reference, p.title
                )
            }
        }
        Command::Procurements(ProcCmd::List { json: j }) => {
            let all = ops::registers::list_procurements(ctx).await?;
            if j {
                json(&all)
            } else {
                for p in all {
                    let lead = p
                        .commissioners
                        .first()
                        .map(|o| o.name.as_str())
                        .unwrap_or("");
                    println!(
                        "{:>4}  {:<10}  {}  (lead: {lead})",
                        p.id, p.reference, p.title
                    );
                }
            }
        }
        Command::Lots(cmd) => lots(ctx, cmd).await?,
        Command::Contracts(cmd) => contracts(ctx, cmd).await?,
        Command::Audit(AuditCmd::Anchor { out, json: j }) => {
            let a = ops::audit::anchor(ctx).await?;
            if let Some(out) = &out {
                let text = serde_json::to_string_pretty(&a).expect("serialisable") + "\n";
                ops::write_file(out, text.as_bytes())?;
            }
            if j {
                json(&a);
            } else {
                println!("{}", a.describe());
                println!("Workspace {}; head {}", a.workspace, a.head);
                if let Some(out) = &out {
                    println!("Written to {}", out.display());
                }
            }
        }
        Command::Audit(AuditCmd::Verify { anchor, json: j }) => {
            let mut given = Vec::new();
            for f in &anchor {
                given.push((
                    f.display().to_string(),
                    ops::audit::read_anchor_from(f).await?,
                ));
            }
            let r = ops::audit::verify_all(ctx, &given).await?;
            if j {
                json(&r);
            } else {
                print_verify(&r);
            }
            if let AuditVerification::Broken {
                length,
                first_broken_seq,
                reason,
            } = &r.chain
            {
                return Err(Error::new(
                    ErrorCode::Integrity,
                    format!("audit trail broken at event {first_broken_seq} of {length}: {reason}"),
                ));
            }
            let failed = r.anchors.iter().filter(|a| !a.holds).count();
            if failed > 0 {
                return Err(Error::new(
                    ErrorCode::Integrity,
                    format!(
                        "the record does not match what was anchored: {failed} of {} anchors fail",
                        r.anchors.len()
                    ),
                ));
            }
        }
        Command::Audit(AuditCmd::Log { limit, json: j }) => {
            let page = ops::audit::page(ctx, 0, limit).await?;
            if j {
                json(&page)
            } else {
                for e in page.events {
                    println!(
                        "{:>6}  {}  {:<12}  {:<32}  {} {}",
                        e.seq,
                        e.at.format("%d/%m/%Y %H:%M:%S"),
                        e.actor,
                        e.action,
                        e.entity,
                        e.entity_id.map(|i| i.to_string()).unwrap_or_default()
                    );
                }
            }
        }
        Command::Eval(cmd) => eval::run(ctx, cmd, role_chosen).await?,
        Command::Paper(args) => paper::run(ctx, *args).await?,
        Command::Calendar(cmd) => calendar::run(ctx, cmd).await?,
        Command::Award(cmd) => award::run(ctx, cmd).await?,
        Command::Tupe(cmd) => tupe::run(ctx, cmd).await?,
        Command::Finance(cmd) => finance::run(ctx, cmd).await?,
        Command::Route(a) => route::route(ctx, a).await?,
        Command::Engagement(cmd) => tender::engagement(ctx, cmd).await?,
        Command::Spec(cmd) => spec::run(ctx, cmd).await?,
        Command::Tender(cmd) => tender::tender(ctx, cmd).await?,
        Command::Export(ExportCmd::Ocds { procurement, out }) => {
            let id = resolve_procurement(ctx, &procurement).await?;
            let lots = ops::ocds::export(ctx, id, &out).await?;
            println!(
                "Wrote {} (OCDS 1.1.5 release package, {lots} lot{})",
                out.display(),
                if lots == 1 { "" } else { "s" }
            );
        }
        Command::Conflicts(a) => route::conflicts(ctx, a).await?,
        Command::Notices(a) => route::notices(ctx, a).await?,
        Command::Term { .. }
        | Command::Team(_)
        | Command::Workspace(_)
        | Command::Scoresheet(_) => {
            unreachable!("handled before the workspace is opened")
        }
        Command::Allocate {
            csv,
            total,
            per,
            save,
            json: j,
        } => {
            let procurement = resolve_procurement(ctx, save.as_deref().unwrap_or_default()).await?;
            let input = ops::finance::AllocationInput {
                csv: ops::textfile::read_bytes(&csv, "csv")?,
                file_name: csv.display().to_string(),
                total: total.unwrap_or_default(),
                per: per.map(|p| p.to_string()).unwrap_or_default(),
                lots: Default::default(),
            };
            let saved = ops::finance::save_allocation(ctx, procurement, &input).await?;
            if j {
                json(&saved)
            } else {
                print::allocation(&saved.allocation);
                println!("Saved as allocation {} ({}).", saved.id, saved.basis);
            }
        }
        Command::Backup { out } => {
            ops::audit::backup(ctx, &out).await?;
            if ctx.store.identity().is_some() || ctx.store.location().starts_with("postgres") {
                println!(
                    "Wrote a copy of the team workspace, as you may see it now, to {}; it opens read-only.",
                    out.display()
                );
            } else {
                println!("Backed up the workspace to {}", out.display());
            }
            // The copy carries its own record: the anchor it holds, for the contract file.
            let a = ops::audit::read_anchor_from(&out).await?;
            println!(
                "{} (check a workspace against it with lotwise audit verify --anchor {})",
                a.describe(),
                out.display()
            );
        }
    }
    Ok(())
}

pub(crate) async fn resolve_procurement(ctx: &Ctx, key: &str) -> Result<ProcurementId> {
    let all = ops::registers::list_procurements(ctx).await?;
    all.iter()
        .find(|p| p.id.0.to_string() == key.trim() || p.reference.eq_ignore_ascii_case(key.trim()))
        .map(|p| p.id)
        .ok_or_else(|| {
            Error::validation(
                "procurement",
                format!("no procurement “{key}” is in this workspace"),
            )
        })
}

async fn resolve_contract(ctx: &Ctx, key: &str, field: &str) -> Result<ContractId> {
    let all = ops::contracts::list(ctx).await?;
    all.iter()
        .find(|c| c.id.0.to_string() == key.trim() || c.reference.eq_ignore_ascii_case(key.trim()))
        .map(|c| c.id)
        .ok_or_else(|| {
            Error::validation(field, format!("no contract “{key}” is in this workspace"))
        })
}

async fn lots(ctx: &Ctx, cmd: LotCmd) -> Result<()> {
    match cmd {
        LotCmd::Create(a) => {
            let procurement_id = resolve_procurement(ctx, &a.procurement).await?;
            let replaces_contract_id = match &a.replaces {
                Some(r) => Some(resolve_contract(ctx, r, "replaces").await?),
                None => None,
            };
            let parts = a
                .parts
                .iter()
                .map(|p| ops::lots::parse_part(p))
                .collect::<Result<Vec<_>>>()?;
            let lot = ops::lots::create(
                ctx,
                ops::lots::CreateLot {
                    procurement_id,
                    reference: a.reference,
                    title: a.title,
                    geography: a.geography,
                    estimated_annual_value: a.value,
                    term: a.term,
                    replaces_contract_id,
                    parts,
                },
            )
            .await?;
            if a.json {
                json(&lot)
            } else {
                println!("Created lot {}: {} ({})", lot.id, lot.title, lot.stage)
            }
        }
        LotCmd::List { json: j } => {
            let board = ops::lots::board(ctx).await?;
            let cards: Vec<_> = board.columns.into_iter().flat_map(|c| c.cards).collect();
            if j {
                json(&cards)
            } else {
                print::lot_table(&cards)
            }
        }
        LotCmd::Show { id, json: j } => {
            let lot = ops::lots::show(ctx, id.id(ctx).await?).await?;
            if j { json(&lot) } else { print::lot(&lot) }
        }
        LotCmd::Advance {
            id,
            to,
            reason,
            json: j,
        } => {
            let lot: Lot = ops::lots::advance_stage(
                ctx,
                ops::lots::AdvanceStage {
                    lot_id: id.id(ctx).await?,
                    to,
                    reason,
                },
            )
            .await?;
            if j {
                json(&lot)
            } else {
                println!("Lot {} ({}) is now at {}.", lot.id, lot.title, lot.stage)
            }
        }
        LotCmd::Milestone {
            id,
            key,
            title,
            planned,
            actual,
            json: j,
        } => {
            let lot = ops::lots::set_milestone(
                ctx,
                ops::lots::SetMilestone {
                    expected_version: None,
                    lot_id: id.id(ctx).await?,
                    key,
                    title,
                    planned,
                    actual,
                },
            )
            .await?;
            if j {
                json(&lot);
                return Ok(());
            }
            println!("Lot {} milestones:", lot.id);
            for m in &lot.milestones {
                println!(
                    "  {:<40} {}  {}",
                    m.title,
                    dates::short(m.planned),
                    m.rag.label()
                );
            }
        }
    }
    Ok(())
}

async fn contracts(ctx: &Ctx, cmd: ContractCmd) -> Result<()> {
    match cmd {
        ContractCmd::Add(a) => {
            let c = ops::contracts::add(
                ctx,
                ops::contracts::AddContract {
                    reference: a.reference,
                    title: a.title,
                    service: a.service,
                    provider: a.provider,
                    provider_companies_house_number: a.companies_house,
                    provider_charity_number: a.charity,
                    commissioner: a.commissioner,
                    annual_value: a.annual_value,
                    start: a.start,
                    term: a.term,
                    option_statuses: a.options,
                    notice_period_months: a.notice_months,
                },
            )
            .await?;
            if a.json {
                json(&c)
            } else {
                println!(
                    "Added contract {} ({}): {}, {} a year, {} from {}; ends {} (final possible end {}).",
                    c.id,
                    c.reference,
                    c.title,
                    c.annual_value,
                    c.term,
                    dates::long(c.start),
                    dates::long(c.dates.current_end),
                    dates::long(c.dates.final_possible_end)
                )
            }
        }
        ContractCmd::List { json: j } => {
            let all = ops::contracts::list(ctx).await?;
            if j {
                json(&all)
            } else {
                print::contract_table(&all)
            }
        }
        ContractCmd::Expiring {
            within_months,
            json: j,
        } => {
            let list = ops::contracts::expiring(ctx, Some(within_months)).await?;
            if j {
                json(&list)
            } else {
                print::radar(&list, within_months, ctx.clock.today())
            }
        }
        ContractCmd::Option {
            contract,
            number,
            status,
        } => {
            let contract_id = resolve_contract(ctx, &contract, "contract").await?;
            let c = ops::contracts::set_option_status(
                ctx,
                ops::contracts::SetOptionStatus {
                    contract_id,
                    option: number,
                    status,
                },
            )
            .await?;
            println!(
                "Contract {}: option {number} is {}; it now ends {} (final possible end {}).",
                c.reference,
                c.option_statuses[number as usize - 1].key(),
                dates::long(c.dates.current_end),
                dates::long(c.dates.final_possible_end)
            );
        }
    }
    Ok(())
}

/// The chain's finding, then the anchors: those that hold counted, those that fail each in
/// plain words (the first ten; a restored backup can fail thousands of journal lines at once).
fn print_verify(r: &ops::audit::VerifyReport) {
    match &r.chain {
        AuditVerification::Ok { length, head } => println!("ok: {length} events, head {head}"),
        AuditVerification::Broken {
            length,
            first_broken_seq,
            reason,
        } => println!("chain broken at event {first_broken_seq} of {length}: {reason}"),
    }
    let holding = r.anchors.iter().filter(|a| a.holds).count();
    if let Some(p) = &r.journal.path {
        println!(
            "journal {p}: {} entries, {} distinct anchors checked{}",
            r.journal.entries,
            r.journal.checked,
            if r.journal.after_copy > 0 {
                format!(
                    " ({} made after this copy was taken are not expected here)",
                    r.journal.after_copy
                )
            } else {
                String::new()
            }
        );
        for line in &r.journal.unreadable {
            println!("journal line {line} could not be read (cut short or edited); it is skipped");
        }
    }
    if holding > 0 {
        println!("{holding} anchors hold");
    }
    for a in r
        .anchors
        .iter()
        .filter(|a| !a.holds && !a.from.starts_with("this computer"))
    {
        println!("anchor {}", a.message);
    }
    let failing: Vec<_> = r
        .anchors
        .iter()
        .filter(|a| !a.holds && a.from.starts_with("this computer"))
        .cloned()
        .collect();
    let telling = crate::domain::anchor::telling(&failing, |a| &a.check);
    for a in &telling {
        println!("anchor {}", a.message);
    }
    if failing.len() > telling.len() {
        println!(
            "({} more of the journal's anchors fail the same way)",
            failing.len() - telling.len()
        );
    }
    for a in r
        .anchors
        .iter()
        .filter(|a| a.holds && !a.from.starts_with("this computer"))
    {
        println!("anchor {}", a.message);
    }
}
