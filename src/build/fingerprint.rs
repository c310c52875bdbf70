//! A build's fingerprint: one hash over every byte a build reads (the settings, every data file,
//! the workspace's templates and theme, the logo and the revision register), engage's version and
//! the build options. Rendering reads nothing else (not even the clock), so when the fingerprint
//! equals the one the last complete build recorded and every output is as that build left it, the
//! build has nothing to do and stops before parsing anything: a no-op rebuild costs reading the
//! files, not loading, validating and rendering them.

use crate::error::Error;
use crate::record::Records;
use crate::render::templates;
use crate::workspace::{Workspace, display_path};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The fingerprint of the workspace as it is on disk now, for a build with these `options`
/// (a description of every flag that changes outputs).
pub fn of(workspace: &Workspace, options: &str) -> Result<String, Error> {
    let mut hash = Framed::default();
    hash.part(concat!("engage ", env!("CARGO_PKG_VERSION")).as_bytes());
    hash.part(options.as_bytes());
    hash.part(workspace.text.as_bytes());
    for path in workspace.data_files(&workspace.root)? {
        hash.file(workspace, &path)?;
    }
    for path in templates::workspace_files(&workspace.root.join("templates"))? {
        hash.file(workspace, &path)?;
    }
    if let Some(logo) = &workspace.settings.logo {
        hash.optional_file(workspace, &workspace.root.join(logo))?;
    }
    hash.optional_file(workspace, &Records::of(workspace).register_path())?;
    Ok(hash.finish())
}

/// SHA-256 over length-prefixed parts, so that no two different sequences of parts collide by
/// moving bytes from one part to the next.
#[derive(Default)]
struct Framed(Sha256);

impl Framed {
    fn part(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    /// A file by its workspace-relative path and contents: renaming a file changes the fingerprint
    /// too (it may change which engagement a document belongs to).
    fn file(&mut self, workspace: &Workspace, path: &Path) -> Result<(), Error> {
        let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
        self.part(display_path(workspace.relative(path)).as_bytes());
        self.part(&bytes);
        Ok(())
    }

    /// A file that may be absent (no register before the first release); its absence is hashed too.
    fn optional_file(&mut self, workspace: &Workspace, path: &Path) -> Result<(), Error> {
        if path.exists() {
            self.file(workspace, path)
        } else {
            self.part(b"absent");
            Ok(())
        }
    }

    fn finish(self) -> String {
        self.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}
