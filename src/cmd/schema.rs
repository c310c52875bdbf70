//! `engage schema`: the built-in JSON Schemas, printed for people and tools, copied into a
//! workspace for editors and validators that read files, and mapped for VS Code.

use crate::cli::SchemaArgs;
use crate::cmd::Outcome;
use crate::diag::display_path;
use crate::error::Error;
use crate::output::{self, Written};
use crate::validate::schemas;
use crate::workspace::{SETTINGS_FILE, Workspace};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

pub fn run(dir: Option<&Path>, args: &SchemaArgs) -> Result<Outcome, Error> {
    if args.write {
        return write(&Workspace::root_of(dir)?);
    }
    if args.vscode {
        outln!("{}", pretty(&vscode_settings(&Workspace::root_of(dir)?)));
        return Ok(Outcome::Clean);
    }
    match args.kind.as_deref() {
        Some(name) => {
            let (_, text) = schemas::named(name).ok_or_else(|| Error::UnknownKind(name.to_string()))?;
            out!("{text}");
        }
        None => outln!("{}", pretty(&Value::Object(every_schema()))),
    }
    Ok(Outcome::Clean)
}

/// Every schema as one JSON object keyed by file name, so that `jq '."common.schema.json"'` or a
/// script can take any of them, and the `$ref`s between them name keys of the same object.
fn every_schema() -> Map<String, Value> {
    let parse = |text: &str| serde_json::from_str(text).expect("the built-in schemas are JSON");
    schemas::FILES.iter().map(|(name, text)| (name.to_string(), parse(text))).collect()
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("a JSON value always serialises")
}

/// Refreshes the workspace's copies of the schemas (after an upgrade of engage), so the editor
/// checks against the schemas this engage validates with. Unchanged files are left untouched.
fn write(root: &Path) -> Result<Outcome, Error> {
    let (folder, shown) = (root.join(schemas::FOLDER), from_current_folder(root).join(schemas::FOLDER));
    let mut changed = 0;
    for (name, text) in schemas::FILES {
        let written = output::write_atomic(&folder.join(name), text.as_bytes())?;
        if written != Written::Unchanged {
            changed += 1;
            let verb = if written == Written::Created { "created" } else { "updated" };
            outln!("  {verb} {}", display_path(&shown.join(name)));
        }
    }
    let total = schemas::FILES.len();
    let folder = display_path(&shown);
    match changed {
        0 => outln!("the {total} schemas in {folder} are current"),
        _ if changed == total => outln!("wrote the {total} schemas to {folder}"),
        _ => outln!("wrote {changed} of {total} schemas to {folder}; the others were current"),
    }
    Ok(Outcome::Clean)
}

/// The `yaml.schemas` setting of the VS Code YAML extension: `engage.yaml` and the data files
/// under the conventional `engagements/` folder, with paths from the current folder (where VS
/// Code is normally opened) to the workspace. Files elsewhere link their schema on their first line.
fn vscode_settings(root: &Path) -> Value {
    let prefix = from_current_folder(root);
    let path = |relative: &str| display_path(&prefix.join(relative));
    let schema = |name: &str| path(&format!("{}/{name}", schemas::FOLDER));
    json!({
        "yaml.schemas": {
            schema(schemas::SETTINGS): [path(SETTINGS_FILE)],
            schema(schemas::DOCUMENT): [path("engagements/**/*.yaml")],
        }
    })
}

/// `root` relative to the current folder when it lies inside it (empty when it is the current
/// folder), else as given.
fn from_current_folder(root: &Path) -> PathBuf {
    let absolute = |p: &Path| std::fs::canonicalize(p).ok();
    let inside = std::env::current_dir().ok().and_then(|cwd| {
        let (cwd, root) = (absolute(&cwd)?, absolute(root)?);
        root.strip_prefix(cwd).ok().map(Path::to_path_buf)
    });
    inside.unwrap_or_else(|| root.to_path_buf())
}
