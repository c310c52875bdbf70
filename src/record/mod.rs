//! Document control: the revision register and the snapshots of issued revisions, under
//! `records/` in the workspace.
//!
//! ```text
//! records/
//! ├── register.log                  one entry per issued revision, hash-chained (entry.rs)
//! └── snapshots/DOC-ID/REV/         write-once copy of what was issued:
//!     ├── source.yaml                 the data file, byte for byte
//!     ├── document.md                 the Markdown, as issued
//!     ├── document.html               the HTML, as issued
//!     ├── document.pdf                the PDF, as issued (absent from entries made before PDFs were)
//!     └── document.docx               the Word document, as issued (absent from older entries)
//! ```
//!
//! Crash safety: a release stages its snapshot under `records/.pending/`, then replaces the
//! register with a copy that has one more entry (temporary file, synced, renamed: the commit
//! point), then moves the snapshot into place. A release killed before the rename leaves the
//! register and snapshots exactly as they were (the next command deletes the staging folder); one
//! killed after it is complete in the register, and the next command moves its staged snapshot
//! into place after checking it against the register's hashes. Appending to the register instead
//! could leave half an entry behind. Every change happens under an exclusive lock on
//! `records/.lock`, so two releases never take the same revision.

pub mod approve;
mod digest;
mod entry;
mod history;
mod register;
pub mod verify;

pub use digest::{Digest, Framed, content as content_digest, named_texts};
pub use entry::{ApprovalRecord, Hashes, RevisionRecord};
pub use history::{History, Issued, history, history_of, issued, source_digest};
pub use register::Register;

use crate::error::Error;
use crate::model::{DocumentId, Revision};
use crate::workspace::Workspace;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const SOURCE: &str = "source.yaml";
pub const MARKDOWN: &str = "document.md";
pub const HTML: &str = "document.html";
pub const PDF: &str = "document.pdf";
pub const DOCX: &str = "document.docx";

/// What ignores and attributes `records/` needs in git: the lock and staging folder are not
/// records, and no line ending may ever be converted (hashes cover the bytes).
const GIT_FILES: [(&str, &str); 2] = [(".gitignore", ".lock\n.pending/\n"), (".gitattributes", "* -text\n")];

/// The contents of one issued revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub source: Vec<u8>,
    pub markdown: Vec<u8>,
    pub html: Vec<u8>,
    pub pdf: Option<Vec<u8>>,
    pub docx: Option<Vec<u8>>,
}

impl Snapshot {
    pub fn files(&self) -> Vec<(&'static str, &[u8])> {
        let mut files = vec![(SOURCE, &self.source[..]), (MARKDOWN, &self.markdown[..]), (HTML, &self.html[..])];
        files.extend(self.pdf.as_deref().map(|pdf| (PDF, pdf)));
        files.extend(self.docx.as_deref().map(|docx| (DOCX, docx)));
        files
    }
}

/// The files a revision's snapshot holds, with the digests the register records for them.
pub fn expected_files(record: &RevisionRecord) -> Vec<(&'static str, Digest)> {
    let h = &record.hashes;
    let mut files = vec![(SOURCE, h.source), (MARKDOWN, h.markdown), (HTML, h.html)];
    files.extend(h.pdf.map(|pdf| (PDF, pdf)));
    files.extend(h.docx.map(|docx| (DOCX, docx)));
    files
}

/// The `records/` folder of a workspace.
#[derive(Debug, Clone)]
pub struct Records {
    dir: PathBuf,
    /// Where the issued outputs go (the workspace's output folder).
    out: PathBuf,
}

