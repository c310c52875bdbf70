//! A build's outline of the workspace: the data files of each engagement. Every file is loaded
//! and validated once, and only what decides its engagement is kept; the build then loads,
//! renders and drops a batch of engagements at a time, so its memory follows the batch, not the
//! workspace.

use crate::diag::Severity;
use crate::error::Error;
use crate::load::{self, Loaded};
use crate::model::{Document, Kind, Membership, owners};
use crate::record::Digest;
use crate::validate::Schemas;
use crate::workspace::Workspace;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The data files of each engagement, in file order (the order a whole load gives).
#[derive(Debug)]
pub struct Outline {
    pub engagements: Vec<Vec<Listed>>,
}

/// A data file as validated: its path, and the digest of the text that was valid, so that a
/// file changed before the build loads it again is noticed.
#[derive(Debug, Clone)]
pub struct Listed {
    pub path: PathBuf,
    pub digest: Digest,
}

/// What the outline keeps of one valid data file.
struct Listing {
    listed: Listed,
    kind: Kind,
    relative: PathBuf,
    id: Option<String>,
    engagement: Option<String>,
}

impl Listing {
    /// The listing of a file loaded on its own, if it holds a document valid against its schema.
    fn of(workspace: &Workspace, loaded: Loaded, schemas: &Schemas) -> Option<Listing> {
        let doc = loaded.corpus.iter().next()?;
        let findings = crate::validate::document(doc, schemas);
        if !loaded.findings.is_empty() || findings.iter().any(|f| f.severity == Severity::Error) {
            return None;
        }
        let text = |field: &str| doc.text(field).map(str::to_owned);
        Some(Listing {
            listed: Listed { path: workspace.root.join(&doc.path), digest: digest(&loaded, doc) },
            kind: doc.kind,
            relative: doc.path.clone(),
            id: text("id"),
            engagement: text("engagement"),
        })
    }

    fn membership(&self) -> Membership<'_> {
        Membership {
            kind: self.kind,
            id: self.id.as_deref(),
            engagement: self.engagement.as_deref(),
            folder: self.relative.parent().unwrap_or(Path::new("")),
        }
    }
}

impl Outline {
    /// The outline, or `None` when the data has a problem that stops a build (validation reports
    /// it in full): a file that is not a valid document, an ID given twice, a document of no
    /// engagement.
    pub fn of(workspace: &Workspace, schemas: &Schemas) -> Result<Option<Outline>, Error> {
        let listed = load::each_file(workspace, |loaded| Listing::of(workspace, loaded, schemas))?;
        let Some(listed) = listed.into_iter().collect::<Option<Vec<Listing>>>() else {
            return Ok(None);
        };
        let memberships: Vec<Membership> = listed.iter().map(Listing::membership).collect();
        let mut ids = HashSet::new();
        if memberships.iter().filter_map(|m| m.id).any(|id| !ids.insert(id)) {
            return Ok(None);
        }
        let owners = owners(&memberships);
        let mut engagements = vec![Vec::new(); listed.len()];
        for (listing, owner) in listed.into_iter().zip(owners) {
            let Some(engagement) = owner else { return Ok(None) };
            engagements[engagement].push(listing.listed);
        }
        engagements.retain(|files| !files.is_empty());
        Ok(Some(Outline { engagements }))
    }

    /// The number of data files.
    pub fn files(&self) -> usize {
        self.engagements.iter().map(Vec::len).sum()
    }

    /// The engagements in consecutive batches of at least `files` data files (the last may
    /// have fewer).
    pub fn batches(&self, files: usize) -> Vec<&[Vec<Listed>]> {
        let mut batches = Vec::new();
        let (mut start, mut count) = (0, 0);
        for (end, engagement) in self.engagements.iter().enumerate() {
            count += engagement.len();
            if count >= files {
                batches.push(&self.engagements[start..=end]);
                (start, count) = (end + 1, 0);
            }
        }
        if start < self.engagements.len() {
            batches.push(&self.engagements[start..]);
        }
        batches
    }
}

/// One engagement's files loaded again: exactly the texts the outline validated, else
/// [`Error::ChangedDuringBuild`].
pub fn load_again(workspace: &Workspace, files: &[Listed]) -> Result<Loaded, Error> {
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    let loaded = load::load_serially(workspace, &paths)?;
    let digests: Vec<Digest> = loaded.corpus.iter().map(|doc| digest(&loaded, doc)).collect();
    match loaded.findings.is_empty() && digests.iter().eq(files.iter().map(|f| &f.digest)) {
        true => Ok(loaded),
        false => Err(Error::ChangedDuringBuild),
    }
}

fn digest(loaded: &Loaded, doc: &Document) -> Digest {
    crate::record::source_digest(loaded, doc)
}

#[cfg(test)]
mod tests {
    use super::{Outline, load_again};
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
        let outline = Outline::of(&workspace, Schemas::shared().unwrap()).unwrap().expect("valid data");
        let sizes: Vec<usize> = outline.engagements.iter().map(Vec::len).collect();
        assert_eq!(sizes, [9, 2]);
        assert_eq!(outline.batches(5).iter().map(|b| b.len()).collect::<Vec<_>>(), [1, 1]);
        assert_eq!(outline.batches(256).iter().map(|b| b.len()).collect::<Vec<_>>(), [2]);
        assert!(load_again(&workspace, &outline.engagements[1]).is_ok());

        let changed = &outline.engagements[1][1].path;
        let text = std::fs::read_to_string(changed).unwrap();
        std::fs::write(changed, text.replacen("title:", "title: Changed", 1)).unwrap();
        assert!(matches!(load_again(&workspace, &outline.engagements[1]), Err(Error::ChangedDuringBuild)));
        assert!(load_again(&workspace, &outline.engagements[0]).is_ok(), "the other engagement is as validated");
    }
}
