//! The files `validate` and `check` report on, and the workspace around them.
//!
//! Named files are checked as part of their workspace: it is found around them (not around the
//! current folder), every data file is read so that references (the engagement a document belongs
//! to, IDs used twice) resolve as in a full run, and only findings in the named files are
//! reported. That is what an editor or a pre-commit hook needs when it passes the files it
//! changed.

use crate::error::Error;
use crate::source::{FileId, Sources};
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

pub struct Scope {
    pub workspace: Workspace,
    /// The named files and folders, relative to the workspace; empty for all of it.
    selected: Vec<PathBuf>,
}

impl Scope {
    /// Where the workspace is looked for: `-C DIR`, else the folder of the first named path, else
    /// the current folder.
    pub fn start(dir: Option<&Path>, paths: &[PathBuf]) -> PathBuf {
        let start = match (dir, paths.first()) {
            (Some(dir), _) => dir.to_path_buf(),
            (None, Some(path)) if path.is_dir() => path.clone(),
            (None, Some(path)) => path.parent().map(Path::to_path_buf).unwrap_or_default(),
            (None, None) => PathBuf::new(),
        };
        let start = if start.as_os_str().is_empty() { PathBuf::from(".") } else { start };
        std::path::absolute(&start).unwrap_or(start)
    }

    /// The workspace found from `start`, and the named paths in it.
    pub fn open(start: &Path, paths: &[PathBuf]) -> Result<Scope, Error> {
        let workspace = Workspace::find(Some(start))?;
        let root = std::fs::canonicalize(&workspace.root).map_err(|e| Error::read(&workspace.root, e))?;
        let selected = paths
            .iter()
            .map(|path| {
                let found = std::fs::canonicalize(path).map_err(|e| Error::read(path, e))?;
                found.strip_prefix(&root).map(Path::to_path_buf).map_err(|_| Error::Usage {
                    message: format!("{} is not in the workspace at {}", path.display(), workspace.root.display()),
                    hint: "name the files of one workspace at a time: the nearest folder above them that holds \
                           engage.yaml, or the one -C names"
                        .into(),
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(Scope { workspace, selected })
    }

    /// Whether findings in this file (relative to the workspace) are reported.
    pub fn holds(&self, relative: &Path) -> bool {
        self.selected.is_empty() || self.selected.iter().any(|p| relative.starts_with(p))
    }

    /// How many of the files read are reported on, not counting `except` (the settings).
    pub fn count(&self, sources: &Sources, except: Option<FileId>) -> usize {
        sources.iter().filter(|(id, file)| Some(*id) != except && self.holds(&file.path)).count()
    }
}
