//! The workspace outlined in one streaming pass: the data files are read, parsed and validated a
//! batch at a time, on every core, and only a compact record of each is kept ([`Outlined`]), with
//! its findings and the lines they are on. The structural checks run on those
//! records, and the documents fall into groups that the rules can see on their own: an
//! engagement with its documents.
//!
//! Work that must see every document (the rules of `check`, the figures of `report`) runs on
//! each batch while it is in memory, so that memory follows the batch, not the workspace. A batch
//! holds whole folders, which in the usual layout (a folder per engagement) are whole groups; a
//! batch that turns out, once the whole workspace is outlined, to hold part of a group only has
//! its work done again on its groups loaded whole ([`stream`]).

use crate::diag::{Finding, Severity};
use crate::error::Error;
use crate::load::{self, Loaded};
use crate::model::owners;
use crate::record::Digest;
use crate::source::{FileId, Sources, excerpt};
use crate::validate::{Outlined, Schemas};
use crate::workspace::Workspace;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Outline {
    /// Every data file, in file order, with the lines its findings are on.
    pub sources: Sources,
    /// The problems of loading, schema validation and structure.
    pub findings: Vec<Finding>,
    /// The documents in groups, each in file order, the groups in the order of their first file.
    pub groups: Vec<Vec<Listed>>,
}

/// A document as outlined: its file (absolute path, and number in [`Outline::sources`]) and the
/// digest of its text, so that a file changed before it is loaded again is noticed.
#[derive(Debug, Clone)]
pub struct Listed {
    pub path: PathBuf,
    pub file: FileId,
    pub digest: Digest,
}

/// Data files loaded together for the work of [`stream`]: whole groups.
pub struct Batch<'a> {
    /// Its files, numbered from 0.
    pub loaded: &'a Loaded,
    /// The number in [`Outline::sources`] of each of its files, in order.
    pub files: &'a [FileId],
}

impl Batch<'_> {
    /// A finding of the batch, moved to its file's place in the outline.
    pub fn place(&self, finding: Finding) -> Finding {
        let file = self.files[finding.span.file.index()];
        finding.in_file(file)
    }
}

/// What the pass keeps of one data file.
struct Entry {
    relative: PathBuf,
    /// The lines its findings are on, for their snippets.
    text: Option<String>,
    /// Located in the file's batch; moved to its place in the outline when assembled.
    findings: Vec<Finding>,
    document: Option<(Outlined, Digest)>,
}

/// One batch of the pass: its entries, and what the work made of it.
struct Read<T> {
    entries: Vec<Entry>,
    done: T,
}

/// How many data files a batch holds: enough that every core stays busy, few enough that memory
/// does not depend on the workspace.
pub const BATCH_FILES: usize = 256;

impl Outline {
    /// The outline of every data file; `validate` says which files (relative to the workspace)
    /// are validated against their schema: the others are only parsed, for the structure.
    pub fn of(
        workspace: &Workspace,
        schemas: &Schemas,
        validate: impl Fn(&Path) -> bool + Sync,
    ) -> Result<Outline, Error> {
        let files = workspace.data_files(&workspace.root)?;
        stream(workspace, &files, schemas, validate, BATCH_FILES, |_| ()).map(|(outline, _)| outline)
    }

    /// Whether the data has a problem that stops a build: a file that is not a valid document,
    /// an ID given twice, a document of no engagement.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The number of documents.
    pub fn files(&self) -> usize {
        self.groups.iter().map(Vec::len).sum()
    }

    /// The groups in consecutive batches of at least `files` data files (the last may have
    /// fewer).
    pub fn batches(&self, files: usize) -> Vec<&[Vec<Listed>]> {
        let mut batches = Vec::new();
        let (mut start, mut count) = (0, 0);
        for (end, group) in self.groups.iter().enumerate() {
            count += group.len();
            if count >= files {
                batches.push(&self.groups[start..=end]);
                (start, count) = (end + 1, 0);
            }
        }
        if start < self.groups.len() {
            batches.push(&self.groups[start..]);
        }
        batches
    }

