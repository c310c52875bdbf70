//! Faults: builds and releases killed at random points, a read-only and a full output folder, and
//! two builds at once. Whatever happens, every output is an old or a new complete file and the
//! records are exactly as before or exactly as after.
//!
//! The kill points come from a seeded generator (`ENGAGE_FAULT_SEED` to replay another sequence)
//! and the iterations are bounded, so CI stays fast and a failure can be reproduced.

use crate::release::{SOW, SOW_FILE, TODAY, edit, reapprove, release};
use crate::support::Engage;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 8;

/// xorshift64*: enough randomness for kill points, reproducible from its seed.
struct Kills(u64);

impl Kills {
    fn seeded() -> Kills {
        let seed = std::env::var("ENGAGE_FAULT_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_0007);
        Kills(seed | 1)
    }

    /// A delay between none and `within`.
    fn delay(&mut self, within: Duration) -> Duration {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let unit = (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64;
        within.mul_f64(unit)
    }
}

/// Every file below `dir` (relative to it) with its bytes, but the hidden ones: the manifest, the
/// lock and temporary files, which are never outputs.
fn visible_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_below(dir, false)
}

/// Every file below `dir`, hidden ones included.
fn all_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_below(dir, true)
}

pub fn files_below(dir: &Path, hidden: bool) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if !hidden && entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn restore(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    let _ = std::fs::remove_dir_all(dir);
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Asserts each output is byte for byte its old or its new version, and none is extra.
fn assert_old_or_new(
    what: &str,
    now: &BTreeMap<String, Vec<u8>>,
    old: &BTreeMap<String, Vec<u8>>,
    new: &BTreeMap<String, Vec<u8>>,
) {
    for (name, bytes) in now {
        let whole = old.get(name) == Some(bytes) || new.get(name) == Some(bytes);
        assert!(whole, "{what}: {name} is neither the old nor the new file ({} bytes)", bytes.len());
    }
    for name in old.keys().filter(|n| new.contains_key(*n)) {
        assert!(now.contains_key(name), "{what}: {name} disappeared");
    }
}

fn spawn(engage: &Engage, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_engage"))
        .args(args)
        .current_dir(engage.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Runs `args` to completion once (how long it takes is the window to kill in), then `KILLS`
/// times from `before`, killed after a random delay; `check` sees each killed run's aftermath.
fn kill_repeatedly(engage: &Engage, args: &[&str], reset: impl Fn(), mut check: impl FnMut(&str)) {
    reset();
    let started = Instant::now();
    assert!(spawn(engage, args).wait().unwrap().success(), "{args:?} runs to completion");
    let window = started.elapsed().mul_f64(1.2);
    let mut kills = Kills::seeded();
    for i in 0..KILLS {
        reset();
        let delay = kills.delay(window);
        let mut child = spawn(engage, args);
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        check(&format!("run {i}, killed after {delay:?} of {window:?} ({status})"));
    }
}

#[test]
fn a_build_killed_at_any_point_leaves_old_or_new_outputs() {
    let engage = Engage::samples();
    assert_eq!(engage.run(&["build"]).code, 0);
    let old_out = all_files(&engage.path().join("out"));
    let old = visible_files(&engage.path().join("out"));
    // Every document changes: the organisation is in each of them.
    edit(&engage, "engage.yaml", "name: Harbour & Finch Consulting Ltd", "name: Harbour & Finch Partners Ltd");
    let reference = Engage::samples();
    edit(&reference, "engage.yaml", "name: Harbour & Finch Consulting Ltd", "name: Harbour & Finch Partners Ltd");
    assert_eq!(reference.run(&["build"]).code, 0);
    let new = visible_files(&reference.path().join("out"));
    assert_eq!(old.keys().collect::<Vec<_>>(), new.keys().collect::<Vec<_>>());
    assert!(old.iter().all(|(name, bytes)| new[name] != *bytes), "every output changes");

    let out = engage.path().join("out");
    kill_repeatedly(
        &engage,
        &["build", "--jobs", "1"],
        || restore(&out, &old_out),
        |what| assert_old_or_new(what, &visible_files(&out), &old, &new),
    );
    // Whatever a killed build left, the next build completes it.
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(visible_files(&out), new);
    assert_eq!(engage.run(&["build", "--check"]).code, 0);
}

#[test]
fn a_release_killed_at_any_point_leaves_the_records_before_or_after() {
    let engage = Engage::samples();
    assert_eq!(release(&engage, SOW, "First issue").code, 0);
    edit(&engage, SOW_FILE, "    due: 2026-09-25", "    due: 2026-10-09");
    reapprove(&engage);
    let (records, out) = (engage.path().join("records"), engage.path().join("out"));
    let (before, before_out) = (all_files(&records), all_files(&out));
    let args = ["release", SOW, "--reason", "D4 moved", "--author", "Priya Raman", "--date", TODAY];
    assert_eq!(engage.run(&args).code, 0);
    let (after, after_out) = (visible_files(&records), visible_files(&out));
    let reset = || {
        restore(&records, &before);
        restore(&out, &before_out);
    };
    kill_repeatedly(&engage, &args, reset, |what| {
        // verify completes a release killed after its commit point, and finds nothing amiss.
        let verify = engage.run(&["verify"]);
        assert_eq!(verify.code, 0, "{what}: {}{}", verify.stdout, verify.stderr);
        let now = visible_files(&records);
        if now != visible_files_of(&before) {
            assert_eq!(now, after, "{what}: the records are neither as before nor as after");
        }
        assert_old_or_new(what, &visible_files(&out), &visible_files_of(&before_out), &after_out);
    });
}

fn visible_files_of(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .filter(|(n, _)| !n.split('/').any(|part| part.starts_with('.')))
        .map(|(n, b)| (n.clone(), b.clone()))
        .collect()
}

/// The uid tests run under: root ignores permissions, so a read-only folder needs another user.
fn is_root() -> bool {
    let id = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&id.stdout).trim() == "0"
}

#[test]
fn a_read_only_output_folder_exits_2_naming_the_path() {
    let engage = Engage::minimal();
    let out = engage.path().join("out");
    std::fs::create_dir(&out).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();
    let mut command = if is_root() {
        // As root, run as `nobody`, who may read the workspace but not write to out/ (and runs a
        // copy of the binary: the build folder may be in a home folder only root may enter).
        std::fs::set_permissions(engage.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let binary = engage.path().join("bin/engage");
        std::fs::create_dir_all(binary.parent().unwrap()).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_engage"), &binary).unwrap();
        let mut command = Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&binary);
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_engage"))
    };
    let output = command.args(["build", "--no-pdf"]).current_dir(engage.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let first = stderr.lines().next().unwrap();
    assert_eq!(
        first,
        format!("error: cannot write {}: Permission denied (os error 13)", out.join(".engage-lock").display())
    );
    assert!(stderr.contains("hint: check that the folder exists, is writable and has free space"), "{stderr}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "nothing was written");
}

/// A full disk, simulated with a file-size limit (`ulimit -f`, its signal ignored): writes past the
/// limit fail as they do on a full disk, without root or a special file system.
#[test]
fn a_full_output_folder_exits_2_and_keeps_the_old_outputs() {
    let engage = Engage::samples();
    assert_eq!(engage.run(&["build", "--no-pdf"]).code, 0);
    let out = engage.path().join("out");
    let old = visible_files(&out);
    edit(&engage, "engage.yaml", "name: Harbour & Finch Consulting Ltd", "name: Harbour & Finch Partners Ltd");
    let output = Command::new("bash")
        .args(["-c", "trap '' XFSZ; ulimit -f 8; exec \"$0\" build --no-pdf --jobs 1", env!("CARGO_BIN_EXE_engage")])
        .current_dir(engage.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let first = stderr.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("error: cannot write {}/", out.display())) && first.contains("File too large"),
        "{stderr}"
    );
    // The outputs it could not write are the old ones, complete.
    let now = visible_files(&out);
    assert_eq!(now.keys().collect::<Vec<_>>(), old.keys().collect::<Vec<_>>());
    assert!(now.iter().any(|(name, bytes)| old[name] == *bytes), "some outputs were not replaced");
    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn two_builds_at_once_take_turns() {
    let engage = Engage::samples();
    let first = spawn(&engage, &["build"]);
    held_by_another(&engage.path().join("out/.engage-lock"));
    edit(&engage, "engage.yaml", "name: Harbour & Finch Consulting Ltd", "name: Harbour & Finch Partners Ltd");
    let second = spawn(&engage, &["build"]);
    for child in [first, second] {
        assert!(child.wait_with_output().unwrap().status.success());
    }
    // The second build read the edited data and finished last: every output and the manifest
    // describe the edited data.
    let check = engage.run(&["build", "--check"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    let run = engage.run(&["build"]);
    assert!(
        run.stdout.contains("(20 skipped: inputs unchanged): 0 created, 0 updated, 80 unchanged"),
        "{}",
        run.stdout
    );
}

/// Waits (ten seconds at most) until another process holds the lock file at `path`.
fn held_by_another(path: &Path) {
    let started = Instant::now();
    loop {
        if let Ok(file) = std::fs::File::open(path)
            && matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
        {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no build took {}", path.display());
        std::thread::sleep(Duration::from_millis(5));
    }
}

// A newer build finished while an older one waited for the folder: the older one stops instead of
// writing what it read before the edit over the newer outputs.
#[test]
fn a_build_that_waited_stops_when_the_workspace_changed_meanwhile() {
    use std::io::BufRead;
    let engage = Engage::samples();
    std::fs::create_dir_all(engage.path().join("out")).unwrap();
    let lock = std::fs::File::create(engage.path().join("out/.engage-lock")).unwrap();
    lock.lock().unwrap();
    let mut waiting = Command::new(env!("CARGO_BIN_EXE_engage"))
        .args(["build", "--no-pdf"])
        .current_dir(engage.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(waiting.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("waiting for another build") && stderr.read_line(&mut said).unwrap() > 0 {}
    edit(&engage, "engage.yaml", "name: Harbour & Finch Consulting Ltd", "name: Harbour & Finch Partners Ltd");
    drop(lock);
    std::io::Read::read_to_string(&mut stderr, &mut said).unwrap();
    assert_eq!(waiting.wait().unwrap().code(), Some(2), "{said}");
    assert!(said.contains("the workspace changed while engage read it, or while it waited"), "{said}");
    assert!(!engage.path().join("out/PRO-NWL-2026-001.md").exists(), "it wrote outputs from before the edit");
}

// A release waits for a build writing into the output folder, so the build cannot replace an
// issued output with the draft it rendered before the release.
#[test]
fn a_release_waits_for_a_build_in_progress() {
    let engage = Engage::samples();
    std::fs::create_dir_all(engage.path().join("out")).unwrap();
    let lock = std::fs::File::create(engage.path().join("out/.engage-lock")).unwrap();
    lock.lock().unwrap();
    let mut release = Command::new(env!("CARGO_BIN_EXE_engage"))
        .args(["release", SOW, "--reason", "First issue", "--author", "Priya Raman", "--date", TODAY])
        .current_dir(engage.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(release.try_wait().unwrap().is_none(), "the release went ahead while a build held the folder");
    assert!(!engage.path().join(format!("out/{SOW}.md")).exists());
    drop(lock);
    let output = release.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("waiting for another build into"), "{stderr}");
    assert!(engage.read(&format!("out/{SOW}.md")).contains("| Status | Issued |"));
}

// A build clears the temporary files a killed process left in the output folder an hour or more
// ago; a recent one may belong to a write in progress and stays.
#[test]
fn a_build_clears_abandoned_temporary_files() {
    let engage = Engage::samples();
    std::fs::create_dir_all(engage.path().join("out")).unwrap();
    let left = |name: &str, age: Duration| {
        let file = std::fs::File::create(engage.path().join("out").join(name)).unwrap();
        file.set_modified(std::time::SystemTime::now() - age).unwrap();
    };
    left(".engage-Ab12Cd", Duration::from_secs(7200));
    left(".engage-Ef34Gh", Duration::from_secs(60));
    assert_eq!(engage.run(&["build", "--no-pdf"]).code, 0);
    assert!(!engage.path().join("out/.engage-Ab12Cd").exists());
    assert!(engage.path().join("out/.engage-Ef34Gh").exists());
}
