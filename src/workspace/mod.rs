//! Finding the workspace (`engage.yaml` in a folder or its parents) and reading its settings.

use crate::diag::{FileNames, Human, Report, display_path};
use crate::error::{Error, Place};
use crate::sign::Signers;
use crate::source::Sources;
use crate::source::yaml::{self, SpanTree};
use crate::validate::{Schemas, Target, schemas};
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub mod outputs;
pub mod policy;
mod settings;

pub use policy::Policy;
pub use settings::{DEFAULT_LANGUAGE, Fonts, Organisation, Settings};

pub const SETTINGS_FILE: &str = "engage.yaml";

/// Folders below the workspace root that never hold data files.
const NOT_DATA: [&str; 5] = ["records", "templates", "target", "fonts", crate::clauses::FOLDER];

/// A workspace: its root folder and settings. `raw` is the settings file as data, for templates;
/// `text` and `spans` locate findings about the settings (waivers, for one).
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub settings: Settings,
    pub raw: Value,
    pub text: String,
    pub spans: SpanTree,
    /// Who may sign approvals and releases (`.engage/allowed_signers`, `.engage/revoked_keys`).
    pub signers: Signers,
    /// The clause library (`clauses/`).
    pub clauses: crate::clauses::Library,
}

impl Workspace {
    /// The workspace containing `start` (the current folder when `None`): the nearest folder,
    /// `start` included, that holds `engage.yaml`.
    pub fn find(start: Option<&Path>) -> Result<Workspace, Error> {
        Workspace::open(&Workspace::root_of(start)?)
    }

    /// The root folder of the workspace containing `start`, without reading its settings (which
    /// may be what the caller is about to help repair).
    pub fn root_of(start: Option<&Path>) -> Result<PathBuf, Error> {
        let start = match start {
            Some(dir) => dir.to_path_buf(),
            None => std::env::current_dir().map_err(|e| Error::read(".", e))?,
        };
        let root = start.ancestors().find(|dir| dir.join(SETTINGS_FILE).is_file()).map(Path::to_path_buf);
        root.ok_or(Error::NoWorkspace { start })
    }

    pub fn open(root: &Path) -> Result<Workspace, Error> {
        let path = root.join(SETTINGS_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::read(&path, e))?;
        let settings_error = |line, column, message| Error::Settings { path: path.clone(), line, column, message };
        let parsed = yaml::parse(&text).map_err(|e| settings_error(e.start.line, e.start.column, e.message))?;
        check_settings(&path, &text, &parsed)?;
        let settings = Settings::deserialize(&parsed.value).map_err(|e| settings_error(1, 1, e.to_string()))?;
        let paths = [("output", Some(&settings.output)), ("logo", settings.logo.as_ref())];
        for (name, relative) in paths.into_iter().filter_map(|(n, p)| Some((n, p?))) {
            if let Some(problem) = escapes(root, relative) {
                let at = parsed.spans.locate(&format!("/{name}")).start;
                let message = format!("`{name}` must name a path inside the workspace: {problem}");
                return Err(settings_error(at.line, at.column, message));
            }
        }
        let signers = Signers::read(root)?;
        let clauses = crate::clauses::Library::read(root, settings.max_file_bytes)?;
        Ok(Workspace {
            root: root.to_path_buf(),
            settings,
            raw: parsed.value,
            text,
            spans: parsed.spans,
            signers,
            clauses,
        })
    }

    /// How long a template or the theme may take for one document.
    pub fn render_time_limit(&self) -> std::time::Duration {
        std::time::Duration::try_from_secs_f64(self.settings.render_time_limit).unwrap_or(std::time::Duration::MAX)
    }

    pub fn output_dir(&self) -> PathBuf {
        self.root.join(&self.settings.output)
    }

    /// Every YAML data file below `dir`, sorted, skipping hidden folders, outputs, records and
    /// templates. Symbolic links are not followed, so data cannot come from outside the workspace.
    pub fn data_files(&self, dir: &Path) -> Result<Vec<PathBuf>, Error> {
        let mut files = Vec::new();
        self.walk(dir, &mut files)?;
        files.sort();
        Ok(files)
    }

    fn walk(&self, dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Error> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::read(dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::read(dir, e))?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let file_type = entry.file_type().map_err(|e| Error::read(&path, e))?;
            if name.starts_with('.') || file_type.is_symlink() {
                continue;
            }
            if file_type.is_dir() {
                if !self.is_excluded(&path, &name) {
                    self.walk(&path, files)?;
                }
            } else if is_yaml(&path) && path != self.root.join(SETTINGS_FILE) {
                files.push(path);
            }
        }
        Ok(())
    }

    fn is_excluded(&self, path: &Path, name: &str) -> bool {
        path == self.output_dir() || (path.parent() == Some(&self.root) && NOT_DATA.contains(&name))
    }

    /// A path as users see it: relative to the workspace when inside it.
    pub fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }
}

/// Why `relative` (a path from the settings) could lead outside the workspace at `root`, if it
/// could: it is absolute, climbs with `..`, or passes through a symbolic link (which may point
/// anywhere, and is never followed).
fn escapes(root: &Path, relative: &Path) -> Option<String> {
    use std::path::Component;
    let shown = relative.display();
    let mut at = root.to_path_buf();
    for component in relative.components() {
        match component {
            Component::Normal(part) => at.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Some(format!("`{shown}` climbs out with `..`")),
            Component::RootDir | Component::Prefix(_) => return Some(format!("`{shown}` is absolute")),
        }
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(format!("`{}` is a symbolic link", display_path(at.strip_prefix(root).unwrap_or(&at))));
        }
    }
    None
}

/// Validates `engage.yaml` against its schema; every problem is reported at once, located.
fn check_settings(path: &Path, text: &str, parsed: &yaml::Parsed) -> Result<(), Error> {
    let schemas = Schemas::shared()?;
    let mut sources = Sources::default();
    let file = sources.add(PathBuf::from(SETTINGS_FILE), text.to_string());
    let target = Target { file, spans: &parsed.spans, schema: schemas::SETTINGS, document: None };
    let findings = crate::validate::value(&target, &parsed.value, schemas);
    if findings.is_empty() {
        return Ok(());
    }
    let report = Report::new(findings, 1);
    let places = report
        .findings
        .iter()
        .map(|f| Place { path: path.to_path_buf(), at: Some(f.span.start), message: f.summary() })
        .collect();
    let names = FileNames::from_current_dir(path.parent().unwrap_or(Path::new(".")));
    let findings = Human::new(false).render(&sources, &report, &names);
    Err(Error::InvalidSettings { path: path.to_path_buf(), findings, places })
}

fn is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}
