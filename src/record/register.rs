//! The revision register: `records/register.log`, one entry per issued revision, oldest first.

use super::Digest;
use super::entry::{self, ReadEntry, RevisionRecord};
use crate::model::DocumentId;
use std::collections::BTreeMap;

/// The first lines of a new register.
pub const HEADER: &str = "\
# engage revision register: one entry per issued revision, oldest first, append-only and
# hash-chained. Written by `engage release`, checked by `engage verify`; do not edit.
";

/// A block of lines that is not a well-formed entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub line: usize,
    pub message: String,
}

/// The register as read: its exact text, the entries in file order, and any malformed blocks.
#[derive(Debug, Clone, Default)]
pub struct Register {
    pub text: String,
    pub entries: Vec<ReadEntry>,
    pub malformed: Vec<Malformed>,
}

impl Register {
    pub fn parse(text: &str) -> Register {
        let mut register = Register { text: text.to_string(), ..Register::default() };
        let lines: Vec<&str> = text.split('\n').collect();
        let lines = if text.ends_with('\n') { &lines[..lines.len() - 1] } else { &lines[..] };
        let mut start = 0;
        while start < lines.len() && lines[start].starts_with('#') && register.entries.is_empty() {
            start += 1;
        }
        let mut i = start;
        while i < lines.len() {
            if lines[i].is_empty() {
                i += 1;
                continue;
            }
            let end = lines[i..].iter().position(|l| l.is_empty()).map_or(lines.len(), |n| i + n);
            match entry::parse(&lines[i..end], i + 1) {
                Ok(read) => register.entries.push(read),
                Err(message) => register.malformed.push(Malformed { line: i + 1, message }),
            }
            i = end;
        }
        if !text.is_empty() && !text.ends_with('\n') {
            register.malformed.push(Malformed { line: lines.len(), message: "the last line is cut short".into() });
        }
        register
    }

    /// The hash of the last entry: what the next entry names as `previous`, and what
    /// `verify --expect-head` compares.
    pub fn head(&self) -> Digest {
        self.entries.last().map_or(Digest::ZERO, |e| e.record.hash)
    }

    pub fn records(&self) -> impl Iterator<Item = &RevisionRecord> {
        self.entries.iter().map(|e| &e.record)
    }

    /// The revisions of one document, oldest first.
    pub fn of(&self, id: &DocumentId) -> Vec<&RevisionRecord> {
        self.records().filter(|r| &r.document == id).collect()
    }

    /// The latest revision of every document, by document ID.
    pub fn latest(&self) -> BTreeMap<&DocumentId, &RevisionRecord> {
        self.records().map(|r| (&r.document, r)).collect()
    }

    /// The register with one more entry: the old text, byte for byte, then the entry.
    pub fn appended(&self, record: &RevisionRecord) -> String {
        if self.text.is_empty() {
            format!("{HEADER}\n{}", record.text())
        } else {
            format!("{}\n{}", self.text, record.text())
        }
    }

    /// Everything wrong with the register itself: malformed blocks, entries edited, removed,
    /// reordered or added out of band, a broken chain, revisions out of sequence.
    pub fn problems(&self) -> Vec<String> {
        let mut problems: Vec<String> =
            self.malformed.iter().map(|m| format!("records/register.log: {} (malformed entry)", m.message)).collect();
        problems.extend(self.edited());
        let numbering = self.numbering();
        let numbered = numbering.is_empty();
        problems.extend(numbering);
        // Entries out of place break the chain and the revision sequence too: say it once.
        if numbered {
            problems.extend(self.chain());
            problems.extend(self.sequences());
        }
        problems
    }