    /// Reads the files of `findings` made after the pass (the structure's) again, for the lines
    /// of their snippets. A file that cannot be read now keeps no text: its findings still name
    /// the line and column.
    fn read_again(&mut self, workspace: &Workspace, findings: &[Finding]) {
        for file in findings.iter().map(|f| f.span.file).collect::<BTreeSet<_>>() {
            if let Ok(text) = std::fs::read_to_string(workspace.root.join(self.sources.path(file))) {
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                self.sources.keep(file, &excerpt_for(text, file, findings));
            }
        }
    }
}

/// Outlines the workspace's data `files` (as [`Workspace::data_files`] lists them) in batches of
/// about `batch_files` files, calling `work` with every batch while it is loaded. Returns the
/// outline and what `work` returned for a set of batches that holds every document once, each
/// batch made of whole groups.
pub fn stream<T: Send>(
    workspace: &Workspace,
    files: &[PathBuf],
    schemas: &Schemas,
    validate: impl Fn(&Path) -> bool + Sync,
    batch_files: usize,
    work: impl Fn(Batch) -> T + Sync,
) -> Result<(Outline, Vec<T>), Error> {
    let cuts = cuts(workspace, files, batch_files);
    let read = crate::parallel::map(&cuts, crate::parallel::default_workers(), |range| {
        let loaded = load::load_serially(workspace, &files[range.clone()])?;
        let numbers: Vec<FileId> = range.clone().map(FileId::from_index).collect();
        let done = work(Batch { loaded: &loaded, files: &numbers });
        Ok::<_, Error>(Read { entries: entries(loaded, schemas, &validate), done })
    });
    let mut pass = Pass::default();
    for read in read {
        pass.add(workspace, read?);
    }
    let Pass { mut outline, docs, listed, batch_of, mut done } = pass;
    let structure = crate::validate::structure::findings(&docs);
    outline.read_again(workspace, &structure);
    outline.findings.extend(structure);
    let components = components(&docs);
    for batch in split(&components, &batch_of) {
        done[batch] = None;
    }
    let redo = |batch: usize| done[batch].is_none();
    let (groups, again) = groups(listed, &components, &batch_of, redo);
    outline.groups = groups;
    let mut done: Vec<T> = done.into_iter().flatten().collect();
    done.extend(work_again(workspace, &outline, &again, batch_files, &work)?);
    Ok((outline, done))
}

/// The documents in groups (see [`components`]), and the groups (by index) that hold a document
/// of a batch whose work is to be done again.
fn groups(
    listed: Vec<Listed>,
    components: &[usize],
    batch_of: &[usize],
    redo: impl Fn(usize) -> bool,
) -> (Vec<Vec<Listed>>, Vec<usize>) {
    let (mut groups, mut again): (Vec<Vec<Listed>>, Vec<usize>) = (Vec::new(), Vec::new());
    let mut placed: HashMap<usize, usize> = HashMap::new();
    for ((listed, group), batch) in listed.into_iter().zip(components).zip(batch_of) {
        let index = *placed.entry(*group).or_insert_with(|| {
            groups.push(Vec::new());
            if redo(*batch) {
                again.push(groups.len() - 1);
            }
            groups.len() - 1
        });
        groups[index].push(listed);
    }
    (groups, again)
}

/// The batches of the pass put together, in file order: every file in the outline's sources,
/// every document's record, listing and batch, and what the work made of each batch (`None`
/// once it is known to be done again).
struct Pass<T> {
    outline: Outline,
    docs: Vec<Outlined>,
    listed: Vec<Listed>,
    batch_of: Vec<usize>,
    done: Vec<Option<T>>,
}

impl<T> Default for Pass<T> {
    fn default() -> Self {
        let outline = Outline { sources: Sources::default(), findings: Vec::new(), groups: Vec::new() };
        Pass { outline, docs: Vec::new(), listed: Vec::new(), batch_of: Vec::new(), done: Vec::new() }
    }
}

impl<T> Pass<T> {
    /// Adds the next batch: its files take the next numbers in the outline.
    fn add(&mut self, workspace: &Workspace, read: Read<T>) {
        let batch = self.done.len();
        for entry in read.entries {
            let file = self.outline.sources.add(entry.relative, entry.text.unwrap_or_default());
            self.outline.findings.extend(entry.findings.into_iter().map(|f| f.in_file(file)));
            if let Some((outlined, digest)) = entry.document {
                self.listed.push(Listed { path: workspace.root.join(&outlined.path), file, digest });
                self.docs.push(outlined.in_file(file));
                self.batch_of.push(batch);
            }
        }
        self.done.push(Some(read.done));
    }
}

