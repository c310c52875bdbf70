//! A workspace's `fonts/` folder: font files the PDFs use besides the embedded fonts, read at run
//! time (no rebuild of engage). Only builds that make PDFs read them.

use crate::diag::display_path;
use crate::error::Error;
use crate::render::pdf::FontFile;
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

/// The folder, relative to the workspace root.
pub const FOLDER: &str = "fonts";

/// The extensions of the font files read (in any case); other files (licences, notes) are left.
const EXTENSIONS: [&str; 4] = ["ttf", "otf", "ttc", "otc"];

/// The paths of the workspace's font files, sorted; none when there is no `fonts/` folder. A
/// symbolic link is refused, as for templates: fonts come from the workspace itself.
pub fn paths(workspace: &Workspace) -> Result<Vec<PathBuf>, Error> {
    let folder = workspace.root.join(FOLDER);
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::read(&folder, e)),
    };
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::read(&folder, e))?;
        let path = entry.path();
        if !is_font(&path) {
            continue;
        }
        if entry.file_type().map_err(|e| Error::read(&path, e))?.is_symlink() {
            return Err(Error::Usage {
                message: format!("{} is a symbolic link", display_path(workspace.relative(&path))),
                hint: "engage reads fonts only from the workspace: put the font file itself in fonts/".into(),
            });
        }
        paths.push(path);
    }
    paths.sort();
    Ok(paths)
}

/// The workspace's font files, read.
pub fn read(workspace: &Workspace) -> Result<Vec<FontFile>, Error> {
    let files = paths(workspace)?.into_iter().map(|path| {
        let bytes = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(FontFile { name, bytes })
    });
    files.collect()
}

fn is_font(path: &Path) -> bool {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    EXTENSIONS.contains(&extension.as_str())
}
