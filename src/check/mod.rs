//! Step 3, check: the compliance rules of the engagement process, run over the whole corpus after
//! schema validation, then the policy's severity overrides and waivers.
//!
//! Each rule is a function over a [`Context`] that adds [`Finding`]s; [`CHECKS`] lists them all and
//! `diag/rules.rs` describes them. Adding a rule is one entry in each. Rules that would each repeat
//! the same costly pass share one entry: the schedule rules resolve timelines once, and the rules
//! on every value of a document walk it once (`text::values`).

mod approvals;
mod change;
mod clauses;
mod closure;
mod commercial;
mod contract;
mod control_chars;
mod delivery;
mod escalation;
mod framing;
mod lifecycle;
mod mailbox;
mod placeholder;
mod quality;
mod records;
pub mod review;
mod schedule;
mod signatures;
pub mod sla;
mod sow;
mod text;
mod waivers;

use crate::workspace::Policy;

use crate::diag::{Finding, RuleId, field_path};
use crate::model::{Corpus, Document, Kind, Stage};
use crate::record::Register;
use crate::source::yaml::SpanTree;
use crate::source::{FileId, Sources, Span};
use chrono::NaiveDate;
use serde_json::Value;

/// What the rules see.
pub struct Context<'a> {
    pub corpus: &'a Corpus,
    pub policy: &'a Policy,
    /// The day dates are judged against (approvals in the future, expired waivers).
    pub today: NaiveDate,
    /// `engage.yaml`, where waivers are located.
    pub settings: (FileId, &'a SpanTree),
    /// The files read, to match waivers that name a file.
    pub sources: &'a Sources,
    /// The revision register, for when documents were issued (periodic review).
    pub register: &'a Register,
    /// The document types engage.yaml adds to the built-in ones.
    pub document_types: &'a [String],
    /// Who may sign approvals (`.engage/allowed_signers`, `.engage/revoked_keys`).
    pub signers: &'a crate::sign::Signers,
    /// The clause library (`clauses/`).
    pub clauses: &'a crate::clauses::Library,
}

type Check = fn(&Context, &mut Findings);

/// Every compliance check, in the order of the engagement process.
const CHECKS: &[Check] = &[
    lifecycle::enquiry_logged,
    lifecycle::opportunity_assessed,
    lifecycle::decline_recorded,
    lifecycle::proposal_content,
    lifecycle::pricing_complete,
    contract::contract_recorded,
    contract::contract_reviewed,
    contract::delivery_roles,
    contract::accepted_with_sow,
    sow::deliverables_in_contract,
    sow::payments_reconcile,
    sow::milestone_deliverables,
    sow::communication_protocol,
    framing::document_type_known,
    schedule::schedules,
    quality::acceptance_planned,
    commercial::effort_priced,
    commercial::estimate_reconciles,
    commercial::ceiling_kept,
    commercial::payment_terms,
    commercial::termination_stated,
    commercial::key_personnel,
    clauses::cited_clauses,
    escalation::levels,
    change::impact_assessed,
    change::approved_with_agreement,
    change::implemented_after_approval,
    change::affected_deliverables_exist,
    change::cost_reconciles,
    delivery::escalation_times,
    delivery::escalation_tiers,
    delivery::incident_reviewed,
    delivery::complaint_answered,
    delivery::complaint_closed,
    delivery::complaint_procedure,
    delivery::actions_owned,
    delivery::actions_on_time,
    closure::lessons_recorded,
    closure::handover_complete,
    closure::feedback_sought,
    records::dates_in_order,
    records::people_named,
    records::approval_dates,
    records::distribution_listed,
    approvals::required_approvals,
    approvals::threshold,
    approvals::bound_approvals,
    signatures::signed_approvals,
    review::periodic_review,
    text::values,
    text::deliverables_described,
    text::priced_above_zero,
    text::needed_lists_filled,
];

/// Runs every check, the checks spread over every core; findings come in the order of [`CHECKS`].
pub fn corpus(context: &Context) -> Vec<Finding> {
    run(context, crate::parallel::default_workers())
}

/// Runs every check on the calling thread, for work that is already spread over cores.
pub fn serially(context: &Context) -> Vec<Finding> {
    run(context, 1)
}