/// The work of the pass again, on the groups (by index) that its batches held only part of,
/// loaded whole.
fn work_again<T: Send>(
    workspace: &Workspace,
    outline: &Outline,
    groups: &[usize],
    batch_files: usize,
    work: &(impl Fn(Batch) -> T + Sync),
) -> Result<Vec<T>, Error> {
    let mut batches: Vec<Vec<&Listed>> = vec![Vec::new()];
    for group in groups {
        let last = batches.last_mut().expect("one batch at least");
        last.extend(&outline.groups[*group]);
        if last.len() >= batch_files {
            batches.push(Vec::new());
        }
    }
    batches.retain(|batch| !batch.is_empty());
    let done = crate::parallel::map(&batches, crate::parallel::default_workers(), |batch| {
        let listed: Vec<Listed> = batch.iter().map(|l| (*l).clone()).collect();
        let loaded = load_again(workspace, &listed)?;
        let numbers: Vec<FileId> = listed.iter().map(|l| l.file).collect();
        Ok::<_, Error>(work(Batch { loaded: &loaded, files: &numbers }))
    });
    done.into_iter().collect()
}

/// The entries of a batch's files, each document validated when `validate` holds for its file.
fn entries(loaded: Loaded, schemas: &Schemas, validate: &impl Fn(&Path) -> bool) -> Vec<Entry> {
    let Loaded { sources, corpus, findings } = loaded;
    let mut found: Vec<Vec<Finding>> = (0..sources.len()).map(|_| Vec::new()).collect();
    for finding in findings {
        found[finding.span.file.index()].push(finding);
    }
    let mut documents: Vec<Option<(Outlined, Digest)>> = (0..sources.len()).map(|_| None).collect();
    for doc in corpus.iter() {
        let index = doc.file.index();
        if validate(&doc.path) {
            found[index].extend(crate::validate::document(doc, schemas));
        }
        documents[index] = Some((Outlined::of(doc), Digest::of(sources.get(doc.file).text.as_bytes())));
    }
    sources
        .into_files()
        .zip(found)
        .zip(documents)
        .map(|(((relative, text), findings), document)| Entry {
            relative,
            text: findings.first().map(|f| excerpt_for(&text, f.span.file, &findings)),
            findings,
            document,
        })
        .collect()
}

/// The lines of `file`'s `text` that `findings` in it are on (see [`excerpt`]).
pub fn excerpt_for(text: &str, file: FileId, findings: &[Finding]) -> String {
    let on = |line: u32| {
        findings.iter().any(|f| f.span.file == file && (f.span.start.line..=f.span.end.line).contains(&line))
    };
    excerpt(text, on)
}

/// The data files (sorted by path) cut into batches of at least `files` files, each cut between
/// two folders neither of which holds the other: an engagement's folder, with its subfolders,
/// stays in one batch.
fn cuts(workspace: &Workspace, paths: &[PathBuf], files: usize) -> Vec<std::ops::Range<usize>> {
    let folder = |i: usize| workspace.relative(&paths[i]).parent().unwrap_or(Path::new(""));
    let mut cuts = Vec::new();
    let mut start = 0;
    for i in 1..paths.len() {
        let (before, here) = (folder(i - 1), folder(i));
        let apart = !before.starts_with(here) && !here.starts_with(before);
        if i - start >= files && apart {
            cuts.push(start..i);
            start = i;
        }
    }
    if start < paths.len() {
        cuts.push(start..paths.len());
    }
    cuts
}

/// The batches (by index) that hold part of a group only, given each document's group and batch.
fn split(components: &[usize], batch_of: &[usize]) -> BTreeSet<usize> {
    let mut first_batch: HashMap<usize, usize> = HashMap::new();
    let mut split = BTreeSet::new();
    for (group, batch) in components.iter().zip(batch_of) {
        let first = *first_batch.entry(*group).or_insert(*batch);
        if first != *batch {
            split.extend([first, *batch]);
        }
    }
    split
}

