//! One entry of the revision register, and its plain-text form.
//!
//! An entry is a block of `key: value` lines in a fixed order, ended by its own hash; entries are
//! separated by a blank line. The hash covers every line of the entry before `hash:`, as written,
//! including `previous:` (the hash of the entry before), which is what chains the register:
//!
//! ```text
//! entry: 2
//! document: SOW-NWL-2026-004
//! revision: 2
//! date: 2026-05-04
//! author: Priya Raman
//! reason: D4 moved to the end of October
//! status: issued
//! approval: Contracts Manager | Rachel Adeyemi | 2026-05-01 | approved
//! source: engagements/northwind-logistics/sow.yaml
//! source-sha256: …
//! markdown-sha256: …
//! html-sha256: …
//! pdf-sha256: …
//! docx-sha256: …
//! engage-version: 0.1.0
//! templates-sha256: …
//! previous: …
//! hash: …
//! ```
//!
//! Values are one line: a backslash, line break or carriage return is written `\\`, `\n`, `\r`;
//! inside an approval, a `|` is written `\|`. `pdf-sha256` is empty in entries written before
//! releases issued PDFs; they verify without one. `docx-sha256` (the issued Word document) is
//! absent from entries written before releases issued Word documents.
//!
//! A signed entry (`engage release --sign`) has a `signature:` line between `previous:` and
//! `hash:`: the author's SSH signature (namespace `engage-release`) over the entry's lines up to
//! `previous:`, in OpenSSH's armored form without its frame and line breaks. The hash covers it.

use super::Digest;
use crate::facts::{escape, escape_field, split_fields, unescape};
use crate::model::{DocumentId, Revision};
use chrono::NaiveDate;

/// One approval as it stood when the revision was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRecord {
    pub role: String,
    pub name: String,
    /// Empty for a pending decision.
    pub date: String,
    pub decision: String,
}

/// The digests of what was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hashes {
    /// The source YAML's bytes.
    pub source: Digest,
    pub markdown: Digest,
    pub html: Digest,
    /// `None` in entries written before releases issued PDFs.
    pub pdf: Option<Digest>,
    /// `None` in entries written before releases issued Word documents.
    pub docx: Option<Digest>,
    /// The templates in effect (built-in and workspace overrides).
    pub templates: Digest,
}

/// One issued revision of one document, as the register records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionRecord {
    /// The entry's number in the register, from 1.
    pub entry: u64,
    pub document: DocumentId,
    pub revision: Revision,
    pub date: NaiveDate,
    pub author: String,
    pub reason: String,
    pub approvals: Vec<ApprovalRecord>,
    /// The data file, relative to the workspace, `/`-separated.
    pub source: String,
    pub hashes: Hashes,
    pub engage_version: String,
    pub previous: Digest,
    /// The author's signature over [`RevisionRecord::signed_body`], on one line; `None` when the
    /// entry is not signed.
    pub signature: Option<String>,
    /// The digest of the entry's lines before `hash:`.
    pub hash: Digest,
}

pub const STATUS_ISSUED: &str = "issued";

impl RevisionRecord {
    /// The lines the hash covers: the signed lines, then the signature.
    pub fn body(&self) -> String {
        match &self.signature {
            Some(signature) => format!("{}signature: {signature}\n", self.signed_body()),
            None => self.signed_body(),
        }
    }

    /// The lines a signature covers: every line up to `previous:`.
    pub fn signed_body(&self) -> String {
        let mut lines = vec![
            ("entry", self.entry.to_string()),
            ("document", self.document.to_string()),
            ("revision", self.revision.to_string()),
            ("date", self.date.to_string()),
            ("author", escape(&self.author)),
            ("reason", escape(&self.reason)),
            ("status", STATUS_ISSUED.to_string()),
        ];
        lines.extend(self.approvals.iter().map(|a| ("approval", a.line())));
        let optional = |d: Option<Digest>| d.map(|d| d.to_string()).unwrap_or_default();
        lines.extend([
            ("source", escape(&self.source)),
            ("source-sha256", self.hashes.source.to_string()),
            ("markdown-sha256", self.hashes.markdown.to_string()),
            ("html-sha256", self.hashes.html.to_string()),
            ("pdf-sha256", optional(self.hashes.pdf)),
        ]);
        // Absent, not empty, from entries issued without a Word document: their text (and so
        // their hash) stays what it was.
        lines.extend(self.hashes.docx.map(|d| ("docx-sha256", d.to_string())));
        lines.extend([
            ("engage-version", escape(&self.engage_version)),
            ("templates-sha256", self.hashes.templates.to_string()),
            ("previous", self.previous.to_string()),
        ]);
        lines.into_iter().map(|(k, v)| if v.is_empty() { format!("{k}:\n") } else { format!("{k}: {v}\n") }).collect()
    }

    /// Sets `hash` from the body.
    pub fn seal(&mut self) {
        self.hash = Digest::of(self.body().as_bytes());
    }

