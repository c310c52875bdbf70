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
    /// Render every document to Markdown, HTML and PDF.
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
    /// Write the management-review report across every engagement: Markdown, HTML and PDF.
    Report(ReportArgs),
    /// Say what a compliance rule checks, why, and how to fix its findings.
    Explain(ExplainArgs),
    /// Print the JSON Schemas, or write them into the workspace for editors and validators.
    Schema(SchemaArgs),
    /// Preview the workspace in a browser: documents, findings, revisions and redlines, rebuilt
    /// and reloaded on every save.
    Serve(ServeArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Write a generated workspace of realistic engagements (for benchmarks).
    #[command(hide = true)]
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Where to write the workspace.
    pub dir: PathBuf,
    /// How many engagements.
    #[arg(long, default_value_t = 100)]
    pub engagements: usize,
    /// The same seed gives the same workspace.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Deliverables in every statement of work (default: 10 to 20).
    #[arg(long, value_name = "N")]
    pub deliverables: Option<usize>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// The address to listen on. Anything but a loopback address lets other machines read the
    /// workspace's documents.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the index in the default browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the workspace (default: the current folder).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Report findings only for these files or folders (default: the whole workspace). Their
    /// workspace is found around them; references resolve against all of it.
    pub paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = FindingFormat::Human)]
    pub format: FindingFormat,
    /// The SARIF run's category (`automationDetails.id`; default: engage/validate).
    #[arg(long)]
    pub category: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Report findings only for these files or folders (default: the whole workspace). Their
    /// workspace is found around them; the rules read all of it.
    pub paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = FindingFormat::Human)]
    pub format: FindingFormat,
    /// The SARIF run's category (`automationDetails.id`; default: engage/check).
    #[arg(long)]
    pub category: Option<String>,
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
    /// No PDF, whatever `outputs:` or `--format` say.
    #[arg(long)]
    pub no_pdf: bool,
    /// The outputs to write, for example `--format md,docx` (default: `outputs:` in engage.yaml,
    /// else md, html, pdf and docx).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FORMATS")]
    pub format: Vec<crate::workspace::outputs::Format>,
    /// Write PDF/A-2b (archival) PDFs (also `pdf_a: true` in engage.yaml).
    #[arg(long)]
    pub pdf_a: bool,
    /// Also write each document's typst sources (`out/typst/ID/`): `typst compile main.typ` there
    /// gives the same pages.
    #[arg(long, value_enum)]
    pub emit: Option<Emit>,
    /// How many documents to render at once (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Build only shard K of N (1-based), a stable share of the documents by ID, so a CI matrix
    /// can split a large workspace; the shards together build everything.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::build::Shard>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// The typst sources and data of each PDF.
    Typst,
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
    /// What the decision means, shown with a signature (default: "approved for issue", or
    /// "rejected").
    #[arg(long)]
    pub meaning: Option<String>,
    /// Sign the decision with your SSH key: a private key file, a public key file whose key is in
    /// ssh-agent, or, with no KEY, your key in ssh-agent.
    #[arg(long, value_name = "KEY", num_args = 0..=1)]
    pub sign: Option<Option<PathBuf>>,
    /// Print the statement the signed approval by NAME as ROLE covers (what `ssh-keygen -Y verify`
    /// reads), and change nothing.
    #[arg(long, conflicts_with_all = ["sign", "signature"])]
    pub statement: bool,
    /// Print the signature of the approval by NAME as ROLE, and change nothing.
    #[arg(long, conflicts_with = "sign")]
    pub signature: bool,
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
    /// Issue the PDF as PDF/A-2b (also `pdf_a: true` in engage.yaml).
    #[arg(long)]
    pub pdf_a: bool,
    /// Sign the register entry with the author's SSH key: a private key file, a public key file
    /// whose key is in ssh-agent, or, with no KEY, the author's key in ssh-agent.
    #[arg(long, value_name = "KEY", num_args = 0..=1)]
    pub sign: Option<Option<PathBuf>>,
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
pub struct ReportArgs {
    /// Count only records dated from this day (YYYY-MM-DD); stages and open findings are as of today.
    #[arg(long, value_name = "DATE")]
    pub since: Option<chrono::NaiveDate>,
    /// The last day of the period, and the day findings are judged against (default: today).
    #[arg(long, value_name = "DATE", env = "ENGAGE_TODAY")]
    pub today: Option<chrono::NaiveDate>,
    /// `text` writes the report and says where; `json` prints its figures and writes nothing.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Output folder (default: `output` in engage.yaml, else `out`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Markdown and HTML only, no PDF.
    #[arg(long)]
    pub no_pdf: bool,
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
    /// Write to this file (atomically) instead of standard output; the PDF and Word redlines
    /// default to `out/ID-redline-FROM-to-TO.pdf` (`.docx`).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The day a redline against the working copy is dated (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE", env = "ENGAGE_TODAY")]
    pub today: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A unified diff of the Markdown, which `patch -p1` applies.
    Unified,
    /// What changed in the data, field by field; list items are matched by their `id`.
    Fields,
    /// A self-contained side-by-side redline page.
    Html,
    /// A redline PDF in the document's theme (written to a file, see --out).
    Pdf,
    /// A redline Word document with tracked changes to accept or reject (written to a file).
    Docx,
    /// Both sides' document control, the field changes and the unified diff, as data.
    Json,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Also fail unless the register's head (the hash of its last entry) is this one, or the
    /// hash of an earlier entry (as an issued PDF prints it): no entry up to it was rewritten.
    #[arg(long, value_name = "HASH")]
    pub expect_head: Option<String>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The kind (e.g. StatementOfWork or statement-of-work), or `settings`, `common` or
    /// `document`; without it, every schema, as one JSON object keyed by file name.
    #[arg(conflicts_with_all = ["write", "vscode"])]
    pub kind: Option<String>,
    /// Write the schemas into the workspace's .engage/schemas/ (after an upgrade of engage), where
    /// the data files' `# yaml-language-server: $schema=` lines point.
    #[arg(long, conflicts_with = "vscode")]
    pub write: bool,
    /// Print the `yaml.schemas` setting that maps the schemas to the workspace's files in VS Code.
    #[arg(long)]
    pub vscode: bool,
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
