//! `engage verify`: every entry, snapshot and issued output edited, removed, reordered or added
//! out of band is named; all well, it prints the register's head.

use crate::pdf::pdf_text;
use crate::release::{SOW, SOW_FILE, TODAY, edit, released_twice};
use crate::support::{Engage, Run};

/// Revisions 1 and 2 of the statement of work, revision 1 of the proposal.
fn three_entries() -> Engage {
    let engage = released_twice();
    let run = engage.run(&[
        "release",
        "PRO-NWL-2026-001",
        "--reason",
        "Issued to the client",
        "--author",
        "Tom Okafor",
        "--date",
        TODAY,
    ]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    engage
}

fn head(engage: &Engage) -> String {
    let register = engage.read("records/register.log");
    register.lines().rev().find_map(|l| l.strip_prefix("hash: ")).unwrap().to_string()
}

/// The register's blocks: the header, then one per entry.
fn blocks(engage: &Engage) -> Vec<String> {
    engage.read("records/register.log").split("\n\n").map(str::to_owned).collect()
}

fn failed(run: &Run, problems: &[&str]) {
    let count = problems.len();
    let expected = format!(
        "{}{count} problem{} in the records: restore them from version control\n",
        problems.iter().map(|p| format!("error: {p}\n")).collect::<String>(),
        if count == 1 { "" } else { "s" }
    );
    assert_eq!((run.code, run.stdout.as_str()), (1, expected.as_str()), "{}", run.stderr);
}

#[test]
fn untouched_records_verify_and_print_their_head() {
    let engage = Engage::samples();
    let run = engage.run(&["verify"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, format!("no revision has been issued yet\nhead: {}\n", "0".repeat(64)).as_str())
    );
    assert!(!engage.path().join("records").exists(), "verify creates nothing");

    let engage = three_entries();
    let head = head(&engage);
    let run = engage.run(&["verify"]);
    assert_eq!(
        run.stdout,
        format!("verified 3 entries of 2 documents, their snapshots and 8 issued outputs\nhead: {head}\n")
    );
    assert_eq!(run.code, 0);
    assert_eq!(engage.run(&["verify", "--expect-head", &head]).code, 0);

    let other = "1".repeat(64);
    let run = engage.run(&["verify", "--expect-head", &other]);
    failed(
        &run,
        &[&format!(
            "no entry has the expected head {other} (the register's head is {head}): the entries up to it were removed or rewritten since"
        )],
    );
    let run = engage.run(&["verify", "--expect-head", "abc"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: `abc` is not a register head\nhint: give the 64 hexadecimal digits `engage verify` printed after `head:`\n"
    );
}

#[test]
fn an_edited_entry_is_named() {
    let engage = three_entries();
    edit(&engage, "records/register.log", "reason: First issue\n", "reason: First issue, approved\n");
    failed(
        &engage.run(&["verify"]),
        &["entry 1 (SOW-NWL-2026-004 revision 1, line 4) was edited: its content no longer matches its hash"],
    );
}

#[test]
fn an_entry_rewritten_with_a_new_hash_breaks_the_chain() {
    let engage = three_entries();
    let mut b = blocks(&engage);
    let forged = b[1].replace("reason: First issue\n", "reason: Forged\n");
    let body: String = forged.lines().filter(|l| !l.starts_with("hash: ")).map(|l| format!("{l}\n")).collect();
    b[1] = format!("{body}hash: {}", engage::record::Digest::of(body.as_bytes()));
    engage.write("records/register.log", &b.join("\n\n"));
    let run = engage.run(&["verify"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("error: entry 2 (SOW-NWL-2026-004 revision 2, line 25) does not follow the entry before it: its `previous:` is "), "{}", run.stdout);
}

#[test]
fn a_deleted_entry_is_named() {
    let engage = three_entries();
    let b = blocks(&engage);
    engage.write("records/register.log", &[b[0].clone(), b[1].clone(), b[3].clone()].join("\n\n"));
    failed(
        &engage.run(&["verify"]),
        &[
            "entry 2 is missing: it was removed from the register",
            "records/snapshots/SOW-NWL-2026-004/2 is not in the register: it was added out of band, or its entry was removed",
        ],
    );
}

#[test]
fn a_swapped_pair_of_entries_is_named() {
    let engage = three_entries();
    let b = blocks(&engage);
    engage.write("records/register.log", &[b[0].clone(), b[2].clone(), b[1].clone(), b[3].clone()].join("\n\n"));
    failed(
        &engage.run(&["verify"]),
        &["entries 2 and 1 are out of order (lines 4 and 28): the register was reordered"],
    );
}

#[test]
fn edited_removed_and_added_snapshots_are_named() {
    let engage = three_entries();
    engage.append(&format!("records/snapshots/{SOW}/1/document.md"), "An extra line.\n");
    std::fs::remove_file(engage.path().join(format!("records/snapshots/{SOW}/2/source.yaml"))).unwrap();
    std::fs::remove_dir_all(engage.path().join("records/snapshots/PRO-NWL-2026-001")).unwrap();
    engage.write(&format!("records/snapshots/{SOW}/3/document.md"), "# Not issued\n");
    engage.write(&format!("records/snapshots/{SOW}/2/notes.txt"), "extra\n");
    failed(
        &engage.run(&["verify"]),
        &[
            "records/snapshots/SOW-NWL-2026-004/1/document.md was edited: it no longer matches its recorded hash",
            "records/snapshots/SOW-NWL-2026-004/2/source.yaml is missing: it was removed",
            "records/snapshots/PRO-NWL-2026-001/1/ is missing: the snapshot of PRO-NWL-2026-001 revision 1 was removed",
            "records/snapshots/SOW-NWL-2026-004/2/notes.txt is not in the register: it was added out of band, or its entry was removed",
            "records/snapshots/SOW-NWL-2026-004/3 is not in the register: it was added out of band, or its entry was removed",
        ],
    );
}

// An issued output that no longer matches is named; a working copy changed since its release
// is a draft, whose outputs are not the issued ones.
#[test]
fn issued_outputs_must_match() {
    let engage = three_entries();
    engage.append("out/SOW-NWL-2026-004.md", "Edited by hand.\n");
    failed(
        &engage.run(&["verify"]),
        &[
            "out/SOW-NWL-2026-004.md is not SOW-NWL-2026-004 revision 2 as issued: it was edited, or rebuilt with other templates or engagement data",
        ],
    );
    edit(&engage, SOW_FILE, "    due: 2026-10-16", "    due: 2026-10-23");
    assert_eq!(engage.run(&["build"]).code, 0);
    let run = engage.run(&["verify"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("verified 3 entries of 2 documents, their snapshots and 4 issued outputs\n"),
        "{}",
        run.stdout
    );
}

/// The value of `key:` in each entry of the register, in order.
fn values(engage: &Engage, key: &str) -> Vec<String> {
    let prefix = format!("{key}: ");
    engage.read("records/register.log").lines().filter_map(|l| l.strip_prefix(&prefix)).map(str::to_owned).collect()
}

// Each issued PDF prints, in its footer and its keywords, the register head its revision was
// issued on top of; `verify --expect-head` accepts it, and says how many entries came since.
#[test]
fn issued_pdfs_carry_the_head_they_were_issued_on() {
    let engage = three_entries();
    let hashes = values(&engage, "hash");
    let text = pdf_text(&engage.path().join("out/PRO-NWL-2026-001.pdf"));
    let printed: Vec<&str> = text.lines().filter_map(|l| l.trim().strip_prefix("Issued on register head ")).collect();
    assert!(!printed.is_empty() && printed.iter().all(|h| *h == hashes[1]), "{printed:?} in\n{text}");
    let pdf = std::fs::read(engage.path().join("out/SOW-NWL-2026-004.pdf")).unwrap();
    let keyword = format!("register-head:{}", hashes[0]);
    assert!(String::from_utf8_lossy(&pdf).contains(&keyword), "revision 2 names entry 1 in its metadata");

    let run = engage.run(&["verify", "--expect-head", &hashes[1]]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.ends_with(&format!(
            "the expected head {} is entry 2's: 1 entry was issued since\nhead: {}\n",
            hashes[1], hashes[2]
        )),
        "{}",
        run.stdout
    );
    // the issued PDFs are verified too: in the snapshot and in out/
    let original = std::fs::read(engage.path().join("out/PRO-NWL-2026-001.pdf")).unwrap();
    let edited = [&original[..], b"%%EOF\n"].concat();
    for file in ["records/snapshots/PRO-NWL-2026-001/1/document.pdf", "out/PRO-NWL-2026-001.pdf"] {
        std::fs::write(engage.path().join(file), &edited).unwrap();
    }
    failed(
        &engage.run(&["verify"]),
        &[
            "records/snapshots/PRO-NWL-2026-001/1/document.pdf was edited: it no longer matches its recorded hash",
            "out/PRO-NWL-2026-001.pdf is not PRO-NWL-2026-001 revision 1 as issued: it was edited, or rebuilt with other templates or engagement data",
        ],
    );
    std::fs::write(engage.path().join("records/snapshots/PRO-NWL-2026-001/1/document.pdf"), &original).unwrap();
    std::fs::write(engage.path().join("out/PRO-NWL-2026-001.pdf"), &original).unwrap();
    assert_eq!(engage.run(&["verify"]).code, 0);
    // rewriting entry 1 (and the `previous:` that names it) loses the anchor
    let register = engage.read("records/register.log").replacen(&hashes[0], &"e".repeat(64), 2);
    engage.write("records/register.log", &register);
    let run = engage.run(&["verify", "--expect-head", &hashes[0]]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains(&format!("error: no entry has the expected head {}", hashes[0])), "{}", run.stdout);
}

// A register written before PDFs and Word documents were issued (an empty `pdf-sha256:`, no
// `docx-sha256:` line, neither file in the snapshot) still verifies, and the next release issues a PDF on top of it (PDF/A on request).
#[test]
fn entries_without_a_pdf_still_verify() {
    let engage = Engage::samples();
    assert_eq!(crate::release::release(&engage, SOW, "First issue").code, 0);
    let register = engage.read("records/register.log");
    let pdf = values(&engage, "pdf-sha256")[0].clone();
    let docx = values(&engage, "docx-sha256")[0].clone();
    let body = register
        .replace(&format!("pdf-sha256: {pdf}\n"), "pdf-sha256:\n")
        .replace(&format!("docx-sha256: {docx}\n"), "");
    let (body, _) = body.rsplit_once("hash: ").unwrap();
    let entry = body.split_once("\n\n").unwrap().1;
    let hash = engage::record::Digest::of(entry.as_bytes());
    engage.write("records/register.log", &format!("{body}hash: {hash}\n"));
    std::fs::remove_file(engage.path().join("records/snapshots/SOW-NWL-2026-004/1/document.pdf")).unwrap();
    std::fs::remove_file(engage.path().join("records/snapshots/SOW-NWL-2026-004/1/document.docx")).unwrap();
    let run = engage.run(&["verify"]);
    assert_eq!(
        run.stdout,
        format!("verified 1 entry of 1 document, their snapshots and 2 issued outputs\nhead: {hash}\n")
    );

    edit(&engage, SOW_FILE, "    due: 2026-09-25", "    due: 2026-10-09");
    crate::release::reapprove(&engage);
    let run =
        engage.run(&["release", SOW, "--reason", "D4 moved", "--author", "Priya Raman", "--date", TODAY, "--pdf-a"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(values(&engage, "pdf-sha256").len(), 1, "revision 2 records its PDF");
    let pdf = std::fs::read(engage.path().join("out/SOW-NWL-2026-004.pdf")).unwrap();
    assert!(String::from_utf8_lossy(&pdf).contains("pdfaid:part"), "PDF/A identification");
    let run = engage.run(&["verify"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}
