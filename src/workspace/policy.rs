//! The compliance policy in `engage.yaml` (`policy:`), validated by `schemas/settings.schema.json`
//! before it is read here.

use crate::diag::Severity;
use chrono::{Months, NaiveDate};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Severity per rule code: `error`, `warning` or `off`.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    #[serde(default)]
    pub escalation: Escalation,
    /// Required approver roles per kind name; the defaults apply to kinds not listed.
    #[serde(default)]
    pub approvals: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub approval_thresholds: Vec<Threshold>,
    #[serde(default)]
    pub waivers: Vec<WaiverRule>,
    /// Months between periodic reviews of an issued document, per kind name (0: none); kinds not
    /// listed are reviewed every [`DEFAULT_REVIEW_MONTHS`].
    #[serde(default)]
    pub review_months: BTreeMap<String, u32>,
    /// Which approvals and releases must be signed.
    #[serde(default)]
    pub signatures: Signatures,
    /// The commercial limits proposals and statements of work must keep.
    #[serde(default)]
    pub commercial: Commercial,
}

/// `commercial:` of the policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commercial {
    /// The most days a client may take to pay an invoice.
    #[serde(default = "default_max_payment_days")]
    pub max_payment_days: u64,
}

impl Default for Commercial {
    fn default() -> Self {
        Commercial { max_payment_days: default_max_payment_days() }
    }
}

/// Sixty days: the longest payment period between businesses that the EU's late payment rules
/// allow without an express agreement, and a common ceiling of firms' credit policies.
fn default_max_payment_days() -> u64 {
    60
}

/// `signatures: required | optional`, or per purpose: `approvals` (kinds not listed), a kind by
/// name, `releases`. Optional unless the policy says otherwise.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Signatures {
    All(Requirement),
    Each(BTreeMap<String, Requirement>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    Required,
    Optional,
}

impl Default for Signatures {
    fn default() -> Self {
        Signatures::All(Requirement::Optional)
    }
}

impl Signatures {
    /// Whether the decisions on a kind of document must be signed.
    pub fn approvals_required(&self, kind: &str) -> bool {
        self.get(&[kind, "approvals"])
    }

    /// Whether `engage release` must sign the register entry.
    pub fn releases_required(&self) -> bool {
        self.get(&["releases"])
    }

    /// The first of `keys` the policy names, or the one requirement for everything.
    fn get(&self, keys: &[&str]) -> bool {
        let requirement = match self {
            Signatures::All(r) => Some(*r),
            Signatures::Each(map) => keys.iter().find_map(|k| map.get(*k).copied()),
        };
        requirement == Some(Requirement::Required)
    }
}

/// The review cycle of a kind of document the policy does not name: annual, as the engagement
/// process prescribes for its own procedures.
pub const DEFAULT_REVIEW_MONTHS: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Off => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    #[serde(default = "default_levels")]
    pub min_levels: usize,
    #[serde(default = "default_acknowledge")]
    pub acknowledge_within: String,
    #[serde(default = "default_resolve")]
    pub resolve_within: String,
}

impl Default for Escalation {
    fn default() -> Self {
        Escalation {
            min_levels: default_levels(),
            acknowledge_within: default_acknowledge(),
            resolve_within: default_resolve(),
        }
    }
}

fn default_levels() -> usize {
    3
}
fn default_acknowledge() -> String {
    "1h".into()
}
fn default_resolve() -> String {
    "24h".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub kind: String,
    pub above: f64,
    pub role: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverRule {
    pub rule: String,
    /// The document the waiver applies to…
    #[serde(default)]
    pub document: Option<String>,
    /// …or the file, for findings in a file that is not a document.
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub field: Option<String>,
    pub reason: String,
    pub approver: String,
    pub expires: String,
}

impl WaiverRule {
    /// What the waiver applies to, as messages name it.
    pub fn target(&self) -> &str {
        self.document.as_deref().or(self.file.as_deref()).unwrap_or_default()
    }
}

impl Policy {
    /// The approver roles a kind of document needs: the policy's, or the process defaults (a
    /// proposal: the account manager and management; a statement of work: contracts and
    /// management; a change request: the client and the engagement manager).
    pub fn required_roles(&self, kind: &str) -> Vec<String> {
        if let Some(roles) = self.approvals.get(kind) {
            return roles.clone();
        }
        let defaults: &[&str] = match kind {
            "Proposal" => &["Account Manager", "Director"],
            "StatementOfWork" => &["Contracts Manager", "Director"],
            "ChangeRequest" => &["Client Sponsor", "Engagement Manager"],
            _ => &[],
        };
        defaults.iter().map(|r| r.to_string()).collect()
    }

    /// Months between periodic reviews of a kind of document; `None` when it has none.
    pub fn review_cycle(&self, kind: &str) -> Option<u32> {
        Some(self.review_months.get(kind).copied().unwrap_or(DEFAULT_REVIEW_MONTHS)).filter(|m| *m > 0)
    }

    /// When a revision of a kind of document issued on `issued` is due for its periodic review.
    pub fn next_review(&self, kind: &str, issued: NaiveDate) -> Option<NaiveDate> {
        issued.checked_add_months(Months::new(self.review_cycle(kind)?))
    }
}

/// Minutes in a duration such as `4h` (`m`, `h`, `d`, `w`); `None` when malformed.
pub fn minutes(duration: &str) -> Option<u64> {
    let (number, unit) = duration.split_at(duration.len().checked_sub(1)?);
    let factor = match unit {
        "m" => 1,
        "h" => 60,
        "d" => 24 * 60,
        "w" => 7 * 24 * 60,
        _ => return None,
    };
    number.parse::<u64>().ok().map(|n| n * factor)
}

#[cfg(test)]
mod tests {
    use super::minutes;

    #[test]
    fn review_dates() {
        let policy: super::Policy = serde_json::from_value(serde_json::json!({
            "review_months": {"Proposal": 6, "LessonsLearned": 0}
        }))
        .unwrap();
        let issued = chrono::NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
        assert_eq!(policy.next_review("Proposal", issued).unwrap().to_string(), "2027-02-28");
        assert_eq!(policy.next_review("StatementOfWork", issued).unwrap().to_string(), "2027-08-31");
        assert_eq!(policy.next_review("LessonsLearned", issued), None);
    }

    #[test]
    fn durations() {
        assert_eq!(minutes("90m"), Some(90));
        assert_eq!(minutes("24h"), Some(1440));
        assert_eq!(minutes("1d"), minutes("24h"));
        assert_eq!(minutes("2w"), Some(20160));
        assert_eq!(minutes("h"), None);
        assert_eq!(minutes(""), None);
    }
}
