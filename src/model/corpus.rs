use super::{Document, DocumentId, Kind};

/// Every loaded document, in a deterministic order (by file path), with lookups by ID and by
/// engagement.
#[derive(Debug, Default)]
pub struct Corpus {
    docs: Vec<Document>,
}

impl Corpus {
    pub fn new(docs: Vec<Document>) -> Self {
        Corpus { docs }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.docs.iter()
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    pub fn get(&self, id: &DocumentId) -> Option<&Document> {
        self.docs.iter().find(|d| d.id.as_ref() == Some(id))
    }

    /// The Engagement a document belongs to: the one its `engagement:` field names, else the
    /// Engagement file in its folder or the nearest folder above. An Engagement belongs to itself.
    pub fn engagement_of<'a>(&'a self, doc: &'a Document) -> Option<&'a Document> {
        if doc.kind == Kind::Engagement {
            return Some(doc);
        }
        if let Some(named) = doc.text("engagement") {
            return self.engagements().find(|e| e.text("id") == Some(named));
        }
        doc.folder().ancestors().find_map(|folder| self.engagements().find(|e| e.folder() == folder))
    }

    /// The documents that belong to an engagement, the engagement itself first.
    pub fn members<'a>(&'a self, engagement: &'a Document) -> impl Iterator<Item = &'a Document> {
        self.docs.iter().filter(move |d| self.engagement_of(d).is_some_and(|e| std::ptr::eq(e, engagement)))
    }

    fn engagements(&self) -> impl Iterator<Item = &Document> {
        self.docs.iter().filter(|d| d.kind == Kind::Engagement)
    }
}
