//! A build's fingerprint: one hash over every byte a build reads (the settings, every data file by
//! its own hash, the workspace's templates, catalogues and theme, the logo, the fonts of a build
//! that makes PDFs and the revision register), engage's version, its built-in templates,
//! catalogues and theme (so a rebuilt engage with changed templates renders again even where its
//! version number stayed) and the build options. Rendering reads nothing else (not even the
//! clock), so when the fingerprint equals the one the last complete build recorded and every
//! output is as that build left it, the build has nothing to do and stops before parsing
//! anything: a no-op rebuild costs reading the files, not loading, validating and rendering them.

use crate::diag::display_path;
use crate::error::Error;
use crate::record::{Framed, Records};
use crate::render::{language, pdf, templates};
use crate::workspace::Workspace;
use std::path::Path;

/// The fingerprint of the workspace as it is on disk now, for a build with these `options`
/// (a description of every flag that changes outputs). The workspace's fonts count only for a
/// build that makes PDFs (`pdf`): other builds do not read them.
pub fn of(workspace: &Workspace, options: &str, pdf: bool) -> Result<String, Error> {
    let mut hash = Framed::default();
    hash.part(concat!("engage ", env!("CARGO_PKG_VERSION")).as_bytes());
    for (name, text) in templates::BUILTIN {
        hash.part(name.as_bytes());
        hash.part(text.as_bytes());
    }
    for (code, text) in language::BUILTIN {
        hash.part(code.as_bytes());
        hash.part(text.as_bytes());
    }
    hash.part(pdf::BUILT_IN_THEME.as_bytes());
    hash.part(options.as_bytes());
    hash.part(workspace.text.as_bytes());
    // Read and hashed on every core, then taken in file order: at ten thousand engagements
    // (62,600 files) reading them one after another was most of a build with nothing to do.
    let files = workspace.data_files(&workspace.root)?;
    let digests = crate::parallel::map(&files, crate::parallel::default_workers(), |path| {
        let mut one = Framed::default();
        file(&mut one, workspace, path).map(|()| one.finish())
    });
    for digest in digests {
        hash.part(digest?.as_bytes());
    }
    for path in templates::workspace_files(&workspace.root.join("templates"))? {
        file(&mut hash, workspace, &path)?;
    }
    for path in if pdf { super::fonts::paths(workspace)? } else { Vec::new() } {
        file(&mut hash, workspace, &path)?;
    }
    if let Some(logo) = &workspace.settings.logo {
        optional_file(&mut hash, workspace, &workspace.root.join(logo))?;
    }
    optional_file(&mut hash, workspace, &Records::of(workspace).register_path())?;
    Ok(hash.finish().to_string())
}

/// A file by its workspace-relative path and contents: renaming a file changes the fingerprint too
/// (it may change which engagement a document belongs to).
fn file(hash: &mut Framed, workspace: &Workspace, path: &Path) -> Result<(), Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    hash.part(display_path(workspace.relative(path)).as_bytes());
    hash.part(&bytes);
    Ok(())
}

/// A file that may be absent (no register before the first release); its absence is hashed too.
fn optional_file(hash: &mut Framed, workspace: &Workspace, path: &Path) -> Result<(), Error> {
    if path.exists() {
        file(hash, workspace, path)
    } else {
        hash.part(b"absent");
        Ok(())
    }
}
