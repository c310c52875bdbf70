//! The command line, declared with clap; doc comments are the `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Turns client-engagement data (YAML) into controlled documents: validated, checked, rendered
/// to Markdown, HTML and PDF, and revision-controlled.
#[derive(Debug, Parser)]
#[command(name = "engage", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// The workspace folder (default: the current folder or the nearest parent with engage.yaml).
    #[arg(short = 'C', long = "workspace", value_name = "DIR", global = true)]
    pub workspace: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a new workspace with one worked example engagement.
    Init(InitArgs),
    /// Validate data files against the JSON Schemas of their kinds.
    Validate(ValidateArgs),
    /// Validate and check the compliance rules: the pre-approval gate for CI.
    Check(CheckArgs),
    /// Render every document to Markdown and HTML.
    Build(BuildArgs),
    /// Record an approval of a document, bound to its current content.
    Approve(ApproveArgs),
    /// Issue the next controlled revision of a document: register entry, snapshot, outputs.
    Release(ReleaseArgs),
    /// List the issued revisions of a document, or the latest revision of every document.
    Revisions(RevisionsArgs),
    /// Show what changed between two revisions of a document, or since the last one.
    Diff(DiffArgs),
    /// Check the revision register and snapshots for tampering or loss, and issued outputs.
    Verify(VerifyArgs),
    /// Say what a compliance rule checks, why, and how to fix its findings.
    Explain(ExplainArgs),
    /// Print the JSON Schema of a kind, or list the kinds.
    Schema(SchemaArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the workspace (default: the current folder).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or folders to validate (default: the whole workspace).
    pub paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = FindingFormat::Human)]
    pub format: FindingFormat,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Report findings only for these files or folders (the rules still read the whole workspace).
    pub paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = FindingFormat::Human)]
    pub format: FindingFormat,
    /// Judge dates as of this day (YYYY-MM-DD) instead of today, for reproducible runs.
    #[arg(long, value_name = "DATE", env = "ENGAGE_TODAY")]
    pub today: Option<chrono::NaiveDate>,
    /// List every rule and exit.
    #[arg(long)]
    pub list_rules: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule ID, for example CHG-002.
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder (default: `output` in engage.yaml, else `out`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Change nothing; exit 1 and name every output that is stale or missing.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The document ID, for example SOW-NWL-2026-004.
    pub id: String,
    /// The capacity in which the person decides, for example Director.
    #[arg(long)]
    pub role: String,
    /// The full name of the person deciding.
    #[arg(long)]
    pub name: String,
    #[arg(long, value_enum, default_value_t = Decision::Approved)]
    pub decision: Decision,
    /// The day of the decision (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE", env = "ENGAGE_TODAY")]
    pub date: Option<chrono::NaiveDate>,
    /// A condition or remark attached to the decision.
    #[arg(long)]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Decision {
    Approved,
    Rejected,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Rejected => "rejected",
        }
    }
}

#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// The document ID, for example SOW-NWL-2026-004.
    pub id: String,
    /// Why this revision is issued; shown in the revision history.
    #[arg(long)]
    pub reason: String,
    /// Who issues it (default: `git config user.name`, else $USER).
    #[arg(long)]
    pub author: Option<String>,
    /// The day of issue (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE", env = "ENGAGE_TODAY")]
    pub date: Option<chrono::NaiveDate>,
}

#[derive(Debug, Args)]
pub struct RevisionsArgs {
    /// A document ID; without it, the latest revision of every document.
    pub id: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table for people.
    Text,
    /// The same as data.
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The document ID, for example SOW-NWL-2026-004.
    pub id: String,
    /// The older side: an issued revision, or `working` (default: the last issued revision).
    #[arg(long, value_name = "REV")]
    pub from: Option<String>,
    /// The newer side: an issued revision, or `working` (default: the working copy).
    #[arg(long, value_name = "REV")]
    pub to: Option<String>,
    #[arg(long, value_enum, default_value_t = DiffFormat::Unified)]
    pub format: DiffFormat,
    /// Exit 0 even when the sides differ.
    #[arg(long)]
    pub exit_zero: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A unified diff of the Markdown, which `patch -p1` applies.
    Unified,
    /// What changed in the data, field by field; list items are matched by their `id`.
    Fields,
    /// A self-contained side-by-side redline page.
    Html,
    /// A redline PDF (not available yet).
    Pdf,
    /// Both sides' document control, the field changes and the unified diff, as data.
    Json,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Also fail unless the register's head (the hash of its last entry) is this one.
    #[arg(long, value_name = "HASH")]
    pub expect_head: Option<String>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The kind (e.g. StatementOfWork or statement-of-work); without it, the kinds are listed.
    pub kind: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FindingFormat {
    /// rustc-style messages with source snippets.
    Human,
    /// The stable JSON form (see the README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other static-analysis viewers.
    Sarif,
    /// JUnit XML: one test case per document and rule family, for CI test reports.
    Junit,
    /// GitHub Actions workflow commands: annotations on the pull request, then a summary line.
    Github,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
