use super::findings::{Found, Printer};
use super::scope::Scope;
use crate::check::{self, Context};
use crate::cli::{CheckArgs, FindingFormat};
use crate::cmd::Outcome;
use crate::diag::{Finding, Report, RuleId, Severity};
use crate::error::Error;
use crate::load::Loaded;
use crate::model::{Corpus, Document};
use crate::outline;
use crate::record::{Records, Register};
use crate::source::{FileId, Sources};
use crate::validate::{Outlined, Schemas};
use crate::workspace::{SETTINGS_FILE, Workspace};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn run(dir: Option<&Path>, args: &CheckArgs) -> Result<Outcome, Error> {
    if args.list_rules {
        out!("{}", list_rules(args.format)?);
        return Ok(Outcome::Clean);
    }
    let start = Scope::start(dir, &args.paths);
    Printer::new(args.format, "check", args.category.as_deref()).print(&start, || {
        let scope = Scope::open(&start, &args.paths)?;
        let today = args.today.unwrap_or_else(today);
        let Streamed { sources, findings, settings, .. } =
            streamed(&scope.workspace, today, |path| scope.holds(path), |_| ())?;
        let findings = findings.into_iter().filter(|f| scope.holds(sources.path(f.span.file))).collect();
        let report = Report::new(findings, scope.count(&sources, Some(settings)));
        Ok(Found { root: scope.workspace.root, sources, report })
    })
}

/// The workspace checked as [`checked`] checks it, in memory that does not grow with it: one
/// streaming pass ([`outline::stream`]) validates every file and runs the rules on a batch of
/// engagements at a time, on every core, and `each` is called with every batch's context. Only
/// the files for which `scope` holds are validated and checked (the structure is always the
/// whole workspace's); of each file, only the lines its findings are on are kept.
pub fn streamed<T: Send>(
    workspace: &Workspace,
    today: NaiveDate,
    scope: impl Fn(&Path) -> bool + Sync,
    each: impl Fn(&Context) -> T + Sync,
) -> Result<Streamed<T>, Error> {
    streamed_in_batches(workspace, today, scope, each, outline::BATCH_FILES)
}

/// What [`streamed`] found.
pub struct Streamed<T> {
    /// Every data file, and `engage.yaml` last; of the data files, only the lines with findings.
    pub sources: Sources,
    pub findings: Vec<Finding>,
    pub settings: FileId,
    /// Files with schema or syntax errors: their data cannot be trusted by the rules or templates.
    pub invalid: BTreeSet<FileId>,
    pub register: Register,
    /// What `each` returned for every batch, in order.
    pub batches: Vec<T>,
}

fn streamed_in_batches<T: Send>(
    workspace: &Workspace,
    today: NaiveDate,
    scope: impl Fn(&Path) -> bool + Sync,
    each: impl Fn(&Context) -> T + Sync,
    batch_files: usize,
) -> Result<Streamed<T>, Error> {
    let register = Records::of(workspace).read()?;
    let files = workspace.data_files(&workspace.root)?;
    // Known before any file is read: the data files come first, then the settings.
    let settings = FileId::from_index(files.len());
    // Waivers are judged by every finding: a run that reports on the settings sees them all.
    let everything = scope(Path::new(SETTINGS_FILE));
    let work = |batch: outline::Batch| {
        let loaded = batch.loaded;
        if !everything && !loaded.sources.iter().any(|(_, file)| scope(&file.path)) {
            return None;
        }
        let context = context(workspace, loaded, &register, settings, today);
        let findings: Vec<Finding> = check::serially(&context).into_iter().map(|f| batch.place(f)).collect();
        let with_findings: BTreeSet<FileId> = findings.iter().map(|f| f.span.file).collect();
        let texts = loaded.sources.iter().map(|(file, source)| (batch.files[file.index()], source));
        let texts = texts.filter(|(file, _)| with_findings.contains(file));
        let texts = texts.map(|(file, source)| (file, outline::excerpt_for(&source.text, file, &findings))).collect();
        Some(Batch { findings, texts, returned: each(&context) })
    };
    let (mut outline, batches) = outline::stream(workspace, &files, Schemas::shared()?, &scope, batch_files, work)?;
    outline.sources.add(PathBuf::from(SETTINGS_FILE), workspace.text.clone());
    let invalid = outline.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.span.file).collect();
    let mut findings = std::mem::take(&mut outline.findings);
    let mut returned = Vec::new();
    for batch in batches.into_iter().flatten() {
        findings.extend(batch.findings);
        for (file, lines) in batch.texts {
            outline.sources.keep(file, &lines);
        }
        returned.push(batch.returned);
    }
    let loaded = Loaded { sources: outline.sources, ..Loaded::default() };
    let findings = check::apply_policy(&context(workspace, &loaded, &register, settings, today), findings);
    Ok(Streamed { sources: loaded.sources, findings, settings, invalid, register, batches: returned })
}

