//! `engage approve` and `engage release`: the register, snapshots and outputs they write, what
//! they refuse, and releases at the same time.

use crate::support::{Engage, Run};
use engage::record::Digest;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

pub const TODAY: &str = "2026-12-01";
pub const SOW: &str = "SOW-NWL-2026-004";
pub const SOW_FILE: &str = "engagements/northwind-logistics/sow.yaml";
const APPROVERS: [(&str, &str); 3] =
    [("Contracts Manager", "Rachel Adeyemi"), ("Director", "Eleanor Marsh"), ("Client Sponsor", "Helen Ashworth")];

pub fn release(engage: &Engage, id: &str, reason: &str) -> Run {
    engage.run(&["release", id, "--reason", reason, "--author", "Priya Raman", "--date", TODAY])
}

/// Replaces text in a workspace file; the text must be there.
pub fn edit(engage: &Engage, file: &str, from: &str, to: &str) {
    let text = engage.read(file);
    assert!(text.contains(from), "{from:?} is not in {file}");
    engage.write(file, &text.replacen(from, to, 1));
}

/// The statement of work's approvers approve its current content.
pub fn reapprove(engage: &Engage) {
    for (role, name) in APPROVERS {
        let run = engage.run(&["approve", SOW, "--role", role, "--name", name, "--date", TODAY]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    }
}

/// Samples with the statement of work issued once (revision 1) and again after an edit (2).
pub fn released_twice() -> Engage {
    let engage = Engage::samples();
    assert_eq!(release(&engage, SOW, "First issue").code, 0);
    edit(&engage, SOW_FILE, "    due: 2026-09-25", "    due: 2026-10-09");
    edit(&engage, SOW_FILE, "    likelihood: low\n    impact: medium", "    likelihood: medium\n    impact: medium");
    reapprove(&engage);
    let run = release(&engage, SOW, "D4 moved to October");
    assert_eq!(run.code, 0, "{}", run.stdout);
    engage
}

/// Every file under `records/` with its bytes.
pub fn records(engage: &Engage) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(&engage.path().join("records"), engage.path(), &mut files);
    files
}

fn collect(dir: &Path, root: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, root, files);
        } else {
            files.insert(path.strip_prefix(root).unwrap().display().to_string(), std::fs::read(&path).unwrap());
        }
    }
}

