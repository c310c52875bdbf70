//! The build manifest (`out/.engage-manifest.json`): for each document, a hash of everything its
//! outputs depend on (its data and its engagement's, the templates, the theme, the settings, the
//! build options and the engage version) and the size and modification time of each output as
//! written. A document whose hash is unchanged and whose outputs are untouched is not rendered
//! again. It also keeps the [`fingerprint`](super::fingerprint) of the last complete build, so a
//! build with nothing to do is recognised before anything is loaded. A missing or unreadable
//! manifest only means a full build.

use crate::error::Error;
use crate::record::Framed;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

pub const FILE: &str = ".engage-manifest.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    version: u32,
    /// The fingerprint of the workspace at the last complete build.
    fingerprint: Option<String>,
    documents: BTreeMap<String, Entry>,
}

/// What one document's outputs were built from, and what they looked like on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub key: String,
    /// Output file name (relative to the output folder) → its stamp.
    pub files: BTreeMap<String, Stamp>,
}

/// Size and modification time: enough to notice an output edited or replaced by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    modified: (u64, u32),
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(path).ok()?;
        let since = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Stamp { len: metadata.len(), modified: (since.as_secs(), since.subsec_nanos()) })
    }
}

/// A SHA-256 over the given parts (length-prefixed), as hex.
pub fn key<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hash = Framed::default();
    parts.into_iter().for_each(|part| hash.part(part));
    hash.finish().to_string()
}

impl Manifest {
    const VERSION: u32 = 2;

    pub fn read(out: &Path) -> Manifest {
        std::fs::read(out.join(FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
            .filter(|m| m.version == Manifest::VERSION)
            .unwrap_or_default()
    }

    /// The entry of a document whose outputs are still exactly as recorded under `key`.
    pub fn fresh(&self, id: &str, key: &str, out: &Path) -> Option<&Entry> {
        let entry = self.documents.get(id).filter(|e| e.key == key)?;
        entry.files.iter().all(|(name, stamp)| Stamp::of(&out.join(name)) == Some(*stamp)).then_some(entry)
    }

    /// When the workspace still has the fingerprint of the last complete build and every output is
    /// as that build left it: how many documents and output files there are.
    pub fn unchanged(&self, fingerprint: &str, out: &Path) -> Option<(usize, usize)> {
        if self.fingerprint.as_deref() != Some(fingerprint) {
            return None;
        }
        let files: Vec<(&String, &Stamp)> = self.documents.values().flat_map(|entry| entry.files.iter()).collect();
        // On every core: 140,000 outputs at ten thousand engagements.
        let same = crate::parallel::map(&files, crate::parallel::default_workers(), |(name, stamp)| {
            Stamp::of(&out.join(name)) == Some(**stamp)
        });
        same.into_iter().all(|same| same).then_some((self.documents.len(), files.len()))
    }

    /// Records the fingerprint of a build that completed.
    pub fn completed(&mut self, fingerprint: String) {
        self.fingerprint = Some(fingerprint);
    }

    pub fn record(&mut self, id: String, entry: Entry) {
        self.documents.insert(id, entry);
    }

    /// Forgets documents that no longer exist, so the manifest does not grow forever.
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.documents.retain(|id, _| keep(id));
    }

    pub fn write(mut self, out: &Path) -> Result<(), Error> {
        self.version = Manifest::VERSION;
        // Compact and streamed: at ten thousand engagements it is 22 MB, a third more indented.
        crate::output::write_atomic_streamed(&out.join(FILE), |file| Ok(serde_json::to_writer(file, &self)?))
    }
}