impl Records {
    pub fn of(workspace: &Workspace) -> Records {
        Records { dir: workspace.root.join("records"), out: workspace.output_dir() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn register_path(&self) -> PathBuf {
        self.dir.join("register.log")
    }

    pub fn snapshots(&self) -> PathBuf {
        self.dir.join("snapshots")
    }

    pub fn snapshot_dir(&self, id: &DocumentId, revision: Revision) -> PathBuf {
        self.snapshots().join(id.as_str()).join(revision.to_string())
    }

    /// The register as it is on disk; empty when no revision was ever issued.
    pub fn read(&self) -> Result<Register, Error> {
        let path = self.register_path();
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| Error::Records {
                    path: path.clone(),
                    message: "the register is not UTF-8 text".into(),
                })?;
                Ok(Register::parse(&text))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Register::default()),
            Err(e) => Err(Error::read(path, e)),
        }
    }

    /// The register, refused when a block of it cannot be read (commands other than `verify`
    /// need every entry).
    pub fn read_whole(&self) -> Result<Register, Error> {
        let register = self.read()?;
        match register.malformed.first() {
            Some(m) => {
                Err(Error::Records { path: self.register_path(), message: format!("{} (malformed entry)", m.message) })
            }
            None => Ok(register),
        }
    }

    /// Reads one file of a revision's snapshot and checks it against the register.
    pub fn snapshot_file(&self, record: &RevisionRecord, name: &str) -> Result<Vec<u8>, Error> {
        let path = self.snapshot_dir(&record.document, record.revision).join(name);
        let bytes = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
        let expected = expected_files(record).into_iter().find(|(n, _)| *n == name).map(|(_, d)| d);
        if expected != Some(Digest::of(&bytes)) {
            return Err(Error::Records { path, message: "the snapshot does not match its recorded hash".into() });
        }
        Ok(bytes)
    }

    /// Takes the exclusive lock on `records/.lock`, waiting for another release to finish.
    pub fn lock(&self) -> Result<Locked<'_>, Error> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::write(&self.dir, e))?;
        let path = self.dir.join(".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::write(&path, e))?;
        file.lock().map_err(|e| Error::write(&path, e))?;
        Ok(Locked { records: self, _file: file })
    }
}

/// The records while this process holds the lock; dropping it releases the lock.
pub struct Locked<'a> {
    records: &'a Records,
    _file: File,
}

