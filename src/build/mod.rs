//! Rendering a whole workspace: every document to Markdown, HTML and PDF on all cores, each output
//! written atomically (or, for `build --check`, compared with what is on disk). Once the
//! [`outline`](crate::outline) has validated every file, engagements stream through in batches:
//! loaded, rendered and dropped in turn. Results come back in document order, whatever the number of workers. Documents whose
//! inputs have not changed since the last build are skipped ([`manifest`]).

pub mod fingerprint;
pub mod fonts;
pub mod glyphs;
pub mod manifest;
mod shard;

use crate::diag::display_path;
use crate::error::Error;
use crate::load::Loaded;
use crate::model::{Corpus, Document};
use crate::outline::{self, Outline};
use crate::output::{self, Batch, State, Written};
use crate::progress::Progress;
use crate::render::docx;
use crate::render::language::Language;
use crate::render::pdf::{DocumentMeta, FontChoice, Logo, Paper, PdfError, Theme, ThemeSource, Typesetter};
use crate::render::register::{self, Register};
use crate::render::{self, Control, Overrides, Rendered, TemplateError, Templates};
use crate::source::Sources;
use crate::workspace::Workspace;
use crate::workspace::outputs::{Format, Formats};

use manifest::{Entry, Manifest, Stamp};
pub use shard::Shard;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

/// The name of a workspace's own PDF theme in `templates/`.
pub const THEME: &str = "document.typ";

pub struct Options {
    pub out: PathBuf,
    /// Compare with the files on disk instead of writing.
    pub check: bool,
    /// Also write each document's typst sources to `out/typst/ID/`.
    pub emit_typst: bool,
    pub workers: usize,
    /// The outputs written for each document.
    pub formats: Formats,
}

/// What happened to one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOutcome {
    Written(Written),
    Checked(State),
}

/// Why a document could not be built.
#[derive(Debug)]
pub enum Failure {
    Template { document: String, error: TemplateError },
    Pdf(PdfError),
    Io(Error),
}

/// One document's outputs, and when it was rendered (not skipped) and written, what to record in
/// the manifest once the outputs are in place.
pub struct Built {
    pub id: String,
    pub files: Vec<(String, FileOutcome)>,
    pub rendered: Option<Rendering>,
    /// Warnings about the document's PDF ([`glyphs`]), when it was rendered.
    pub warnings: Vec<String>,
}

/// The key a document was rendered under and the names of its outputs.
pub struct Rendering {
    pub key: String,
    pub outputs: Vec<String>,
}

impl Rendering {
    /// The manifest entry, with the outputs as they are on disk now (`None` if one is missing).
    pub fn entry(self, out: &std::path::Path) -> Option<Entry> {
        let files = self.outputs.into_iter().map(|name| Stamp::of(&out.join(&name)).map(|s| (name, s)));
        Some(Entry { key: self.key, files: files.collect::<Option<_>>()? })
    }
}

pub struct Builder<'a> {
    pub workspace: &'a Workspace,
    pub templates: &'a Templates,
    /// `None` when PDFs are not wanted.
    pub typesetter: Option<&'a Typesetter>,
    /// How Word documents look; `None` when they are not wanted.
    pub word: Option<&'a docx::Theme>,
    pub options: Options,
    /// Only the documents of this shard, when given.
    pub shard: Option<Shard>,
    /// Where outputs are staged until the build is complete.
    pub batch: &'a Batch,
    /// The last build's manifest.
    pub manifest: &'a Manifest,
    /// Hash of what every document depends on: templates, theme, logo, settings, options, version.
    pub inputs: String,
    /// The revision register: every document's issued revisions.
    pub revisions: &'a crate::record::Register,
}

/// What one rendered document is made from: a data file, or an engagement's register.
#[derive(Debug, Clone, Copy)]
pub enum Job<'a> {
    Document(&'a Document),
    Register(Register, &'a Document),
}

impl Job<'_> {
    /// The ID of the document the job renders.
    pub fn id(&self) -> String {
        match self {
            Job::Document(doc) => doc.text("id").unwrap_or_default().to_string(),
            Job::Register(register, engagement) => register.id(engagement),
        }
    }
}

/// Every document of the corpus and every register with entries.
pub fn jobs(corpus: &Corpus) -> Vec<Job<'_>> {
    let documents = corpus.iter().map(Job::Document);
    documents.chain(register::all(corpus).into_iter().map(|(r, e)| Job::Register(r, e))).collect()
}

