//! `engage release DOC-ID --reason TEXT`: issues the next controlled revision of a document. It
//! refuses (exit 1) while the document has errors or lacks the approvals its policy requires, and
//! otherwise, under the records lock: appends the entry to the register, writes the snapshot, and
//! writes the issued document (Markdown, HTML, PDF and Word) to `out/`.

use super::check::{Checked, checked, context, today};
use crate::build::{self, Failure};
use crate::cli::ReleaseArgs;
use crate::cmd::Outcome;
use crate::diag::display_path;
use crate::diag::{Finding, Report, Severity};
use crate::error::Error;
use crate::load::Loaded;
use crate::model::Document;
use crate::record::{self, ApprovalRecord, Digest, Hashes, Locked, Records, Register, RevisionRecord, Snapshot};
use crate::render::pdf::Typesetter;
use crate::render::{self, Overrides, Templates};
use crate::sign::{self, Claim, KeySource, RELEASE_NAMESPACE};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use serde_json::Value;
use std::path::Path;

pub fn run(dir: Option<&Path>, args: &ReleaseArgs) -> Result<Outcome, Error> {
    let workspace = Workspace::find(dir)?;
    let date = args.date.unwrap_or_else(today);
    let reason = args.reason.trim();
    if reason.is_empty() {
        return Err(Error::Usage {
            message: "the reason is empty".into(),
            hint: "say why this revision is issued".into(),
        });
    }
    let author = author(args.author.as_deref(), &workspace.root)?;
    let key = args.sign.as_ref().map(|k| KeySource::of(k.as_deref()));
    if key.is_none() && workspace.settings.policy.signatures.releases_required() {
        outln!("error: the policy requires signed releases (policy signatures:)");
        outln!("{} was not released: release it with --sign [KEY]", args.id);
        return Ok(Outcome::ProblemsFound);
    }
    let Checked { mut loaded, findings, settings, invalid, register, .. } = checked(&workspace, date)?;
    let overrides = Overrides::read(&workspace, &mut loaded.sources)?;
    let doc = super::find_document(&loaded, &args.id)?;
    let mut blockers = blockers(&loaded, findings, &invalid, doc);
    blockers.extend(crate::check::release_blockers(&context(&workspace, &loaded, &register, settings, date), doc));
    if !blockers.is_empty() {
        return Ok(refuse(&workspace.root, &loaded, blockers, doc));
    }
    let stopped = |failure| {
        let then = format!("{} was not released: correct the problem above, then release again", args.id);
        super::build::stopped(&workspace.root, &loaded.sources, &overrides, failure, &then)
    };
    let templates = match Templates::compile(&overrides, &loaded.sources) {
        Ok(templates) => templates,
        Err(error) => return stopped(Failure::Template { document: args.id.clone(), error }),
    };
    let typesetter = match build::typesetter(&workspace, &overrides, &loaded.sources, args.pdf_a)? {
        Ok(typesetter) => typesetter,
        Err(error) => return stopped(Failure::Pdf(error)),
    };
    let records = Records::of(&workspace);
    let lock = records.lock()?;
    for message in lock.recover()? {
        outln!("{message}");
    }
    // Read again under the lock: another release may have committed since.
    let register = records.read_whole()?;
    if let Some(outcome) = unsound(&register, doc, date) {
        return Ok(outcome);
    }
    let word = build::word_theme(&workspace)?;
    let issue = Issue {
        workspace: &workspace,
        loaded: &loaded,
        templates: &templates,
        typesetter: &typesetter,
        word: &word,
        doc,
    };
    let draft = issue.record(&register, date, author, reason.to_string());
    match issue.render(&register, draft, templates_digest(&overrides, &loaded)) {
        Ok((mut record, snapshot)) => {
            let signed = key.map(|key| sign_entry(&workspace, &mut record, &key)).transpose()?;
            publish(&lock, &workspace, &register, &record, &snapshot, signed.as_deref())
        }
        Err(failure) => stopped(failure),
    }
}

