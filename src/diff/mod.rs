//! Comparing two sides of a document — issued revisions (from their snapshots) or the working
//! copy — as a unified diff of the Markdown, field by field ([`fields`]), as a side-by-side
//! redline page ([`html`]) or as data.

pub mod docx;
pub mod fields;
pub mod html;
pub mod pdf;
pub mod redline;

use crate::record::RevisionRecord;
use serde_json::{Value, json};
use similar::TextDiff;

/// One side of a comparison.
#[derive(Debug, Clone)]
pub struct Side {
    /// `revision 2` or `working copy`.
    pub label: String,
    /// The revision the side shows (`Draft` for a working copy that is not an issued revision).
    pub revision: String,
    /// `Issued`, `Superseded`, or the working copy's status (`Draft — changes since revision 2`).
    pub status: String,
    /// The register's entry, for an issued revision.
    pub record: Option<RevisionRecord>,
    pub superseded: bool,
    /// The document's data.
    pub data: Value,
    pub markdown: String,
}

/// A comparison of two sides of one document.
pub struct Comparison<'a> {
    pub id: &'a str,
    pub from: &'a Side,
    pub to: &'a Side,
}

impl Comparison<'_> {
    /// A unified diff of the Markdown, `a/ID.md` → `b/ID.md`: `patch -p1` applied to the older
    /// text in a file `ID.md` gives the newer one byte for byte. Empty when they are the same.
    pub fn unified(&self) -> String {
        if self.from.markdown == self.to.markdown {
            return String::new();
        }
        let (a, b) = (format!("a/{}.md", self.id), format!("b/{}.md", self.id));
        TextDiff::from_lines(&self.from.markdown, &self.to.markdown)
            .unified_diff()
            .context_radius(3)
            .header(&a, &b)
            .to_string()
    }

    pub fn fields(&self) -> Vec<fields::Change> {
        fields::changes(&self.from.data, &self.to.data)
    }

    /// Both sides' document control, the field changes and the unified diff.
    pub fn json(&self) -> Value {
        let changes: Vec<Value> = self
            .fields()
            .iter()
            .map(|c| json!({"path": c.path, "change": c.kind.as_str(), "from": c.from, "to": c.to}))
            .collect();
        json!({
            "document": self.id,
            "different": self.from.markdown != self.to.markdown || !changes.is_empty(),
            "from": side_json(self.from),
            "to": side_json(self.to),
            "fields": changes,
            "unified": self.unified(),
        })
    }
}

fn side_json(side: &Side) -> Value {
    json!({
        "label": side.label,
        "revision": side.revision,
        "status": side.status,
        "superseded": side.superseded,
        "record": side.record.as_ref().map(|r| r.to_json(side.superseded)),
    })
}
