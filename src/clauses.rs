//! The clause library: reusable contract clauses in the workspace's `clauses/` folder, one per
//! file (`clauses/LIAB-CAP.md`), cited by documents under `clauses:` with the version they
//! were agreed on. A clause file starts with a header between `---` lines:
//!
//! ```text
//! ---
//! title: Limitation of liability
//! version: 3
//! topic: liability
//! ---
//! Each party's total liability ...
//! ```
//!
//! A `README.md` beside the clauses documents the library and is not one; hidden files and
//! symbolic links are not read, and a `clauses` folder that is a link is refused. `topic` is
//! optional; a clause of topic `termination` counts as a statement of work's termination terms
//! (COM-005). The text is data like any other: documents print it as plain paragraphs (blank
//! lines between them), never as Markdown.

use crate::error::Error;
use crate::source::yaml;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FOLDER: &str = "clauses";

/// One clause of the library.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub title: String,
    pub version: u64,
    pub topic: Option<String>,
    /// The paragraphs of the clause, each on one line.
    pub paragraphs: Vec<String>,
}

/// The clauses of a workspace, by ID.
#[derive(Debug, Clone, Default)]
pub struct Library {
    clauses: BTreeMap<String, Clause>,
}

impl Library {
    /// Reads every `clauses/*.md` of the workspace at `root`; no folder is an empty library.
    pub fn read(root: &Path, max_bytes: u64) -> Result<Library, Error> {
        let folder = root.join(FOLDER);
        // Clauses become contract text, so they come from the workspace itself, never through a
        // link to elsewhere.
        if folder.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::Usage {
                message: format!("{} is a symbolic link", folder.display()),
                hint: "engage reads clauses only from the workspace: put the clauses folder itself there".into(),
            });
        }
        let Ok(entries) = std::fs::read_dir(&folder) else { return Ok(Library::default()) };
        let mut clauses = BTreeMap::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::read(&folder, e))?;
            let path = entry.path();
            let is_file = entry.file_type().map_err(|e| Error::read(&path, e))?.is_file();
            let Some(id) = path.file_stem().and_then(|s| s.to_str()).filter(|_| is_file && is_markdown(&path)) else {
                continue;
            };
            // A README documents the library, and hidden files are editors' and tools' own.
            if id == "README" || id.starts_with('.') {
                continue;
            }
            if !is_clause_id(id) {
                return Err(bad(&path, 1, 1, format!("`{id}` is not a clause ID")));
            }
            let size = entry.metadata().map_err(|e| Error::read(&path, e))?.len();
            if size > max_bytes {
                return Err(bad(&path, 1, 1, format!("the clause is {size} bytes, more than max_file_bytes")));
            }
            let text = std::fs::read_to_string(&path).map_err(|e| Error::read(&path, e))?;
            clauses.insert(id.to_string(), parse(&path, &text)?);
        }
        Ok(Library { clauses })
    }

    pub fn get(&self, id: &str) -> Option<&Clause> {
        self.clauses.get(id)
    }

    /// The clauses a document cites (`clauses: [{id, version}]`), as templates print them: ID,
    /// cited version, title and paragraphs, and whether the library has that version.
    pub fn cited(&self, clauses: Option<&Value>) -> Value {
        let cited = clauses.and_then(Value::as_array).into_iter().flatten().map(|reference| {
            let id = reference.get("id").and_then(Value::as_str).unwrap_or_default();
            let version = reference.get("version").and_then(Value::as_u64).unwrap_or_default();
            match self.get(id) {
                Some(clause) => json!({
                    "id": id, "version": version, "title": clause.title, "paragraphs": clause.paragraphs,
                    "library_version": clause.version, "current": clause.version == version,
                }),
                None => json!({"id": id, "version": version, "title": id, "paragraphs": [], "missing": true}),
            }
        });
        Value::Array(cited.collect())
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
}

/// Upper-case letters and digits in groups joined by dashes: safe as a file name everywhere.
pub fn is_clause_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_uppercase())
        && id.split('-').all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
}