fn templates_digest(overrides: &Overrides, loaded: &Loaded) -> Digest {
    overrides.digest(&loaded.sources)
}

/// Who issues the revision: `--author`, else `git config user.name` in the workspace, else $USER.
fn author(given: Option<&str>, root: &Path) -> Result<String, Error> {
    let nonblank = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(author) = given.map(str::to_owned).and_then(nonblank) {
        return Ok(author);
    }
    let git = std::process::Command::new("git").args(["config", "user.name"]).current_dir(root).output();
    let from_git = git.ok().filter(|o| o.status.success()).and_then(|o| String::from_utf8(o.stdout).ok());
    from_git.and_then(nonblank).or_else(|| std::env::var("USER").ok().and_then(nonblank)).ok_or(Error::NoAuthor)
}

/// The errors that stop the release: those in the document's file, and those that make its
/// engagement's data unreadable (it is rendered into the document).
fn blockers(
    loaded: &Loaded,
    findings: Vec<Finding>,
    invalid: &std::collections::BTreeSet<crate::source::FileId>,
    doc: &Document,
) -> Vec<Finding> {
    let engagement = loaded.corpus.engagement_of(doc).map(|e| e.file).filter(|f| invalid.contains(f));
    findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error && f.waived.is_none())
        .filter(|f| f.span.file == doc.file || Some(f.span.file) == engagement)
        .collect()
}

fn refuse(root: &Path, loaded: &Loaded, blockers: Vec<Finding>, doc: &Document) -> Outcome {
    let report = Report::new(blockers, loaded.sources.len());
    out!("{}", super::human(root, &loaded.sources, &report));
    let id = doc.id.as_ref().map(ToString::to_string).unwrap_or_default();
    outln!("{id} was not released: correct the errors above (`engage check`), then release again");
    Outcome::ProblemsFound
}

/// Refuses to extend a register that fails verification, or to date a revision before the last.
fn unsound(register: &Register, doc: &Document, date: NaiveDate) -> Option<Outcome> {
    let problems = register.problems();
    if !problems.is_empty() {
        for problem in &problems {
            outln!("error: {problem}");
        }
        outln!("nothing was released: the records fail verification; `engage verify` says more");
        return Some(Outcome::ProblemsFound);
    }
    let last = register.of(doc.id.as_ref()?).last().copied()?;
    (date < last.date).then(|| {
        outln!(
            "error: the date {date} is before revision {} of {} ({}): releases are dated in order",
            last.revision,
            last.document,
            last.date
        );
        Outcome::ProblemsFound
    })
}

/// One release in the making.
struct Issue<'a> {
    workspace: &'a Workspace,
    loaded: &'a Loaded,
    templates: &'a Templates,
    typesetter: &'a Typesetter,
    /// An issued revision is issued in every format, whatever `outputs:` says: the register
    /// vouches for each.
    word: &'a crate::render::docx::Theme,
    doc: &'a Document,
}