    /// The entry as the register holds it.
    pub fn text(&self) -> String {
        format!("{}hash: {}\n", self.body(), self.hash)
    }

    /// The entry as data (`engage revisions --format json`, `engage diff --format json`).
    pub fn to_json(&self, superseded: bool) -> serde_json::Value {
        let approvals: Vec<_> = self
            .approvals
            .iter()
            .map(|a| serde_json::json!({"role": a.role, "name": a.name, "date": a.date, "decision": a.decision}))
            .collect();
        let h = &self.hashes;
        serde_json::json!({
            "entry": self.entry,
            "document": self.document.as_str(),
            "revision": self.revision.to_string(),
            "date": self.date.to_string(),
            "author": self.author,
            "reason": self.reason,
            "status": if superseded { "superseded" } else { STATUS_ISSUED },
            "approvals": approvals,
            "source": self.source,
            "sha256": {
                "source": h.source.to_string(),
                "markdown": h.markdown.to_string(),
                "html": h.html.to_string(),
                "pdf": h.pdf.map(|d| d.to_string()),
                "docx": h.docx.map(|d| d.to_string()),
                "templates": h.templates.to_string(),
            },
            "engage_version": self.engage_version,
            "previous": self.previous.to_string(),
            "hash": self.hash.to_string(),
        })
    }

    /// Who approved the revision: the names on its standing approvals (a later decision of the
    /// same person in the same role supersedes an earlier one), each once.
    pub fn approved_by(&self) -> Vec<String> {
        let same = |a: &ApprovalRecord, b: &ApprovalRecord| {
            a.role.eq_ignore_ascii_case(&b.role) && a.name.eq_ignore_ascii_case(&b.name)
        };
        let mut names: Vec<String> = Vec::new();
        for (i, approval) in self.approvals.iter().enumerate() {
            let superseded = self.approvals[i + 1..].iter().any(|later| same(later, approval));
            if approval.decision == "approved" && !superseded && !names.contains(&approval.name) {
                names.push(approval.name.clone());
            }
        }
        names
    }
}

impl ApprovalRecord {
    fn line(&self) -> String {
        [&self.role, &self.name, &self.date, &self.decision].map(|f| escape_field(f)).join(" | ")
    }

    fn parse(value: &str) -> Option<ApprovalRecord> {
        let fields = split_fields(value)?;
        let [role, name, date, decision] = <[String; 4]>::try_from(fields).ok()?;
        Some(ApprovalRecord { role, name, date, decision })
    }
}

/// An entry read back from the register: the record and the digest of its body as written.
#[derive(Debug, Clone)]
pub struct ReadEntry {
    pub record: RevisionRecord,
    /// The digest of the entry's lines before `hash:`, exactly as they are in the file.
    pub computed: Digest,
    /// For a signed entry, its lines up to `previous:` exactly as they are in the file: what the
    /// signature must cover.
    pub signed: Option<String>,
    /// The line the entry starts on, from 1.
    pub line: usize,
}

/// Reads one block of lines (without the blank separator) that starts on line `line`.
pub fn parse(lines: &[&str], line: usize) -> Result<ReadEntry, String> {
    let mut reader = Reader { lines, at: 0, first: line };
    let entry = reader.value("entry")?.parse().map_err(|_| reader.bad("entry number"))?;
    let document = DocumentId::parse(&reader.value("document")?).ok_or_else(|| reader.bad("document ID"))?;
    let revision = Revision::parse(&reader.value("revision")?).ok_or_else(|| reader.bad("revision"))?;
    let date = NaiveDate::parse_from_str(&reader.value("date")?, "%Y-%m-%d").map_err(|_| reader.bad("date"))?;
    let author = reader.text("author")?;
    let reason = reader.text("reason")?;
    if reader.value("status")? != STATUS_ISSUED {
        return Err(reader.bad("status"));
    }
    let mut approvals = Vec::new();
    while reader.peek_key() == Some("approval") {
        let value = reader.value("approval")?;
        approvals.push(ApprovalRecord::parse(&value).ok_or_else(|| reader.bad("approval"))?);
    }
    let source = reader.text("source")?;
    let hashes = Hashes {
        source: reader.digest("source-sha256")?,
        markdown: reader.digest("markdown-sha256")?,
        html: reader.digest("html-sha256")?,
        pdf: reader.optional_digest("pdf-sha256")?,
        docx: None,
        templates: Digest::ZERO,
    };
    let docx = match reader.peek_key() {
        Some("docx-sha256") => reader.optional_digest("docx-sha256")?,
        _ => None,
    };
    let hashes = Hashes { docx, ..hashes };
    let engage_version = reader.text("engage-version")?;
    let hashes = Hashes { templates: reader.digest("templates-sha256")?, ..hashes };
    let previous = reader.digest("previous")?;
    let signed_lines = reader.at;
    let signature = if reader.peek_key() == Some("signature") { Some(reader.value("signature")?) } else { None };
    let body_lines = reader.at;
    let hash = reader.digest("hash")?;
    if reader.at != lines.len() {
        return Err(format!("line {}: unexpected line after `hash:`", line + reader.at));
    }
    let text = |n: usize| -> String { lines[..n].iter().map(|l| format!("{l}\n")).collect() };
    let body = text(body_lines);
    let record = RevisionRecord {
        entry,
        document,
        revision,
        date,
        author,
        reason,
        approvals,
        source,
        hashes,
        engage_version,
        previous,
        signature,
        hash,
    };
    let signed = record.signature.is_some().then(|| text(signed_lines));
    Ok(ReadEntry { record, computed: Digest::of(body.as_bytes()), signed, line })
}

