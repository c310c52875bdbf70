//! Types that carry meaning: document identity, kinds, revisions, and the loaded documents.

pub mod commercial;
mod corpus;
mod document;
mod revision;
pub mod schedule;
pub mod text;
pub mod timeline;

pub use corpus::{Corpus, Membership, owners};
pub use document::Document;
pub use revision::{Revision, Scheme};

use std::fmt;
use std::str::FromStr;

/// A document ID such as `SOW-NWL-2026-004`: upper-case letters and digits in dash-separated
/// groups. The shape is what makes an ID safe to use as a file name in `out/` and `records/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocumentId(String);

impl DocumentId {
    pub fn parse(text: &str) -> Option<Self> {
        let mut groups = text.split('-');
        let first = groups.next()?;
        let well_formed = first.starts_with(|c: char| c.is_ascii_uppercase())
            && text.contains('-')
            && std::iter::once(first)
                .chain(groups)
                .all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        well_formed.then(|| DocumentId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a data file holds, selected by its `kind:` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Engagement,
    Proposal,
    StatementOfWork,
    ChangeRequest,
    LessonsLearned,
    Escalation,
    Complaint,
    DecisionLog,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Engagement,
        Kind::Proposal,
        Kind::StatementOfWork,
        Kind::ChangeRequest,
        Kind::LessonsLearned,
        Kind::Escalation,
        Kind::Complaint,
        Kind::DecisionLog,
    ];

    /// The value of `kind:` in YAML.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Engagement => "Engagement",
            Kind::Proposal => "Proposal",
            Kind::StatementOfWork => "StatementOfWork",
            Kind::ChangeRequest => "ChangeRequest",
            Kind::LessonsLearned => "LessonsLearned",
            Kind::Escalation => "Escalation",
            Kind::Complaint => "Complaint",
            Kind::DecisionLog => "DecisionLog",
        }
    }

    /// The file stem shared by the kind's schema (`schemas/STEM.schema.json`) and its template
    /// (`templates/STEM.md`).
    pub fn stem(self) -> &'static str {
        match self {
            Kind::Engagement => "engagement",
            Kind::Proposal => "proposal",
            Kind::StatementOfWork => "statement-of-work",
            Kind::ChangeRequest => "change-request",
            Kind::LessonsLearned => "lessons-learned",
            Kind::Escalation => "escalation",
            Kind::Complaint => "complaint",
            Kind::DecisionLog => "decision-log",
        }
    }

    /// The name of the document the kind renders, as it appears on the document.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Engagement => "Engagement Governance Plan",
            Kind::Proposal => "Proposal",
            Kind::StatementOfWork => "Statement of Work",
            Kind::ChangeRequest => "Change Request",
            Kind::LessonsLearned => "Lessons-Learned Report",
            Kind::Escalation => "Escalation Record",
            Kind::Complaint => "Complaint Record",
            Kind::DecisionLog => "Decision Log",
        }
    }
}

/// Where an engagement is in its lifecycle. Declined engagements stop after assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Enquiry,
    Assessment,
    Proposal,
    Contracting,
    Delivery,
    Closed,
    Declined,
}

impl Stage {
    pub fn parse(text: &str) -> Option<Stage> {
        Some(match text {
            "enquiry" => Stage::Enquiry,
            "assessment" => Stage::Assessment,
            "proposal" => Stage::Proposal,
            "contracting" => Stage::Contracting,
            "delivery" => Stage::Delivery,
            "closed" => Stage::Closed,
            "declined" => Stage::Declined,
            _ => return None,
        })
    }

    /// Whether the engagement has reached `stage` on its way (a declined one only passed assessment).
    pub fn reached(self, stage: Stage) -> bool {
        match self {
            Stage::Declined => stage <= Stage::Assessment || stage == Stage::Declined,
            _ => stage != Stage::Declined && self >= stage,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Kind {
    type Err = ();

    /// Accepts the YAML name (`StatementOfWork`) or the file stem (`statement-of-work`).
    fn from_str(s: &str) -> Result<Self, ()> {
        Kind::ALL.into_iter().find(|k| k.name() == s || k.stem() == s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids() {
        for good in ["SOW-NWL-2026-004", "ENG-A1", "CR-7"] {
            assert!(DocumentId::parse(good).is_some(), "{good}");
        }
        for bad in ["sow-1", "SOW", "SOW--1", "SOW-1-", "../SOW-1", "SOW-1/..", "-SOW-1", "1SOW-2", "SOW-É"] {
            assert!(DocumentId::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn stages_are_reached_in_order() {
        assert!(Stage::Delivery.reached(Stage::Proposal));
        assert!(!Stage::Proposal.reached(Stage::Delivery));
        assert!(Stage::Declined.reached(Stage::Assessment) && !Stage::Declined.reached(Stage::Proposal));
        assert!(!Stage::Closed.reached(Stage::Declined));
    }

    #[test]
    fn kinds_parse_from_name_or_stem() {
        for kind in Kind::ALL {
            assert_eq!(kind.name().parse(), Ok(kind));
            assert_eq!(kind.stem().parse(), Ok(kind));
        }
        assert_eq!("Sow".parse::<Kind>(), Err(()));
    }
}
