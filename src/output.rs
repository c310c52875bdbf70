//! Writing outputs: atomically (a temporary file in the same folder, synced, then renamed over the
//! old one), so a reader or a crash never sees half a file; and only when the bytes change, so
//! unchanged outputs keep their modification time.

use crate::error::Error;
use std::io::Write;
use std::path::Path;

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
    // A symbolic link in place of an output is replaced by the output, never written through.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return State::Stale;
    }
    match std::fs::read(path) {
        Ok(existing) if existing == bytes => State::Current,
        Ok(_) => State::Stale,
        Err(_) => State::Missing,
    }
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<Written, Error> {
    let written = match state(path, bytes) {
        State::Current => return Ok(Written::Unchanged),
        State::Stale => Written::Updated,
        State::Missing => Written::Created,
    };
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| Error::write(folder, e))?;
    let mut file = temporary().tempfile_in(folder).map_err(|e| Error::write(folder, e))?;
    file.write_all(bytes).map_err(|e| Error::write(path, e))?;
    file.as_file().sync_all().map_err(|e| Error::write(path, e))?;
    file.persist(path).map_err(|e| Error::write(path, e.error))?;
    // Make the rename itself durable; not every platform can sync a folder, hence no error.
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(written)
}

/// The lock file of an output folder: builds writing into the same folder take turns.
pub const LOCK: &str = ".engage-lock";

/// An exclusive hold on an output folder until dropped; see [`lock_folder`].
pub struct FolderLock {
    _file: std::fs::File,
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
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!("waiting for another build into {} to finish", folder.display());
            file.lock().map_err(|e| Error::write(&path, e))?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(Error::write(&path, e)),
    }
    Ok(FolderLock { _file: file })
}

/// A temporary file beside its destination, readable by everyone like any file the user creates
/// (tempfile's default is owner-only, which would leave documents unreadable to a web server).
pub fn temporary() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".engage-");
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
}
