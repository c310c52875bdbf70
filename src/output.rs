//! Writing outputs: atomically (a temporary file in the same folder, synced, then renamed over the
//! old one), so a reader or a crash never sees half a file; and only when the bytes change, so
//! unchanged outputs keep their modification time.
//!
//! One file is written with [`write_atomic`]. Many are written as a [`Batch`]: each is staged in a
//! temporary file beside its destination, and [`Batch::commit`] makes them all durable with one
//! sync of the file system, renames them into place, and syncs again. The guarantee is the same
//! as file by file, at the cost of two syncs instead of two per file (a sync costs milliseconds:
//! 9,000 outputs synced one by one took 9 s, almost all of a build).

use crate::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Created,
    Updated,
    Unchanged,
}

/// What `build --check` finds for one output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Current,
    Stale,
    Missing,
}

pub fn state(path: &Path, bytes: &[u8]) -> State {
    match std::fs::read(path) {
        // A symbolic link in place of an output is replaced by the output, never written through
        // (a missing output is written by a rename, which replaces a link rather than follows it).
        Ok(_) if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => State::Stale,
        Ok(existing) if existing == bytes => State::Current,
        Ok(_) => State::Stale,
        Err(_) => State::Missing,
    }
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<Written, Error> {
    let Some((written, file)) = stage(path, bytes)? else {
        return Ok(Written::Unchanged);
    };
    file.as_file().sync_all().map_err(|e| Error::write(path, e))?;
    file.persist(path).map_err(|e| Error::write(path, e.error))?;
    sync_folder(folder_of(path));
    Ok(written)
}

/// The bytes in a temporary file beside `path`, not yet synced nor in place; `None` when `path`
/// already holds them.
fn stage(path: &Path, bytes: &[u8]) -> Result<Option<(Written, tempfile::NamedTempFile)>, Error> {
    let written = match state(path, bytes) {
        State::Current => return Ok(None),
        State::Stale => Written::Updated,
        State::Missing => Written::Created,
    };
    let mut file = temporary_beside(path)?;
    file.write_all(bytes).map_err(|e| Error::write(path, e))?;
    Ok(Some((written, file)))
}

/// Writes what `write` produces to `path` atomically, as [`write_atomic`] does, without holding
/// it in memory: for a large file that changes at every write (the build manifest).
pub fn write_atomic_streamed(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut writer = std::io::BufWriter::new(temporary_beside(path)?);
    write(&mut writer).and_then(|()| writer.flush()).map_err(|e| Error::write(path, e))?;
    let file = writer.into_inner().map_err(|e| Error::write(path, e.into_error()))?;
    file.as_file().sync_all().map_err(|e| Error::write(path, e))?;
    file.persist(path).map_err(|e| Error::write(path, e.error))?;
    sync_folder(folder_of(path));
    Ok(())
}

/// A new temporary file in the folder of `path`, for its contents.
fn temporary_beside(path: &Path) -> Result<tempfile::NamedTempFile, Error> {
    let folder = folder_of(path);
    // The folder is made only when missing: asking for it every time costs two system calls per
    // output, thousands in a build.
    match temporary().tempfile_in(folder) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
            temporary().tempfile_in(folder)
        }
        created => created,
    }
    .map_err(|e| Error::write(folder, e))
}

fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Makes a rename in `folder` durable; not every platform can sync a folder, hence no error.
fn sync_folder(folder: &Path) {
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
}

/// Outputs staged to be put in place together (see the module documentation). Shared by the
/// threads that render; staged files that are never committed are removed when dropped.
#[derive(Debug, Default)]
pub struct Batch {
    staged: Mutex<Vec<(tempfile::TempPath, PathBuf)>>,
}

impl Batch {
    /// Stages `bytes` for `path` unless it already holds them.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<Written, Error> {
        let Some((written, file)) = stage(path, bytes)? else {
            return Ok(Written::Unchanged);
        };
        self.staged.lock().unwrap_or_else(|e| e.into_inner()).push((file.into_temp_path(), path.to_path_buf()));
        Ok(written)
    }

    /// Puts every staged file in place: their contents made durable first, then the renames.
    pub fn commit(self) -> Result<(), Error> {
        let staged = self.staged.into_inner().unwrap_or_else(|e| e.into_inner());
        durable(&staged)?;
        let mut folders = std::collections::BTreeSet::new();
        for (temp, path) in staged {
            temp.persist(&path).map_err(|e| Error::write(&path, e.error))?;
            folders.insert(folder_of(&path).to_path_buf());
        }
        folders.iter().for_each(|folder| sync_folder(folder));
        Ok(())
    }
}

