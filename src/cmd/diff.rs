//! `engage diff DOC-ID [--from REV] [--to REV] [--format …]`: compares two sides of a document,
//! each an issued revision (read from its snapshot, so old templates are never needed) or the
//! working copy (rendered as `build` would). Exit 1 when they differ, as diff(1) does. Text
//! formats go to standard output unless `--out FILE`; the redline PDF is always written to a file
//! (`out/ID-redline-FROM-to-TO.pdf` by default), since PDF bytes on a terminal help nobody.

use super::check::today;
use crate::build::{self, Failure};
use crate::cli::{DiffArgs, DiffFormat};
use crate::cmd::Outcome;
use crate::diag::Severity;
use crate::diag::display_path;
use crate::diff::{Comparison, Side, html};
use crate::error::Error;
use crate::load;
use crate::model::DocumentId;
use crate::output;
use crate::record::{self, Records, Register, RevisionRecord};
use crate::render::docx::xml::Author;
use crate::render::pdf::DocumentMeta;
use crate::render::{self, Control, Overrides, Templates};
use crate::source::yaml;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// What `--from` and `--to` name.
const WORKING: &str = "working";

pub fn run(dir: Option<&Path>, args: &DiffArgs) -> Result<Outcome, Error> {
    let workspace = Workspace::find(dir)?;
    let id = super::document_id(&args.id)?;
    let records = Records::of(&workspace);
    let register = records.read_whole()?;
    let revisions = register.of(&id);
    let from = match &args.from {
        Some(spec) => spec.clone(),
        None => revisions.last().map(|r| r.revision.to_string()).ok_or(Error::NotIssued { id: id.to_string() })?,
    };
    let to = args.to.clone().unwrap_or_else(|| WORKING.to_string());
    let sides = Sides { workspace: &workspace, records: &records, register: &register, id: &id };
    let (from_side, to_side) = (sides.side(&from)?, sides.side(&to)?);
    let comparison = Comparison { id: id.as_str(), from: &from_side, to: &to_side };
    let markdown_differs = from_side.markdown != to_side.markdown;
    let (bytes, different) = match args.format {
        DiffFormat::Unified => {
            let text = comparison.unified();
            let different = !text.is_empty();
            (text.into_bytes(), different)
        }
        DiffFormat::Fields => {
            let changes = comparison.fields();
            (changes.iter().map(|c| format!("{c}\n")).collect::<String>().into_bytes(), !changes.is_empty())
        }
        DiffFormat::Html => (html::page(&comparison).into_bytes(), markdown_differs),
        DiffFormat::Json => {
            let json = comparison.json();
            let different = json["different"] == true;
            ((serde_json::to_string_pretty(&json).expect("JSON serialises") + "\n").into_bytes(), different)
        }
        DiffFormat::Pdf => match redline_pdf(&workspace, &comparison, args.today.unwrap_or_else(today))? {
            Ok(pdf) => (pdf, markdown_differs),
            Err(stopped) => return Ok(stopped),
        },
        DiffFormat::Docx => {
            (redline_docx(&workspace, &comparison, args.today.unwrap_or_else(today))?, markdown_differs)
        }
    };
    let file = match args.format {
        DiffFormat::Pdf => Some("pdf"),
        DiffFormat::Docx => Some("docx"),
        _ => None,
    };
    let default = file.map(|extension| {
        let name = format!("{id}-redline-{from}-to-{to}.{extension}");
        display_path(Path::new(&workspace.settings.output).join(name).as_path())
    });
    match args.out.as_ref().map(|p| p.display().to_string()).or(default) {
        Some(shown) => {
            let path = if args.out.is_some() { PathBuf::from(&shown) } else { workspace.root.join(&shown) };
            output::write_atomic(&path, &bytes)?;
            outln!("wrote {shown}");
        }
        None => out!("{}", String::from_utf8_lossy(&bytes)),
    }
    Ok(Outcome::from_problems(different && !args.exit_zero))
}

/// The redline PDF, typeset with the workspace's theme; `Err` when the theme or typst fails
/// (reported as `build` reports it).
fn redline_pdf(
    workspace: &Workspace,
    comparison: &Comparison,
    today: NaiveDate,
) -> Result<Result<Vec<u8>, Outcome>, Error> {
    let mut loaded = load::load(workspace)?;
    let overrides = Overrides::read(workspace, &mut loaded.sources)?;
    let stopped = |error| {
        let then = "no redline was written: correct the problem above, then run `engage diff` again";
        super::build::stopped(&workspace.root, &loaded.sources, &overrides, Failure::Pdf(error), then).map(Err)
    };
    let typesetter = match build::typesetter(workspace, &overrides, &loaded.sources, false)? {
        Ok(typesetter) => typesetter,
        Err(error) => return stopped(error),
    };
    let meta = redline_meta(workspace, &loaded, comparison, today)?;
    match typesetter.typeset_markup(crate::diff::pdf::body(comparison), &meta) {
        Ok(pdf) => Ok(Ok(pdf)),
        Err(error) => stopped(error),
    }
}

