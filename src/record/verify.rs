//! `engage verify`: every hash recomputed — the register's entries and chain, each snapshot's
//! files — and the issued outputs in `out/` compared with what was issued.

use super::{Digest, Records, Register, RevisionRecord, expected_files};
use crate::diag::display_path;
use crate::sign::{self, Claim, RELEASE_NAMESPACE, Refusal, Signature, Signers};
use crate::workspace::Workspace;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What verification found.
#[derive(Debug, Default)]
pub struct Verification {
    pub problems: Vec<String>,
    pub entries: usize,
    pub documents: usize,
    /// Issued outputs in `out/` that were compared.
    pub outputs: usize,
}

pub fn verify(workspace: &Workspace, records: &Records, register: &Register) -> Verification {
    let shown = |p: &Path| display_path(workspace.relative(p));
    let mut problems = register.problems();
    problems.extend(signatures(&workspace.signers, register));
    problems.extend(snapshots(records, register, &shown));
    let (outputs, stale) = outputs(workspace, register, &shown);
    problems.extend(stale);
    Verification { problems, entries: register.entries.len(), documents: register.latest().len(), outputs }
}

/// Each revision's snapshot holds exactly its files, with the recorded hashes; nothing else is
/// under `snapshots/`.
fn snapshots(records: &Records, register: &Register, shown: &dyn Fn(&Path) -> String) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expected: BTreeSet<PathBuf> = BTreeSet::new();
    for record in register.records() {
        let dir = records.snapshot_dir(&record.document, record.revision);
        expected.extend([dir.parent().expect("DOC/REV").to_path_buf(), dir.clone()]);
        if !dir.is_dir() {
            problems.push(format!("{}/ is missing: the snapshot of {} was removed", shown(&dir), describe(record)));
            continue;
        }
        for (name, digest) in expected_files(record) {
            let path = dir.join(name);
            expected.insert(path.clone());
            match std::fs::read(&path) {
                Ok(bytes) if Digest::of(&bytes) == digest => {}
                Ok(_) => problems.push(format!("{} was edited: it no longer matches its recorded hash", shown(&path))),
                Err(_) => problems.push(format!("{} is missing: it was removed", shown(&path))),
            }
        }
    }
    for path in unexpected(&records.snapshots(), &expected, 3) {
        problems.push(format!(
            "{} is not in the register: it was added out of band, or its entry was removed",
            shown(&path)
        ));
    }
    problems
}

/// Every signed entry's signature holds over its lines up to `previous:` as written, and was made
/// by a key the allowed signers give its author for releases.
fn signatures(signers: &Signers, register: &Register) -> Vec<String> {
    let mut problems = Vec::new();
    for read in &register.entries {
        let (Some(line), Some(signed)) = (&read.record.signature, &read.signed) else { continue };
        let claim =
            Claim { namespace: RELEASE_NAMESPACE, message: signed.as_bytes(), name: &read.record.author, role: None };
        let checked =
            Signature::from_line(line).map_err(Refusal::Invalid).and_then(|s| sign::verify(signers, &s, &claim));
        if let Err(refusal) = checked {
            problems.push(format!(
                "the signature of entry {} ({}, line {}) does not hold: {}",
                read.record.entry,
                describe(&read.record),
                read.line,
                refusal.message()
            ));
        }
    }
    problems
}

fn describe(record: &RevisionRecord) -> String {
    format!("{} revision {}", record.document, record.revision)
}

/// What lies below `dir`, down to `depth` levels, and is not expected; the contents of an
/// unexpected folder are not listed.
fn unexpected(dir: &Path, expected: &BTreeSet<PathBuf>, depth: usize) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if !expected.contains(&path) {
            found.push(path);
        } else if depth > 1 && path.is_dir() {
            found.extend(unexpected(&path, expected, depth - 1));
        }
    }
    found
}

/// The outputs in `out/` of documents whose data is still that of their last revision must be
/// the issued ones. Returns how many were compared, and the ones that differ.
fn outputs(workspace: &Workspace, register: &Register, shown: &dyn Fn(&Path) -> String) -> (usize, Vec<String>) {
    let out = workspace.output_dir();
    let (mut compared, mut problems) = (0, Vec::new());
    for (id, record) in register.latest() {
        let source = std::fs::read(workspace.root.join(&record.source)).unwrap_or_default();
        let source = source.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&source);
        if Digest::of(source) != record.hashes.source {
            continue; // changed since: what `build` writes is a draft
        }
        let h = &record.hashes;
        let issued = [("md", Some(h.markdown)), ("html", Some(h.html)), ("pdf", h.pdf), ("docx", h.docx)];
        for (extension, digest) in issued.into_iter().filter_map(|(e, d)| Some((e, d?))) {
            let path = out.join(format!("{id}.{extension}"));
            let Ok(bytes) = std::fs::read(&path) else { continue };
            compared += 1;
            if Digest::of(&bytes) != digest {
                problems.push(format!(
                    "{} is not {} as issued: it was edited, or rebuilt with other templates or engagement data",
                    shown(&path),
                    describe(record)
                ));
            }
        }
    }
    (compared, problems)
}
