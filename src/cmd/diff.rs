//! `engage diff DOC-ID [--from REV] [--to REV] [--format …]`: compares two sides of a document,
//! each an issued revision (read from its snapshot, so old templates are never needed) or the
//! working copy (rendered as `build` would). Exit 1 when they differ, as diff(1) does.

use crate::app::Outcome;
use crate::cli::{DiffArgs, DiffFormat};
use crate::diag::Severity;
use crate::diff::{Comparison, Side, html};
use crate::error::Error;
use crate::model::DocumentId;
use crate::record::{self, Records, Register, RevisionRecord};
use crate::render::{self, Overrides, Templates};
use crate::source::yaml;
use crate::workspace::Workspace;
use std::path::Path;

/// What `--from` and `--to` name.
const WORKING: &str = "working";

pub fn run(dir: Option<&Path>, args: &DiffArgs) -> Result<Outcome, Error> {
    if args.format == DiffFormat::Pdf {
        return Err(Error::Unsupported {
            what: "the PDF redline".into(),
            instead: "use --format html for a redline page that prints well".into(),
        });
    }
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
    let (from, to) = (sides.side(&from)?, sides.side(&to)?);
    let comparison = Comparison { id: id.as_str(), from: &from, to: &to };
    let (text, different) = match args.format {
        DiffFormat::Unified => {
            let text = comparison.unified();
            let different = !text.is_empty();
            (text, different)
        }
        DiffFormat::Fields => {
            let changes = comparison.fields();
            (changes.iter().map(|c| format!("{c}\n")).collect(), !changes.is_empty())
        }
        DiffFormat::Html => (html::page(&comparison), from.markdown != to.markdown),
        DiffFormat::Json => {
            let json = comparison.json();
            let different = json["different"] == true;
            (serde_json::to_string_pretty(&json).expect("JSON serialises") + "\n", different)
        }
        DiffFormat::Pdf => unreachable!("refused above"),
    };
    out!("{text}");
    Ok(Outcome::from_problems(different && !args.exit_zero))
}

struct Sides<'a> {
    workspace: &'a Workspace,
    records: &'a Records,
    register: &'a Register,
    id: &'a DocumentId,
}

impl Sides<'_> {
    fn side(&self, spec: &str) -> Result<Side, Error> {
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
        let (mut loaded, report) = super::load_and_validate(self.workspace, &[])?;
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
        let history = super::history_of(self.register, &loaded, doc);
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
