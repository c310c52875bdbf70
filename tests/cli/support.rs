//! `Engage`: a workspace in a temporary folder and the real binary run on it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Engage {
    dir: tempfile::TempDir,
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A valid Engagement with only what its schema requires.
pub const MINIMAL_ENGAGEMENT: &str = "\
kind: Engagement
id: ENG-TST-2026
title: Test engagement
date: 2026-01-05
approvals: []
client:
  name: Test Client Ltd
  contacts:
    - name: Ada Client
      role: Sponsor
      email: ada@client.example
roles:
  engagement_manager:
    name: Eve Manager
stage: enquiry
classification: confidential
distribution: [{name: Eve Manager}]
";

impl Engage {
    pub fn empty() -> Engage {
        // Not hidden (`.tmpXXXX`): editors' file patterns do not match paths through hidden folders.
        let dir = tempfile::Builder::new().prefix("engage-").tempdir().expect("a temporary folder");
        Engage { dir }
    }

    /// A workspace with settings and one minimal engagement in `engagements/test/`.
    pub fn minimal() -> Engage {
        let engage = Engage::empty();
        engage.write("engage.yaml", "organisation:\n  name: Test Consulting\n");
        engage.write("engagements/test/engagement.yaml", MINIMAL_ENGAGEMENT);
        engage
    }

    /// A copy of the bundled `samples/` workspace (without outputs).
    pub fn samples() -> Engage {
        Engage::copy(&repo().join("samples"))
    }

    /// A copy of the second sample workspace, `samples-sow/`: statements of work as clients and
    /// contracts write them.
    pub fn samples_sow() -> Engage {
        Engage::copy(&repo().join("samples-sow"))
    }

    /// A copy of a workspace under `tests/fixtures/`.
    pub fn fixture(name: &str) -> Engage {
        Engage::copy(&repo().join("tests/fixtures").join(name))
    }

    fn copy(from: &Path) -> Engage {
        let engage = Engage::empty();
        copy_tree(from, engage.path());
        let _ = std::fs::remove_dir_all(engage.path().join("out"));
        engage
    }

    /// Appends text to a file of the workspace.
    pub fn append(&self, relative: &str, text: &str) -> &Engage {
        let existing = std::fs::read_to_string(self.path().join(relative)).unwrap_or_default();
        self.write(relative, &format!("{existing}{text}"))
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, text: &str) -> &Engage {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn read(&self, relative: &str) -> String {
        let path = self.path().join(relative);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Runs `engage ARGS` in the workspace folder, without colour.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in("", args)
    }

    /// Runs `engage ARGS` in a folder below this one, without colour.
    pub fn run_in(&self, folder: &str, args: &[&str]) -> Run {
        self.run_full(folder, args, &[])
    }

    /// Runs `engage ARGS` with these environment variables set.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &Path)]) -> Run {
        self.run_full("", args, env)
    }

    /// Runs `engage ARGS` in a folder below this one, with these environment variables set.
    fn run_full(&self, folder: &str, args: &[&str], env: &[(&str, &Path)]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_engage"))
            .args(args)
            .current_dir(self.path().join(folder))
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .output()
            .expect("engage runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Copies a folder of this repository (`samples`, `tests/fixtures/noncompliant`) to `relative`.
    pub fn place(&self, from: &str, relative: &str) -> &Engage {
        let target = self.path().join(relative);
        std::fs::create_dir_all(&target).unwrap();
        copy_tree(&repo().join(from), &target);
        let _ = std::fs::remove_dir_all(target.join("out"));
        self
    }
}

/// Whether an external program runs; outside CI a missing one skips the test that needs it
/// (saying so), under `CI` it fails it.
pub fn have(program: &str, install: &str) -> bool {
    started(Command::new(program).arg("--version").output(), program, install).is_some()
}

/// What starting a tool gave, or `None` when the tool is not installed outside CI (the test that
/// needs it is then skipped); under `CI` a missing tool fails the test, since CI installs it.
pub fn started<T>(result: std::io::Result<T>, program: &str, install: &str) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::env::var("CI").is_err() => {
            eprintln!("{program} is not installed: this test is skipped ({install})");
            None
        }
        Err(e) => panic!("{program} does not run: {e} ({install})"),
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
