use super::{DocumentId, Kind};
use crate::source::FileId;
use crate::source::yaml::SpanTree;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One data file of a known kind, as loaded: its value and where each part of it is.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: Kind,
    /// `None` when the file's `id` is missing or malformed (validation reports it).
    pub id: Option<DocumentId>,
    pub file: FileId,
    /// The file's path relative to the workspace; documents belong to the Engagement in their folder.
    pub path: PathBuf,
    pub data: Value,
    pub spans: SpanTree,
}

impl Document {
    /// A top-level text field, if present.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.data.get(field).and_then(Value::as_str)
    }

    pub fn folder(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    pub fn title(&self) -> &str {
        self.text("title").unwrap_or_default()
    }
}
