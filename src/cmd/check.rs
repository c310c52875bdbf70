use crate::app::Outcome;
use crate::check::{self, Context};
use crate::cli::CheckArgs;
use crate::diag::{Finding, Report, RuleId, Severity};
use crate::error::Error;
use crate::load::Loaded;
use crate::record::{Records, Register};
use crate::source::FileId;
use crate::workspace::{SETTINGS_FILE, Workspace};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(dir: Option<&Path>, args: &CheckArgs) -> Result<Outcome, Error> {
    if args.list_rules {
        out!("{}", list_rules());
        return Ok(Outcome::Clean);
    }
    let started = Instant::now();
    let workspace = Workspace::find(dir)?;
    let Checked { loaded, mut findings, .. } = checked(&workspace, args.today.unwrap_or_else(today))?;
    let selected = selection(&workspace, &args.paths)?;
    findings
        .retain(|f| selected.is_empty() || selected.iter().any(|p| loaded.sources.path(f.span.file).starts_with(p)));
    let report = Report::new(findings, loaded.sources.len() - 1);
    super::print_report(args.format, &loaded.sources, &report, started);
    Ok(Outcome::from_problems(report.has_errors()))
}

/// The workspace loaded, validated and checked: what `engage check` reports.
pub struct Checked {
    /// Every data file, and `engage.yaml` last (where waivers are located).
    pub loaded: Loaded,
    pub findings: Vec<Finding>,
    pub settings: FileId,
    /// Files with schema or syntax errors: their data cannot be trusted by the rules or templates.
    pub invalid: BTreeSet<FileId>,
    /// The revision register the rules saw.
    pub register: Register,
}

pub fn checked(workspace: &Workspace, today: NaiveDate) -> Result<Checked, Error> {
    let (mut loaded, schema_report) = super::load_and_validate(workspace, &[])?;
    let settings = loaded.sources.add(PathBuf::from(SETTINGS_FILE), workspace.text.clone());
    let invalid =
        schema_report.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.span.file).collect();
    let mut findings = schema_report.findings;
    let register = Records::of(workspace).read()?;
    let context = context(workspace, &loaded, &register, settings, today);
    findings.extend(check::corpus(&context));
    let findings = check::apply_policy(&context, findings);
    Ok(Checked { loaded, findings, settings, invalid, register })
}

/// What the rules see.
pub fn context<'a>(
    workspace: &'a Workspace,
    loaded: &'a Loaded,
    register: &'a Register,
    settings: FileId,
    today: NaiveDate,
) -> Context<'a> {
    Context {
        corpus: &loaded.corpus,
        policy: &workspace.settings.policy,
        today,
        settings: (settings, &workspace.spans),
        sources: &loaded.sources,
        register,
        signers: &workspace.signers,
    }
}

/// Today, in local time.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The given paths, relative to the workspace as findings name files.
fn selection(workspace: &Workspace, paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    paths
        .iter()
        .map(|p| {
            let absolute = std::path::absolute(p).map_err(|e| Error::read(p, e))?;
            std::fs::metadata(&absolute).map_err(|e| Error::read(p, e))?;
            Ok(workspace.relative(&absolute).to_path_buf())
        })
        .collect()
}

fn list_rules() -> String {
    let mut out = String::new();
    for rule in RuleId::ALL {
        let info = rule.info();
        out.push_str(&format!("{:<11} {:<8} {}  ({})\n", info.code, info.severity, info.title, info.applies));
    }
    out
}
