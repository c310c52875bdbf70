//! What the preview shows, rebuilt whole after every change: the outputs as `engage build` writes
//! them (its incremental build renders only the documents whose inputs changed) and the findings
//! as `engage check` reports them.
//!
//! Changes are found by polling: every [`POLL`], the size and modification time of every file of
//! the workspace outside its output folder. That is what the build reads (data, templates, theme,
//! logo, settings, records), costs a few milliseconds even for thousands of files, needs no
//! platform watcher (and none of their lost events when an editor saves by renaming), and keeps
//! the time from a save to the rebuild under a quarter of a second.

use crate::app::Outcome;
use crate::cli::BuildArgs;
use crate::cmd::check::{Checked, checked, today};
use crate::error::Error;
use crate::workspace::{Workspace, display_path};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

pub const POLL: Duration = Duration::from_millis(200);

/// The workspace as the last rebuild saw it.
pub struct Snapshot {
    /// Counts rebuilds: an open page whose number differs reloads.
    pub generation: u64,
    /// Why nothing could be loaded (unreadable or invalid settings), as `engage` would say it.
    pub view: Result<View, String>,
}

pub struct View {
    pub workspace: Workspace,
    pub checked: Checked,
    /// Whether the build completed: when not, the outputs on disk are not the workspace's.
    pub built: bool,
}

impl Snapshot {
    /// Builds the workspace at `root` and checks it.
    pub fn take(root: &Path, generation: u64) -> Snapshot {
        Snapshot { generation, view: view(root).map_err(|error| format!("{error}\n{}", error.hint())) }
    }
}

fn view(root: &Path) -> Result<View, Error> {
    let workspace = Workspace::open(root)?;
    let args = BuildArgs {
        out: None,
        check: false,
        no_pdf: false,
        pdf_a: false,
        emit: None,
        jobs: None,
        shard: None,
        format: Vec::new(),
    };
    let built = crate::cmd::build::run(Some(root), &args)? == Outcome::Clean;
    let checked = checked(&workspace, today())?;
    Ok(View { workspace, checked, built })
}

/// Every file of the workspace but its outputs and hidden files, with its size and modification
/// time.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stamps(BTreeMap<PathBuf, (u64, Option<SystemTime>)>);

impl Stamps {
    pub fn of(root: &Path, out: &Path) -> Stamps {
        let mut stamps = Stamps::default();
        stamps.walk(root, out);
        stamps
    }

    fn walk(&mut self, dir: &Path, out: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') || path == out {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                self.walk(&path, out);
            } else {
                self.0.insert(path, (meta.len(), meta.modified().ok()));
            }
        }
    }

    /// The files added, removed or changed since `before`, relative to `root`.
    pub fn changed(&self, before: &Stamps, root: &Path) -> Vec<String> {
        let changed = self.0.iter().filter(|(path, stamp)| before.0.get(*path) != Some(stamp)).map(|(p, _)| p);
        let removed = before.0.keys().filter(|path| !self.0.contains_key(*path));
        changed.chain(removed).map(|p| display_path(p.strip_prefix(root).unwrap_or(p))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_name_what_changed_and_ignore_the_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let (root, out) = (dir.path(), dir.path().join("out"));
        std::fs::create_dir_all(out.join("x")).unwrap();
        std::fs::write(root.join("a.yaml"), "a").unwrap();
        std::fs::write(root.join("b.yaml"), "b").unwrap();
        let before = Stamps::of(root, &out);
        std::fs::write(out.join("x/A.html"), "built").unwrap();
        std::fs::write(root.join(".a.yaml.swp"), "editor").unwrap();
        assert_eq!(Stamps::of(root, &out), before);
        std::fs::write(root.join("a.yaml"), "a, longer").unwrap();
        std::fs::remove_file(root.join("b.yaml")).unwrap();
        assert_eq!(Stamps::of(root, &out).changed(&before, root), ["a.yaml", "b.yaml"]);
    }
}