/// What the rules found in one batch of [`streamed`], placed in the outline's files.
struct Batch<T> {
    findings: Vec<Finding>,
    /// The lines of the files with findings that they are on, for their snippets.
    texts: Vec<(FileId, String)>,
    returned: T,
}

/// The workspace loaded, validated and checked whole: what `engage check` reports, with every
/// document in memory for the commands that need them.
pub struct Checked {
    /// Every data file, and `engage.yaml` last (where waivers are located).
    pub loaded: Loaded,
    pub findings: Vec<Finding>,
    pub settings: FileId,
    /// Files with schema or syntax errors: their data cannot be trusted by the rules or templates.
    pub invalid: BTreeSet<FileId>,
    /// The revision register the rules saw.
    pub register: Register,
    known: Known,
}

/// What [`checked_again`] takes over from a check.
struct Known {
    /// The schema findings of each document, in the corpus's order.
    schema: Vec<Vec<Finding>>,
    /// The findings of the rules, before the policy.
    rules: Vec<Finding>,
    /// The group of each document (see [`outline`]).
    groups: Vec<usize>,
}

pub fn checked(workspace: &Workspace, today: NaiveDate) -> Result<Checked, Error> {
    let loaded = crate::load::load(workspace)?;
    let schema = crate::validate::documents(&loaded.corpus, Schemas::shared()?);
    check_loaded(workspace, loaded, schema, today, |context, _| check::corpus(context))
}

/// [`checked`] again after the data files `changed` (absolute paths) changed, taking every other
/// document over from `before` with its schema findings, and, when no file was added or removed,
/// the findings of the rules on every group of documents the change did not touch: for a preview
/// that checks after every save.
pub fn checked_again(
    workspace: &Workspace,
    before: &Checked,
    changed: &BTreeSet<PathBuf>,
    today: NaiveDate,
) -> Result<Checked, Error> {
    let loaded = crate::load::reload(workspace, &before.loaded, changed)?;
    let schemas = Schemas::shared()?;
    // A document taken over is the same value in the same file, so its findings are too.
    let known: HashMap<*const Document, &Vec<Finding>> =
        before.loaded.corpus.iter_shared().map(Arc::as_ptr).zip(&before.known.schema).collect();
    let schema = loaded
        .corpus
        .iter_shared()
        .map(|doc| match known.get(&Arc::as_ptr(doc)) {
            Some(found) => (*found).clone(),
            None => crate::validate::document(doc, schemas),
        })
        .collect();
    let same_files = before.loaded.corpus.iter().map(|d| &d.path).eq(loaded.corpus.iter().map(|d| &d.path));
    let new: Vec<usize> = (loaded.corpus.iter_shared().enumerate())
        .filter(|(_, doc)| !known.contains_key(&Arc::as_ptr(doc)))
        .map(|(i, _)| i)
        .collect();
    check_loaded(workspace, loaded, schema, today, |context, groups| match same_files {
        true => rules_again(context, before, groups, &new),
        false => check::corpus(context),
    })
}

/// The rules on the groups of documents (see [`outline`]) that hold a document of `new`, before
/// the change or after it; the findings of every other group are taken over from `before`.
fn rules_again(context: &Context, before: &Checked, groups: &[usize], new: &[usize]) -> Vec<Finding> {
    let now: HashSet<usize> = new.iter().map(|i| groups[*i]).collect();
    let then: HashSet<usize> = new.iter().map(|i| before.known.groups[*i]).collect();
    let touched = |i: usize| now.contains(&groups[i]) || then.contains(&before.known.groups[i]);
    let docs: Vec<Arc<Document>> =
        context.corpus.iter_shared().enumerate().filter(|(i, _)| touched(*i)).map(|(_, d)| Arc::clone(d)).collect();
    let files: HashSet<FileId> = docs.iter().map(|d| d.file).collect();
    let part = Corpus::shared(docs);
    let mut found: Vec<Finding> =
        before.known.rules.iter().filter(|f| !files.contains(&f.span.file)).cloned().collect();
    found.extend(check::corpus(&Context { corpus: &part, ..*context }));
    found
}

/// Steps 2 and 3 on a loaded workspace whose documents have the schema findings `schema`; the
/// `rules` are given the context and each document's group.
fn check_loaded(
    workspace: &Workspace,
    mut loaded: Loaded,
    schema: Vec<Vec<Finding>>,
    today: NaiveDate,
    rules: impl FnOnce(&Context, &[usize]) -> Vec<Finding>,
) -> Result<Checked, Error> {
    let outlined: Vec<Outlined> = loaded.corpus.iter().map(Outlined::of).collect();
    let groups = outline::components(&outlined);
    let mut findings = std::mem::take(&mut loaded.findings);
    findings.extend(schema.iter().flatten().cloned());
    findings.extend(crate::validate::structure::findings(&outlined));
    let settings = loaded.sources.add(PathBuf::from(SETTINGS_FILE), workspace.text.clone());
    let invalid = findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.span.file).collect();
    let register = Records::of(workspace).read()?;
    let context = context(workspace, &loaded, &register, settings, today);
    let rules = rules(&context, &groups);
    findings.extend(rules.iter().cloned());
    let findings = check::apply_policy(&context, findings);
    let known = Known { schema, rules, groups };
    Ok(Checked { loaded, findings, settings, invalid, register, known })
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

