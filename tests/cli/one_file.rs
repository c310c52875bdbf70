//! One file at a time, as an editor or a pre-commit hook asks: `validate FILE` and `check FILE`
//! find the workspace around the file, resolve references against all of it, and report only on
//! the named files.

use crate::support::{Engage, have, repo};
use std::path::{Path, PathBuf};
use std::process::Command;

const TODAY: &str = "2026-11-23";

/// The data files of a workspace, relative to it.
fn data_files(root: &Path, folder: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(root.join(folder)).unwrap() {
        let entry = entry.unwrap();
        let relative = folder.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            data_files(root, &relative, files);
        } else if relative.extension().is_some_and(|e| e == "yaml") && relative != Path::new("engage.yaml") {
            files.push(relative);
        }
    }
}

// Every sample file, named alone from outside its workspace, is valid and compliant.
#[test]
fn every_sample_file_validates_alone() {
    let engage = Engage::empty();
    engage.place("samples", "contracts/ws");
    let mut files = Vec::new();
    data_files(&engage.path().join("contracts/ws"), Path::new("engagements"), &mut files);
    assert_eq!(files.len(), 16);
    for file in files {
        let named = Path::new("contracts/ws").join(&file).display().to_string();
        let run = engage.run(&["validate", &named]);
        assert_eq!(run.code, 0, "{named}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.starts_with("0 errors, 0 warnings in 1 file ("), "{named}: {}", run.stdout);
        let run = engage.run(&["check", &named, "--today", TODAY]);
        assert_eq!(run.code, 0, "{named}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.starts_with("0 errors, 0 warnings in 1 file ("), "{named}: {}", run.stdout);
    }
}

// Findings elsewhere in the workspace are not reported; the named file's own are, with its
// references resolved against every file.
#[test]
fn only_the_named_files_are_reported() {
    let engage = Engage::samples();
    let escalation = "engagements/northwind-logistics/esc-001.yaml";
    engage.write(escalation, &engage.read(escalation).replace("severity: moderate", "severity: bad"));
    engage.write("engagements/stray/proposal.yaml", &engage.read("engagements/ostara-energie/proposal.yaml"));

    let sow = engage.run(&["validate", "engagements/northwind-logistics/sow.yaml", "--format", "json"]);
    assert_eq!(sow.code, 0, "{}", sow.stdout);
    assert_eq!(sow.json()["summary"]["files"], 1);

    let run = engage.run(&["check", escalation, "--format", "json", "--today", TODAY]);
    assert_eq!(run.code, 1);
    let found: Vec<_> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_owned(), f["file"].as_str().unwrap().to_owned()))
        .collect();
    let expected = [("SCHEMA-004", escalation), ("APR-003", escalation)].map(|(r, f)| (r.to_owned(), f.to_owned()));
    assert_eq!(found, expected, "the changed file's own findings, its approval now stale");

    // The copied proposal reuses an ID and belongs to no engagement: both found in the whole
    // workspace, reported for the named file.
    let run = engage.run(&["validate", "engagements/stray", "--format", "json"]);
    let rules: Vec<_> =
        run.json()["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect();
    assert_eq!(rules, ["ID-001", "REF-001"], "{}", run.stdout);
    // Named alone, the file that held the ID first is told too.
    let run = engage.run(&["validate", "engagements/ostara-energie/proposal.yaml", "--format", "json"]);
    assert_eq!(run.code, 1);
    let finding = &run.json()["findings"][0];
    assert_eq!(finding["rule"], "ID-001");
    assert_eq!(
        finding["message"],
        "the document ID `PRO-OST-2026-001` is also used in engagements/stray/proposal.yaml at line 3"
    );
}

// Files of another workspace, or of none, are refused with what to do.
#[test]
fn files_outside_the_workspace_are_refused() {
    let engage = Engage::minimal();
    let other = Engage::minimal();
    let named = other.path().join("engagements/test/engagement.yaml");
    let run = engage.run(&["-C", ".", "validate", named.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not in the workspace at") && run.stderr.contains("hint: name the files of one"));

    let nowhere = Engage::empty();
    nowhere.write("notes.yaml", "kind: Proposal\n");
    let run = nowhere.run(&["validate", "notes.yaml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no engage.yaml in"), "{}", run.stderr);
}

/// Runs a command in `dir` with engage on PATH, pre-commit's cache in `dir`, and a git identity.
fn shell(dir: &Path, program: &str, args: &[&str]) -> (bool, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_engage")).parent().unwrap().to_path_buf();
    let path =
        std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())));
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PATH", path.unwrap())
        .env("PRE_COMMIT_HOME", dir.join(".git/pre-commit-cache"))
        .env("ENGAGE_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .envs([("GIT_AUTHOR_NAME", "Eve"), ("GIT_COMMITTER_NAME", "Eve")])
        .envs([("GIT_AUTHOR_EMAIL", "eve@example.com"), ("GIT_COMMITTER_EMAIL", "eve@example.com")])
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

// The shipped hook, run by pre-commit in a repository whose workspace is in a subfolder: a commit
// with a bad file fails with engage's finding, one with the file corrected passes.
#[test]
fn the_pre_commit_hook_stops_a_bad_commit() {
    if !have("pre-commit", "pip install pre-commit") {
        return;
    }
    // The hook's repository: this project's hook definition, committed.
    let hooks = Engage::empty();
    std::fs::copy(repo().join(".pre-commit-hooks.yaml"), hooks.path().join(".pre-commit-hooks.yaml")).unwrap();
    for args in [&["init", "-q", "."][..], &["add", "."], &["commit", "-q", "-m", "hooks"]] {
        let (ok, text) = shell(hooks.path(), "git", args);
        assert!(ok, "{text}");
    }
    let (_, rev) = shell(hooks.path(), "git", &["rev-parse", "HEAD"]);

    let project = Engage::empty();
    project.place("samples", "contracts/ws");
    project.write(
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: engage-check\n        files: ^contracts/ws/\n",
            hooks.path().display(),
            rev.trim()
        ),
    );
    project.write("README.yaml", "not: engage data\n");
    let dir = project.path();
    for args in [&["init", "-q", "."][..], &["add", "."]] {
        assert!(shell(dir, "git", args).0);
    }
    let (ok, text) = shell(dir, "pre-commit", &["install"]);
    assert!(ok, "{text}");
    let (ok, text) = shell(dir, "git", &["commit", "-q", "-m", "The samples"]);
    assert!(ok, "a valid workspace is committed: {text}");

    let sow = "contracts/ws/engagements/northwind-logistics/sow.yaml";
    let good = project.read(sow);
    project.write(sow, &good.replacen("    owner: ", "    ownr: ", 1));
    assert!(shell(dir, "git", &["add", sow]).0);
    let (ok, text) = shell(dir, "git", &["commit", "-q", "-m", "A typo"]);
    assert!(!ok, "the hook stops the commit: {text}");
    assert!(text.contains("error[SCHEMA-002]: unknown field `ownr`"), "{text}");
    assert!(text.contains(&format!("--> {sow}:")), "named from the repository root: {text}");

    project.write(sow, &format!("{good}# Reviewed.\n"));
    assert!(shell(dir, "git", &["add", sow]).0);
    let (ok, text) = shell(dir, "git", &["commit", "-q", "-m", "Reviewed"]);
    assert!(ok, "the corrected file passes: {text}");
}
