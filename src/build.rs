//! Rendering a whole workspace: every document to Markdown, HTML and PDF on all cores, each output
//! written atomically (or, for `build --check`, compared with what is on disk). Results come back
//! in document order, whatever the number of workers.

use crate::error::Error;
use crate::model::{Corpus, Document};
use crate::output::{self, State, Written};
use crate::render::pdf::{DocumentMeta, Logo, Paper, PdfError, Theme, ThemeSource, Typesetter};
use crate::render::{self, Control, Overrides, TemplateError, Templates};
use crate::source::Sources;
use crate::workspace::{Workspace, display_path};
use std::path::PathBuf;
use std::sync::Mutex;

/// The name of a workspace's own PDF theme in `templates/`.
pub const THEME: &str = "document.typ";

pub struct Options {
    pub out: PathBuf,
    /// Compare with the files on disk instead of writing.
    pub check: bool,
    /// Also write each document's typst sources to `out/typst/ID/`.
    pub emit_typst: bool,
    pub workers: usize,
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

pub struct Builder<'a> {
    pub workspace: &'a Workspace,
    pub corpus: &'a Corpus,
    pub templates: &'a Templates,
    /// `None` when PDFs are not wanted.
    pub typesetter: Option<&'a Typesetter>,
    pub options: Options,
}

impl Builder<'_> {
    /// Builds every document; one result per document, in the order given.
    pub fn all(&self, docs: &[&Document]) -> Vec<Result<Vec<(String, FileOutcome)>, Failure>> {
        let slots: Vec<Mutex<Option<_>>> = docs.iter().map(|_| Mutex::new(None)).collect();
        crate::parallel::for_each(docs, self.options.workers, |index, doc| {
            let result = self.document(doc);
            *slots[index].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
        });
        slots
            .into_iter()
            .map(|slot| slot.into_inner().unwrap_or_else(|e| e.into_inner()).expect("every document was built"))
            .collect()
    }

    fn document(&self, doc: &Document) -> Result<Vec<(String, FileOutcome)>, Failure> {
        let rendered = render::document(self.workspace, self.corpus, self.templates, doc)
            .map_err(|error| Failure::Template { document: doc.text("id").unwrap_or_default().to_string(), error })?;
        let id = rendered.control.id.clone();
        let mut files = vec![
            (format!("{id}.md"), rendered.markdown.clone().into_bytes()),
            (format!("{id}.html"), rendered.html.into_bytes()),
        ];
        if let Some(typesetter) = self.typesetter {
            let meta = pdf_meta(&rendered.control);
            files.push((format!("{id}.pdf"), typesetter.typeset(&rendered.markdown, &meta).map_err(Failure::Pdf)?));
            if self.options.emit_typst {
                let sources = typesetter.sources(&rendered.markdown, &meta);
                files.extend(sources.into_iter().map(|(name, bytes)| (format!("typst/{id}/{name}"), bytes)));
            }
        }
        files.into_iter().map(|(name, bytes)| self.output(&name, &bytes)).collect()
    }

    fn output(&self, name: &str, bytes: &[u8]) -> Result<(String, FileOutcome), Failure> {
        let path = self.options.out.join(name);
        let shown = display_path(self.workspace.relative(&path));
        let outcome = if self.options.check {
            FileOutcome::Checked(output::state(&path, bytes))
        } else {
            FileOutcome::Written(output::write_atomic(&path, bytes).map_err(Failure::Io)?)
        };
        Ok((shown, outcome))
    }
}

/// The PDF typesetter for a workspace: its paper, accent colour, logo and theme (a workspace
/// `templates/document.typ` replaces the built-in one). A missing logo file stops the build.
pub fn typesetter(
    workspace: &Workspace,
    overrides: &Overrides,
    sources: &Sources,
    pdf_a: bool,
) -> Result<Result<Typesetter, PdfError>, Error> {
    let settings = &workspace.settings;
    let logo = match &settings.logo {
        Some(relative) => {
            let path = workspace.root.join(relative);
            let bytes = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
            let name = relative.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Some(Logo { name, bytes })
        }
        None => None,
    };
    let source = overrides
        .file(THEME)
        .map(|file| ThemeSource { path: sources.path(file).to_path_buf(), text: sources.get(file).text.clone() });
    let paper = if settings.paper == "letter" { Paper::UsLetter } else { Paper::A4 };
    let theme = Theme { paper, accent: settings.accent.clone(), logo, source, pdf_a: pdf_a || settings.pdf_a };
    Ok(Typesetter::new(theme))
}

/// What the PDF's title block, running header, footer and metadata show.
pub fn pdf_meta(control: &Control) -> DocumentMeta {
    let date = chrono::NaiveDate::parse_from_str(&control.date, "%Y-%m-%d").unwrap_or_default();
    let classification = label(&control.classification);
    DocumentMeta {
        id: control.id.clone(),
        title: control.title.clone(),
        kind_label: control.label.clone(),
        client: control.client.clone(),
        organisation: control.organisation.clone(),
        revision: control.revision.clone(),
        draft: control.draft,
        status: control.status.clone(),
        date,
        classification,
        author: control.owner.clone(),
        keywords: vec![control.label.clone(), control.client.clone()],
    }
}

/// `confidential` → `Confidential`.
fn label(code: &str) -> String {
    let mut chars = code.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