impl Locked<'_> {
    fn pending(&self) -> PathBuf {
        self.records.dir.join(".pending")
    }

    /// Finishes or discards what an interrupted release left in `records/.pending/`; says what
    /// it completed.
    pub fn recover(&self) -> Result<Vec<String>, Error> {
        let pending = self.pending();
        if !pending.exists() {
            return Ok(Vec::new());
        }
        let register = self.records.read()?;
        let mut completed = Vec::new();
        for record in register.records() {
            let staged = pending.join(record.document.as_str()).join(record.revision.to_string());
            let target = self.records.snapshot_dir(&record.document, record.revision);
            if staged.is_dir() && !target.exists() && matches_record(&staged, record) {
                self.write_outputs(&record.document, &staged)?;
                place(&staged, &target)?;
                completed.push(format!(
                    "completed the interrupted release of {} revision {}",
                    record.document, record.revision
                ));
            }
        }
        std::fs::remove_dir_all(&pending).map_err(|e| Error::write(&pending, e))?;
        Ok(completed)
    }

    /// Issues a revision: stages its snapshot, commits the register with `record` appended,
    /// writes the issued outputs, then moves the snapshot into place. `record` must be sealed and
    /// follow `register`'s head. Until the snapshot is placed, the staged copy is what
    /// [`Locked::recover`] completes the release from, outputs included. Returns the outputs
    /// written (those whose bytes changed).
    pub fn issue(
        &self,
        register: &Register,
        record: &RevisionRecord,
        snapshot: &Snapshot,
    ) -> Result<Vec<PathBuf>, Error> {
        let target = self.records.snapshot_dir(&record.document, record.revision);
        if target.exists() {
            return Err(Error::Records {
                path: target,
                message: "a snapshot of this revision already exists but the register does not list it".into(),
            });
        }
        self.write_git_files()?;
        let staged = self.stage(record, snapshot)?;
        self.commit(register, record)?;
        let written = self.write_outputs(&record.document, &staged)?;
        place(&staged, &target)?;
        let pending = self.pending();
        std::fs::remove_dir_all(&pending).map_err(|e| Error::write(&pending, e))?;
        Ok(written)
    }

    /// Writes a revision's issued Markdown and HTML (and PDF and Word document, when issued) from its staged
    /// snapshot to the output folder, under the folder's lock: a build running meanwhile finishes
    /// first, so it cannot overwrite an issued output with the draft it rendered before.
    fn write_outputs(&self, id: &DocumentId, staged: &Path) -> Result<Vec<PathBuf>, Error> {
        let _builds_wait = crate::output::lock_folder(&self.records.out)?;
        let mut written = Vec::new();
        for (name, extension) in [(MARKDOWN, "md"), (HTML, "html"), (PDF, "pdf"), (DOCX, "docx")] {
            let from = staged.join(name);
            if !from.exists() {
                continue;
            }
            let bytes = std::fs::read(&from).map_err(|e| Error::read(&from, e))?;
            let path = self.records.out.join(format!("{id}.{extension}"));
            if crate::output::write_atomic(&path, &bytes)? != crate::output::Written::Unchanged {
                written.push(path);
            }
        }
        Ok(written)
    }

    fn write_git_files(&self) -> Result<(), Error> {
        for (name, text) in GIT_FILES {
            let path = self.records.dir.join(name);
            if !path.exists() {
                crate::output::write_atomic(&path, text.as_bytes())?;
            }
        }
        Ok(())
    }

    /// Writes the snapshot under `.pending/DOC/REV/`, every file new and synced.
    fn stage(&self, record: &RevisionRecord, snapshot: &Snapshot) -> Result<PathBuf, Error> {
        let staged = self.pending().join(record.document.as_str()).join(record.revision.to_string());
        std::fs::create_dir_all(&staged).map_err(|e| Error::write(&staged, e))?;
        for (name, bytes) in snapshot.files() {
            let path = staged.join(name);
            let mut file =
                OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| Error::write(&path, e))?;
            file.write_all(bytes).and_then(|()| file.sync_all()).map_err(|e| Error::write(&path, e))?;
        }
        sync_dir(&staged);
        Ok(staged)
    }

    /// Replaces the register by one with `record` appended: the commit point of a release.
    fn commit(&self, register: &Register, record: &RevisionRecord) -> Result<(), Error> {
        let path = self.records.register_path();
        let text = register.appended(record);
        let mut file = crate::output::temporary().tempfile_in(&self.records.dir).map_err(|e| Error::write(&path, e))?;
        file.write_all(text.as_bytes()).and_then(|()| file.as_file().sync_all()).map_err(|e| Error::write(&path, e))?;
        file.persist(&path).map_err(|e| Error::write(&path, e.error))?;
        sync_dir(&self.records.dir);
        Ok(())
    }
}

/// Whether a staged snapshot holds exactly the files the record lists, with its hashes.
fn matches_record(staged: &Path, record: &RevisionRecord) -> bool {
    let expected = expected_files(record);
    let present = std::fs::read_dir(staged).map(|entries| entries.count()).unwrap_or(0);
    present == expected.len()
        && expected
            .iter()
            .all(|(name, digest)| std::fs::read(staged.join(name)).is_ok_and(|b| Digest::of(&b) == *digest))
}

/// Moves a staged snapshot folder to its place, never over an existing one.
fn place(staged: &Path, target: &Path) -> Result<(), Error> {
    let parent = target.parent().expect("snapshots/DOC/REV has a parent");
    std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    if target.exists() {
        return Err(Error::Records { path: target.to_path_buf(), message: "the snapshot already exists".into() });
    }
    std::fs::rename(staged, target).map_err(|e| Error::write(target, e))?;
    sync_dir(parent);
    Ok(())
}

/// Makes renames and new files in a folder durable; not every platform can sync a folder.
fn sync_dir(dir: &Path) {
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests;