/// What a build did: its documents, and the IDs of every document of the workspace (a sharded
/// build renders only some of them).
pub struct Streamed {
    pub built: Vec<Built>,
    pub ids: HashSet<String>,
}

/// A job and the engagement it was loaded with.
struct Task<'a> {
    loaded: &'a Loaded,
    job: Job<'a>,
}

impl Task<'_> {
    /// Whether the task renders a data file (what the progress bar counts).
    fn of_file(&self) -> bool {
        matches!(self.job, Job::Document(_))
    }

    /// How long the document takes to build, roughly: the size of its data file (a register is
    /// small).
    fn weight(&self) -> usize {
        match self.job {
            Job::Document(doc) => self.loaded.sources.get(doc.file).text.len(),
            Job::Register(..) => 0,
        }
    }
}

impl Builder<'_> {
    /// Only the documents of this shard, when given.
    pub fn sharded(self, shard: Option<Shard>) -> Self {
        Builder { shard, ..self }
    }

    /// Builds every engagement of the outline, a batch of engagements at a time, each batch's
    /// documents on all cores: one result per document of the build, in the order of their IDs,
    /// or the first failure (by ID) of the first batch that has one.
    pub fn all(&self, outline: &Outline) -> Result<Streamed, Failure> {
        let progress = Progress::new("data files", outline.files());
        let mut streamed = Streamed { built: Vec::new(), ids: HashSet::new() };
        for batch in outline.batches(outline::BATCH_FILES) {
            let workers = self.options.workers;
            let loaded = crate::parallel::map(batch, workers, |files| outline::load_again(self.workspace, files));
            let loaded = loaded.into_iter().collect::<Result<Vec<Loaded>, Error>>().map_err(Failure::Io)?;
            self.render(&loaded, &progress, &mut streamed)?;
        }
        progress.finish();
        streamed.built.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(streamed)
    }

    /// Builds the documents of some engagements only, each given by its data files (absolute
    /// paths), loaded as they are now: what a preview rebuilds after a save.
    pub fn engagements(&self, engagements: &[Vec<PathBuf>]) -> Result<Vec<Built>, Failure> {
        let loaded = engagements.iter().map(|files| crate::load::load_serially(self.workspace, files));
        let loaded = loaded.collect::<Result<Vec<Loaded>, Error>>().map_err(Failure::Io)?;
        let mut streamed = Streamed { built: Vec::new(), ids: HashSet::new() };
        self.render(&loaded, &Progress::new("data files", 0), &mut streamed)?;
        Ok(streamed.built)
    }

    /// Renders the documents of loaded engagements on all cores.
    fn render(&self, loaded: &[Loaded], progress: &Progress, streamed: &mut Streamed) -> Result<(), Failure> {
        let tasks: Vec<Task> =
            loaded.iter().flat_map(|l| jobs(&l.corpus).into_iter().map(move |job| Task { loaded: l, job })).collect();
        streamed.ids.extend(tasks.iter().map(|task| task.job.id()));
        let files = tasks.iter().filter(|task| task.of_file()).count();
        let tasks = selected(tasks, self.shard);
        progress.skipped(files - tasks.iter().filter(|task| task.of_file()).count());
        let built = crate::parallel::map_largest_first(&tasks, Task::weight, self.options.workers, |task| {
            let built = self.document(task.loaded, &task.job);
            if task.of_file() {
                progress.done();
            }
            built
        });
        for built in built {
            streamed.built.push(built?);
        }
        Ok(())
    }

    fn document(&self, loaded: &Loaded, job: &Job) -> Result<Built, Failure> {
        let corpus = &loaded.corpus;
        let (template, (control, context)) = match *job {
            Job::Document(doc) => {
                let history = crate::record::history_of(self.revisions, loaded, doc);
                (
                    render::template(doc.kind),
                    render::context::build(self.workspace, corpus, self.templates, doc, &history),
                )
            }
            Job::Register(register, engagement) => {
                (register.template().to_string(), register::context(self.workspace, corpus, register, engagement))
            }
        };
        let id = control.id.clone();
        let key = manifest::key([self.inputs.as_bytes(), &serde_json::to_vec(&context).unwrap_or_default()]);
        if let Some(entry) = self.manifest.fresh(&id, &key, &self.options.out) {
            let unchanged = if self.options.check {
                FileOutcome::Checked(State::Current)
            } else {
                FileOutcome::Written(Written::Unchanged)
            };
            let files = entry.files.keys().map(|name| (self.shown(name), unchanged)).collect();
            return Ok(Built { id, files, rendered: None, warnings: Vec::new() });
        }
        let word = self.word.is_some();
        let rendered = render::with_context(self.workspace, self.templates, &template, control, context, word)
            .map_err(|error| Failure::Template { document: id.clone(), error })?;
        let mut warnings = rendered.warnings.clone();
        if let (Some(typesetter), Job::Document(doc)) = (self.typesetter, job) {
            warnings.extend(glyphs::warnings(typesetter, doc, &id, &rendered.markdown));
        }
        let emitted = match (self.typesetter, self.options.emit_typst) {
            (Some(typesetter), true) => {
                typesetter.sources(&rendered.markdown, &pdf_meta(&rendered.control, &rendered.language))
            }
            _ => Vec::new(),
        };
        let mut files = files(rendered, self.options.formats, self.word, self.typesetter)?;
        files.extend(emitted.into_iter().map(|(name, bytes)| (format!("typst/{id}/{name}"), bytes)));
        let outcomes = files.iter().map(|(name, bytes)| self.output(name, bytes)).collect::<Result<Vec<_>, _>>()?;
        let outputs = files.into_iter().map(|(name, _)| name).collect();
        let rendered = (!self.options.check).then_some(Rendering { key, outputs });
        Ok(Built { id, files: outcomes, rendered, warnings })
    }

    fn shown(&self, name: &str) -> String {
        display_path(self.workspace.relative(&self.options.out.join(name)))
    }

    fn output(&self, name: &str, bytes: &[u8]) -> Result<(String, FileOutcome), Failure> {
        let path = self.options.out.join(name);
        let shown = self.shown(name);
        let outcome = if self.options.check {
            FileOutcome::Checked(output::state(&path, bytes))
        } else {
            FileOutcome::Written(self.batch.write(&path, bytes).map_err(Failure::Io)?)
        };
        Ok((shown, outcome))
    }
}

