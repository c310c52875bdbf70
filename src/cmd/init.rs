//! `engage init`: a new workspace with one worked example (the bundled proposal-stage engagement),
//! and the JSON Schemas in `.engage/schemas/` so editors can complete and check the YAML.

use crate::cmd::Outcome;
use crate::error::Error;
use crate::output;
use crate::validate::schemas;
use crate::workspace::SETTINGS_FILE;
use std::path::Path;

const EXAMPLE: [(&str, &str); 2] = [
    (
        "engagements/ostara-energie/engagement.yaml",
        include_str!("../../samples/engagements/ostara-energie/engagement.yaml"),
    ),
    (
        "engagements/ostara-energie/proposal.yaml",
        include_str!("../../samples/engagements/ostara-energie/proposal.yaml"),
    ),
];

pub fn run(dir: Option<&Path>) -> Result<Outcome, Error> {
    let root = dir.unwrap_or(Path::new("."));
    if root.join(SETTINGS_FILE).exists() {
        return Err(Error::WorkspaceExists { path: root.to_path_buf() });
    }
    let mut files: Vec<(String, String)> =
        vec![(SETTINGS_FILE.into(), include_str!("../../samples/engage.yaml").into())];
    files.extend(EXAMPLE.map(|(path, text)| (path.into(), text.into())));
    for (name, text) in schemas::FILES {
        files.push((format!("{}/{name}", schemas::FOLDER), text.into()));
    }
    for (path, text) in &files {
        output::write_atomic(&root.join(path), text.as_bytes())?;
    }
    outln!("created a workspace in {} with one example engagement ({} files)", root.display(), files.len());
    outln!("next: `engage validate` to check the data, `engage build` to render the documents");
    Ok(Outcome::Clean)
}