struct Reader<'a> {
    lines: &'a [&'a str],
    at: usize,
    first: usize,
}

impl Reader<'_> {
    fn peek_key(&self) -> Option<&str> {
        self.lines.get(self.at).and_then(|l| l.split_once(':')).map(|(k, _)| k)
    }

    /// The raw value of the next line, which must have this key.
    fn value(&mut self, key: &str) -> Result<String, String> {
        let line = self.first + self.at;
        let text = self.lines.get(self.at).ok_or_else(|| format!("line {line}: `{key}:` is missing"))?;
        let value = match text.split_once(':') {
            Some((k, "")) if k == key => "",
            Some((k, v)) if k == key && v.starts_with(' ') => &v[1..],
            _ => return Err(format!("line {line}: expected `{key}:`")),
        };
        self.at += 1;
        Ok(value.to_string())
    }

    fn text(&mut self, key: &str) -> Result<String, String> {
        let value = self.value(key)?;
        unescape(&value).ok_or_else(|| self.bad(key))
    }

    fn digest(&mut self, key: &str) -> Result<Digest, String> {
        self.value(key)?.parse().map_err(|()| self.bad("SHA-256 digest"))
    }

    fn optional_digest(&mut self, key: &str) -> Result<Option<Digest>, String> {
        let value = self.value(key)?;
        if value.is_empty() { Ok(None) } else { value.parse().map(Some).map_err(|()| self.bad("SHA-256 digest")) }
    }

    /// A message about the line just read.
    fn bad(&self, what: &str) -> String {
        format!("line {}: not a valid {what}", self.first + self.at.saturating_sub(1))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample(entry: u64, revision: &str) -> RevisionRecord {
        let mut record = RevisionRecord {
            entry,
            document: DocumentId::parse("SOW-T-1").unwrap(),
            revision: Revision::parse(revision).unwrap(),
            date: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
            author: "Priya Raman".into(),
            reason: "Line one\nline \\two | three".into(),
            approvals: vec![ApprovalRecord {
                role: "Legal | Contracts".into(),
                name: "Rachel Adeyemi".into(),
                date: "2026-05-01".into(),
                decision: "approved".into(),
            }],
            source: "engagements/t/sow.yaml".into(),
            hashes: Hashes {
                source: Digest::of(b"s"),
                markdown: Digest::of(b"m"),
                html: Digest::of(b"h"),
                pdf: None,
                docx: None,
                templates: Digest::of(b"t"),
            },
            engage_version: "0.1.0".into(),
            previous: Digest::ZERO,
            signature: None,
            hash: Digest::ZERO,
        };
        record.seal();
        record
    }

    #[test]
    fn entries_round_trip_through_text() {
        let record = sample(1, "1");
        let text = record.text();
        assert!(text.contains("reason: Line one\\nline \\\\two | three\n"), "{text}");
        assert!(text.contains("approval: Legal \\| Contracts | Rachel Adeyemi | 2026-05-01 | approved\n"), "{text}");
        assert!(text.contains("\npdf-sha256:\n"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let read = parse(&lines, 1).unwrap();
        assert_eq!(read.record, record);
        assert_eq!(read.computed, record.hash);
    }

    #[test]
    fn a_signature_line_is_hashed_but_not_signed() {
        let mut record = sample(1, "1");
        record.signature = Some("U1NIU0lH".into());
        record.seal();
        let text = record.text();
        assert!(text.contains(&format!("previous: {}\nsignature: U1NIU0lH\nhash: ", Digest::ZERO)), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let read = parse(&lines, 1).unwrap();
        assert_eq!(read.record, record);
        assert_eq!(read.computed, record.hash);
        assert_eq!(read.signed.as_deref(), Some(record.signed_body().as_str()));
        assert!(!record.signed_body().contains("signature"));
    }

    #[test]
    fn malformed_entries_name_their_line() {
        let text = sample(1, "A").text().replace("date: 2026-05-04", "date: 4 May");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(parse(&lines, 10).unwrap_err(), "line 13: not a valid date");
        let text = sample(1, "A").text();
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with("author")).collect();
        assert_eq!(parse(&lines, 1).unwrap_err(), "line 5: expected `author:`");
    }
}
