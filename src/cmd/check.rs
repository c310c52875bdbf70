use crate::app::Outcome;
use crate::check::{self, Context};
use crate::cli::CheckArgs;
use crate::diag::{Report, RuleId};
use crate::error::Error;
use crate::workspace::{SETTINGS_FILE, Workspace};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(dir: Option<&Path>, args: &CheckArgs) -> Result<Outcome, Error> {
    if args.list_rules {
        print!("{}", list_rules());
        return Ok(Outcome::Clean);
    }
    let started = Instant::now();
    let workspace = Workspace::find(dir)?;
    let (mut loaded, schema_report) = super::load_and_validate(&workspace, &[])?;
    let settings = loaded.sources.add(PathBuf::from(SETTINGS_FILE), workspace.text.clone());
    let context = Context {
        corpus: &loaded.corpus,
        policy: &workspace.settings.policy,
        today: args.today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        settings: (settings, &workspace.spans),
        sources: &loaded.sources,
    };
    let mut findings = schema_report.findings;
    findings.extend(check::corpus(&context));
    let mut findings = check::apply_policy(&context, findings);
    let selected = selection(&workspace, &args.paths)?;
    findings
        .retain(|f| selected.is_empty() || selected.iter().any(|p| loaded.sources.path(f.span.file).starts_with(p)));
    let report = Report::new(findings, loaded.sources.len() - 1);
    super::print_report(args.format, &loaded.sources, &report, started);
    Ok(Outcome::from_problems(report.has_errors()))
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
