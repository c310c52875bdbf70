use crate::build::{self, Failure};
use crate::cli::{ListFormat, ReportArgs};
use crate::cmd::Outcome;
use crate::diag::display_path;
use crate::diag::{self, Report, Severity};
use crate::error::Error;
use crate::model::Corpus;
use crate::output;
use crate::render::{Overrides, Rendered, Templates};
use crate::report::figures::Tally;
use crate::report::{self, Period};
use crate::source::Sources;
use crate::workspace::Workspace;
use crate::workspace::outputs::{Format, Formats};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

/// Invalid data gives wrong figures, so a workspace with schema errors gets no report (exit 1).
pub fn run(dir: Option<&Path>, args: &ReportArgs) -> Result<Outcome, Error> {
    let started = Instant::now();
    let workspace = Workspace::find(dir)?;
    let until = args.today.unwrap_or_else(super::check::today);
    let period = Period { since: args.since, until };
    let checked = super::check::streamed(
        &workspace,
        until,
        |_| true,
        |context| Tally::of(context.corpus, context.register, context.policy, period),
    )?;
    let mut sources = checked.sources;
    if !checked.invalid.is_empty() {
        return Ok(refused(&workspace.root, &sources, checked.findings, &checked.invalid, started));
    }
    let mut batches = checked.batches.into_iter();
    let empty = || Tally::of(&Corpus::default(), &checked.register, &workspace.settings.policy, period);
    let mut tally = batches.next().unwrap_or_else(empty);
    batches.for_each(|batch| tally.add(batch));
    let figures = tally.figures(&checked.findings);
    if args.format == ListFormat::Json {
        outln!("{}", serde_json::to_string_pretty(&figures).expect("figures serialise"));
        return Ok(Outcome::Clean);
    }
    let overrides = Overrides::read(&workspace, &mut sources)?;
    let rendered = Templates::compile(&overrides, &sources).and_then(|t| report::render(&workspace, &t, &figures));
    let rendered = match rendered {
        Ok(rendered) => rendered,
        Err(error) => {
            return stopped(
                &workspace.root,
                &sources,
                &overrides,
                Failure::Template { document: String::new(), error },
            );
        }
    };
    let id = rendered.control.id.clone();
    let files = match files(&workspace, &sources, &overrides, rendered, args.no_pdf) {
        Ok(files) => files,
        Err(failure) => return stopped(&workspace.root, &sources, &overrides, failure),
    };
    let out = args.out.clone().unwrap_or_else(|| workspace.output_dir());
    for (name, bytes) in &files {
        let path = out.join(name);
        output::write_atomic(&path, bytes)?;
        outln!("  wrote {}", display_path(workspace.relative(&path)));
    }
    outln!(
        "management review {id}: {} engagements, {} open findings ({:.2} s)",
        figures.engagements_by_stage.iter().map(|s| s.count).sum::<usize>(),
        figures.findings_by_rule.iter().map(|r| r.count).sum::<usize>(),
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Clean)
}

/// Prints the errors that make the data untrustworthy.
fn refused(
    root: &Path,
    sources: &Sources,
    findings: Vec<diag::Finding>,
    invalid: &BTreeSet<crate::source::FileId>,
    started: Instant,
) -> Outcome {
    let errors = findings.into_iter().filter(|f| f.severity == Severity::Error && invalid.contains(&f.span.file));
    let report = Report::new(errors.collect(), sources.len() - 1);
    out!("{}{}", super::human(root, sources, &report), diag::summary(&report, started.elapsed()));
    outln!("no report was written: correct the errors above, then run the report again");
    Outcome::ProblemsFound
}

/// Output files: `(name, bytes)`.
type Files = Vec<(String, Vec<u8>)>;

/// The report's files: those of `outputs:` in engage.yaml, without the PDF when `no_pdf` (a
/// theme, accent or logo problem is a [`Failure`], reported as `build` reports it).
fn files(
    workspace: &Workspace,
    sources: &Sources,
    overrides: &Overrides,
    rendered: Rendered,
    no_pdf: bool,
) -> Result<Files, Failure> {
    let formats = Formats::chosen(&workspace.settings.outputs, &[], no_pdf);
    let word = formats.wants(Format::Docx).then(|| build::word_theme(workspace)).transpose().map_err(Failure::Io)?;
    let typesetter = match formats.wants(Format::Pdf) {
        true => {
            Some(build::typesetter(workspace, overrides, sources, false).map_err(Failure::Io)?.map_err(Failure::Pdf)?)
        }
        false => None,
    };
    build::files(rendered, formats, word.as_ref(), typesetter.as_ref())
}

/// Reports why the report could not be rendered, as `build` reports a document.
fn stopped(root: &Path, sources: &Sources, overrides: &Overrides, failure: Failure) -> Result<Outcome, Error> {
    super::build::stopped(
        root,
        sources,
        overrides,
        failure,
        "the report was not written: correct the problem above, then run it again",
    )
}
