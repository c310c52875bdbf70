//! The register's view of one document, as plain data: its issued revisions and whether the
//! working copy is the last of them. Checks and renderers read it; neither writes the register.

use super::{Digest, Register, RevisionRecord};
use crate::load::Loaded;
use crate::model::{Document, DocumentId};
use serde::Serialize;

/// What the revision register says about a document (see [`history`]).
#[derive(Debug, Clone, Default)]
pub struct History {
    /// The issued revisions, oldest first.
    pub revisions: Vec<Issued>,
    /// Whether the working copy is the last issued revision, unchanged.
    pub current: bool,
    /// The register head the last revision was issued on top of.
    pub register_head: Option<String>,
}

/// One issued revision, as the revision history table shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    pub revision: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub author: String,
    pub reason: String,
    pub approved_by: Vec<String>,
}

/// What a document's control block shows: its issued revisions and whether the working copy,
/// whose source has digest `source`, is the last of them unchanged.
pub fn history(register: &Register, id: &DocumentId, source: Digest) -> History {
    let revisions = register.of(id);
    History {
        current: revisions.last().is_some_and(|r| r.hashes.source == source),
        revisions: revisions.iter().copied().map(issued).collect(),
        register_head: revisions.last().map(|r| r.previous.to_string()),
    }
}

/// A document's revision history, and whether its working copy (as loaded) is the last revision.
pub fn history_of(register: &Register, loaded: &Loaded, doc: &Document) -> History {
    match &doc.id {
        Some(id) => history(register, id, source_digest(loaded, doc)),
        None => History::default(),
    }
}

/// The digest of a document's data file as read (a leading byte-order mark aside).
pub fn source_digest(loaded: &Loaded, doc: &Document) -> Digest {
    Digest::of(loaded.sources.get(doc.file).text.as_bytes())
}

/// A revision as the revision history table shows it.
pub fn issued(record: &RevisionRecord) -> Issued {
    Issued {
        revision: record.revision.to_string(),
        date: record.date.to_string(),
        author: record.author.clone(),
        reason: record.reason.clone(),
        approved_by: record.approved_by(),
    }
}