/// The redline Word document: the newer side with tracked changes by the newer revision's author
/// (the document's owner for a working copy), dated as the redline is.
fn redline_docx(workspace: &Workspace, comparison: &Comparison, today: NaiveDate) -> Result<Vec<u8>, Error> {
    let loaded = load::load(workspace)?;
    let meta = redline_meta(workspace, &loaded, comparison, today)?;
    let theme = build::word_theme(workspace)?;
    let author = Author {
        name: comparison.to.record.as_ref().map_or_else(|| meta.author.clone(), |r| r.author.clone()),
        date: meta.date.format("%Y-%m-%dT00:00:00Z").to_string(),
    };
    Ok(crate::diff::docx::document(comparison, &theme, &meta, &author))
}

/// What a redline's title block, running header and footer show.
fn redline_meta(
    workspace: &Workspace,
    loaded: &load::Loaded,
    comparison: &Comparison,
    today: NaiveDate,
) -> Result<DocumentMeta, Error> {
    let doc = super::find_document(loaded, comparison.id)?;
    let control = Control::draft(workspace, loaded.corpus.engagement_of(doc), doc);
    let (from, to) = (comparison.from, comparison.to);
    Ok(DocumentMeta {
        kind_label: format!("Redline · {}", control.label),
        revision: format!("{} → {}", from.revision, to.revision),
        status: format!("Redline: {} → {}", from.label, to.label),
        // A redline against an unreleased working copy is a draft.
        draft: to.record.is_none(),
        date: to.record.as_ref().map_or(today, |r| r.date),
        ..build::pdf_meta(&control, &crate::render::language::english())
    })
}

/// Where the sides of one document's comparisons come from.
pub struct Sides<'a> {
    pub workspace: &'a Workspace,
    pub records: &'a Records,
    pub register: &'a Register,
    pub id: &'a DocumentId,
}

impl Sides<'_> {
    /// The side `spec` names: an issued revision, or `working`.
    pub fn side(&self, spec: &str) -> Result<Side, Error> {
        if spec == WORKING {
            return self.working();
        }
        let revisions = self.register.of(self.id);
        let position =
            revisions.iter().position(|r| r.revision.to_string() == spec).ok_or_else(|| Error::UnknownRevision {
                id: self.id.to_string(),
                revision: spec.to_string(),
                issued: revisions.iter().map(|r| r.revision.to_string()).collect(),
            })?;
        self.issued(revisions[position], position + 1 < revisions.len())
    }

    /// An issued revision, from its snapshot (checked against the register).
    fn issued(&self, record: &RevisionRecord, superseded: bool) -> Result<Side, Error> {
        let text = |name: &str| {
            let bytes = self.records.snapshot_file(record, name)?;
            let path = self.records.snapshot_dir(&record.document, record.revision).join(name);
            String::from_utf8(bytes).map_err(|_| Error::Records { path, message: "not UTF-8 text".into() })
        };
        let source = text(record::SOURCE)?;
        let data = yaml::parse(&source).map_err(|e| Error::Records {
            path: self.records.snapshot_dir(&record.document, record.revision).join(record::SOURCE),
            message: e.message,
        })?;
        Ok(Side {
            label: format!("revision {}", record.revision),
            revision: record.revision.to_string(),
            status: if superseded { "Superseded" } else { "Issued" }.into(),
            record: Some(record.clone()),
            superseded,
            data: data.value,
            markdown: text(record::MARKDOWN)?,
        })
    }

    /// The working copy, rendered as `engage build` renders it.
    fn working(&self) -> Result<Side, Error> {
        let (mut loaded, report) = super::load_and_validate(self.workspace)?;
        let overrides = Overrides::read(self.workspace, &mut loaded.sources)?;
        let doc = super::find_document(&loaded, self.id.as_str())?;
        let engagement = loaded.corpus.engagement_of(doc).map(|e| e.file);
        let invalid = |file| report.findings.iter().any(|f| f.severity == Severity::Error && f.span.file == file);
        if invalid(doc.file) || engagement.is_some_and(invalid) {
            return Err(Error::InvalidDocument { id: self.id.to_string() });
        }
        let template_error = |e: render::TemplateError| Error::Usage {
            message: format!("template {} fails: {}", e.template, e.message),
            hint: "`engage build` shows where; correct the template".into(),
        };
        let templates = Templates::compile(&overrides, &loaded.sources).map_err(template_error)?;
        let history = crate::record::history_of(self.register, &loaded, doc);
        let rendered =
            render::document(self.workspace, &loaded.corpus, &templates, doc, &history).map_err(template_error)?;
        Ok(Side {
            label: "working copy".into(),
            revision: rendered.control.revision.clone(),
            status: rendered.control.status.clone(),
            record: None,
            superseded: false,
            data: doc.data.clone(),
            markdown: rendered.markdown,
        })
    }
}