/// Text with every SHA-256 replaced by `<sha256>`.
pub fn masked(text: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once('\n')) {
        if c.is_ascii_hexdigit() && !c.is_ascii_uppercase() {
            run.push(c);
            continue;
        }
        out.push_str(if run.len() == 64 { "<sha256>" } else { &run });
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

fn digest_of(engage: &Engage, file: &str) -> String {
    Digest::of(&std::fs::read(engage.path().join(file)).unwrap()).to_string()
}

/// The value of `key:` in the register's last entry.
fn last(register: &str, key: &str) -> String {
    let prefix = format!("{key}: ");
    register.lines().rev().find_map(|l| l.strip_prefix(&prefix)).unwrap().to_string()
}

// Release, edit, release: the register entry, the snapshot, the issued outputs and the control
// block of every state in between.
#[test]
fn release_edit_release() {
    let engage = Engage::samples();
    let run = release(&engage, SOW, "First issue");
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let register = engage.read("records/register.log");
    assert_eq!(
        run.stdout,
        format!(
            "released SOW-NWL-2026-004 revision 1 dated 2026-12-01 by Priya Raman\n  recorded entry 1 in records/register.log\n  snapshot records/snapshots/SOW-NWL-2026-004/1/\n  wrote out/SOW-NWL-2026-004.md\n  wrote out/SOW-NWL-2026-004.html\n  wrote out/SOW-NWL-2026-004.pdf\n  wrote out/SOW-NWL-2026-004.docx\nregister head: {}\n",
            last(&register, "hash")
        )
    );
    assert_eq!(
        masked(&register),
        "# engage revision register: one entry per issued revision, oldest first, append-only and
# hash-chained. Written by `engage release`, checked by `engage verify`; do not edit.

entry: 1
document: SOW-NWL-2026-004
revision: 1
date: 2026-12-01
author: Priya Raman
reason: First issue
status: issued
approval: Contracts Manager | Rachel Adeyemi | 2026-03-23 | approved
approval: Director | Eleanor Marsh | 2026-03-23 | approved
approval: Client Sponsor | Helen Ashworth | 2026-03-24 | approved
source: engagements/northwind-logistics/sow.yaml
source-sha256: <sha256>
markdown-sha256: <sha256>
html-sha256: <sha256>
pdf-sha256: <sha256>
docx-sha256: <sha256>
engage-version: 0.1.0
templates-sha256: <sha256>
previous: <sha256>
hash: <sha256>
"
    );
    assert_eq!(last(&register, "previous"), "0".repeat(64), "the first entry follows nothing");
    let snapshot = "records/snapshots/SOW-NWL-2026-004/1";
    assert_eq!(last(&register, "source-sha256"), digest_of(&engage, SOW_FILE));
    assert_eq!(engage.read(&format!("{snapshot}/source.yaml")), engage.read(SOW_FILE));
    assert_eq!(engage.read(&format!("{snapshot}/document.md")), engage.read("out/SOW-NWL-2026-004.md"));
    assert_eq!(engage.read(&format!("{snapshot}/document.html")), engage.read("out/SOW-NWL-2026-004.html"));
    assert_eq!(last(&register, "markdown-sha256"), digest_of(&engage, "out/SOW-NWL-2026-004.md"));
    assert_eq!(last(&register, "html-sha256"), digest_of(&engage, "out/SOW-NWL-2026-004.html"));
    assert_eq!(last(&register, "pdf-sha256"), digest_of(&engage, "out/SOW-NWL-2026-004.pdf"));
    assert_eq!(last(&register, "pdf-sha256"), digest_of(&engage, &format!("{snapshot}/document.pdf")));
    assert_eq!(last(&register, "docx-sha256"), digest_of(&engage, "out/SOW-NWL-2026-004.docx"));
    assert_eq!(last(&register, "docx-sha256"), digest_of(&engage, &format!("{snapshot}/document.docx")));
    let pdf = std::fs::read(engage.path().join("out/SOW-NWL-2026-004.pdf")).unwrap();
    assert_eq!(engage.read("records/.gitignore"), ".lock\n.pending/\n");

    let issued = engage.read("out/SOW-NWL-2026-004.md");
    assert!(issued.contains("| Revision | 1 |\n| Status | Issued |\n"), "{issued}");
    assert!(issued.ends_with("| Revision | Date | Author | Reason | Approved by |\n|---|---|---|---|---|\n| 1 | 1 December 2026 | Priya Raman | First issue | Rachel Adeyemi, Eleanor Marsh and Helen Ashworth |\n"), "{issued}");
    // build renders an unchanged, issued document byte for byte as it was issued
    assert_eq!(engage.run(&["build"]).code, 0);
    assert_eq!(engage.read("out/SOW-NWL-2026-004.md"), issued);
    assert!(std::fs::read(engage.path().join("out/SOW-NWL-2026-004.pdf")).unwrap() == pdf, "the issued PDF, rebuilt");

    edit(&engage, SOW_FILE, "    due: 2026-09-25", "    due: 2026-10-09");
    assert_eq!(engage.run(&["build"]).code, 0);
    let draft = engage.read("out/SOW-NWL-2026-004.md");
    assert!(draft.contains("| Revision | Draft |\n| Status | Draft — changes since revision 1 |\n"), "{draft}");
    assert!(draft.contains("| 1 | 1 December 2026 | Priya Raman | First issue |"), "{draft}");

    // the approvals were given to the old content: check and release refuse
    let check = engage.run(&["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(check.code, 1);
    let stale: Vec<_> = check.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(stale, [("APR-003".into(), 226), ("APR-003".into(), 231), ("APR-003".into(), 236)]);
    let before = records(&engage);
    let refused = release(&engage, SOW, "D4 moved");
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert!(refused.stdout.contains("error[APR-003]: the approval by Eleanor Marsh (Director) is for other content: the document has changed since it was approved\n"), "{}", refused.stdout);
    assert!(
        refused.stdout.ends_with(
            "SOW-NWL-2026-004 was not released: correct the errors above (`engage check`), then release again\n"
        ),
        "{}",
        refused.stdout
    );
    assert_eq!(records(&engage), before, "a refused release changes no record");

    reapprove(&engage);
    let run = release(&engage, SOW, "D4 moved to October");
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.starts_with("released SOW-NWL-2026-004 revision 2 dated 2026-12-01 by Priya Raman\n  recorded entry 2 in records/register.log\n"), "{}", run.stdout);
    let register = engage.read("records/register.log");
    assert!(register.starts_with(&String::from_utf8(before["records/register.log"].clone()).unwrap()), "append-only");
    let second = register.split("\n\n").nth(2).unwrap();
    assert!(second.starts_with("entry: 2\ndocument: SOW-NWL-2026-004\nrevision: 2\n"), "{second}");
    let first_hash = register.split("\n\n").nth(1).unwrap().lines().last().unwrap().strip_prefix("hash: ").unwrap();
    assert!(second.contains(&format!("\nprevious: {first_hash}\n")), "the entries are chained");
    assert_eq!(second.matches("\napproval: ").count(), 6, "the approvals as they stood: {second}");
    let issued = engage.read("out/SOW-NWL-2026-004.md");
    assert!(issued.contains("| Revision | 2 |\n| Status | Issued |\n"), "{issued}");
    assert!(issued.ends_with("| 1 | 1 December 2026 | Priya Raman | First issue | Rachel Adeyemi, Eleanor Marsh and Helen Ashworth |\n| 2 | 1 December 2026 | Priya Raman | D4 moved to October | Rachel Adeyemi, Eleanor Marsh and Helen Ashworth |\n"), "{issued}");
    // release writes Markdown and HTML; PDFs of issued revisions are not recorded yet.
    assert_eq!(engage.run(&["build", "--check", "--no-pdf"]).code, 0, "the issued outputs are current");
}

// Without every approval its policy requires, a document is not released and no record changes.
#[test]
fn a_release_refused_for_missing_approvals_leaves_records_untouched() {
    let engage = Engage::samples();
    let director = "  - role: Director\n    name: Eleanor Marsh\n    date: 2026-03-23\n    decision: approved\n";
    let text = engage.read(SOW_FILE);
    let start = text.find(director).unwrap();
    let end = text[start + director.len()..].find("  - role").unwrap() + start + director.len();
    let without = format!("{}{}", &text[..start], &text[end..]);

    engage.write(SOW_FILE, &without);
    let run = release(&engage, SOW, "First issue");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.starts_with("error[APR-001]: no approved, dated approval by the Director\n"), "{}", run.stdout);
    assert!(!engage.path().join("records").exists(), "nothing is created");
    assert!(!engage.path().join("out").exists(), "nothing is written");

    engage.write(SOW_FILE, &text);
    assert_eq!(release(&engage, SOW, "First issue").code, 0);
    let before = records(&engage);
    let out = engage.read("out/SOW-NWL-2026-004.md");
    engage.write(SOW_FILE, &without);
    let run = release(&engage, SOW, "Second issue");
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(records(&engage), before);
    assert_eq!(engage.read("out/SOW-NWL-2026-004.md"), out);
}

// Releases started at the same time queue on the records lock: each takes its own revision and
// the chain stays whole.
#[test]
fn concurrent_releases_take_distinct_revisions() {
    let engage = Engage::samples();
    let children: Vec<_> = (0..3)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_engage"))
                .args(["release", SOW, "--reason", &format!("Release {i}"), "--author", "Priya Raman"])
                .args(["--date", TODAY])
                .current_dir(engage.path())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut revisions: Vec<String> = children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().unwrap();
            assert!(output.status.success());
            let stdout = String::from_utf8(output.stdout).unwrap();
            stdout.lines().next().unwrap().split(' ').nth(3).unwrap().to_string()
        })
        .collect();
    revisions.sort();
    assert_eq!(revisions, ["1", "2", "3"]);
    let register = engage.read("records/register.log");
    assert_eq!(register.matches("\nrevision: ").count(), 3);
    let verify = engage.run(&["verify"]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);
    assert!(verify.stdout.starts_with("verified 3 entries of 1 document"), "{}", verify.stdout);
}

