//! One module per command: glue over the pipeline steps.

pub mod approve;
pub mod build;
pub mod check;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod findings;
pub mod init;
pub mod release;
pub mod report;
pub mod revisions;
pub mod schema;
pub mod scope;
pub mod validate;
pub mod verify;

use crate::diag::{self, FileNames, Report};
use crate::error::Error;
use crate::load::{self, Loaded};
use crate::model::{Document, DocumentId};
use crate::source::Sources;
use crate::validate::Schemas;
use crate::workspace::Workspace;
use std::io::IsTerminal;
use std::path::Path;

/// How a command ended when it could run. `main` maps it to the exit code: 0 or 1; an `Err` is 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report (warnings alone count as clean).
    Clean,
    /// The command ran and found problems: invalid data, stale outputs, differences.
    ProblemsFound,
}

impl Outcome {
    pub fn from_problems(found: bool) -> Outcome {
        if found { Outcome::ProblemsFound } else { Outcome::Clean }
    }
}

/// Steps 1 and 2 for the whole workspace: the documents, their sources, and every finding.
/// The problems are those of loading, then those of validation.
pub fn load_and_validate(workspace: &Workspace) -> Result<(Loaded, Report), Error> {
    let mut loaded = load::load(workspace)?;
    let schemas = Schemas::shared()?;
    let mut findings = std::mem::take(&mut loaded.findings);
    findings.extend(crate::validate::corpus(&loaded.corpus, schemas));
    let report = Report::new(findings, loaded.sources.len());
    Ok((loaded, report))
}

/// Findings for people, the files of the workspace at `root` named from the current folder:
/// colour only on a terminal and never with NO_COLOR.
pub fn human(root: &Path, sources: &Sources, report: &Report) -> String {
    human_named(sources, report, &FileNames::from_current_dir(root))
}

fn human_named(sources: &Sources, report: &Report, names: &FileNames) -> String {
    for_stdout().render(sources, report, names)
}

/// The human renderer for standard output: colour only on a terminal and never with NO_COLOR.
fn for_stdout() -> diag::Human {
    diag::Human::new(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()))
}

/// The document with this ID, or why there is none.
pub fn find_document<'a>(loaded: &'a Loaded, id: &str) -> Result<&'a Document, Error> {
    let parsed = DocumentId::parse(id).ok_or_else(|| Error::BadDocumentId(id.to_string()))?;
    loaded.corpus.get(&parsed).ok_or_else(|| {
        let ids: Vec<&str> = loaded.corpus.iter().filter_map(|d| d.id.as_ref()).map(DocumentId::as_str).collect();
        Error::UnknownDocument { id: id.to_string(), nearest: crate::suggest::nearest(id, ids).map(str::to_owned) }
    })
}

/// A document ID given on the command line.
pub fn document_id(id: &str) -> Result<DocumentId, Error> {
    DocumentId::parse(id).ok_or_else(|| Error::BadDocumentId(id.to_string()))
}