fn bad(path: &Path, line: u32, column: u32, message: String) -> Error {
    Error::Clause { path: PathBuf::from(path), line, column, message }
}

/// A clause file: the header between `---` lines, then the text.
fn parse(path: &Path, text: &str) -> Result<Clause, Error> {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let Some(rest) = text.strip_prefix("---\n") else {
        return Err(bad(
            path,
            1,
            1,
            "a clause starts with a `---` line, its header (title:, version:) and another `---` line".into(),
        ));
    };
    let Some((header, body)) = rest.split_once("\n---\n").or_else(|| rest.strip_suffix("\n---").map(|h| (h, "")))
    else {
        return Err(bad(path, 1, 1, "the clause's header has no closing `---` line".into()));
    };
    let parsed = yaml::parse(header).map_err(|e| bad(path, e.start.line + 1, e.start.column, e.message))?;
    let at = |field: &str| {
        let pos = parsed.spans.locate(&format!("/{field}")).start;
        (pos.line + 1, pos.column)
    };
    let title = parsed.value.get("title").and_then(Value::as_str).filter(|t| !t.trim().is_empty());
    let Some(title) = title else {
        let (line, column) = at("title");
        return Err(bad(path, line, column, "the clause's header needs `title:`, the clause's heading".into()));
    };
    let version = parsed.value.get("version").and_then(Value::as_u64).filter(|v| *v >= 1);
    let Some(version) = version else {
        let (line, column) = at("version");
        return Err(bad(path, line, column, "the clause's header needs `version:`, a whole number from 1".into()));
    };
    if let Some(key) =
        parsed.value.as_object().into_iter().flatten().map(|(k, _)| k).find(|k| !KEYS.contains(&k.as_str()))
    {
        let pos = parsed.spans.locate(&format!("/{key}"));
        let start = pos.key.map_or(pos.start, |k| k.0);
        return Err(bad(
            path,
            start.line + 1,
            start.column,
            format!("`{key}` is not a clause header field (title, version, topic)"),
        ));
    }
    let topic = parsed.value.get("topic").and_then(Value::as_str).map(str::to_owned);
    Ok(Clause { title: title.to_string(), version, topic, paragraphs: paragraphs(body) })
}

const KEYS: [&str; 3] = ["title", "version", "topic"];

/// Paragraphs separated by blank lines, the lines of each joined with spaces.
fn paragraphs(body: &str) -> Vec<String> {
    body.split("\n\n").map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|p| !p.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clause_file_is_read() {
        let clause =
            parse(Path::new("X.md"), "---\ntitle: Liability\nversion: 2\n---\nOne\nline.\n\n\nTwo.\n").unwrap();
        assert_eq!(clause.title, "Liability");
        assert_eq!(clause.version, 2);
        assert_eq!(clause.paragraphs, ["One line.", "Two."]);
    }

    #[test]
    fn a_bad_header_names_its_line() {
        let error = parse(Path::new("X.md"), "---\ntitle: Liability\nversion: two\n---\nText").unwrap_err();
        assert_eq!(error.to_string(), "X.md:3:10: the clause's header needs `version:`, a whole number from 1");
        let error = parse(Path::new("X.md"), "---\ntitle: A\nversion: 1\ntopc: x\n---\n").unwrap_err();
        assert_eq!(error.to_string(), "X.md:4:1: `topc` is not a clause header field (title, version, topic)");
        assert!(parse(Path::new("X.md"), "title: A\n").is_err());
        assert!(parse(Path::new("X.md"), "\u{feff}---\r\ntitle: A\r\nversion: 1\r\n---\r\nText.\r\n").is_ok());
    }

    #[test]
    fn clause_ids() {
        assert!(is_clause_id("LIAB-CAP") && is_clause_id("T1"));
        assert!(!is_clause_id("liab") && !is_clause_id("A--B") && !is_clause_id("../A"));
    }
}