// `revisions: letters` labels revisions A, B, C; `engage revisions` marks the earlier ones
// superseded.
#[test]
fn lettered_revisions_and_the_revisions_list() {
    let engage = Engage::samples();
    engage.append("engage.yaml", "revisions: letters\n");
    assert!(release(&engage, SOW, "First issue").stdout.starts_with("released SOW-NWL-2026-004 revision A "));
    assert!(release(&engage, SOW, "Reissued | unchanged").stdout.starts_with("released SOW-NWL-2026-004 revision B "));
    let run = engage.run(&["revisions", SOW]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "SOW-NWL-2026-004
revision  date        author       status      approved by                                    reason
A         2026-12-01  Priya Raman  superseded  Rachel Adeyemi, Eleanor Marsh, Helen Ashworth  First issue
B         2026-12-01  Priya Raman  issued      Rachel Adeyemi, Eleanor Marsh, Helen Ashworth  Reissued | unchanged
the working copy is revision B, unchanged
next review: 2027-12-01
"
    );
    let json = engage.run(&["revisions", SOW, "--format", "json"]).json();
    assert_eq!(json["working_copy"], "unchanged");
    let statuses: Vec<_> = json["revisions"].as_array().unwrap().iter().map(|r| r["status"].clone()).collect();
    assert_eq!(statuses, ["superseded", "issued"]);
    assert_eq!(json["revisions"][1]["reason"], "Reissued | unchanged");
    assert_eq!(json["revisions"][1]["sha256"]["pdf"].as_str().map(str::len), Some(64));

    edit(&engage, SOW_FILE, "    due: 2026-09-25", "    due: 2026-10-09");
    assert_eq!(
        engage.run(&["revisions"]).stdout,
        "document          revision  date        author       working copy  next review  reason
SOW-NWL-2026-004  B         2026-12-01  Priya Raman  changed       2027-12-01   Reissued | unchanged
"
    );
    assert_eq!(
        engage.run(&["revisions", "PRO-OST-2026-001"]).stdout,
        "PRO-OST-2026-001: no revision has been issued yet\n"
    );
}