    fn edited(&self) -> impl Iterator<Item = String> + '_ {
        self.entries
            .iter()
            .filter(|e| e.computed != e.record.hash)
            .map(|e| format!("{} was edited: its content no longer matches its hash", describe(e)))
    }

    /// Entry numbers must run 1, 2, 3 … in file order.
    fn numbering(&self) -> Vec<String> {
        let numbers: Vec<u64> = self.records().map(|r| r.entry).collect();
        let mut problems = Vec::new();
        let highest = numbers.iter().copied().max().unwrap_or(0);
        for n in 1..=highest {
            match numbers.iter().filter(|&&m| m == n).count() {
                0 => problems.push(format!("entry {n} is missing: it was removed from the register")),
                1 => {}
                k => problems.push(format!("entry {n} appears {k} times: entries were added out of band")),
            }
        }
        for pair in self.entries.windows(2) {
            let (a, b) = (&pair[0].record, &pair[1].record);
            if a.entry > b.entry {
                problems.push(format!(
                    "entries {} and {} are out of order (lines {} and {}): the register was reordered",
                    a.entry, b.entry, pair[0].line, pair[1].line
                ));
            }
        }
        problems
    }

    /// Each entry names the hash of the one before it (the first names zeros).
    fn chain(&self) -> Vec<String> {
        let mut previous = Digest::ZERO;
        let mut problems = Vec::new();
        for read in &self.entries {
            if read.record.previous != previous {
                problems.push(format!(
                    "{} does not follow the entry before it: its `previous:` is {}, not {}; an entry was replaced out of band",
                    describe(read),
                    read.record.previous.short(),
                    previous.short()
                ));
            }
            previous = read.record.hash;
        }
        problems
    }

    /// The revisions of each document follow one another, from the first.
    fn sequences(&self) -> Vec<String> {
        let mut last: BTreeMap<&DocumentId, &RevisionRecord> = BTreeMap::new();
        let mut problems = Vec::new();
        for read in &self.entries {
            let record = &read.record;
            let expected = last.get(&record.document).map_or(record.revision.scheme().first(), |r| r.revision.next());
            if record.revision != expected {
                problems.push(format!(
                    "{} should be revision {expected} of {}: a revision was removed or added out of band",
                    describe(read),
                    record.document
                ));
            }
            last.insert(&record.document, record);
        }
        problems
    }
}

fn describe(read: &ReadEntry) -> String {
    let r = &read.record;
    format!("entry {} ({} revision {}, line {})", r.entry, r.document, r.revision, read.line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::entry::tests::sample;

    fn chained(revisions: &[&str]) -> String {
        let mut register = Register::default();
        for (i, revision) in revisions.iter().enumerate() {
            let mut record = sample(i as u64 + 1, revision);
            record.previous = register.head();
            record.seal();
            register = Register::parse(&register.appended(&record));
        }
        register.text
    }

    fn blocks(text: &str) -> Vec<String> {
        text.split("\n\n").map(str::to_owned).collect()
    }

    #[test]
    fn a_well_formed_register_has_no_problems() {
        let text = chained(&["1", "2", "3"]);
        assert!(text.starts_with(HEADER));
        let register = Register::parse(&text);
        assert_eq!(register.entries.len(), 3);
        assert_eq!(register.problems(), Vec::<String>::new());
        assert_eq!(register.head(), register.entries[2].record.hash);
    }

    #[test]
    fn tampering_is_named() {
        let text = chained(&["1", "2", "3"]);
        let edited = Register::parse(&text.replace("revision: 2\ndate: 2026-05-04", "revision: 2\ndate: 2026-05-05"));
        assert_eq!(edited.problems().len(), 1, "{:?}", edited.problems());
        assert!(edited.problems()[0].starts_with("entry 2 (SOW-T-1 revision 2, line "), "{:?}", edited.problems());

        let b = blocks(&text);
        let removed = Register::parse(&[b[0].clone(), b[1].clone(), b[3].clone()].join("\n\n"));
        assert!(removed.problems().contains(&"entry 2 is missing: it was removed from the register".to_string()));

        let swapped = Register::parse(&[b[0].clone(), b[2].clone(), b[1].clone(), b[3].clone()].join("\n\n"));
        assert!(swapped.problems()[0].starts_with("entries 2 and 1 are out of order"), "{:?}", swapped.problems());
    }
}