impl Issue<'_> {
    fn source(&self) -> &str {
        &self.loaded.sources.get(self.doc.file).text
    }

    /// The entry, without its output hashes yet.
    fn record(&self, register: &Register, date: NaiveDate, author: String, reason: String) -> RevisionRecord {
        let id = self.doc.id.clone().expect("a found document has an ID");
        let scheme = self.workspace.settings.revisions;
        let revision = register.of(&id).last().map_or(scheme.first(), |r| r.revision.next());
        let source = Digest::of(self.source().as_bytes());
        RevisionRecord {
            entry: register.entries.len() as u64 + 1,
            document: id,
            revision,
            date,
            author,
            reason,
            approvals: approvals(self.doc),
            source: display_path(&self.doc.path),
            hashes: Hashes {
                source,
                markdown: Digest::ZERO,
                html: Digest::ZERO,
                pdf: None,
                docx: None,
                templates: Digest::ZERO,
            },
            engage_version: env!("CARGO_PKG_VERSION").to_string(),
            previous: register.head(),
            signature: None,
            hash: Digest::ZERO,
        }
    }

    /// Renders and typesets the document as issued (its history ending with this revision), and
    /// completes and seals the entry.
    fn render(
        &self,
        register: &Register,
        mut record: RevisionRecord,
        templates: Digest,
    ) -> Result<(RevisionRecord, Snapshot), Failure> {
        let mut history = record::history(register, &record.document, record.hashes.source);
        history.revisions.push(record::issued(&record));
        history.current = true;
        history.register_head = Some(record.previous.to_string());
        let rendered = render::document(self.workspace, &self.loaded.corpus, self.templates, self.doc, &history)
            .map_err(|error| Failure::Template { document: record.document.to_string(), error })?;
        let meta = build::pdf_meta(&rendered.control, &rendered.language);
        let pdf = self.typesetter.typeset(&rendered.markdown, &meta).map_err(Failure::Pdf)?;
        let read = crate::render::docx::blocks::of(&rendered.markdown, &meta.title);
        let docx = crate::render::docx::document(self.word, &meta, &read);
        record.hashes.markdown = Digest::of(rendered.markdown.as_bytes());
        record.hashes.html = Digest::of(rendered.html.as_bytes());
        record.hashes.pdf = Some(Digest::of(&pdf));
        record.hashes.docx = Some(Digest::of(&docx));
        record.hashes.templates = templates;
        record.seal();
        let snapshot = Snapshot {
            source: self.source().as_bytes().to_vec(),
            markdown: rendered.markdown.into_bytes(),
            html: rendered.html.into_bytes(),
            pdf: Some(pdf),
            docx: Some(docx),
        };
        Ok((record, snapshot))
    }
}

/// The document's approvals as they stand.
fn approvals(doc: &Document) -> Vec<ApprovalRecord> {
    let list = doc.data.get("approvals").and_then(Value::as_array).into_iter().flatten();
    list.map(|a| {
        let text = |f: &str| a.get(f).and_then(Value::as_str).unwrap_or_default().to_string();
        ApprovalRecord { role: text("role"), name: text("name"), date: text("date"), decision: text("decision") }
    })
    .collect()
}

/// Signs the entry as its author, refusing a signature `engage verify` would refuse; returns the
/// key's fingerprint.
fn sign_entry(workspace: &Workspace, record: &mut RevisionRecord, key: &KeySource) -> Result<String, Error> {
    let body = record.signed_body();
    let signature = key.sign(RELEASE_NAMESPACE, body.as_bytes(), &workspace.signers, &record.author)?;
    let claim = Claim { namespace: RELEASE_NAMESPACE, message: body.as_bytes(), name: &record.author, role: None };
    sign::verify(&workspace.signers, &signature, &claim).map_err(|refusal| Error::Signing {
        message: format!("{}; nothing was released", refusal.message()),
        hint: format!(
            "sign with a key listed for {} in {} (with `engage-release` in its namespaces, if it has any)",
            record.author,
            sign::SIGNERS_FILE
        ),
    })?;
    record.signature = Some(signature.line());
    record.seal();
    Ok(signature.fingerprint())
}

/// Commits the revision and writes the issued outputs, still under the lock so that a later
/// release's outputs are never overwritten by an earlier one's.
fn publish(
    lock: &Locked,
    workspace: &Workspace,
    register: &Register,
    record: &RevisionRecord,
    snapshot: &Snapshot,
    signed: Option<&str>,
) -> Result<Outcome, Error> {
    let written = lock.issue(register, record, snapshot)?;
    outln!("released {} revision {} dated {} by {}", record.document, record.revision, record.date, record.author);
    if let Some(fingerprint) = signed {
        outln!("  signed by {} with key {fingerprint}", record.author);
    }
    let shown = |p: &Path| display_path(workspace.relative(p));
    let records = Records::of(workspace);
    outln!("  recorded entry {} in {}", record.entry, shown(&records.register_path()));
    outln!("  snapshot {}/", shown(&records.snapshot_dir(&record.document, record.revision)));
    for path in written {
        outln!("  wrote {}", shown(&path));
    }
    outln!("register head: {}", record.hash);
    Ok(Outcome::Clean)
}
