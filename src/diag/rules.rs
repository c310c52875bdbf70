//! Every rule a finding can come from, with a stable ID, what it checks, the process requirement it
//! enforces, how to fix it and from which lifecycle stage it applies. `engage explain`, the
//! machine-readable formats and the policy's severity overrides read this one table; adding a rule
//! is one entry here and one function in `check/`.

use super::Severity;
use std::fmt;

/// What a rule is for.
pub struct RuleInfo {
    pub code: &'static str,
    pub title: &'static str,
    /// The process requirement the rule enforces (why it exists).
    pub rationale: &'static str,
    /// How to fix a finding.
    pub fix: &'static str,
    /// From which lifecycle stage, or on which documents, the rule applies.
    pub applies: &'static str,
    pub severity: Severity,
}

macro_rules! rules {
    ($($variant:ident => $code:literal, $severity:ident, $title:literal, $applies:literal, $rationale:literal, $fix:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId { $($variant),* }

        impl RuleId {
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),*];

            pub fn info(self) -> RuleInfo {
                match self {
                    $(RuleId::$variant => RuleInfo {
                        code: $code,
                        title: $title,
                        rationale: $rationale,
                        fix: $fix,
                        applies: $applies,
                        severity: Severity::$severity,
                    }),*
                }
            }
        }
    };
}

