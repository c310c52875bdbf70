use crate::build::manifest::Manifest;
use crate::build::{self, Builder, Failure, FileOutcome, Options};
use crate::cli::{BuildArgs, Emit};
use crate::cmd::Outcome;
use crate::diag::display_path;
use crate::diag::{self, Finding, Report, RuleId};
use crate::error::Error;
use crate::outline::Outline;
use crate::output::{Batch, State, Written};
use crate::record::Records;
use crate::render::docx;
use crate::render::pdf::PdfError;
use crate::render::pdf::Typesetter;
use crate::render::{Overrides, TemplateError, Templates};
use crate::source::{FileId, Pos, Sources, Span};
use crate::validate::Schemas;
use crate::workspace::Workspace;
use crate::workspace::outputs::{Format, Formats};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(dir: Option<&Path>, args: &BuildArgs) -> Result<Outcome, Error> {
    let started = Instant::now();
    let workspace = Workspace::find(dir)?;
    let out = args.out.clone().unwrap_or_else(|| workspace.output_dir());
    // Nothing to do is found without the lock: it writes nothing, and a build that changes the
    // outputs meanwhile changes their stamps, which sends this one the long way.
    let formats = Formats::chosen(&workspace.settings.outputs, &args.format, args.no_pdf);
    let pdf = formats.wants(Format::Pdf);
    let fingerprint = build::fingerprint::of(&workspace, &output_options(args, formats), pdf)?;
    if let Some((documents, files)) = Manifest::read(&out).unchanged(&fingerprint, &out) {
        let tally = Tally { documents, skipped: documents, unchanged: files, ..Tally::default() };
        return Ok(tally.finish(args.check, &display_path(workspace.relative(&out)), started));
    }
    let outline = Outline::of(&workspace, Schemas::shared()?, |_| true)?;
    if outline.has_errors() {
        return Ok(invalid(&workspace, outline, started));
    }
    let setup = match Setup::prepare(&workspace, formats, args.pdf_a)? {
        Ok(setup) => setup,
        Err(reported) => return Ok(reported),
    };
    let options = Options {
        out: out.clone(),
        check: args.check,
        emit_typst: args.emit == Some(Emit::Typst),
        workers: args.jobs.unwrap_or_else(crate::parallel::default_workers),
        formats,
    };
    // Builds of one output folder take turns: each reads the manifest the one before it wrote.
    // One that waited may have read what a newer build, started after an edit, has since
    // replaced: it must not write its older outputs over the newer ones.
    let lock = match args.check {
        true => None,
        false => Some(crate::output::lock_folder(&out)?),
    };
    if lock.as_ref().is_some_and(|l| l.waited)
        && build::fingerprint::of(&Workspace::open(&workspace.root)?, &output_options(args, formats), pdf)?
            != fingerprint
    {
        return Err(Error::ChangedWhileRead);
    }
    crate::output::remove_abandoned(&out);
    let mut manifest = Manifest::read(&out);
    let batch = Batch::default();
    let builder = setup.builder(&workspace, options, args.pdf_a, &batch, &manifest).sharded(args.shard);
    let streamed = match builder.all(&outline) {
        Ok(streamed) => streamed,
        Err(failure) => return setup.failed(&workspace.root, failure),
    };
    if !args.check {
        batch.commit()?;
    }
    let mut tally = Tally { warnings: setup.templates.warnings().to_vec(), ..Tally::default() };
    for document in streamed.built {
        tally.warnings.extend(document.warnings);
        tally.document(document.files, document.rendered.is_none());
        if let Some(entry) = document.rendered.and_then(|r| r.entry(&out)) {
            manifest.record(document.id, entry);
        }
    }
    if !args.check {
        manifest.retain(|id| streamed.ids.contains(id));
        manifest.completed(fingerprint);
        manifest.write(&out)?;
    }
    Ok(tally.finish(args.check, &display_path(workspace.relative(&out)), started))
}