fn run(context: &Context, workers: usize) -> Vec<Finding> {
    let found = crate::parallel::map(CHECKS, workers, |check| {
        let mut findings = Findings::default();
        check(context, &mut findings);
        findings.list
    });
    found.into_iter().flatten().collect()
}

/// Applies the policy to findings of every step: severity overrides (or off), then waivers.
pub fn apply_policy(context: &Context, findings: Vec<Finding>) -> Vec<Finding> {
    let overridden = findings.into_iter().filter_map(|f| override_severity(context.policy, f)).collect();
    waivers::apply(context, overridden)
}

/// The errors that stop `doc` from being issued now, whatever its stage: the approvals its policy
/// requires and any current rejection (see `approvals::release_blockers`), after the policy's
/// severity overrides.
pub fn release_blockers(context: &Context, doc: &Document) -> Vec<Finding> {
    approvals::release_blockers(context, doc)
        .into_iter()
        .filter_map(|f| override_severity(context.policy, f))
        .filter(|f| f.severity == crate::diag::Severity::Error)
        .collect()
}

fn override_severity(policy: &Policy, mut finding: Finding) -> Option<Finding> {
    match policy.rules.get(finding.rule.code()) {
        Some(level) => {
            finding.severity = level.severity()?;
            Some(finding)
        }
        None => Some(finding),
    }
}

/// Collects findings located in documents.
#[derive(Default)]
pub struct Findings {
    list: Vec<Finding>,
}

impl Findings {
    /// A finding about the value at `pointer` in `doc` (its key and value when it has a key).
    pub fn add(&mut self, rule: RuleId, doc: &Document, pointer: &str, message: impl Into<String>) {
        let at = doc.spans.locate(pointer);
        let span = Span { file: doc.file, start: at.key.map_or(at.start, |k| k.0), end: at.end };
        self.add_at(rule, doc, pointer, span, message);
    }

    /// A finding about the value at `pointer` in `doc`, at a place of its own inside it.
    pub fn add_at(&mut self, rule: RuleId, doc: &Document, pointer: &str, span: Span, message: impl Into<String>) {
        let info = rule.info();
        let mut finding =
            Finding::error(rule, span, message, info.fix).at_field(field_path(pointer)).of(doc.id.as_ref());
        finding.severity = info.severity;
        self.list.push(finding);
    }

    /// A finding about a value itself (not its key), with its own help: for a value that is
    /// wrong as written, so that the position is the value's.
    pub fn add_value(&mut self, rule: RuleId, doc: &Document, pointer: &str, message: String, help: &str) {
        let at = doc.spans.locate(pointer);
        let span = Span { file: doc.file, start: at.start, end: at.end };
        let mut finding = Finding::error(rule, span, message, help).at_field(field_path(pointer)).of(doc.id.as_ref());
        finding.severity = rule.info().severity;
        self.list.push(finding);
    }
}

impl<'a> Context<'a> {
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &'a Document> {
        self.corpus.iter().filter(move |d| d.kind == kind)
    }

    /// The documents of one kind that belong to the engagement.
    pub fn members(&self, engagement: &'a Document, kind: Kind) -> Vec<&'a Document> {
        self.corpus.members(engagement).filter(|d| d.kind == kind).collect()
    }

    pub fn engagement_of(&self, doc: &'a Document) -> Option<&'a Document> {
        self.corpus.engagement_of(doc)
    }

    /// Engagements with their stage.
    pub fn engagements(&self) -> impl Iterator<Item = (&'a Document, Stage)> {
        self.of_kind(Kind::Engagement).filter_map(|e| Some((e, Stage::parse(e.text("stage")?)?)))
    }
}

/// A `YYYY-MM-DD` value.
pub fn date(value: Option<&Value>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value?.as_str()?, "%Y-%m-%d").ok()
}

/// Text that is present and not blank (a list counts when it has entries).
pub fn present(value: Option<&Value>) -> bool {
    match value {
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(items)) => !items.is_empty(),
        Some(Value::Null) | None => false,
        Some(_) => true,
    }
}

/// Deliverable IDs defined by the statements of work of an engagement.
pub fn deliverable_ids<'a>(context: &Context<'a>, engagement: &'a Document) -> Vec<&'a str> {
    context
        .members(engagement, Kind::StatementOfWork)
        .into_iter()
        .filter_map(|sow| sow.data.get("deliverables")?.as_array())
        .flatten()
        .filter_map(|d| d.get("id")?.as_str())
        .collect()
}
