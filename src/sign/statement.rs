//! The statement an approval's signature covers: plain text, one `key: value` line per fact,
//! in a fixed order, so that engage and `ssh-keygen -Y verify` check the same bytes.
//!
//! ```text
//! engage approval
//! document: SOW-NWL-2026-004
//! content: sha256:e8d4a5de…
//! role: Director
//! name: Eleanor Marsh
//! decision: approved
//! meaning: approved for issue
//! date: 2026-12-01
//! signed-at: 2026-12-01T14:03:27Z
//! ```
//!
//! Values are one line, escaped as in the register (`\\`, `\n`, `\r`).

use crate::facts::escape;
use serde_json::Value;

/// The meaning of a signed approval when none is given (the "meaning of the signature" that
/// electronic-signature rules ask to be shown).
pub const MEANING_APPROVED: &str = "approved for issue";
pub const MEANING_REJECTED: &str = "rejected";

/// The facts a signed approval binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalStatement {
    pub document: String,
    pub content: String,
    pub role: String,
    pub name: String,
    pub decision: String,
    pub meaning: String,
    pub date: String,
    pub signed_at: String,
}

impl ApprovalStatement {
    /// The statement of an approval entry of document `document`; `Err` names the field it lacks.
    pub fn of_entry(document: &str, approval: &Value) -> Result<ApprovalStatement, &'static str> {
        let text = |field: &'static str| approval.get(field).and_then(Value::as_str).map(str::to_owned).ok_or(field);
        Ok(ApprovalStatement {
            document: document.to_string(),
            content: text("content_hash")?,
            role: text("role")?,
            name: text("name")?,
            decision: text("decision")?,
            meaning: text("meaning")?,
            date: text("date")?,
            signed_at: text("signed_at")?,
        })
    }

    /// The bytes that are signed.
    pub fn text(&self) -> String {
        let lines = [
            ("document", &self.document),
            ("content", &self.content),
            ("role", &self.role),
            ("name", &self.name),
            ("decision", &self.decision),
            ("meaning", &self.meaning),
            ("date", &self.date),
            ("signed-at", &self.signed_at),
        ];
        let mut text = String::from("engage approval\n");
        for (key, value) in lines {
            text.push_str(&format!("{key}: {}\n", escape(value)));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_fact_with_values_escaped() {
        let approval = serde_json::json!({
            "role": "Director", "name": "Eve\nMallory", "decision": "approved", "meaning": "reviewed",
            "date": "2026-12-01", "signed_at": "2026-12-01T14:03:27Z", "content_hash": "sha256:ab",
        });
        let statement = ApprovalStatement::of_entry("SOW-1", &approval).unwrap();
        assert_eq!(
            statement.text(),
            "engage approval\ndocument: SOW-1\ncontent: sha256:ab\nrole: Director\nname: Eve\\nMallory\ndecision: approved\nmeaning: reviewed\ndate: 2026-12-01\nsigned-at: 2026-12-01T14:03:27Z\n"
        );
        let unsigned = serde_json::json!({"role": "Director", "name": "Eve", "decision": "approved"});
        assert_eq!(ApprovalStatement::of_entry("SOW-1", &unsigned), Err("content_hash"));
    }
}
