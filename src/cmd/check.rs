use super::findings::{Found, Printer};
use super::scope::Scope;
use crate::app::Outcome;
use crate::check::{self, Context};
use crate::cli::{CheckArgs, FindingFormat};
use crate::diag::{Finding, Report, RuleId, Severity};
use crate::error::Error;
use crate::load::Loaded;
use crate::record::{Records, Register};
use crate::source::FileId;
use crate::workspace::{SETTINGS_FILE, Workspace};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub fn run(dir: Option<&Path>, args: &CheckArgs) -> Result<Outcome, Error> {
    if args.list_rules {
        out!("{}", list_rules(args.format)?);
        return Ok(Outcome::Clean);
    }
    let start = Scope::start(dir, &args.paths);
    Printer::new(args.format, "check", args.category.as_deref()).print(&start, || {
        let scope = Scope::open(&start, &args.paths)?;
        let Checked { loaded, findings, settings, .. } = checked(&scope.workspace, args.today.unwrap_or_else(today))?;
        super::leave_to_exit(loaded.corpus);
        let sources = loaded.sources;
        let findings = findings.into_iter().filter(|f| scope.holds(sources.path(f.span.file))).collect();
        let report = Report::new(findings, scope.count(&sources, Some(settings)));
        Ok(Found { root: scope.workspace.root, sources, report })
    })
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
    let (loaded, schema_report) = super::load_and_validate(workspace)?;
    check_loaded(workspace, loaded, schema_report, today)
}

/// [`checked`] again after the data files `changed` (absolute paths) changed, taking every other
/// document over from `before`: for a preview that checks after every save.
pub fn checked_again(
    workspace: &Workspace,
    before: &Checked,
    changed: &BTreeSet<PathBuf>,
    today: NaiveDate,
) -> Result<Checked, Error> {
    let (loaded, schema_report) = super::validated(crate::load::reload(workspace, &before.loaded, changed)?)?;
    check_loaded(workspace, loaded, schema_report, today)
}

fn check_loaded(
    workspace: &Workspace,
    mut loaded: Loaded,
    schema_report: Report,
    today: NaiveDate,
) -> Result<Checked, Error> {
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
        document_types: &workspace.settings.document_types,
        signers: &workspace.signers,
        clauses: &workspace.clauses,
    }
}

/// Today, in local time.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Every rule: a table for people, or data.
fn list_rules(format: FindingFormat) -> Result<String, Error> {
    let rules = RuleId::ALL.iter().map(|rule| rule.info());
    match format {
        FindingFormat::Human => Ok(rules
            .map(|info| format!("{:<11} {:<8} {}  ({})\n", info.code, info.severity, info.title, info.applies))
            .collect()),
        FindingFormat::Json => {
            let rules: Vec<_> = rules
                .map(|info| {
                    serde_json::json!({
                        "rule": info.code,
                        "severity": info.severity.to_string(),
                        "title": info.title,
                        "applies": info.applies,
                        "rationale": info.rationale,
                        "fix": info.fix,
                    })
                })
                .collect();
            let list = serde_json::json!({"version": 1, "rules": rules});
            Ok(format!("{}\n", serde_json::to_string_pretty(&list).expect("JSON values always serialise")))
        }
        _ => Err(Error::Usage {
            message: "--list-rules prints a table or JSON".into(),
            hint: "use --format human or --format json with --list-rules".into(),
        }),
    }
}
