//! The structural checks every later step relies on: each ID names one document, and each
//! document belongs to an engagement. They look across the whole workspace, so they run on a
//! compact record of each document ([`Outlined`]) that a streaming pass can keep for tens of
//! thousands of files.

use crate::diag::{Finding, RuleId};
use crate::model::{Document, DocumentId, Kind, Membership, owners};
use crate::source::{FileId, Span};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the structural checks, and the grouping of documents by engagement, need of a document.
#[derive(Debug, Clone)]
pub struct Outlined {
    pub kind: Kind,
    /// The file's path relative to the workspace.
    pub path: PathBuf,
    /// The document's ID, when well-formed.
    pub id: Option<DocumentId>,
    /// The `id`, `engagement` and `sow` fields as written.
    pub written_id: Option<String>,
    pub engagement: Option<String>,
    pub sow: Option<String>,
    /// Where the `id` and `engagement` values are.
    id_at: Span,
    engagement_at: Span,
}

impl Outlined {
    pub fn of(doc: &Document) -> Outlined {
        let span = |pointer: &str| {
            let at = doc.spans.locate(pointer);
            Span { file: doc.file, start: at.start, end: at.end }
        };
        let text = |field: &str| doc.text(field).map(str::to_owned);
        Outlined {
            kind: doc.kind,
            path: doc.path.clone(),
            id: doc.id.clone(),
            written_id: text("id"),
            engagement: text("engagement"),
            sow: text("sow"),
            id_at: span("/id"),
            engagement_at: span("/engagement"),
        }
    }

    /// The record placed in `file`: for a file read on its own first.
    pub fn in_file(mut self, file: FileId) -> Outlined {
        self.id_at.file = file;
        self.engagement_at.file = file;
        self
    }

    pub fn membership(&self) -> Membership<'_> {
        Membership {
            kind: self.kind,
            id: self.written_id.as_deref(),
            engagement: self.engagement.as_deref(),
            folder: self.path.parent().unwrap_or(Path::new("")),
        }
    }

    /// The statement of work a change request names by ID.
    pub fn named_sow(&self) -> Option<DocumentId> {
        (self.kind == Kind::ChangeRequest).then(|| self.sow.as_deref().and_then(DocumentId::parse)).flatten()
    }
}

/// IDs used twice and documents that belong to no engagement, in every document of a workspace.
pub fn findings(docs: &[Outlined]) -> Vec<Finding> {
    let mut findings = duplicate_ids(docs);
    findings.extend(orphans(docs));
    findings
}

/// Every file holding an ID that another file holds too gets a finding, the first one naming the
/// second: whichever of them a command is asked about (`engage check FILE`), it is told.
fn duplicate_ids(docs: &[Outlined]) -> Vec<Finding> {
    let mut by_id: BTreeMap<&DocumentId, Vec<&Outlined>> = BTreeMap::new();
    for doc in docs {
        if let Some(id) = &doc.id {
            by_id.entry(id).or_default().push(doc);
        }
    }
    let place = |doc: &Outlined| format!("{} at line {}", crate::diag::display_path(&doc.path), doc.id_at.start.line);
    by_id
        .into_iter()
        .filter(|(_, docs)| docs.len() > 1)
        .flat_map(|(id, docs)| {
            let (first, second) = (docs[0], docs[1]);
            docs.into_iter().enumerate().map(move |(i, doc)| {
                let message = match i {
                    0 => format!("the document ID `{id}` is also used in {}", place(second)),
                    _ => format!("the document ID `{id}` is already used (first in {})", place(first)),
                };
                Finding::error(
                    RuleId::DuplicateId,
                    doc.id_at,
                    message,
                    "give this document an ID of its own; IDs are unique across the workspace",
                )
                .at_field("id")
                .of(doc.id.as_ref())
            })
        })
        .collect()
}

fn orphans(docs: &[Outlined]) -> Vec<Finding> {
    let owners = owners(&docs.iter().map(Outlined::membership).collect::<Vec<_>>());
    docs.iter()
        .zip(owners)
        .filter(|(doc, owner)| doc.kind != Kind::Engagement && owner.is_none())
        .map(|(doc, _)| match &doc.engagement {
            Some(named) => Finding::error(
                RuleId::UnknownEngagement,
                doc.engagement_at,
                format!("no Engagement has the ID `{named}`"),
                "use the `id` of an Engagement file in this workspace",
            )
            .at_field("engagement")
            .of(doc.id.as_ref()),
            None => Finding::error(
                RuleId::UnknownEngagement,
                doc.id_at,
                "this document belongs to no engagement",
                "put it in the folder of its Engagement file, or name the engagement with `engagement: ENGAGEMENT-ID`",
            )
            .of(doc.id.as_ref()),
        })
        .collect()
}
