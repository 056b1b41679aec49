//! The demo workspace's decision papers, written as the seed papers were: the Health Trainers
//! extension (seed 000), the 0-5 integration key decision (seed 003) and the West Kent award.
//! Names and email addresses are fictional; every figure in a paper comes from the data.
use std::collections::BTreeMap;

use super::Ctx;
use super::papers;
use crate::domain::ids::LotId;
use crate::domain::paper::{Appendix, Contact, PaperDraft, PaperHeader, PaperKind, PaperOption};
use crate::error::Result;

fn sections(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn option(title: &str, description: &str, benefits: &str, risks: &str) -> PaperOption {
    PaperOption {
        title: title.into(),
        description: description.into(),
        benefits: benefits.into(),
        risks: risks.into(),
    }
}

fn contact(name: &str, role: &str, phone: &str, email: &str) -> Contact {
    Contact {
        name: name.into(),
        role: role.into(),
        phone: phone.into(),
        email: email.into(),
    }
}

const EQUALITY: &str = "An equality impact assessment has been completed and is available on request. It finds no adverse impact on any group with a protected characteristic; the service is aimed at communities with the poorest health outcomes, which advances equality of opportunity as the public sector equality duty (section 149 of the Equality Act 2010) requires. It will be reviewed when the new service is designed.";

pub async fn write(
    ctx: &Ctx,
    health_trainers: LotId,
    integrated_0_5: LotId,
    west_kent: LotId,
    exempt_contracts: String,
) -> Result<()> {
    let extension = PaperDraft {
        header: PaperHeader {
            decision_number: "26/00147".into(),
            decision_maker: "Cabinet Member for Adult Social Care and Public Health".into(),
            from: "Director of Public Health".into(),
            to: "Cabinet Member for Adult Social Care and Public Health".into(),
            subject: "Extending the contract for Health Trainers by nine months".into(),
            classification: "Unrestricted".into(),
            electoral_divisions: "All".into(),
            key_decision: true,
        },
        sections: sections(&[
            (
                "summary",
                "This paper presents the case to extend the current contract for Health Trainers with Kent Community Health NHS Foundation Trust by nine months, using the extension option the contract provides.\n\nAdult Social Care and the NHS are still scoping care navigation and integrated care teams. Extending the contract gives time to align the Health Trainer service with those models and to co-design it with the NHS Kent and Medway Integrated Care Board, and to get better value from the money spent.",
            ),
            (
                "recommendations",
                "1. The Cabinet Member for Adult Social Care and Public Health is asked to extend the contract with Kent Community Health NHS Foundation Trust for nine months, as set out in section 3.\n2. To note that the service will be re-procured in time for a new contract to start when the extension ends.",
            ),
            (
                "background",
                "Health Trainers are a key front-line public health workforce. They are often members of communities with poor health outcomes, trained in basic health and behaviour change skills and accredited to City and Guilds Level 3. They gain the trust of local people and help them reach their health goals, such as stopping smoking, losing weight or drinking less alcohol.\n\nThe current contract is a historical block contract. It buys about 30 full-time equivalent Health Trainers with area co-ordinators and a service management structure; more people are employed, as many work part time. Health Trainers deliver good outcomes, but to relatively few people, and there is an opportunity to re-model the service and add value.",
            ),
            (
                "reasons",
                "The commissioning team intends to review the Health Trainer role against these priorities:\n\n- integrated care teams tackling health inequalities proactively and systematically;\n- social care transformation and care navigators, so that people can look after themselves and are signposted to the right service;\n- asset mapping and community asset development with the district councils;\n- the links between obesity, mental health, substance misuse and other risk-taking behaviours.\n\nThat work is not finished. The results of the social care review of health navigators and the design of integrated care are expected in the spring. The extension gives time to design a better model, assess value for money, consult stakeholders and the public, and develop the provider market before the service is tendered.",
            ),
            (
                "tupe_risk",
                "About 30 full-time equivalent staff, many of them part time, are employed by the NHS trust to deliver the service. If a new provider were appointed, most would be likely to transfer under the Transfer of Undertakings (Protection of Employment) Regulations 2006, with access to the NHS Pension Scheme protected under New Fair Deal. Extending the contract defers this risk; the re-procurement will obtain anonymised staff information from the trust before the tender and tell bidders the TUPE and pension position.",
            ),
            (
                "preferred_reasons",
                "Option B allows the service to be redesigned with the Integrated Care Board and the social care review, so that the re-procured service fits the wider integration of health and social care. The risk of destabilising the current service will be managed through market development, consultation and co-design, so that local expertise is retained.",
            ),
            (
                "financial",
                "The extension is funded from the public health grant at the current annual value. There is no increase in cost. The value of the extension is shown in section 3.",
            ),
            (
                "legal",
                "The contract provides for this extension as an option. Taking an option the contract provides for is not a new procurement. Notice must be given to the provider within the notice period in the contract.",
            ),
            ("equality", EQUALITY),
            (
                "risk",
                "The main risk is that staff leave during a period of uncertainty. The commissioning team will keep the provider and staff informed of the timetable.",
            ),
            (
                "consultation",
                "The Integrated Care Board and Adult Social Care have been consulted and support the extension.",
            ),
            (
                "background_papers",
                "Kent Health Trainer service review\nPublic health commissioning intentions",
            ),
        ]),
        options: vec![
            option(
                "Do nothing: let the contract end",
                "The contract ends and the service stops.",
                "Saves the cost of the service.",
                "About 30 front-line posts are lost and the council cannot meet its public health priorities; staff would be at risk of redundancy.",
            ),
            option(
                "Extend the current contract",
                "Extend the contract for nine months to incorporate the reviews and co-design the service with the NHS and social care commissioners.",
                "The new service will reflect the needs of the health system and be part of the wider integration of health and social care.",
                "The current service may be destabilised, with the skills and experience of trained community health champions lost or subject to complex TUPE processes.",
            ),
            option(
                "Re-procure now",
                "Keep to the existing timescales and start a tender immediately.",
                "The contract is re-tendered quickly, with a new contract in place when the current term ends.",
                "There is no opportunity to redesign the service or test the market, and a similar service is procured.",
            ),
        ],
        preferred_option: Some(2),
        extension_option: Some(1),
        contacts: vec![
            contact(
                "Priya Sharma",
                "Public Health Consultant",
                "03000 416001",
                "priya.sharma@example.gov.uk",
            ),
            contact(
                "Tom Ellis",
                "Head of Public Health Commissioning",
                "03000 416002",
                "tom.ellis@example.gov.uk",
            ),
        ],
        appendices: vec![],
    };
    papers::save(ctx, health_trainers, PaperKind::Extension, extension).await?;

    let procurement = PaperDraft {
        header: PaperHeader {
            decision_number: "NCC/2026/0142".into(),
            decision_maker: "Executive Board Commissioning and Procurement Sub-Committee".into(),
            from: "Director of Public Health and Director of Children’s Integrated Services".into(),
            to: "Executive Board Commissioning and Procurement Sub-Committee".into(),
            subject: "0-5 Integrated Services contract: approval to procure".into(),
            classification: "Unrestricted".into(),
            electoral_divisions: "All".into(),
            key_decision: true,
        },
        sections: sections(&[
            (
                "summary",
                "The council is responsible for commissioning public health services for children aged 0 to 5. Since those responsibilities transferred to it, the council has worked to integrate them with its own children’s teams, removing boundaries so that children get the best start in life.\n\nThis paper asks for approval to bring six public health contracts together and procure one organisation to deliver the integrated service, working in partnership with the council’s Early Help service.",
            ),
            (
                "recommendations",
                "1. Approve the integration of the existing public health contracts listed in exempt Appendix 1 and the procurement of an organisation to deliver the integrated specification, working in partnership with the Early Help service.\n2. Approve the budget set out in section 5.\n3. Delegate the award decision as set out in section 6.",
            ),
            (
                "background",
                "A strategic commissioning review of all universal and preventative services took place jointly with the Integrated Care Board, which commissions midwifery. It set a clear context for integration and the chance to design new pathways of support based on best practice.\n\nIntegration will improve the experience of children and families from pregnancy to age 5, reduce duplication, increase flexibility and let resources be used more effectively. Families told us they are frustrated at giving the same information to separate services.",
            ),
            (
                "route_to_market",
                "Health visiting and the other services in scope are health care services within the Health Care Services (Provider Selection Regime) Regulations 2023. The council will use the **competitive process**, assessing bids against the five key criteria, and will publish a notice of its intention to award followed by a standstill period of eight working days.",
            ),
            (
                "savings",
                "Savings of 10% over three years have been identified through integration, to be delivered through amalgamation and a competitive process.",
            ),
            (
                "delegation",
                "Delegate authority to the Director of Public Health, in consultation with the Portfolio Holder for Adults and Health and the Portfolio Holder for Early Years, to approve the outcome of the procurement and award the contract for the term shown in section 3. The details of any joint venture agreement will be brought to the committee once a provider has been appointed.",
            ),
            (
                "preferred_reasons",
                "Only an integrated service removes the divisions between services that complicate the lives of families. It allows a single line management structure, one data system, pooled budgets, shared premises and a skill-mix approach, so that one health worker can work with a family from birth.",
            ),
            (
                "financial",
                "The budget in section 5 is within the public health grant allocation. If the contract values tendered are above the current indicative values, a separate report will be brought for approval.",
            ),
            (
                "legal",
                "The procurement will follow the Provider Selection Regime. Staff of the current providers are likely to transfer to the new provider under TUPE; bidders will be given staff information and the pension position.",
            ),
            ("equality", EQUALITY),
            (
                "safeguarding",
                "The specification requires the provider to meet the Nottingham City Safeguarding Children Partnership’s procedures and to share information with the council’s children’s services.",
            ),
            (
                "data_protection",
                "A data protection impact assessment will be completed before a single data system is shared between the provider and the council.",
            ),
            (
                "risk",
                "The main risks are a weak market response and disruption to staff during the transfer. Market engagement has shown interest from several providers, and the timetable allows for a managed mobilisation.",
            ),
            (
                "consultation",
                "Families, practitioners and the Integrated Care Board were consulted during the commissioning review.",
            ),
            (
                "social_value",
                "Bids will be evaluated on social value, including local employment and volunteering.",
            ),
            (
                "background_papers",
                "0-5 strategic commissioning review\nNational and local feedback from families",
            ),
        ]),
        options: vec![
            option(
                "Do nothing",
                "Let the existing contracts expire.",
                "None.",
                "The council could not provide the statutory services it must, leaving it open to challenge.",
            ),
            option(
                "Re-procure the six contracts separately",
                "",
                "Familiar to the market and to the current providers.",
                "Divisions between services remain, complicating the lives of families.",
            ),
            option(
                "Bring the services in house",
                "",
                "Direct control of the whole service.",
                "Recruitment to vacancies would be very difficult, and transferring health staff to council terms risks unfair pay claims.",
            ),
            option(
                "Procure one integrated service",
                "Procure an organisation to deliver the integrated specification in partnership with the Early Help service.",
                "One service for families from pregnancy to age 5, less duplication and savings from amalgamation.",
                "A change of provider affects staff; managed through TUPE and a planned mobilisation.",
            ),
        ],
        preferred_option: Some(4),
        extension_option: None,
        contacts: vec![contact(
            "Chris Walker",
            "Strategic Commissioning Manager",
            "0115 876 5432",
            "chris.walker@example.gov.uk",
        )],
        appendices: vec![Appendix {
            title: "Existing public health contracts and their values".into(),
            body: exempt_contracts,
            exempt: true,
            exempt_paragraph: Some(3),
        }],
    };
    papers::save(ctx, integrated_0_5, PaperKind::Procurement, procurement).await?;

    papers::save(ctx, west_kent, PaperKind::Award, west_kent_award()).await?;
    Ok(())
}

/// The award paper behind the demo's Section 75 partnership (seed 002): the lot reached
/// contract in 2023 and its award pack was approved by legal before the agreement was signed.
pub async fn write_section75_award(ctx: &Ctx, lot: LotId) -> Result<()> {
    let award = PaperDraft {
        header: PaperHeader {
            decision_number: "23/00118".into(),
            decision_maker: "Director of Public Health".into(),
            from: "Head of Public Health Commissioning".into(),
            to: "Director of Public Health".into(),
            subject: "Healthy Together 0-19: Section 75 partnership agreement".into(),
            classification: "Unrestricted".into(),
            electoral_divisions: "All wards in Leicester".into(),
            key_decision: true,
        },
        sections: sections(&[
            (
                "summary",
                "The city council and Leicestershire Partnership NHS Trust propose a Section 75 partnership for the Healthy Together 0-19 service: health visiting, school nursing and the national child measurement programme. This paper reports the assessment of the Trust’s proposal and recommends entering into the agreement.",
            ),
            (
                "recommendations",
                "1. Enter into a Section 75 partnership agreement with the recommended provider named in section 5.\n2. Delegate the final terms of the agreement to the Director of Public Health after consultation with the Head of Legal Services.",
            ),
            (
                "background",
                "The 0-19 service has been delivered by the Trust since 2017. A partnership under section 75 of the National Health Service Act 2006 lets the council and the Trust pool the budget and integrate the service with the Trust’s other children’s services.",
            ),
            (
                "evaluation_process",
                "The Trust’s proposal was assessed against a published model. Each evaluator declared any conflict of interest and scored the proposal alone; the moderator then agreed a consensus score and a reason for each question.",
            ),
            (
                "next_steps",
                "The agreement will be signed once legal has approved the award pack, and the partnership will start on the contract start date.",
            ),
            (
                "preferred_reasons",
                "The proposal met the quality threshold on every question and keeps the service integrated with the Trust’s other children’s services.",
            ),
            (
                "financial",
                "The partnership is funded from the public health grant, within the budget agreed for the service, after the delayed savings of the previous year.",
            ),
            (
                "legal",
                "A Section 75 agreement is not by itself an exemption from procurement law; the assessment, conflict declarations and sign-offs are kept with the award pack for legal review.",
            ),
            ("equality", EQUALITY),
            (
                "risk",
                "The main risk is that savings are not delivered; the agreement includes a review in its second year and termination on six months’ notice.",
            ),
        ]),
        options: vec![
            option(
                "Let the current contract end",
                "",
                "None.",
                "Children and families would lose a statutory service.",
            ),
            option(
                "Enter into the Section 75 partnership",
                "",
                "An integrated service with a pooled budget and shared governance.",
                "Savings depend on the integration being delivered.",
            ),
        ],
        preferred_option: Some(2),
        extension_option: None,
        contacts: vec![contact(
            "Priya Shah",
            "Head of Public Health Commissioning",
            "0116 454 1000",
            "priya.shah@example.gov.uk",
        )],
        appendices: vec![],
    };
    papers::save(ctx, lot, PaperKind::Award, award).await?;
    Ok(())
}

/// The West Kent award narrative: also what the award pack benchmark writes for its lot.
pub fn west_kent_award() -> PaperDraft {
    PaperDraft {
        header: PaperHeader {
            decision_number: "26/00231".into(),
            decision_maker: "Director of Public Health".into(),
            from: "Head of Public Health Commissioning".into(),
            to: "Director of Public Health".into(),
            subject: "Specialist Preventative Services (West Kent): award of contract".into(),
            classification: "Unrestricted".into(),
            electoral_divisions: "Sevenoaks; Tonbridge and Malling; Tunbridge Wells".into(),
            key_decision: false,
        },
        sections: sections(&[
            (
                "summary",
                "The West Kent partnership of four councils pools funding for preventative public health services. This paper reports the outcome of the tender for the specialist preventative services lot and recommends the award of the contract.",
            ),
            (
                "recommendations",
                "1. Award the contract for Specialist Preventative Services (West Kent) to the recommended bidder named in section 5.\n2. Note the reserve bidder, should the award not proceed.",
            ),
            (
                "background",
                "The partnership board agreed to co-commission preventative services across Sevenoaks, Tonbridge and Malling and Tunbridge Wells, procuring the specialist part of the service competitively.",
            ),
            (
                "evaluation_process",
                "The tender was advertised under the Procurement Act 2023. Bids were evaluated against the published criteria. Each evaluator declared any conflict of interest and scored every bid alone, without seeing the others’ scores; the moderator then agreed a consensus score and a reason for each question, referring to each bid’s own evidence.",
            ),
            (
                "next_steps",
                "Assessment summaries will be sent to every bidder and the contract award notice published. The contract will be signed once the standstill period has ended, and the provider will mobilise before the contract start date.",
            ),
            (
                "preferred_reasons",
                "The recommended bidder submitted the most advantageous tender against the published criteria.",
            ),
            (
                "financial",
                "The contract is funded from the partnership’s pooled budget, within the amount the partnership board agreed.",
            ),
            (
                "legal",
                "The procurement followed the published procedure and evaluation model; the evaluation record, conflict declarations and sign-offs are kept with the award pack for legal review.",
            ),
            ("equality", EQUALITY),
            (
                "risk",
                "The main risk is a challenge from an unsuccessful bidder. It is managed by giving full reasons in each assessment summary and observing the standstill period.",
            ),
            (
                "social_value",
                "The recommended bidder’s social value commitments will be included in the contract and monitored quarterly.",
            ),
        ]),
        options: vec![
            option(
                "Do nothing: make no award",
                "",
                "None.",
                "The partnership could not deliver the specialist service it has funded.",
            ),
            option(
                "Award the contract to the recommended bidder",
                "",
                "Delivers the service from the most advantageous tender.",
                "Mobilisation must be managed to avoid a gap in service.",
            ),
            option(
                "Abandon the procurement and re-procure",
                "",
                "None identified: the tender produced a compliant, affordable bid.",
                "Delay and cost, and a gap in service.",
            ),
        ],
        preferred_option: Some(2),
        extension_option: None,
        contacts: vec![contact(
            "Tom Ellis",
            "Head of Public Health Commissioning",
            "03000 416002",
            "tom.ellis@example.gov.uk",
        )],
        appendices: vec![],
    }
}
