//! How reports name files: from where the user stands, so that every name can be opened from
//! there. People, logs and most CI formats read names relative to the current folder (as
//! compilers print them); GitHub code scanning resolves SARIF names against the repository root.
//!
//! Files are held relative to the workspace root ([`crate::source::Sources`]); only reports turn
//! them into these names, all through [`FileNames::of`] and [`FileNames::path`].

use std::path::{Component, Path, PathBuf};

/// A path in reports: `/`-separated on every platform.
pub fn display_path(path: &Path) -> String {
    let parts = path.components().filter(|c| !matches!(c, std::path::Component::RootDir));
    let joined = parts.map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    if path.has_root() { format!("/{joined}") } else { joined }
}

/// Names files relative to a base folder, with `..` where a file is outside it.
#[derive(Debug, Clone)]
pub struct FileNames {
    /// The workspace root, absolute.
    root: PathBuf,
    /// The folder names are relative to, absolute.
    base: PathBuf,
    /// What the base is, in words (for SARIF's description of `%SRCROOT%`).
    base_is: &'static str,
}

impl FileNames {
    /// Names relative to the workspace root itself.
    pub fn within(root: &Path) -> FileNames {
        let root = absolute(root);
        FileNames { base: root.clone(), root, base_is: "the workspace root: the folder that holds engage.yaml" }
    }

    /// Names relative to the current folder (the workspace root when the current folder is gone).
    pub fn from_current_dir(root: &Path) -> FileNames {
        match current_dir() {
            Some(base) => FileNames { root: absolute(root), base, base_is: "the folder engage ran in" },
            None => FileNames::within(root),
        }
    }

    /// Names relative to the root of the git work tree that holds `root` (a folder with `.git`),
    /// else to the current folder.
    pub fn from_repository(root: &Path) -> FileNames {
        let names = FileNames::from_current_dir(root);
        let repository = names.root.ancestors().find(|dir| dir.join(".git").exists()).map(Path::to_path_buf);
        match repository {
            Some(base) => {
                FileNames { base, base_is: "the root of the git work tree that holds the workspace", ..names }
            }
            None => names,
        }
    }

    /// The base folder, absolute.
    pub fn base(&self) -> &Path {
        &self.base
    }

    pub fn base_is(&self) -> &'static str {
        self.base_is
    }

    /// The name of a workspace file given relative to the workspace root.
    pub fn of(&self, relative: &Path) -> String {
        self.name(&normalise(&self.root.join(relative)))
    }

    /// The name of a path as this process sees it: absolute, or relative to the current folder.
    pub fn path(&self, path: &Path) -> String {
        self.name(&absolute(path))
    }

    fn name(&self, absolute: &Path) -> String {
        let relative = relative_to(absolute, &self.base);
        if relative.as_os_str().is_empty() { ".".into() } else { display_path(&relative) }
    }
}

fn current_dir() -> Option<PathBuf> {
    let dir = std::env::current_dir().ok()?;
    Some(std::fs::canonicalize(&dir).unwrap_or(dir))
}

/// The path without symbolic links when it exists (the current folder is reported without them),
/// else absolute with `.` and `..` resolved as written.
fn absolute(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() { Path::new(".") } else { path };
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| normalise(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())))
}

/// Resolves `.` and `..` as written.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `target` relative to `base`, both absolute; `target` itself when they share no root.
fn relative_to(target: &Path, base: &Path) -> PathBuf {
    let target: Vec<Component> = target.components().collect();
    let base: Vec<Component> = base.components().collect();
    let common = target.iter().zip(&base).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return target.iter().collect();
    }
    let up = std::iter::repeat_n(Component::ParentDir, base.len() - common);
    up.chain(target[common..].iter().copied()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(root: &str, base: &str) -> FileNames {
        FileNames { root: root.into(), base: base.into(), base_is: "" }
    }

    #[test]
    fn names_are_relative_to_the_base() {
        let file = Path::new("engagements/a b/sow.yaml");
        assert_eq!(names("/repo/contracts/ws", "/repo").of(file), "contracts/ws/engagements/a b/sow.yaml");
        assert_eq!(names("/repo/contracts/ws", "/repo/contracts/ws").of(file), "engagements/a b/sow.yaml");
        assert_eq!(names("/repo/contracts/ws", "/repo/docs").of(file), "../contracts/ws/engagements/a b/sow.yaml");
        assert_eq!(names("/repo/ws", "/repo/ws/engagements/x").of(file), "../a b/sow.yaml");
        assert_eq!(names("/repo/ws", "/repo/ws").of(Path::new("")), ".");
        assert_eq!(names("/repo/ws", "/repo").path(Path::new("/repo/ws/./x/../engage.yaml")), "ws/engage.yaml");
    }

    #[test]
    fn paths_are_shown_with_single_slashes() {
        assert_eq!(display_path(Path::new("out/PRO-1.md")), "out/PRO-1.md");
        assert_eq!(display_path(Path::new("/tmp/out/PRO-1.md")), "/tmp/out/PRO-1.md");
        assert_eq!(display_path(Path::new("/")), "/");
    }
}