/// The staged files' contents on disk: one sync of each file system on Linux, else file by file.
fn durable(staged: &[(tempfile::TempPath, PathBuf)]) -> Result<(), Error> {
    #[cfg(target_os = "linux")]
    {
        let folders: std::collections::BTreeSet<&Path> = staged.iter().map(|(_, path)| folder_of(path)).collect();
        let mut synced = std::collections::BTreeSet::new();
        for folder in folders {
            let dir = std::fs::File::open(folder).map_err(|e| Error::write(folder, e))?;
            let device = std::os::unix::fs::MetadataExt::dev(&dir.metadata().map_err(|e| Error::write(folder, e))?);
            if synced.insert(device) {
                rustix::fs::syncfs(&dir).map_err(|e| Error::write(folder, e.into()))?;
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    for (temp, path) in staged {
        let file = std::fs::File::open(temp).map_err(|e| Error::write(path, e))?;
        file.sync_all().map_err(|e| Error::write(path, e))?;
    }
    Ok(())
}

/// The lock file of an output folder: builds writing into the same folder take turns.
pub const LOCK: &str = ".engage-lock";

/// An exclusive hold on an output folder until dropped; see [`lock_folder`].
pub struct FolderLock {
    _file: std::fs::File,
    /// Whether another build held the folder first: what this build read may have changed since.
    pub waited: bool,
}

/// Waits for, then takes, the output folder's lock. Atomic writes already keep every file whole;
/// the lock keeps two builds from interleaving, so the manifest of the build that finishes last
/// describes the files on disk (otherwise it could record a file the other build replaced).
pub fn lock_folder(folder: &Path) -> Result<FolderLock, Error> {
    std::fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
    let path = folder.join(LOCK);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::write(&path, e))?;
    let waited = match file.try_lock() {
        Ok(()) => false,
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!("waiting for another build into {} to finish", folder.display());
            file.lock().map_err(|e| Error::write(&path, e))?;
            true
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(Error::write(&path, e)),
    };
    Ok(FolderLock { _file: file, waited })
}

const TEMPORARY_PREFIX: &str = ".engage-";
const TEMPORARY_RANDOM: usize = 6;

/// How old a temporary file must be before it counts as left behind by a process that was killed:
/// far longer than any write takes, so no write in progress loses its file.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the temporary files that killed processes left in `folder` and the folders below it
/// (a kill cannot run their clean-up). Only names engage gives its temporary files, and only files
/// older than an hour; whatever cannot be removed is left for next time.
pub fn remove_abandoned(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        let name = entry.file_name();
        if kind.is_dir() {
            remove_abandoned(&entry.path());
        } else if kind.is_file() && is_temporary(&name.to_string_lossy()) && abandoned(&entry) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn is_temporary(name: &str) -> bool {
    name.strip_prefix(TEMPORARY_PREFIX)
        .is_some_and(|rest| rest.len() == TEMPORARY_RANDOM && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn abandoned(entry: &std::fs::DirEntry) -> bool {
    let modified = entry.metadata().and_then(|m| m.modified());
    modified.is_ok_and(|at| at.elapsed().is_ok_and(|age| age > ABANDONED_AFTER))
}

/// A temporary file beside its destination, readable by everyone like any file the user creates
/// (tempfile's default is owner-only, which would leave documents unreadable to a web server).
pub fn temporary() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).rand_bytes(TEMPORARY_RANDOM);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_once_then_leaves_unchanged_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/a.md");
        assert_eq!(write_atomic(&path, b"one").unwrap(), Written::Created);
        assert_eq!(write_atomic(&path, b"one").unwrap(), Written::Unchanged);
        assert_eq!(state(&path, b"two"), State::Stale);
        assert_eq!(write_atomic(&path, b"two").unwrap(), Written::Updated);
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_batch_puts_nothing_in_place_before_its_commit() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(&dir.path().join("kept.md"), b"same").unwrap();
        write_atomic(&dir.path().join("old.md"), b"old").unwrap();
        let batch = Batch::default();
        assert_eq!(batch.write(&dir.path().join("kept.md"), b"same").unwrap(), Written::Unchanged);
        assert_eq!(batch.write(&dir.path().join("old.md"), b"new").unwrap(), Written::Updated);
        assert_eq!(batch.write(&dir.path().join("new.md"), b"fresh").unwrap(), Written::Created);
        assert_eq!(std::fs::read(dir.path().join("old.md")).unwrap(), b"old", "staged, not yet in place");
        assert!(!dir.path().join("new.md").exists());
        batch.commit().unwrap();
        assert_eq!(names(dir.path()), ["kept.md", "new.md", "old.md"], "no temporary file is left behind");
        assert_eq!(std::fs::read(dir.path().join("old.md")).unwrap(), b"new");
        assert_eq!(std::fs::read(dir.path().join("new.md")).unwrap(), b"fresh");
    }

    #[test]
    fn a_batch_dropped_uncommitted_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(&dir.path().join("old.md"), b"old").unwrap();
        let batch = Batch::default();
        batch.write(&dir.path().join("old.md"), b"new").unwrap();
        batch.write(&dir.path().join("new.md"), b"fresh").unwrap();
        drop(batch);
        assert_eq!(names(dir.path()), ["old.md"]);
        assert_eq!(std::fs::read(dir.path().join("old.md")).unwrap(), b"old");
    }

    #[test]
    fn only_abandoned_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - ABANDONED_AFTER * 2;
        let file = |name: &str, modified: Option<std::time::SystemTime>| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let file = std::fs::File::create(&path).unwrap();
            if let Some(at) = modified {
                file.set_modified(at).unwrap();
            }
        };
        file(".engage-a1B2c3", Some(old));
        file("typst/SOW-1/.engage-x9y8z7", Some(old));
        file(".engage-fresh1", None);
        file(".engage-manifest.json", Some(old));
        file(".engage-lock", Some(old));
        file("SOW-1.md", Some(old));
        remove_abandoned(dir.path());
        assert_eq!(names(dir.path()), [".engage-fresh1", ".engage-lock", ".engage-manifest.json", "SOW-1.md", "typst"]);
        assert!(names(&dir.path().join("typst/SOW-1")).is_empty());
    }
}
