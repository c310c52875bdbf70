//! One module per command: glue over the pipeline steps.

pub mod build;
pub mod check;
pub mod completions;
pub mod explain;
pub mod init;
pub mod schema;
pub mod validate;

use crate::cli::FindingFormat;
use crate::diag::{self, Report};
use crate::load::{self, Loaded};
use crate::source::Sources;
use crate::validate::Schemas;
use crate::workspace::Workspace;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// Steps 1 and 2 for the given paths: the documents, their sources, and every finding.
pub fn load_and_validate(workspace: &Workspace, paths: &[PathBuf]) -> Result<(Loaded, Report), crate::error::Error> {
    let mut loaded = load::load(workspace, paths)?;
    let schemas = Schemas::shared()?;
    let mut findings = std::mem::take(&mut loaded.findings);
    findings.extend(crate::validate::corpus(&loaded.corpus, schemas));
    let report = Report::new(findings, loaded.sources.len());
    Ok((loaded, report))
}

/// Prints a report in the format asked for.
pub fn print_report(format: FindingFormat, sources: &Sources, report: &Report, started: Instant) {
    let text = match format {
        FindingFormat::Human => human(sources, report) + &diag::summary(report, started.elapsed()),
        FindingFormat::Json => diag::json(sources, report),
        FindingFormat::Sarif => diag::sarif(sources, report),
        FindingFormat::Junit => diag::junit(sources, report),
        FindingFormat::Github => diag::github(sources, report),
    };
    print!("{text}");
}

/// Findings for people: colour only on a terminal and never with NO_COLOR.
pub fn human(sources: &Sources, report: &Report) -> String {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    diag::Human::new(color).render(sources, report)
}