/// The tasks of a build (its shard's, when sharded), in the order of their IDs.
fn selected(tasks: Vec<Task<'_>>, shard: Option<Shard>) -> Vec<Task<'_>> {
    let mut tasks: Vec<Task> = tasks.into_iter().filter(|task| shard.is_none_or(|s| s.holds(&task.job.id()))).collect();
    tasks.sort_by_cached_key(|task| task.job.id());
    tasks
}

/// A rendered document's output files, named after its ID, in the formats asked for: a Word
/// document when there is a Word theme, a PDF when there is a typesetter.
pub fn files(
    rendered: Rendered,
    formats: Formats,
    word: Option<&docx::Theme>,
    typesetter: Option<&Typesetter>,
) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let id = &rendered.control.id;
    let meta = pdf_meta(&rendered.control, &rendered.language);
    let mut files = Vec::new();
    if formats.wants(Format::Md) {
        files.push((format!("{id}.md"), rendered.markdown.clone().into_bytes()));
    }
    if formats.wants(Format::Html) {
        files.push((format!("{id}.html"), rendered.html.into_bytes()));
    }
    if let Some(theme) = word {
        // Read with the HTML when the renderer was asked to; a report is read here.
        let read = rendered.word.unwrap_or_else(|| docx::blocks::of(&rendered.markdown, &meta.title));
        files.push((format!("{id}.docx"), docx::document(theme, &meta, &read)));
    }
    if let Some(typesetter) = typesetter {
        files.push((format!("{id}.pdf"), typesetter.typeset(&rendered.markdown, &meta).map_err(Failure::Pdf)?));
    }
    Ok(files)
}

/// The PDF typesetter for a workspace: its paper, accent colour, logo, fonts and theme (a workspace
/// `templates/document.typ` replaces the built-in one). A missing logo file stops the build.
pub fn typesetter(
    workspace: &Workspace,
    overrides: &Overrides,
    sources: &Sources,
    pdf_a: bool,
) -> Result<Result<Typesetter, PdfError>, Error> {
    let settings = &workspace.settings;
    let logo = logo(workspace)?;
    let source = overrides
        .file(THEME)
        .map(|file| ThemeSource { path: sources.path(file).to_path_buf(), text: sources.get(file).text.clone() });
    let paper = if settings.paper == "letter" { Paper::UsLetter } else { Paper::A4 };
    let time_limit = workspace.render_time_limit();
    let families = FontChoice { body: settings.fonts.body.clone(), headings: settings.fonts.headings.clone() };
    let fonts = fonts::read(workspace)?;
    let pdf_a = pdf_a || settings.pdf_a;
    let theme = Theme { paper, accent: settings.accent.clone(), logo, source, pdf_a, time_limit, fonts, families };
    Ok(Typesetter::new(theme))
}

