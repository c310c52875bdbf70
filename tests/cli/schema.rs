use crate::faults::files_below;
use crate::support::{Engage, repo};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The built-in schemas, as in the repository's `schemas/` folder: `file name → bytes`.
fn built_in() -> BTreeMap<String, Vec<u8>> {
    files_below(&repo().join("schemas"), false)
}

// `engage schema KIND` prints the built-in schema, by YAML name or file stem, and `settings`,
// `common` or `document` by stem; unknown names exit 2.
#[test]
fn prints_schemas() {
    let engage = Engage::empty();
    let run = engage.run(&["schema", "StatementOfWork"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.as_bytes(), built_in()["statement-of-work.schema.json"]);
    assert_eq!(engage.run(&["schema", "statement-of-work"]).stdout, run.stdout);
    assert_eq!(engage.run(&["schema", "settings"]).stdout.as_bytes(), built_in()["settings.schema.json"]);
    assert_eq!(engage.run(&["schema", "common"]).stdout.as_bytes(), built_in()["common.schema.json"]);

    let run = engage.run(&["schema", "Sow"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown kind `Sow`") && run.stderr.contains("StatementOfWork"), "{}", run.stderr);
}

// Without a kind, every schema (common, settings and the data-file one included) as one JSON
// object keyed by file name.
#[test]
fn prints_every_schema() {
    let run = Engage::empty().run(&["schema"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = run.json();
    let names: Vec<&str> = all.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(names.len(), 11, "{names:?}");
    for (name, bytes) in built_in() {
        let file: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(all[&name], file, "{name}");
    }
}

// `engage schema --write` refreshes a workspace's copies after an upgrade: stale and missing
// files are written, the others left alone; it works from a subfolder and with invalid settings
// (whose schema the user may need to repair them).
#[test]
fn writes_the_schemas_into_the_workspace() {
    let engage = Engage::minimal();
    engage.write(".engage/schemas/common.schema.json", "{}\n");
    engage.write("engage.yaml", "organisation:\n  nmae: Test Consulting\n");
    let run = engage.run(&["-C", "engagements/test", "schema", "--write"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 12, "{}", run.stdout);
    assert_eq!(lines[0], "  updated .engage/schemas/common.schema.json");
    assert_eq!(lines[1], "  created .engage/schemas/engagement.schema.json");
    assert_eq!(lines[11], "wrote the 11 schemas to .engage/schemas");
    assert_eq!(files_below(&engage.path().join(".engage/schemas"), false), built_in());

    let again = engage.run(&["schema", "--write"]);
    assert_eq!((again.code, again.stdout.as_str()), (0, "the 11 schemas in .engage/schemas are current\n"));
}

// The mapping for VS Code's YAML extension, from the folder VS Code opens to the workspace.
#[test]
fn prints_the_vscode_mapping() {
    let engage = Engage::minimal();
    let expected = json!({"yaml.schemas": {
        ".engage/schemas/settings.schema.json": ["engage.yaml"],
        ".engage/schemas/document.schema.json": ["engagements/**/*.yaml"],
    }});
    assert_eq!(engage.run(&["schema", "--vscode"]).json(), expected);

    let repository = Engage::empty();
    repository.write("contracts/ws/engage.yaml", "organisation:\n  name: Test Consulting\n");
    let expected = json!({"yaml.schemas": {
        "contracts/ws/.engage/schemas/settings.schema.json": ["contracts/ws/engage.yaml"],
        "contracts/ws/.engage/schemas/document.schema.json": ["contracts/ws/engagements/**/*.yaml"],
    }});
    assert_eq!(repository.run(&["-C", "contracts/ws", "schema", "--vscode"]).json(), expected);
}

// The samples carry their own copies of the schemas (as `engage init` writes them), so a copy of
// the samples folder still links every file to its schema; the copies must be the built-in ones.
#[test]
fn the_samples_carry_the_built_in_schemas() {
    let copies = files_below(&repo().join("samples/.engage/schemas"), false);
    assert!(
        copies == built_in(),
        "samples/.engage/schemas/ differs from schemas/: run `engage -C samples schema --write`"
    );
    for (path, text) in yaml_files(&repo().join("samples")) {
        let link = text.lines().next().and_then(|l| l.strip_prefix("# yaml-language-server: $schema="));
        let link = link.unwrap_or_else(|| panic!("{} does not link its schema on its first line", path.display()));
        let target = path.parent().unwrap().join(link).canonicalize();
        let target = target.unwrap_or_else(|e| panic!("{}: {link}: {e}", path.display()));
        assert!(target.starts_with(repo().join("samples/.engage/schemas")), "{}: {link}", path.display());
    }
}

/// Every YAML file below `dir` (hidden folders and outputs left out), with its text.
fn yaml_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let files =
        files_below(dir, false).into_iter().filter(|(name, _)| name.ends_with(".yaml") && !name.starts_with("out/"));
    files.map(|(name, bytes)| (dir.join(name), String::from_utf8(bytes).unwrap())).collect()
}

/// `(schema file, the data files its kind selects)` for every YAML file of a workspace.
fn by_schema(dir: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut groups: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for (path, text) in yaml_files(dir) {
        let link = text.lines().next().unwrap().rsplit('/').next().unwrap().to_string();
        groups.entry(link).or_default().push(path);
    }
    groups
}

/// `check-jsonschema ARGS` (pip package check-jsonschema): `None` when it is not installed
/// outside CI; under `CI` a missing tool fails the test.
fn check_jsonschema(args: &[&std::ffi::OsStr]) -> Option<std::process::Output> {
    crate::support::started(
        Command::new("check-jsonschema").args(args).output(),
        "check-jsonschema",
        "pip install check-jsonschema",
    )
}

// A standard validator given nothing but `--schemafile` finds the shipped schemas' `$ref`s
// beside them (no download): every sample file passes with its kind's schema and with the
// data-file schema, and a fault inside a referenced definition is reported.
#[test]
fn check_jsonschema_accepts_the_samples_with_the_shipped_schemas() {
    let engage = Engage::samples();
    let schemas = engage.path().join(".engage/schemas");
    let groups = by_schema(engage.path());
    assert_eq!(groups.len(), 9, "{groups:?}");
    let run = |schema: &str, files: &[PathBuf]| {
        let schema = schemas.join(schema);
        let mut args = vec!["--schemafile".as_ref(), schema.as_os_str()];
        args.extend(files.iter().map(|f| f.as_os_str()));
        check_jsonschema(&args)
    };
    for (schema, files) in &groups {
        let Some(output) = run(schema, files) else { return };
        let said = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{schema}: {said}");
    }
    let data: Vec<PathBuf> =
        groups.iter().filter(|(s, _)| *s != "settings.schema.json").flat_map(|(_, f)| f.clone()).collect();
    assert_eq!(data.len(), 16);
    assert!(run("document.schema.json", &data).unwrap().status.success());

    let sow = engage.read("engagements/northwind-logistics/sow.yaml").replacen("    owner: ", "    ownr: ", 1);
    engage.write("engagements/northwind-logistics/sow.yaml", &sow);
    let sow = [engage.path().join("engagements/northwind-logistics/sow.yaml")];
    for schema in ["statement-of-work.schema.json", "document.schema.json"] {
        let output = run(schema, &sow).unwrap();
        let said = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{said}");
        assert!(
            said.contains("$.deliverables[0]: Additional properties are not allowed ('ownr' was unexpected)"),
            "{said}"
        );
    }
}