rules! {
    YamlSyntax => "YAML-001", Error, "Malformed YAML", "every data file",
        "Data that cannot be read cannot be controlled.",
        "Correct the YAML at the position shown.";
    UnreadableFile => "YAML-002", Error, "Unreadable file", "every data file",
        "Every data file must be UTF-8 text within the size limit.",
        "Save the file as UTF-8 YAML, or raise max_file_bytes in engage.yaml.";
    UnknownKind => "KIND-001", Error, "Missing or unknown kind", "every data file",
        "The kind: field selects the schema and the document a file becomes.",
        "Set kind: to Engagement, Proposal, StatementOfWork, ChangeRequest, LessonsLearned, Escalation, Complaint or DecisionLog.";
    MissingField => "SCHEMA-001", Error, "Required field missing", "every document",
        "A controlled document must hold what its kind requires at every stage.",
        "Add the field; `engage schema KIND` describes it.";
    UnknownField => "SCHEMA-002", Error, "Unknown field", "every document",
        "A misspelt field would otherwise be silently ignored.",
        "Correct the field name, or remove the field.";
    WrongType => "SCHEMA-003", Error, "Wrong type of value", "every document",
        "Values must have the type the schema defines.",
        "Write the value in the expected form; quote text that looks like a number.";
    ValueNotAllowed => "SCHEMA-004", Error, "Value not allowed", "every document",
        "Codes, dates and identifiers must follow the agreed formats.",
        "Use one of the allowed values or forms.";
    ConstraintViolated => "SCHEMA-005", Error, "Schema constraint violated", "every document",
        "Values must meet the limits the schema sets.",
        "Change the value to meet the limit shown.";
    DuplicateId => "ID-001", Error, "Duplicate document ID", "every document",
        "Documented information is identified uniquely (ISO 9001 7.5.2 a).",
        "Give each document an ID of its own.";
    UnknownEngagement => "REF-001", Error, "Document belongs to no engagement", "every document",
        "Every document belongs to one engagement, whose client and classification it carries.",
        "Put the file in its engagement's folder, or set engagement: to the engagement's ID.";
    BrokenTemplate => "TPL-001", Error, "Broken template", "workspace templates",
        "A workspace template must render every document it is used for.",
        "Correct the template at the position shown.";
    EnquiryLogged => "ENQ-001", Error, "Enquiry logged", "stage assessment onwards",
        "Enquiry and opportunity assessment: every enquiry is logged with its date, contact and the nature of the request.",
        "Add the enquiry: section (received, channel, contact, nature_of_request) to the Engagement.";
    OpportunityAssessed => "OPP-001", Error, "Opportunity assessed before a proposal", "stage proposal onwards",
        "Enquiry and opportunity assessment: strategic fit, capability, capacity, risks and legal, regulatory and ethical considerations are assessed, and the decision to proceed is recorded, before a proposal is made.",
        "Add the opportunity_assessment: section with decision: go, or move the engagement back to its true stage.";
    DeclineRecorded => "OPP-002", Error, "Declined opportunity has a rationale", "stage declined",
        "Enquiry and opportunity assessment: a declined opportunity records the decision and why.",
        "Add the opportunity_assessment: with decision: decline and its rationale.";
    ProposalRisksIdentified => "PRO-001", Warning, "Proposal identifies risks, dependencies and constraints", "every proposal",
        "Requirements and proposal: risks, dependencies and constraints are identified before the proposal is made.",
        "Add risks:, dependencies: and constraints: to the proposal.";
    ProposalSecurityStated => "PRO-002", Warning, "Proposal states information-security requirements", "every proposal",
        "Requirements and proposal: information-security, data-protection and confidentiality requirements are stated.",
        "Add information_security: to the proposal.";
    PricingComplete => "PRO-003", Error, "Pricing complete and consistent", "every proposal",
        "Requirements and proposal: pricing is complete and adds up, so the client is quoted what the firm approved.",
        "Make each line's amount quantity × unit price and the total the sum of the lines.";
    ContractReviewed => "CON-001", Error, "Contract reviewed before acceptance", "stage delivery onwards",
        "Contract review and acceptance: terms are reviewed for compliance and risk, by a named reviewer on a date, before the contract is accepted.",
        "Add contract_review: with reviewed_by, date, findings and an accepting outcome.";
    ContractTermsRecorded => "CON-002", Error, "Contract terms recorded", "stage contracting onwards",
        "Contract review and acceptance: termination, confidentiality and data-protection clauses and the commercial terms are recorded.",
        "Add the contract: section to the Engagement.";
    DeliveryRolesAgreed => "CON-003", Error, "Delivery roles and escalation agreed", "stage delivery onwards",
        "Contract review and acceptance: roles, responsibilities and escalation routes are agreed and resources confirmed before delivery starts.",
        "Name the delivery_lead in roles: and add the escalation_matrix:.";
    AcceptedWithSow => "CON-004", Error, "Delivery has a statement of work", "stage delivery onwards",
        "Contract review and acceptance: no work is accepted without an agreed statement of work.",
        "Add the engagement's StatementOfWork, or move the engagement back to its true stage.";
    DeliverableInContract => "SOW-001", Error, "Deliverable due inside the contract period", "every statement of work",
        "Statement of work: every deliverable has a due date inside the contract period.",
        "Move the due date inside the contract period, or agree a change to the period.";
    PaymentsReconcile => "SOW-002", Error, "Milestone payments sum to the contract value", "statements of work priced by fixed price or milestones (pricing.model absent, fixed_price or milestone)",
        "Records and consistency: milestone payments sum to the contract value, in one currency. Time-and-materials and labour-hour work is invoiced for the hours worked and has no milestone payments to reconcile.",
        "Correct the milestone payments or the contract value.";
    MilestoneDeliverables => "SOW-003", Error, "Milestones name existing deliverables", "every statement of work",
        "Statement of work: each milestone is tied to deliverables defined in the same statement of work.",
        "Use deliverable IDs defined under deliverables:.";
    CommunicationProtocol => "SOW-004", Error, "Communication protocol agreed", "every statement of work",
        "Statement of work: the communication protocol (channels, response times, reporting cadence) is agreed.",
        "Add the communication_plan: section to the Engagement.";
    DocumentTypeKnown => "SOW-005", Error, "Document type known", "statements of work with a document_type",
        "Document control: a document is identified by what it is; a misspelt type would be printed on its cover and in every header.",
        "Use Statement of Work, Performance Work Statement, Statement of Objectives or Task Order, or add the type to document_types: in engage.yaml.";
    DueDateReadable => "SCH-001", Error, "Due date readable", "every statement of work",
        "Statement of work: every due date is a date or a date relative to an event that both parties can work out the same way.",
        "Write a date (2026-05-29) or an event and an offset: `award + 30 days`, `kickoff + 2 weeks`, `acceptance of D2 + 10 working days`.";
    DueInContractPeriod => "SCH-002", Error, "Resolved due dates inside the contract's period of performance", "every statement of work",
        "Statement of work: nothing is due outside the period of performance of the contract, whatever the event it counts from; a recurring deliverable's every delivery included.",
        "Move the due date or shorten the offset or recurrence, or agree a change to the contract period.";
    MilestoneAfterDeliverables => "SCH-003", Error, "Milestone no earlier than its deliverables", "every statement of work",
        "Statement of work: a milestone is reached when its deliverables are accepted, so it cannot be due before any of them (a recurring one's last delivery).",
        "Move the milestone's due date on or after its deliverables' due dates, or take the deliverable off the milestone.";
    EventHappens => "SCH-004", Error, "Relative date counts from an event that happens", "every statement of work",
        "Statement of work: a date relative to an event that never happens is never due; the event must be one the data defines (award, kickoff, a name under events:, a deliverable's acceptance, a client-furnished item's receipt) and, by closure, dated.",
        "Name an event the statement of work defines, list it under events:, or record the event's date.";
    AcceptancePlanned => "QAS-001", Error, "Deliverable has an acceptor and a review window", "statements of work of engagements at stage contracting",
        "Quality surveillance: before the contract is signed, each deliverable names who accepts it and how many working days the review may take, so that acceptance cannot stall.",
        "Add quality: with acceptor: (role, name) and review_days: to the deliverable.";
    EffortPriced => "COM-001", Error, "Effort priced on the rate card", "proposals, statements of work and change requests with effort by role",
        "Commercial terms: every role whose effort is estimated has a rate on the rate card, so the price of the effort can be worked out and invoiced.",
        "Add the role to pricing.rate_card (role, rate, unit), or name the role as the rate card does.";
    EstimateReconciles => "COM-002", Error, "Time-and-materials estimate equals rates × effort", "time-and-materials, labour-hour and capped statements of work with a rate card, effort and estimate; change requests with pricing_change.effort",
        "Commercial terms: a time-and-materials estimate is the effort by role at the rate card's rates, so the client is quoted what the rates and hours make; a change's cost is its extra effort at the statement of work's rates.",
        "Correct the estimate (or the change's impact.cost), the effort or the rates so that they agree.";
    CeilingKept => "COM-003", Error, "Ceiling not exceeded", "statements of work with a ceiling, and their approved change requests",
        "Commercial terms: a not-to-exceed ceiling binds; neither the estimate nor the approved changes on top of it may take the price above the ceiling unless a change raises it.",
        "Reduce the estimate or the change, or raise the ceiling with the change (pricing_change.ceiling) once the client agrees.";
    PaymentTermsInPolicy => "COM-004", Error, "Payment terms within the policy", "proposals and statements of work with payment terms",
        "Contract review: the firm offers only payment terms its credit policy accepts (policy commercial.max_payment_days, default 60 days).",
        "Shorten pricing.payment_terms.days, or have the policy changed through its owner.";
    TerminationStated => "COM-005", Error, "Termination terms before contracting", "statements of work of engagements at stage contracting",
        "Contract review and acceptance: agreed termination terms (notice and fees on termination) are in the statement of work before it is signed.",
        "Add terms.termination (notice_days, fees) or cite a clause of topic termination under clauses:.";
    KeyPersonnelOwnDeliverables => "COM-006", Error, "Deliverable owners are key personnel", "proposals and statements of work that list key personnel",
        "Commercial terms: the people a client relies on are named as key personnel and replaced only with its agreement; a deliverable owned by someone not named there escapes that control.",
        "Add the owner to key_personnel, or give the deliverable to a named key person.";
    ClauseCited => "CLA-001", Error, "Cited clause in the library", "documents that cite clauses",
        "Contract review: a document prints the clauses it cites from the clause library; a clause or version the library does not hold cannot be printed or reviewed.",
        "Correct the clause ID or version, or add the clause to clauses/ID.md.";
    ClauseCurrent => "CLA-002", Warning, "Cited clause is the library's current version", "documents that cite clauses",
        "Contract review: the clause library holds the clauses the firm currently agrees to; a document that cites an older version carries terms the firm has since revised.",
        "Review the changes (`engage diff` after the update shows them) and cite the library's version, or keep the older version deliberately and waive the finding with the reason.";
    EscalationLevels => "ESC-001", Error, "Escalation matrix has enough levels", "stage contracting onwards",
        "Escalation: issues can be escalated through the policy's number of levels, numbered from 1.",
        "Add levels to the escalation_matrix: (policy escalation.min_levels, default 3).";
    EscalationTopLimits => "ESC-002", Error, "Most severe level within the policy's limits", "stage contracting onwards",
        "Escalation: the most severe (highest) level is acknowledged and resolved within the policy's limits (default 1 hour and 24 hours).",
        "Shorten the acknowledge_within and resolve_within of the highest level.";
    EscalationOrdered => "ESC-003", Error, "Escalation speeds up as it goes up", "stage contracting onwards",
        "Escalation: a higher level never takes longer to acknowledge or resolve than the level below it.",
        "Make each level's times no longer than those of the level below.";
    EscalationAcknowledged => "ESC-004", Error, "Escalation acknowledged in time", "every escalation",
        "Escalation: each tier acknowledges an escalation within its level's acknowledge_within in the engagement's escalation matrix, counted from when the escalation reached it.",
        "Record the true acknowledged_at; if the tier was late, say why in the actions and review the escalation matrix.";
    EscalationResolved => "ESC-005", Error, "Escalation resolved in time", "every escalation",
        "Escalation: an escalation is resolved within the resolve_within of the tier it sits at, counted from when it reached that tier.",
        "Record the true resolved_at; a tier that cannot resolve in time escalates to the next one.";
    EscalationTiers => "ESC-006", Error, "Escalation follows the matrix", "every escalation",
        "Escalation: an issue sits at a level of the engagement's escalation matrix, and moves up only after the lower level's resolve time has passed or for a stated reason.",
        "Use a level of the escalation matrix, or add reason: to the history entry that moved it up early.";
    IncidentReviewed => "ESC-007", Error, "Critical escalation reviewed before closure", "critical escalations with status closed",
        "Escalation and improvement: a critical escalation has a post-incident review, so that its causes are removed, before it is closed.",
        "Hold the review and record it under post_incident_review:, or set the status back to resolved.";
    ComplaintAnswered => "CMP-001", Error, "Complaint answered", "complaints past their acknowledgement time or no longer open",
        "Complaint handling: every complaint receives a response within the engagement's procedure's time.",
        "Record the response: (date, by, summary).";
    ComplaintClosed => "CMP-002", Error, "Closed complaint has a root cause and corrective action", "complaints with status closed",
        "Complaint handling and improvement: a complaint is closed only with its root cause found and a corrective action taken.",
        "Add root_cause:, corrective_action: and closed_on:, or set the status back.";
    ComplaintProcedure => "CMP-003", Error, "Complaint-handling procedure defined", "engagements with complaints",
        "Complaint handling: complaints are handled through a defined procedure with an owner and time limits.",
        "Add the complaint_handling: section to the Engagement.";
    ActionsOwned => "DEC-001", Error, "Decision-log actions have an owner and a due date", "every decision log",
        "Communication: actions agreed with the client are written down with an owner and a due date, so nobody is unsure who does what by when.",
        "Add owner: and due: to the action.";
    ActionsOnTime => "DEC-002", Warning, "Decision-log actions not overdue without a note", "every decision log",
        "Communication: an action past its due date is done, or its delay is explained to the people who rely on it.",
        "Set status: done, or add a note: saying where it stands and the new date.";
    ImpactAssessed => "CHG-001", Error, "Change impact assessed", "change requests from status assessed",
        "Change control: every change is assessed for its impact on quality, risk, cost, timeline and compliance before a decision.",
        "Add the missing dimensions under impact:.";
    ApprovedWithAgreement => "CHG-002", Error, "Change approved with client agreement and internal approval", "change requests from status approved",
        "Change control: no change is approved without the client's agreement and the firm's internal approval.",
        "Record client_agreement: (agreed: true) and internal_approval: (decision: approved), or set the status back.";
    ImplementedAfterApproval => "CHG-003", Error, "Change implemented only after approval", "change requests with status implemented",
        "Change control: no change is implemented before it is approved.",
        "Record implemented_on, on or after the approval dates.";
    AffectedDeliverablesExist => "CHG-004", Error, "Affected deliverables exist", "every change request",
        "Change control: a change names the deliverables of the statement of work it affects.",
        "Use deliverable IDs of the engagement's statement of work.";
    CostReconciles => "CHG-005", Error, "Cost change in the contract currency", "change requests from status approved",
        "Records and consistency: approved cost changes reconcile with the contract value, in its currency.",
        "State the cost impact in the contract's currency.";
    LessonsRecorded => "CLS-001", Error, "Closed engagement has a lessons-learned report", "stage closed",
        "Completion: a closed engagement records its completion review and lessons learned.",
        "Add the engagement's LessonsLearned report.";
    HandoverComplete => "CLS-002", Error, "Every deliverable handed over", "every lessons-learned report",
        "Completion: every deliverable is handed over and its acceptance recorded.",
        "Add each deliverable of the statement of work to handover:.";
    FeedbackSought => "CLS-003", Error, "Client feedback sought", "every lessons-learned report",
        "Completion: client feedback is sought at completion.",
        "Seek the client's feedback and set client_feedback.sought: true.";
    DatesInOrder => "REC-001", Error, "Dates in lifecycle order", "every engagement",
        "Records and consistency: enquiry ≤ proposal ≤ contract start ≤ milestones ≤ contract end.",
        "Correct the date that is out of order.";
    PeopleNamed => "REC-002", Warning, "Owners and approvers named in the engagement", "every document",
        "Records and consistency: owners and approvers are people named in the engagement's roles or client contacts.",
        "Add the person to roles: or client.contacts:, or correct the name.";
    ApprovalDates => "REC-003", Error, "Approvals dated and not in the future", "every document",
        "Records and consistency: approvals are dated, and not after today.",
        "Correct the approval's date.";
    DistributionListed => "REC-004", Error, "Confidential engagements have a distribution list", "confidential and restricted engagements",
        "Information classification and distribution: confidential information goes only to a listed distribution.",
        "List the recipients under distribution:.";
    RequiredApprovals => "APR-001", Error, "Required approvals recorded", "proposals when submitted, statements of work from delivery, change requests when approved",
        "Contract review and acceptance: a document is approved by the roles the policy requires before it is submitted, accepted or acted on.",
        "Record an approved, dated approval for each required role (policy approvals:).";
    ApprovalThreshold => "APR-002", Error, "Senior approval above the threshold", "statements of work and change requests above a policy threshold",
        "Contract review and acceptance: commitments above the policy's value need a named senior approval.",
        "Record the senior role's approval (policy approval_thresholds:).";
    StaleApproval => "APR-003", Error, "Approval bound to the current content", "every document",
        "Document control: an approval holds for the content that was approved; a document changed after approval must be approved again before it is issued.",
        "Ask the approver to approve the current content (`engage approve DOC-ID --role ROLE --name NAME`), or undo the change.";
    UnboundApproval => "APR-004", Warning, "Approval bound to content", "every document",
        "Document control: an approval without a content_hash cannot show which content was approved, so a later change would go unnoticed.",
        "Record approvals with `engage approve DOC-ID --role ROLE --name NAME`, which binds them to the content.";
    UnsignedApproval => "SIG-001", Error, "Decision signed where the policy requires it", "documents of the kinds the policy's signatures: requires",
        "Electronic signatures (21 CFR Part 11, EU GMP Annex 11): where the policy requires signatures, each decision is signed by the person who made it, with a key unique to them, so a typed name alone cannot stand for an approval.",
        "Ask the approver to sign: `engage approve DOC-ID --role ROLE --name NAME --sign [KEY]` (policy signatures: sets where signatures are required).";
    InvalidSignature => "SIG-002", Error, "Signature readable and complete", "signed approvals",
        "Electronic signatures: a signature must be checkable; one that cannot be read, lacks a fact it covers or was made for another purpose proves nothing.",
        "Sign the approval again with `engage approve DOC-ID --role ROLE --name NAME --sign [KEY]`; do not edit `signature:`, `signed_at:` or `meaning:` by hand.";
    SignerNotAllowed => "SIG-003", Error, "Signed by a key allowed for that person and role", "signed approvals",
        "Electronic signatures: a signature is unique to one person; the key must be listed in .engage/allowed_signers for the person named on the approval and for the role they approve in.",
        "Have the named person sign with their own key, or add their key and role to .engage/allowed_signers through your change process (name=\"Full Name\" roles=\"Role\" after the key).";
    RevokedKey => "SIG-004", Error, "Signed by a key that is not revoked", "signed approvals",
        "Electronic signatures: a revoked key (lost, compromised, or its holder gone) no longer vouches for anyone.",
        "Ask the approver to sign again with their current key.";
    SignatureMismatch => "SIG-005", Error, "Signature covers this approval", "signed approvals",
        "Electronic signatures: a signature is linked to its record so that it cannot be copied to another: it covers the document ID, the content hash, the role, name, decision, meaning, date and time. A signature copied from another document, role or decision, or an approval edited after signing, no longer verifies.",
        "Ask the approver to sign this approval (`engage approve DOC-ID --role ROLE --name NAME --sign [KEY]`); `engage approve DOC-ID --role ROLE --name NAME --statement` prints what the signature must cover.";
    ReviewDue => "REV-001", Warning, "Periodic review", "issued documents",
        "Control of documented information: issued documents are reviewed periodically for continuing suitability; the engagement process reviews its documents at least annually.",
        "Review the document and release it again (`engage release DOC-ID --reason \"Periodic review\"`), which starts a new cycle; policy review_months: sets the cycle per kind.";
    ControlCharacter => "CTL-001", Warning, "Control characters in text", "every document",
        "Controlled documents show what their data says: control characters (ESC, BEL, BS, NUL and the like) and bidirectional overrides are not text a reader can see, so every output leaves them out (tab, line feed and carriage return become spaces), and the data should not hold what no document shows.",
        "Delete the characters named, usually pasted in from a terminal or another program, or retype the text.";
    Placeholder => "TXT-001", Error, "No placeholder left in the text", "every text of every document",
        "Review of documented information: a document is approved only when it is complete; a placeholder (TBD, TBC, TBA, TODO, XXX, lorem ipsum, to be determined or to be confirmed at the end of a clause, a name in brackets such as [date of award], <client name> or {client_name}, [●], or a blank ___) marks text still to be written.",
        "Replace the placeholder with the real text, or remove it; if it must stay for now, set the rule to warning in the policy while the document is drafted, or waive it for the field.";
    DeliverableDescribed => "TXT-002", Warning, "Deliverable described in words", "deliverables of proposals and statements of work",
        "Statement of work: each deliverable is defined clearly enough for both parties to know what is handed over; a description of one word (or none, such as `-`) defines nothing.",
        "Describe what the deliverable is and what it contains in a sentence, or remove the description and let the title and acceptance criteria stand.";
    PricedAboveZero => "TXT-003", Error, "Price more than zero", "proposals, statements of work with milestone payments, contract values",
        "Requirements and proposal, and contract review: the price offered and the value contracted are stated; a total of zero means the quantities, prices or payments were not filled in.",
        "Enter the quantities and prices, the milestone payments or the contract value; if the work is free of charge, waive the rule for the document with the reason.";
    NeededListFilled => "TXT-004", Error, "Lists the process needs are filled in", "response times and escalation triggers of engagements; responsibilities and information security of statements of work; post-incident reviews; objectives and lessons of lessons-learned reports; key points of decision logs",
        "Records and consistency: a list the process relies on (the response times of the communication plan, what each party is responsible for, the lessons of a completion review, ...) that is present but empty records nothing.",
        "Add the entries to the list.";
    EmailMatchesName => "TXT-005", Warning, "E-mail address matches the person", "every person with a name and an e-mail address",
        "Communication: formal notices, approvals and documents go to the address recorded for a person; an address that looks like someone else's (a copied entry whose name was changed) sends them to the wrong person.",
        "Correct the e-mail address or the name. Shared mailboxes (info@, procurement@) and names in other scripts than Latin are not judged.";
    WaiverExpired => "WVR-001", Error, "Expired waiver", "engage.yaml",
        "A waiver accepts a finding for a limited time; after that the finding counts again.",
        "Resolve the finding, or renew the waiver with a new expiry, reason and approver.";
    WaiverUnused => "WVR-002", Warning, "Waiver matches nothing", "engage.yaml",
        "A waiver that matches no finding is stale and hides nothing: remove it to keep the policy honest.",
        "Remove the waiver, or correct its rule, document or field.";
}

impl RuleId {
    pub fn code(self) -> &'static str {
        self.info().code
    }

    pub fn from_code(code: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.code().eq_ignore_ascii_case(code))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_well_formed_and_round_trip() {
        let mut codes: Vec<_> = RuleId::ALL.iter().map(|r| r.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RuleId::ALL.len());
        for &rule in RuleId::ALL {
            let (family, number) = rule.code().split_once('-').unwrap();
            assert!(family.chars().all(|c| c.is_ascii_uppercase()) && number.len() == 3, "{rule}");
            assert_eq!(RuleId::from_code(&rule.code().to_lowercase()), Some(rule));
        }
    }
}