/// Builds the documents of some engagements again, each given by its data files (absolute
/// paths), into the workspace's output folder in `formats`: what `engage serve` does after a
/// save that changed only data. The manifest records them; its fingerprint stays that of the last
/// complete build, so the next `engage build` looks at every document (and finds these current).
pub fn engagements(workspace: &Workspace, engagements: &[Vec<PathBuf>], formats: Formats) -> Result<Outcome, Error> {
    let out = workspace.output_dir();
    let setup = match Setup::prepare(workspace, formats, false)? {
        Ok(setup) => setup,
        Err(reported) => return Ok(reported),
    };
    let workers = crate::parallel::default_workers();
    let options = Options { out: out.clone(), check: false, emit_typst: false, workers, formats };
    let _lock = crate::output::lock_folder(&out)?;
    let mut manifest = Manifest::read(&out);
    let batch = Batch::default();
    let built = match setup.builder(workspace, options, false, &batch, &manifest).engagements(engagements) {
        Ok(built) => built,
        Err(failure) => return setup.failed(&workspace.root, failure),
    };
    batch.commit()?;
    for document in built {
        if let Some(entry) = document.rendered.and_then(|r| r.entry(&out)) {
            manifest.record(document.id, entry);
        }
    }
    manifest.write(&out)?;
    Ok(Outcome::Clean)
}

/// What every document of a build is rendered with: the templates and theme in effect (the
/// workspace's own among them, read into `sources`), and the revisions issued so far.
struct Setup {
    sources: Sources,
    overrides: Overrides,
    templates: Templates,
    typesetter: Option<Typesetter>,
    word: Option<docx::Theme>,
    revisions: crate::record::Register,
}

impl Setup {
    /// The setup for `formats`, or the outcome of a template or theme that failed, reported.
    fn prepare(workspace: &Workspace, formats: Formats, pdf_a: bool) -> Result<Result<Setup, Outcome>, Error> {
        let mut sources = Sources::default();
        let overrides = Overrides::read(workspace, &mut sources)?;
        let templates = match Templates::compile(&overrides, &sources) {
            Ok(templates) => templates,
            Err(error) => {
                let failure = Failure::Template { document: String::new(), error };
                return failed(&workspace.root, &sources, &overrides, failure).map(Err);
            }
        };
        let typesetter = match !formats.wants(Format::Pdf) {
            true => None,
            false => match build::typesetter(workspace, &overrides, &sources, pdf_a)? {
                Ok(typesetter) => Some(typesetter),
                Err(error) => return failed(&workspace.root, &sources, &overrides, Failure::Pdf(error)).map(Err),
            },
        };
        let word = formats.wants(Format::Docx).then(|| build::word_theme(workspace)).transpose()?;
        let revisions = Records::of(workspace).read_whole()?;
        Ok(Ok(Setup { sources, overrides, templates, typesetter, word, revisions }))
    }

    fn builder<'a>(
        &'a self,
        workspace: &'a Workspace,
        options: Options,
        pdf_a: bool,
        batch: &'a Batch,
        manifest: &'a Manifest,
    ) -> Builder<'a> {
        let pdf_a = self.typesetter.as_ref().map(|_| pdf_a);
        let inputs = build::inputs(workspace, &self.templates, &self.overrides, &self.sources, &options, pdf_a);
        Builder {
            workspace,
            templates: &self.templates,
            typesetter: self.typesetter.as_ref(),
            word: self.word.as_ref(),
            options,
            shard: None,
            batch,
            manifest,
            inputs,
            revisions: &self.revisions,
        }
    }

    fn failed(&self, root: &Path, failure: Failure) -> Result<Outcome, Error> {
        failed(root, &self.sources, &self.overrides, failure)
    }
}

/// Reports the problems that stop the build.
fn invalid(workspace: &Workspace, outline: Outline, started: Instant) -> Outcome {
    let report = Report::new(outline.findings, outline.sources.len());
    out!("{}{}", super::human(&workspace.root, &outline.sources, &report), diag::summary(&report, started.elapsed()));
    outln!("nothing was built: correct the errors above, then build again");
    Outcome::ProblemsFound
}

/// Every option that changes what a build writes (the number of workers does not).
fn output_options(args: &BuildArgs, formats: Formats) -> String {
    let shard = args.shard.map(|s| format!("{}/{}", s.index, s.count));
    format!("outputs={} pdf_a={} emit={:?} shard={shard:?}", formats.names(), args.pdf_a, args.emit)
}

/// A broken workspace template or theme is a finding in that file (exit 1), as is a document
/// typst cannot export; a built-in template that fails is a bug (exit 2).
fn failed(root: &Path, sources: &Sources, overrides: &Overrides, failure: Failure) -> Result<Outcome, Error> {
    stopped(root, sources, overrides, failure, "the build stopped: correct the problem above, then build again")
}