/// For each document, a number shared by the documents the rules look at together (the lowest
/// index among them): an engagement and its documents; with them, a statement of work that a
/// change request elsewhere names, and every document that holds an ID another one holds too, so
/// that a group loaded on its own resolves every reference as the whole workspace does.
pub fn components(docs: &[Outlined]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    let owners = owners(&docs.iter().map(Outlined::membership).collect::<Vec<_>>());
    let mut by_id = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        if let Some(owner) = owners[i] {
            join(&mut parent, i, owner);
        }
        if let Some(id) = &doc.id {
            let first = *by_id.entry(id).or_insert(i);
            join(&mut parent, i, first);
        }
    }
    for (i, doc) in docs.iter().enumerate() {
        if let Some(sow) = doc.named_sow().and_then(|id| by_id.get(&id).copied()) {
            join(&mut parent, i, sow);
        }
    }
    (0..docs.len()).map(|i| root(&mut parent, i)).collect()
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Joins the groups of `a` and `b` under the lower root, so that a group's number is its first
/// document.
fn join(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (root(parent, a), root(parent, b));
    parent[a.max(b)] = a.min(b);
}

/// Data files loaded again: exactly the texts the outline read, else [`Error::ChangedWhileRead`].
/// Its files are numbered from 0 in the order of `files`.
pub fn load_again(workspace: &Workspace, files: &[Listed]) -> Result<Loaded, Error> {
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    let loaded = load::load_serially(workspace, &paths)?;
    let same =
        loaded.sources.iter().map(|(_, file)| Digest::of(file.text.as_bytes())).eq(files.iter().map(|f| f.digest));
    match same && loaded.findings.is_empty() && loaded.corpus.len() == files.len() {
        true => Ok(loaded),
        false => Err(Error::ChangedWhileRead),
    }
}

#[cfg(test)]
mod tests {
    use super::{Outline, cuts, load_again};
    use crate::error::Error;
    use crate::validate::Schemas;
    use crate::workspace::Workspace;
    use std::path::Path;

    /// A workspace with the samples' settings and their Northwind and Ostara engagements.
    fn workspace() -> (tempfile::TempDir, Workspace) {
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(samples.join("engage.yaml"), dir.path().join("engage.yaml")).unwrap();
        for engagement in ["northwind-logistics", "ostara-energie"] {
            let to = dir.path().join("engagements").join(engagement);
            std::fs::create_dir_all(&to).unwrap();
            for file in std::fs::read_dir(samples.join("engagements").join(engagement)).unwrap() {
                let file = file.unwrap().path();
                std::fs::copy(&file, to.join(file.file_name().unwrap())).unwrap();
            }
        }
        let workspace = Workspace::find(Some(dir.path())).unwrap();
        (dir, workspace)
    }

    #[test]
    fn engagements_batch_by_files_and_a_changed_file_is_noticed() {
        let (_dir, workspace) = workspace();
        let outline = Outline::of(&workspace, Schemas::shared().unwrap(), |_| true).unwrap();
        assert!(!outline.has_errors(), "{:?}", outline.findings);
        let sizes: Vec<usize> = outline.groups.iter().map(Vec::len).collect();
        assert_eq!(sizes, [9, 2]);
        assert_eq!(outline.batches(5).iter().map(|b| b.len()).collect::<Vec<_>>(), [1, 1]);
        assert_eq!(outline.batches(256).iter().map(|b| b.len()).collect::<Vec<_>>(), [2]);
        assert!(load_again(&workspace, &outline.groups[1]).is_ok());

        let changed = &outline.groups[1][1].path;
        let text = std::fs::read_to_string(changed).unwrap();
        std::fs::write(changed, text.replacen("title:", "title: Changed", 1)).unwrap();
        assert!(matches!(load_again(&workspace, &outline.groups[1]), Err(Error::ChangedWhileRead)));
        assert!(load_again(&workspace, &outline.groups[0]).is_ok(), "the other engagement is as validated");
    }

    #[test]
    fn batches_are_cut_between_folders_that_do_not_hold_each_other() {
        let (_dir, workspace) = workspace();
        let files = ["a/e.yaml", "a/sub/x.yaml", "a/y.yaml", "b/e.yaml", "b/z.yaml", "c/e.yaml"];
        let paths: Vec<_> = files.iter().map(|f| workspace.root.join(f)).collect();
        assert_eq!(cuts(&workspace, &paths, 1), [0..3, 3..5, 5..6]);
        assert_eq!(cuts(&workspace, &paths, 4), [0..5, 5..6]);
        assert_eq!(cuts(&workspace, &paths, 100).len(), 1, "fewer files than a batch are one batch");
    }
}
