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
