//! What the preview shows, rebuilt after every change: the outputs as `engage build` writes
//! them (its incremental build renders only the documents whose inputs changed) and the findings
//! as `engage check` reports them.
//!
//! Changes are found by polling: every [`POLL`], the size and modification time of every file of
//! the workspace outside its output folder. That is what the build reads (data, templates, theme,
//! logo, settings, records), costs a few milliseconds even for thousands of files, needs no
//! platform watcher (and none of their lost events when an editor saves by renaming), and keeps
//! the time from a save to the rebuild under a quarter of a second.

use crate::cli::BuildArgs;
use crate::cmd::Outcome;
use crate::cmd::check::{Checked, checked, checked_again, today};
use crate::error::Error;
use crate::model::{Corpus, Document};
use crate::workspace::Workspace;
use crate::workspace::outputs::{Format, Formats};
use std::collections::{BTreeMap, BTreeSet, HashMap};
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
        view(root)
            .map_or_else(|error| Snapshot::failed(generation, &error), |view| Snapshot { generation, view: Ok(view) })
    }

    /// What the page says when the workspace could not be loaded.
    pub fn failed(generation: u64, error: &Error) -> Snapshot {
        Snapshot { generation, view: Err(format!("{error}\n{}", error.hint())) }
    }

    /// After a save that changed only data files (absolute paths) of valid documents, the next
    /// snapshot, made the short way: the other documents are taken over, the workspace is
    /// checked again and only the engagements of the changed files are rebuilt, in the formats
    /// the page shows (HTML and Markdown); [`Self::finish`] writes the other formats after it.
    /// `None` when the change needs the long way ([`Self::take`]): settings, templates, files
    /// added or removed, a document that moved to another engagement, or data that stops a build.
    pub fn update(
        &self,
        changed: &BTreeSet<PathBuf>,
        generation: u64,
    ) -> Option<Result<(Snapshot, Engagements), Error>> {
        let before = self.view.as_ref().ok().filter(|view| view.built)?;
        let workspace = Workspace::open(&before.workspace.root).ok()?;
        let owners_before = owners(&before.checked.loaded.corpus, &workspace);
        if !changed.iter().all(|path| owners_before.contains_key(path) && path.is_file()) {
            return None;
        }
        let checked = match checked_again(&workspace, &before.checked, changed, today()) {
            Ok(checked) => checked,
            Err(error) => return Some(Err(error)),
        };
        let owners_now = owners(&checked.loaded.corpus, &workspace);
        if !checked.invalid.is_empty() || owners_now != owners_before || owners_now.values().any(Option::is_none) {
            return None;
        }
        let engagements = Engagements::of(changed, &owners_now);
        let page = Formats::chosen(&[Format::Md, Format::Html], &[], true);
        let built = match crate::cmd::build::engagements(&workspace, &engagements.0, page) {
            Ok(outcome) => outcome == Outcome::Clean,
            Err(error) => return Some(Err(error)),
        };
        Some(Ok((Snapshot { generation, view: Ok(View { workspace, checked, built }) }, engagements)))
    }

    /// Writes the outputs of the rebuilt engagements that the page does not show (PDF, Word),
    /// after [`Self::update`]; the build stops as `engage build` would, and says so.
    pub fn finish(&self, engagements: &Engagements) -> Result<bool, Error> {
        let Ok(view) = &self.view else { return Ok(false) };
        let formats = Formats::chosen(&view.workspace.settings.outputs, &[], false);
        Ok(crate::cmd::build::engagements(&view.workspace, &engagements.0, formats)? == Outcome::Clean)
    }
}

/// The data files (absolute paths) of each engagement a change touched.
pub struct Engagements(Vec<Vec<PathBuf>>);

impl Engagements {
    fn of(changed: &BTreeSet<PathBuf>, owners: &HashMap<PathBuf, Option<PathBuf>>) -> Engagements {
        let touched: BTreeSet<&PathBuf> = changed.iter().filter_map(|path| owners.get(path)?.as_ref()).collect();
        let members = |engagement: &PathBuf| {
            let mut files: Vec<PathBuf> =
                owners.iter().filter(|(_, owner)| owner.as_ref() == Some(engagement)).map(|(p, _)| p.clone()).collect();
            files.sort();
            files
        };
        Engagements(touched.into_iter().map(members).collect())
    }
}

/// The engagement file (absolute path) of every document of the corpus, by the document's file.
fn owners(corpus: &Corpus, workspace: &Workspace) -> HashMap<PathBuf, Option<PathBuf>> {
    let path = |doc: &Document| workspace.root.join(&doc.path);
    corpus.iter().map(|doc| (path(doc), corpus.engagement_of(doc).map(path))).collect()
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

    /// The files added, removed or changed since `before`.
    pub fn changed(&self, before: &Stamps) -> BTreeSet<PathBuf> {
        let changed = self.0.iter().filter(|(path, stamp)| before.0.get(*path) != Some(stamp)).map(|(p, _)| p);
        let removed = before.0.keys().filter(|path| !self.0.contains_key(*path));
        changed.chain(removed).cloned().collect()
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
        let changed = Stamps::of(root, &out).changed(&before);
        assert_eq!(changed.into_iter().collect::<Vec<_>>(), [root.join("a.yaml"), root.join("b.yaml")]);
    }
}
