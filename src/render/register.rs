//! The registers of an engagement: one document listing all its escalations (`ESR-` and the
//! engagement's code) and one listing all its complaints (`CMR-…`), each entry with its service
//! level. They are derived from the records, so they are built, never released: the records
//! themselves are the controlled documents.

use super::Control;
use crate::check::{date, sla};
use crate::model::{Corpus, Document, Kind};
use crate::workspace::Workspace;
use crate::workspace::policy::minutes;
use serde_json::{Value, json};

/// Which register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Escalations,
    Complaints,
}

impl Register {
    pub const ALL: [Register; 2] = [Register::Escalations, Register::Complaints];

    /// The kind of record the register lists.
    pub fn kind(self) -> Kind {
        match self {
            Register::Escalations => Kind::Escalation,
            Register::Complaints => Kind::Complaint,
        }
    }

    /// The template, `templates/NAME`.
    pub fn template(self) -> &'static str {
        match self {
            Register::Escalations => "escalation-register.md",
            Register::Complaints => "complaint-register.md",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Register::Escalations => "ESR",
            Register::Complaints => "CMR",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Register::Escalations => "Escalation Register",
            Register::Complaints => "Complaint Register",
        }
    }

    /// `ESR-NWL-2026` for the engagement `ENG-NWL-2026`.
    pub fn id(self, engagement: &Document) -> String {
        let id = engagement.text("id").unwrap_or_default();
        format!("{}-{}", self.prefix(), id.strip_prefix("ENG-").unwrap_or(id))
    }
}

/// Every register that has entries: `(register, engagement)`, in engagement order.
pub fn all(corpus: &Corpus) -> Vec<(Register, &Document)> {
    let engagements = corpus.iter().filter(|d| d.kind == Kind::Engagement && d.id.is_some());
    engagements
        .flat_map(|e| Register::ALL.into_iter().map(move |r| (r, e)))
        .filter(|(register, engagement)| corpus.members(engagement).any(|d| d.kind == register.kind()))
        .collect()
}

/// The control block and template context of a register: the engagement's data and one entry per
/// record, sorted by ID.
pub fn context(workspace: &Workspace, corpus: &Corpus, register: Register, engagement: &Document) -> (Control, Value) {
    let mut records: Vec<&Document> = corpus.members(engagement).filter(|d| d.kind == register.kind()).collect();
    records.sort_by(|a, b| a.text("id").cmp(&b.text("id")));
    let entries: Vec<Value> = records
        .iter()
        .map(|record| match register {
            Register::Escalations => json!({"doc": record.data, "service": sla::service(engagement, record, None)}),
            Register::Complaints => json!({"doc": record.data, "service": complaint_service(engagement, record)}),
        })
        .collect();
    let mut control = Control::draft(workspace, Some(engagement), engagement);
    control.id = register.id(engagement);
    control.title = format!("{} — {}", register.label(), engagement.title());
    control.kind = register.label().replace(' ', "");
    control.label = register.label().into();
    control.revision = "Generated, not issued".into();
    control.status = "Live record".into();
    control.draft = false;
    control.date = records.iter().filter_map(|r| r.text("date")).max().unwrap_or_default().into();
    control.approvals = json!([]);
    control.signed = false;
    let value = json!({
        "control": control,
        "engagement": engagement.data,
        "entries": entries,
        "settings": workspace.raw,
    });
    (control, value)
}

/// A complaint's service levels against the engagement's procedure: days to the response and to
/// closure, each `met`, `late` or still `pending` / `open`. A limit in hours counts as a whole day.
pub fn complaint_service(engagement: &Document, complaint: &Document) -> Value {
    let limit = |field: &str| {
        let text = engagement.data.pointer(&format!("/complaint_handling/{field}"))?.as_str()?;
        Some(minutes(text)?.div_ceil(1440) as i64)
    };
    let received = date(complaint.data.get("received_on"));
    let after = |day: Option<chrono::NaiveDate>| received.zip(day).map(|(r, d)| (d - r).num_days());
    let responded = after(date(complaint.data.pointer("/response/date")));
    let closed = after(date(complaint.data.get("closed_on")).filter(|_| complaint.text("status") == Some("closed")));
    let judge = |days: Option<i64>, limit: Option<i64>, waiting: &str| match (days, limit) {
        (Some(d), Some(l)) if d > l => "late".to_string(),
        (Some(_), _) => "met".to_string(),
        (None, _) => waiting.to_string(),
    };
    let response = judge(responded, limit("acknowledge_within"), "pending");
    let resolution = judge(closed, limit("resolve_within"), "open");
    let status = if response == "late" || resolution == "late" {
        "breached"
    } else if closed.is_some() {
        "met"
    } else {
        "open"
    };
    json!({
        "responded_after_days": responded,
        "response": response,
        "closed_after_days": closed,
        "resolution": resolution,
        "status": status,
    })
}
