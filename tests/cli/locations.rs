//! Files are named from where the user stands: relative to the current folder in the human, JSON,
//! JUnit and `github` formats, relative to the repository root in SARIF. Run as a CI step runs it,
//! from the root of a git repository with the workspace two folders down, and from the workspace
//! and a sibling folder: every name opens a file from there.

use crate::support::Engage;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// A git repository with the noncompliant workspace in `contracts/ws` and an empty `docs/` beside.
fn repository() -> Engage {
    let engage = Engage::empty();
    let init = Command::new("git").args(["init", "-q", "."]).current_dir(engage.path()).status().unwrap();
    assert!(init.success());
    engage.place("tests/fixtures/noncompliant", "contracts/ws");
    std::fs::create_dir(engage.path().join("docs")).unwrap();
    engage
}

/// The file names a report gives, in the order it gives them.
fn names(format: &str, stdout: &str) -> Vec<String> {
    match format {
        "human" => stdout.lines().filter_map(|l| l.trim_start().strip_prefix("--> ")).map(file_of).collect(),
        "json" => {
            let report: Value = serde_json::from_str(stdout).unwrap();
            report["findings"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap().to_owned()).collect()
        }
        "junit" => {
            let xml = roxmltree::Document::parse(stdout).unwrap();
            let texts = xml.descendants().filter(|n| n.has_tag_name("failure") || n.has_tag_name("system-out"));
            texts.flat_map(|n| n.text().unwrap().lines().map(file_of).collect::<Vec<_>>()).collect()
        }
        "github" => stdout
            .lines()
            .filter_map(|l| l.split_once(" file=").map(|(_, rest)| rest.split(',').next().unwrap().to_owned()))
            .collect(),
        _ => unreachable!(),
    }
}

/// `path:line:col...` → `path`.
fn file_of(located: &str) -> String {
    let mut parts = located.splitn(3, ':');
    parts.next().unwrap().to_owned()
}

#[test]
fn every_format_names_files_that_exist_from_where_it_runs() {
    let engage = repository();
    let today = ["--today", "2026-11-23"];
    let places = [
        ("", "contracts/ws", "contracts/ws/"),
        ("contracts/ws", ".", ""),
        ("docs", "../contracts/ws", "../contracts/ws/"),
    ];
    for (folder, workspace, prefix) in places {
        for format in ["human", "json", "junit", "github"] {
            let run = engage.run_in(folder, &[&["-C", workspace, "check", "--format", format][..], &today].concat());
            assert_eq!(run.code, 1, "{format} in /{folder}: {}", run.stderr);
            let names = names(format, &run.stdout);
            assert!(names.len() >= 10, "{format} in /{folder}: {}", run.stdout);
            for name in &names {
                assert!(name.starts_with(prefix), "{format} in /{folder}: {name}");
                assert!(engage.path().join(folder).join(name).is_file(), "{format} in /{folder}: {name} is no file");
            }
            assert!(names.contains(&format!("{prefix}engage.yaml")), "{format} in /{folder}: {names:?}");
        }

        // SARIF: relative to the repository root, wherever engage runs.
        let run = engage.run_in(folder, &[&["-C", workspace, "check", "--format", "sarif"][..], &today].concat());
        let log = run.json();
        let root = &log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"];
        let expected = format!("file://{}/", std::fs::canonicalize(engage.path()).unwrap().display());
        assert_eq!(root.as_str(), Some(expected.as_str()), "in /{folder}");
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert!(results.len() >= 10);
        for result in results {
            let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(location["uriBaseId"], "%SRCROOT%");
            let uri = location["uri"].as_str().unwrap();
            assert!(uri.starts_with("contracts/ws/"), "in /{folder}: {uri}");
            assert!(engage.path().join(uri).is_file(), "in /{folder}: {uri}");
        }
    }
}

// The same names when the workspace is found from the current folder or around named files.
#[test]
fn names_follow_the_current_folder_without_dash_c() {
    let engage = repository();
    let run = engage.run_in("contracts/ws/engagements", &["validate", "--format", "json"]);
    let files: Vec<_> = names("json", &run.stdout);
    assert!(files.iter().all(|f| f.starts_with("../")), "{files:?}");
    let run = engage.run_in("docs", &["validate", "../contracts/ws/misc", "--format", "github"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let files = names("github", &run.stdout);
    assert!(files.len() > 5, "{}", run.stdout);
    for file in files {
        assert!(file.starts_with("../contracts/ws/misc/"), "{file}");
        assert!(Path::new(&engage.path().join("docs")).join(file).is_file());
    }
}

// Without a git repository, SARIF names files from the current folder.
#[test]
fn sarif_without_a_repository_is_relative_to_the_current_folder() {
    let engage = Engage::empty();
    engage.place("tests/fixtures/noncompliant", "ws");
    let log = engage.run(&["-C", "ws", "validate", "--format", "sarif"]).json();
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str();
    assert!(uri.unwrap().starts_with("ws/"), "{uri:?}");
    let description = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"].as_str().unwrap();
    assert_eq!(description, "The base of every location: the folder engage ran in.");
}

// Findings of the commands that write documents are named from the current folder too.
#[test]
fn build_findings_are_named_from_the_current_folder() {
    let engage = Engage::empty();
    engage.place("samples", "contracts/ws");
    let sow = "contracts/ws/engagements/northwind-logistics/sow.yaml";
    engage.write(sow, &engage.read(sow).replacen("    owner: ", "    ownr: ", 1));
    let run = engage.run(&["-C", "contracts/ws", "build", "--no-pdf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains(&format!("--> {sow}:41:5\n")), "{}", run.stdout);
}
