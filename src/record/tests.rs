//! Crash safety and write-once snapshots, step by step: a release killed at each point.

use super::entry::tests::sample;
use super::*;
use crate::model::Scheme;
use std::collections::BTreeMap;

fn snapshot(text: &str) -> Snapshot {
    Snapshot {
        source: format!("title: {text}\n").into_bytes(),
        markdown: format!("# {text}\n").into_bytes(),
        html: format!("<h1>{text}</h1>\n").into_bytes(),
        pdf: None,
        docx: None,
    }
}

/// A sealed entry for `snapshot` that follows `register`.
fn record_for(register: &Register, revision: &str, snapshot: &Snapshot) -> RevisionRecord {
    let mut record = sample(register.entries.len() as u64 + 1, revision);
    record.hashes.source = Digest::of(&snapshot.source);
    record.hashes.markdown = Digest::of(&snapshot.markdown);
    record.hashes.html = Digest::of(&snapshot.html);
    record.previous = register.head();
    record.seal();
    record
}

/// Every file under `records/` but the lock and the staging folder, with its bytes.
fn state(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if name == ".lock" || name == ".pending" {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Records with revision 1 issued.
fn issued_once() -> (tempfile::TempDir, Records) {
    let dir = tempfile::tempdir().unwrap();
    let records = Records { dir: dir.path().join("records"), out: dir.path().join("out") };
    let lock = records.lock().unwrap();
    let first = snapshot("one");
    let register = records.read().unwrap();
    lock.issue(&register, &record_for(&register, "1", &first), &first).unwrap();
    drop(lock);
    (dir, records)
}

#[test]
fn a_release_killed_before_its_commit_leaves_the_records_as_they_were() {
    let (_dir, records) = issued_once();
    let before = state(records.dir());
    let lock = records.lock().unwrap();
    let register = records.read().unwrap();
    let second = snapshot("two");
    lock.stage(&record_for(&register, "2", &second), &second).unwrap();
    drop(lock); // killed here: staged, not committed
    assert_eq!(state(records.dir()), before);
    let lock = records.lock().unwrap();
    assert_eq!(lock.recover().unwrap(), Vec::<String>::new());
    assert!(!records.dir().join(".pending").exists());
    assert_eq!(state(records.dir()), before);
    assert_eq!(records.read().unwrap().entries.len(), 1);
}

#[test]
fn a_release_killed_after_its_commit_is_completed_by_the_next_command() {
    let (_dir, records) = issued_once();
    let lock = records.lock().unwrap();
    let register = records.read().unwrap();
    let second = snapshot("two");
    let record = record_for(&register, "2", &second);
    lock.stage(&record, &second).unwrap();
    lock.commit(&register, &record).unwrap();
    drop(lock); // killed here: committed, snapshot not yet in place
    let lock = records.lock().unwrap();
    assert_eq!(lock.recover().unwrap(), ["completed the interrupted release of SOW-T-1 revision 2"]);
    let register = records.read().unwrap();
    assert_eq!(register.problems(), Vec::<String>::new());
    assert_eq!(records.snapshot_file(&record, MARKDOWN).unwrap(), b"# two\n");
    // The issued outputs are written with the completion.
    assert_eq!(std::fs::read(records.out.join("SOW-T-1.md")).unwrap(), b"# two\n");
    assert_eq!(std::fs::read(records.out.join("SOW-T-1.html")).unwrap(), b"<h1>two</h1>\n");
}

#[test]
fn a_staged_snapshot_that_does_not_match_the_register_is_never_placed() {
    let (_dir, records) = issued_once();
    let lock = records.lock().unwrap();
    let register = records.read().unwrap();
    let second = snapshot("two");
    let record = record_for(&register, "2", &second);
    let staged = lock.stage(&record, &second).unwrap();
    lock.commit(&register, &record).unwrap();
    std::fs::write(staged.join(MARKDOWN), "# forged\n").unwrap();
    assert_eq!(lock.recover().unwrap(), Vec::<String>::new());
    assert!(!records.snapshot_dir(&record.document, record.revision).exists());
}

#[test]
fn snapshots_are_write_once() {
    let (_dir, records) = issued_once();
    let lock = records.lock().unwrap();
    let register = Register::default(); // as if the register had lost revision 1
    let again = snapshot("again");
    let error = lock.issue(&register, &record_for(&register, "1", &again), &again).unwrap_err();
    assert!(error.to_string().contains("a snapshot of this revision already exists"), "{error}");
    assert_eq!(
        std::fs::read(records.snapshot_dir(&sample(1, "1").document, Scheme::Numeric.first()).join(MARKDOWN)).unwrap(),
        b"# one\n"
    );
}