/// The workspace's logo; a missing file stops the build.
fn logo(workspace: &Workspace) -> Result<Option<Logo>, Error> {
    let Some(relative) = &workspace.settings.logo else { return Ok(None) };
    let path = workspace.root.join(relative);
    let bytes = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
    let name = relative.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Some(Logo { name, bytes }))
}

/// The path of the workspace's Word reference document (it need not exist).
fn reference(workspace: &Workspace) -> PathBuf {
    workspace.root.join("templates").join(docx::REFERENCE)
}

/// How the workspace's Word documents look: paper, accent colour, logo, and the styles of
/// `templates/reference.docx` when there is one. A logo or reference document that cannot be
/// read stops the build.
pub fn word_theme(workspace: &Workspace) -> Result<docx::Theme, Error> {
    let settings = &workspace.settings;
    let path = reference(workspace);
    let styles = match std::fs::read(&path) {
        Ok(bytes) => Some(docx::Theme::reference_styles(&bytes).map_err(|e| Error::Usage {
            message: format!("{} is not a Word document with styles: {e}", display_path(workspace.relative(&path))),
            hint: "save it from Word or LibreOffice as a .docx, or remove it to use the built-in styles".into(),
        })?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::read(&path, e)),
    };
    let paper = if settings.paper == "letter" { Paper::UsLetter } else { Paper::A4 };
    Ok(docx::Theme::new(paper, settings.accent.clone(), logo(workspace)?, styles))
}

/// The hash of what every document's outputs depend on besides its own data: engage's version, the
/// templates and theme in effect, the logo, the settings, the build options (`pdf_a` is `None`
/// when no PDF is made) and, for PDFs, the workspace's fonts.
pub fn inputs(
    workspace: &Workspace,
    templates: &Templates,
    overrides: &Overrides,
    sources: &Sources,
    options: &Options,
    pdf_a: Option<bool>,
) -> String {
    let logo =
        workspace.settings.logo.as_ref().and_then(|l| std::fs::read(workspace.root.join(l)).ok()).unwrap_or_default();
    let theme = overrides.file(THEME).map_or(crate::render::pdf::BUILT_IN_THEME, |f| sources.get(f).text.as_str());
    let flags = format!(
        "{} pdf={pdf_a:?} typst={} outputs={}",
        env!("CARGO_PKG_VERSION"),
        options.emit_typst,
        options.formats.names()
    );
    let reference = std::fs::read(reference(workspace)).unwrap_or_default();
    let fonts = if pdf_a.is_some() { fonts::read(workspace).unwrap_or_default() } else { Vec::new() };
    let fonts = fonts.iter().flat_map(|font| [font.name.as_bytes(), font.bytes.as_slice()]);
    let templates = templates.texts().flat_map(|(name, text)| [name.as_bytes(), text.as_bytes()]);
    manifest::key(
        [flags.as_bytes(), workspace.text.as_bytes(), theme.as_bytes(), &logo, &reference]
            .into_iter()
            .chain(templates)
            .chain(fonts),
    )
}

/// What the PDF's title block, running header, footer and metadata show, in the document's
/// language.
pub fn pdf_meta(control: &Control, language: &Arc<Language>) -> DocumentMeta {
    let date = chrono::NaiveDate::parse_from_str(&control.date, "%Y-%m-%d").unwrap_or_default();
    let classification = language
        .text(&format!("value.{}", control.classification))
        .map_or_else(|| label(&control.classification), str::to_owned);
    DocumentMeta {
        id: control.id.clone(),
        title: control.title.clone(),
        kind_label: control.label.clone(),
        client: control.client.clone(),
        organisation: control.organisation.clone(),
        issuer: control.issuer.clone(),
        revision: control.revision.clone(),
        draft: control.draft,
        status: control.status.clone(),
        date,
        classification,
        author: control.owner.clone(),
        keywords: vec![control.label.clone(), control.client.clone()],
        register_head: control.register_head.clone(),
        language: Arc::clone(language),
    }
}

/// `confidential` → `Confidential`.
fn label(code: &str) -> String {
    let mut chars = code.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
