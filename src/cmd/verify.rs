//! `engage verify [--expect-head HASH]`: proves the revision records unaltered (exit 0, printing
//! the register's head) or names every entry, snapshot and issued output that was edited,
//! removed, reordered or added out of band (exit 1).

use crate::cli::VerifyArgs;
use crate::cmd::Outcome;
use crate::error::Error;
use crate::record::{Digest, Records, Register, verify};
use crate::workspace::Workspace;
use std::path::Path;

pub fn run(dir: Option<&Path>, args: &VerifyArgs) -> Result<Outcome, Error> {
    let expected = args.expect_head.as_deref().map(parse_head).transpose()?;
    let workspace = Workspace::find(dir)?;
    let records = Records::of(&workspace);
    // Nothing to lock, and nothing to create, where no revision was ever issued.
    let lock = if records.dir().is_dir() { Some(records.lock()?) } else { None };
    for message in lock.as_ref().map(|l| l.recover()).transpose()?.unwrap_or_default() {
        outln!("{message}");
    }
    let register = records.read()?;
    let mut verification = verify::verify(&workspace, &records, &register);
    let anchored = expected.map(|expected| anchor(&register, expected));
    if let Some(Err(problem)) = &anchored {
        verification.problems.push(problem.clone());
    }
    for problem in &verification.problems {
        outln!("error: {problem}");
    }
    if !verification.problems.is_empty() {
        let count = verification.problems.len();
        let problems = if count == 1 { "problem" } else { "problems" };
        outln!("{count} {problems} in the records: restore them from version control");
        return Ok(Outcome::ProblemsFound);
    }
    if verification.entries == 0 {
        outln!("no revision has been issued yet");
    } else {
        outln!(
            "verified {} of {}, their snapshots and {}",
            count(verification.entries, "entry", "entries"),
            count(verification.documents, "document", "documents"),
            count(verification.outputs, "issued output", "issued outputs"),
        );
    }
    if let Some(Ok(Some(note))) = anchored {
        outln!("{note}");
    }
    outln!("head: {}", register.head());
    Ok(Outcome::Clean)
}

/// Checks the register against a head kept outside it (a CI variable, a signed tag, the footer
/// of an issued PDF). The head itself passes; so does the hash of an earlier entry, since every
/// later entry chains to it, with a note of how many were issued since (a PDF prints the head
/// its revision was issued on top of, all zeros for the register's first entry). Anything else
/// means the entries up to it were removed or rewritten.
fn anchor(register: &Register, expected: Digest) -> Result<Option<String>, String> {
    let head = register.head();
    if expected == head {
        return Ok(None);
    }
    let position = if expected == Digest::ZERO {
        Some(0)
    } else {
        register.records().position(|r| r.hash == expected).map(|i| i + 1)
    };
    match position {
        Some(at) => {
            let since = register.entries.len() - at;
            let issued = if since == 1 { "entry was" } else { "entries were" };
            let whose = if at == 0 { "the empty register's".to_string() } else { format!("entry {at}'s") };
            Ok(Some(format!("the expected head {expected} is {whose}: {since} {issued} issued since")))
        }
        None => Err(format!(
            "no entry has the expected head {expected} (the register's head is {head}): the entries up to it were removed or rewritten since"
        )),
    }
}

fn parse_head(text: &str) -> Result<Digest, Error> {
    text.trim().parse().map_err(|()| Error::Usage {
        message: format!("`{text}` is not a register head"),
        hint: "give the 64 hexadecimal digits `engage verify` printed after `head:`".into(),
    })
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