/// Reports why a document could not be rendered as `build` does, then `then`: what to do next.
pub(super) fn stopped(
    root: &Path,
    sources: &Sources,
    overrides: &Overrides,
    failure: Failure,
    then: &str,
) -> Result<Outcome, Error> {
    let shown = match failure {
        Failure::Io(error) => return Err(error),
        Failure::Template { document, error } => shown(root, sources, template_finding(document, error)?),
        Failure::Pdf(error) => match pdf_finding(overrides, &error)? {
            Some(finding) => shown(root, sources, finding),
            None => format!("error: {error}\n  = help: {}\n", error.hint()),
        },
    };
    out!("{shown}");
    outln!("{then}");
    Ok(Outcome::ProblemsFound)
}

fn shown(root: &Path, sources: &Sources, finding: Finding) -> String {
    super::human(root, sources, &Report::new(vec![finding], sources.len()))
}

fn template_finding(document: String, error: TemplateError) -> Result<Finding, Error> {
    let Some(file) = error.file else {
        let during = if document.is_empty() { String::new() } else { format!(" while rendering {document}") };
        return Err(Error::Internal {
            what: format!("template {}", error.template),
            message: format!("{}{during}", error.message),
        });
    };
    let help = "correct the template; `engage build` uses it for every document of its kind";
    Ok(located(file, error.at, error.message, help))
}

/// A theme error is located in the workspace's theme; an accent, logo or export problem has no
/// place in a file (`None`); anything else in the built-in theme is a bug.
fn pdf_finding(overrides: &Overrides, error: &PdfError) -> Result<Option<Finding>, Error> {
    match (error, overrides.file(build::THEME)) {
        (PdfError::Theme { position, message, .. }, Some(file)) => {
            let at = position.map_or(Pos::START, |(line, column)| Pos { line: line as u32, column: column as u32 });
            Ok(Some(located(file, at, message.clone(), &error.hint())))
        }
        (
            PdfError::Accent { .. }
            | PdfError::Logo { .. }
            | PdfError::Export { .. }
            | PdfError::FontFile { .. }
            | PdfError::UnknownFamily { .. },
            _,
        ) => Ok(None),
        _ => Err(Error::Internal { what: "PDF theme".into(), message: error.to_string() }),
    }
}

fn located(file: FileId, at: Pos, message: String, help: &str) -> Finding {
    Finding::error(RuleId::BrokenTemplate, Span::point(file, at), message, help)
}

#[derive(Default)]
struct Tally {
    documents: usize,
    skipped: usize,
    created: usize,
    updated: usize,
    unchanged: usize,
    outdated: Vec<(String, State)>,
    /// Warnings about the documents rendered, printed before the summary.
    warnings: Vec<String>,
}

impl Tally {
    fn document(&mut self, files: Vec<(String, FileOutcome)>, skipped: bool) {
        self.documents += 1;
        self.skipped += usize::from(skipped);
        for (shown, outcome) in files {
            match outcome {
                FileOutcome::Written(Written::Created) => self.created += 1,
                FileOutcome::Written(Written::Updated) => self.updated += 1,
                FileOutcome::Written(Written::Unchanged) | FileOutcome::Checked(State::Current) => self.unchanged += 1,
                FileOutcome::Checked(state) => self.outdated.push((shown.clone(), state)),
            }
            if matches!(outcome, FileOutcome::Written(Written::Created | Written::Updated)) {
                outln!("  wrote {shown}");
            }
        }
    }

    fn finish(self, check: bool, out: &str, started: Instant) -> Outcome {
        let seconds = started.elapsed().as_secs_f64();
        for warning in &self.warnings {
            out!("{warning}");
        }
        if !check {
            outln!(
                "built {} documents into {out}/ ({} skipped: inputs unchanged): {} created, {} updated, {} unchanged ({seconds:.2} s)",
                self.documents,
                self.skipped,
                self.created,
                self.updated,
                self.unchanged
            );
            return Outcome::Clean;
        }
        for (path, state) in &self.outdated {
            let state = if *state == State::Missing { "missing" } else { "stale" };
            outln!("{state}: {path}");
        }
        match self.outdated.len() {
            0 => outln!("all outputs of {} documents are up to date ({seconds:.2} s)", self.documents),
            n => outln!("{n} outputs are stale or missing: run `engage build` to regenerate them"),
        }
        Outcome::from_problems(!self.outdated.is_empty())
    }
}
