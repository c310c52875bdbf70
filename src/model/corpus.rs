use super::{Document, DocumentId, Kind};
use crate::source::FileId;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Every loaded document, in a deterministic order (by file path), with lookups by ID and by
/// engagement. The engagement of each document is worked out once, here, so rules and templates
/// that ask for it cost nothing per question. Documents are shared, so that a corpus loaded
/// again after one file changed holds the others without copying them.
#[derive(Debug, Default)]
pub struct Corpus {
    docs: Vec<Arc<Document>>,
    by_file: HashMap<FileId, usize>,
    by_id: HashMap<DocumentId, usize>,
    /// The engagement of each document (by index), if it has one.
    owner: Vec<Option<usize>>,
    /// The documents of each engagement (by the engagement's index; empty for other documents),
    /// the engagement first.
    members: Vec<Vec<usize>>,
}

impl Corpus {
    pub fn new(docs: Vec<Document>) -> Self {
        Corpus::shared(docs.into_iter().map(Arc::new).collect())
    }

    /// A corpus of documents that others may hold too.
    pub fn shared(docs: Vec<Arc<Document>>) -> Self {
        let by_file = docs.iter().enumerate().map(|(i, d)| (d.file, i)).collect();
        let mut by_id = HashMap::new();
        for (i, doc) in docs.iter().enumerate() {
            if let Some(id) = &doc.id {
                by_id.entry(id.clone()).or_insert(i);
            }
        }
        let owner = owners(&docs.iter().map(|d| Membership::of(d)).collect::<Vec<_>>());
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); docs.len()];
        for (i, engagement) in owner.iter().enumerate() {
            if let Some(e) = engagement {
                members[*e].push(i);
            }
        }
        for list in &mut members {
            list.sort_by_key(|i| (docs[*i].kind != Kind::Engagement, *i));
        }
        Corpus { docs, by_file, by_id, owner, members }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.docs.iter().map(|doc| &**doc)
    }

    /// The documents as shared.
    pub fn iter_shared(&self) -> impl Iterator<Item = &Arc<Document>> {
        self.docs.iter()
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn get(&self, id: &DocumentId) -> Option<&Document> {
        self.by_id.get(id).map(|i| &*self.docs[*i])
    }

    /// The Engagement a document belongs to: the one its `engagement:` field names, else the
    /// Engagement file in its folder or the nearest folder above. An Engagement belongs to itself.
    pub fn engagement_of<'a>(&'a self, doc: &'a Document) -> Option<&'a Document> {
        let index = self.by_file.get(&doc.file)?;
        self.owner[*index].map(|e| &*self.docs[e])
    }

    /// The documents that belong to an engagement, the engagement itself first.
    pub fn members<'a>(&'a self, engagement: &'a Document) -> impl Iterator<Item = &'a Document> {
        let index = self.by_file.get(&engagement.file).copied();
        let list = index.and_then(|i| self.members.get(i)).map(Vec::as_slice).unwrap_or_default();
        list.iter().map(|i| &*self.docs[*i])
    }
}

impl Corpus {
    /// The statement of work a change request changes: the one its `sow:` names, else its
    /// engagement's only statement of work.
    pub fn statement_of_work<'a>(&'a self, change: &'a Document) -> Option<&'a Document> {
        match change.text("sow").and_then(DocumentId::parse) {
            Some(id) => self.get(&id).filter(|d| d.kind == Kind::StatementOfWork),
            None => {
                let mut sows = self.members(self.engagement_of(change)?).filter(|d| d.kind == Kind::StatementOfWork);
                sows.next().filter(|_| sows.next().is_none())
            }
        }
    }
}

/// What decides the engagement a document belongs to (see [`Corpus::engagement_of`]): known
/// before a file is loaded for good, so a build can group files by engagement first.
#[derive(Debug, Clone, Copy)]
pub struct Membership<'a> {
    pub kind: Kind,
    /// The document's `id`, as written.
    pub id: Option<&'a str>,
    /// The engagement its `engagement:` field names.
    pub engagement: Option<&'a str>,
    pub folder: &'a Path,
}

impl<'a> Membership<'a> {
    pub fn of(doc: &'a Document) -> Self {
        Membership { kind: doc.kind, id: doc.text("id"), engagement: doc.text("engagement"), folder: doc.folder() }
    }
}

/// For each document, the index of its Engagement (see [`Corpus::engagement_of`]).
pub fn owners(docs: &[Membership]) -> Vec<Option<usize>> {
    let engagements = docs.iter().enumerate().filter(|(_, d)| d.kind == Kind::Engagement);
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_folder: HashMap<&Path, usize> = HashMap::new();
    for (i, engagement) in engagements {
        if let Some(id) = engagement.id {
            by_id.entry(id).or_insert(i);
        }
        by_folder.entry(engagement.folder).or_insert(i);
    }
    docs.iter()
        .enumerate()
        .map(|(i, doc)| {
            if doc.kind == Kind::Engagement {
                return Some(i);
            }
            match doc.engagement {
                Some(named) => by_id.get(named).copied(),
                None => doc.folder.ancestors().find_map(|folder| by_folder.get(folder).copied()),
            }
        })
        .collect()
}