// `engage approve` appends one entry to the approvals list and changes nothing else; an edit
// after it makes the approval stale.
#[test]
fn approve_appends_one_bound_entry_then_an_edit_makes_it_stale() {
    let engage = Engage::minimal();
    let file = "engagements/test/engagement.yaml";
    let run = engage.run(&[
        "approve",
        "ENG-TST-2026",
        "--role",
        "Engagement Manager",
        "--name",
        "Eve Manager",
        "--date",
        "2026-01-06",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = engage.read(file);
    let hash = text.lines().find_map(|l| l.strip_prefix("    content_hash: sha256:")).unwrap().to_string();
    assert_eq!(
        text,
        crate::support::MINIMAL_ENGAGEMENT.replace(
            "approvals: []\n",
            &format!("approvals:\n  - role: Engagement Manager\n    name: Eve Manager\n    date: 2026-01-06\n    decision: approved\n    content_hash: sha256:{hash}\n")
        )
    );
    assert_eq!(
        run.stdout,
        format!(
            "recorded: Eve Manager approved ENG-TST-2026 on 2026-01-06, bound to content sha256:{hash}\n  in engagements/test/engagement.yaml (as Engagement Manager)\n"
        )
    );

    // a second approval keeps the first one valid, and goes after it
    let run = engage.run(&[
        "approve",
        "ENG-TST-2026",
        "--role",
        "Sponsor",
        "--name",
        "Ada Client",
        "--date",
        "2026-01-07",
        "--decision",
        "rejected",
        "--comment",
        "Scope: unclear # see notes",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(engage.read(file).contains(&format!("    content_hash: sha256:{hash}\n  - role: Sponsor\n    name: Ada Client\n    date: 2026-01-07\n    decision: rejected\n    comment: \"Scope: unclear # see notes\"\n    content_hash: sha256:{hash}\nclient:\n")));
    let check = engage.run(&["check", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stdout);

    edit(&engage, file, "title: Test engagement", "title: Test engagement, renamed");
    let check = engage.run(&["check", "--today", TODAY]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.starts_with("error[APR-003]: the approval by Eve Manager (Engagement Manager) is for other content: the document has changed since it was approved\n   --> engagements/test/engagement.yaml:10:5\n"), "{}", check.stdout);
}

// An approval with no content_hash is a warning; releasing names who issued it from git or $USER.
#[test]
fn unbound_approvals_warn_and_the_author_defaults_to_the_user() {
    let engage = Engage::samples();
    edit(
        &engage,
        SOW_FILE,
        "    decision: approved\n    content_hash",
        "    decision: approved\n    comment: unbound\n    xcontent_hash",
    );
    let text = engage.read(SOW_FILE).replacen("    xcontent_hash", "    # content_hash", 1);
    engage.write(SOW_FILE, &text);
    let check = engage.run(&["check", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(check.stdout.starts_with("warning[APR-004]: the approval by Rachel Adeyemi (Contracts Manager) is not bound to the content it approved (no content_hash)\n"), "{}", check.stdout);

    let output = Command::new(env!("CARGO_BIN_EXE_engage"))
        .args(["release", SOW, "--reason", "First issue"])
        .current_dir(engage.path())
        .env("ENGAGE_TODAY", TODAY)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CEILING_DIRECTORIES", engage.path())
        .env("USER", "alex")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("released SOW-NWL-2026-004 revision 1 dated 2026-12-01 by alex\n"), "{stdout}");
}

// Bad arguments exit 2 and say what to do.
#[test]
fn unknown_documents_and_empty_reasons_cannot_be_released() {
    let engage = Engage::samples();
    let run = release(&engage, "SOW-NWL-2026-005", "First issue");
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: no document has the ID `SOW-NWL-2026-005`\nhint: did you mean SOW-NWL-2026-004?\n");
    let run = release(&engage, SOW, "  ");
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "error: the reason is empty\nhint: say why this revision is issued\n")
    );
    let run = engage.run(&["approve", "sow-1", "--role", "Director", "--name", "Eleanor Marsh"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: `sow-1` is not a document ID\n"), "{}", run.stderr);
}