#[cfg(test)]
mod tests {
    use super::{checked, checked_again, streamed_in_batches};
    use crate::diag::Report;
    use crate::workspace::Workspace;
    use chrono::NaiveDate;
    use std::collections::BTreeSet;
    use std::path::Path;

    /// A copy of the non-compliant workspace (every rule tripped, files that do not parse, an ID
    /// given twice, a document of no engagement) with a change request in one engagement naming
    /// another engagement's statement of work.
    fn noncompliant() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/noncompliant");
        copy(&from, dir.path());
        let change = std::fs::read_to_string(from.join("engagements/bravo/cr-001.yaml")).unwrap();
        let elsewhere = change.replace("id: CR-BRV-001", "id: CR-CHL-001\nsow: SOW-BRV-001");
        std::fs::write(dir.path().join("engagements/charlie/cr-001.yaml"), elsewhere).unwrap();
        dir
    }

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            match path.is_dir() {
                true => copy(&path, &to.join(path.file_name().unwrap())),
                false => drop(std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap()),
            }
        }
    }

    #[test]
    fn checking_a_group_of_engagements_at_a_time_finds_what_checking_the_whole_finds() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let fixture = noncompliant();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in [fixture.path(), &root.join("samples"), &root.join("samples-sow")] {
            let workspace = Workspace::find(Some(dir)).unwrap();
            let whole = checked(&workspace, day).unwrap();
            let expected = Report::new(whole.findings, 0).findings;
            assert!(dir != fixture.path() || expected.len() > 50, "the fixture has findings to compare");
            for batch_files in [1, 5, 1000] {
                let streamed = streamed_in_batches(&workspace, day, |_| true, |_| (), batch_files).unwrap();
                let streamed_findings = Report::new(streamed.findings, 0).findings;
                assert_eq!(streamed_findings, expected, "{dir:?} in batches of {batch_files}");
                assert_eq!(streamed.invalid, whole.invalid);
                let names = crate::diag::FileNames::from_current_dir(&workspace.root);
                let shown = |sources, findings| super::super::human_named(sources, &Report::new(findings, 0), &names);
                assert_eq!(
                    shown(&streamed.sources, streamed_findings),
                    shown(&whole.loaded.sources, expected.clone()),
                    "{dir:?}: the snippets are the same"
                );
            }
        }
    }

    #[test]
    fn a_check_after_a_change_finds_what_a_check_from_scratch_finds() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let fixture = noncompliant();
        let workspace = Workspace::find(Some(fixture.path())).unwrap();
        let mut before = checked(&workspace, day).unwrap();
        let edits = [
            ("engagements/bravo/cr-001.yaml", "status: approved", "status: draft"),
            ("engagements/charlie/cr-001.yaml", "sow: SOW-BRV-001", "sow: SOW-ECH-001"),
            ("engagements/hotel/sow.yaml", "kind: StatementOfWork", "kind: [StatementOfWork"),
            ("engagements/hotel/sow.yaml", "kind: [StatementOfWork", "kind: StatementOfWork"),
        ];
        for (file, from, to) in edits {
            let path = fixture.path().join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{file} holds {from}");
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            let again = checked_again(&workspace, &before, &BTreeSet::from([path]), day).unwrap();
            let fresh = checked(&workspace, day).unwrap();
            assert_eq!(
                Report::new(again.findings.clone(), 0).findings,
                Report::new(fresh.findings, 0).findings,
                "{file}: {to}"
            );
            before = again;
        }
    }

    #[test]
    fn the_management_review_figures_do_not_depend_on_the_batches() {
        use crate::report::Period;
        use crate::report::figures::Tally;
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let fixture = noncompliant();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in [fixture.path(), &root.join("samples")] {
            let workspace = Workspace::find(Some(dir)).unwrap();
            let period = Period { since: None, until: day };
            let figures = |batch_files| {
                let tally = |c: &super::Context| Tally::of(c.corpus, c.register, c.policy, period);
                let streamed = streamed_in_batches(&workspace, day, |_| true, tally, batch_files).unwrap();
                let mut batches = streamed.batches.into_iter();
                let mut tally = batches.next().unwrap();
                batches.for_each(|batch| tally.add(batch));
                serde_json::to_value(tally.figures(&streamed.findings)).unwrap()
            };
            let whole = figures(100_000);
            assert!(whole["complaints"]["total"].as_u64() > Some(0), "{dir:?} has complaints to count");
            assert_eq!(figures(1), whole, "{dir:?}");
        }
    }
}
