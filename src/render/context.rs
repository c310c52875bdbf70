//! What a template sees. Documented for template authors in `templates/README.md`:
//! `doc`, `engagement`, `control`, `settings`, `documents` and, for an escalation, `service`.

use crate::check::sla;
use crate::model::commercial;
use crate::model::timeline::Timeline;
use crate::model::{Corpus, Document, Kind};
use crate::record::History;
use crate::render::Templates;
use crate::render::language::Language;
use crate::workspace::Workspace;
use serde::Serialize;
use serde_json::{Value, json};

/// The document-control facts every document shows (also the PDF's title block and metadata).
#[derive(Debug, Clone, Serialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub label: String,
    pub revision: String,
    pub status: String,
    pub draft: bool,
    pub classification: String,
    pub date: String,
    pub owner: String,
    pub organisation: String,
    pub client: String,
    /// Who issues the document: the organisation, or the client for a client-issued statement of
    /// work (`issuer: {party: client}`).
    pub issuer: String,
    /// The document's approvals; a signed one also has `signed`: when (`at`, UTC), by which
    /// key (`fingerprint`) and with what `meaning`.
    pub approvals: Value,
    /// Whether any approval is signed (the approvals table then shows the signatures).
    pub signed: bool,
    pub history: Vec<Value>,
    /// For an issued revision, the register head it was issued on top of (its entry's
    /// `previous`): printed in the PDF's footer and metadata as the anchor of the chain. Not the
    /// entry's own hash, which covers the PDF's hash and so cannot be printed in it.
    pub register_head: Option<String>,
    /// The code of the language the document is written in (`en`, `de`...): its engagement's
    /// `language`, else the workspace's.
    pub language: String,
}

impl Control {
    /// The control block of a working copy: not yet issued, so a draft with no history.
    pub fn draft(workspace: &Workspace, engagement: Option<&Document>, doc: &Document) -> Control {
        let from_engagement = |pointer: &str| {
            engagement.and_then(|e| e.data.pointer(pointer)).and_then(Value::as_str).unwrap_or_default().to_string()
        };
        Control {
            id: doc.text("id").unwrap_or_default().to_string(),
            title: doc.title().to_string(),
            kind: doc.kind.name().to_string(),
            label: doc.text("document_type").unwrap_or(doc.kind.label()).to_string(),
            revision: "Draft".into(),
            status: "Draft".into(),
            draft: true,
            classification: doc
                .text("classification")
                .map_or_else(|| from_engagement("/classification"), str::to_owned),
            date: doc.text("date").unwrap_or_default().to_string(),
            owner: doc.text("owner").map_or_else(|| from_engagement("/roles/engagement_manager/name"), str::to_owned),
            organisation: workspace.settings.organisation.name.clone(),
            client: from_engagement("/client/name"),
            issuer: match doc.data.pointer("/issuer/party").and_then(Value::as_str) {
                Some("client") => from_engagement("/client/name"),
                _ => workspace.settings.organisation.name.clone(),
            },
            approvals: signed_approvals(doc.data.get("approvals")),
            signed: doc
                .data
                .get("approvals")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|a| a.get("signature").is_some()),
            history: Vec::new(),
            register_head: None,
            language: engagement.and_then(|e| e.text("language")).unwrap_or(&workspace.settings.language).to_string(),
        }
    }

    /// The control block as the records make it: an unchanged issued revision is `Issued`; a
    /// working copy changed since is a draft that says which revision it departs from.
    pub fn with_history(mut self, history: &History) -> Control {
        self.history =
            history.revisions.iter().map(|i| serde_json::to_value(i).expect("plain data serialises")).collect();
        let Some(last) = history.revisions.last() else { return self };
        if history.current {
            self.revision = last.revision.clone();
            self.status = "Issued".into();
            self.draft = false;
            self.register_head = history.register_head.clone();
        } else {
            self.status = format!("Draft — changes since revision {}", last.revision);
        }
        self
    }
}

impl Control {
    /// The control block in `language`: the fixed values engage sets (Draft, Issued, the kind's
    /// label) in that language's words; what the data says stays as written.
    pub fn localized(mut self, language: &Language) -> Control {
        let english = crate::render::language::english();
        let local = |value: &mut String, key: &str| {
            if *value == english.get(key) {
                *value = language.get(key).to_owned();
            }
        };
        let kind = format!("kind.{}", self.kind);
        if let Some(rest) = self.title.strip_prefix(&format!("{} — ", english.get(&kind))) {
            self.title = format!("{} — {rest}", language.get(&kind));
        }
        local(&mut self.label, &kind);
        for key in ["control.draft", "control.issued", "control.generated", "control.live"] {
            local(&mut self.revision, key);
            local(&mut self.status, key);
        }
        if let (true, Some(last)) = (self.draft, self.history.last()) {
            let revision = last.get("revision").and_then(Value::as_str).unwrap_or_default();
            self.status = language.fill("control.changed", None, |_| Some(revision.to_owned())).unwrap_or_default();
        }
        self
    }
}

/// A statement of work's due dates as documents print them, in `language` (see
/// [`Timeline::to_value`]); null for other kinds.
fn schedule(doc: &Document, engagement: Option<&Document>, language: &Language) -> Value {
    match doc.kind {
        Kind::StatementOfWork => Timeline::of(&doc.data, engagement.map(|e| &e.data)).to_value(language),
        _ => Value::Null,
    }
}

/// The approvals, each signed one with what its signature shows a reader: the time of signing
/// and the key's fingerprint (whether the signature holds is `engage check`'s to say).
fn signed_approvals(approvals: Option<&Value>) -> Value {
    let mut approvals = approvals.cloned().unwrap_or_else(|| json!([]));
    for approval in approvals.as_array_mut().into_iter().flatten() {
        let Some(armored) = approval.get("signature").and_then(Value::as_str) else { continue };
        let fingerprint = crate::sign::Signature::parse(armored)
            .map_or_else(|_| "unreadable signature".to_string(), |s| s.fingerprint());
        let text = |field: &str| approval.get(field).and_then(Value::as_str).unwrap_or_default().to_string();
        let at = text("signed_at").replacen('T', " ", 1).replace('Z', " UTC");
        approval["signed"] = json!({"at": at, "fingerprint": fingerprint, "meaning": text("meaning")});
    }
    approvals
}

/// The effort by role priced at the rate card (see [`commercial::to_value`]): a proposal's or
/// statement of work's own, a change request's extra effort at its statement of work's rates.
fn priced_effort(corpus: &Corpus, doc: &Document) -> Value {
    let (effort, rate_card) = match doc.kind {
        Kind::ChangeRequest => (
            doc.data.pointer("/pricing_change/effort"),
            corpus.statement_of_work(doc).and_then(|sow| sow.data.pointer("/pricing/rate_card")),
        ),
        _ => (doc.data.pointer("/pricing/effort"), doc.data.pointer("/pricing/rate_card")),
    };
    commercial::to_value(&commercial::effort(effort, rate_card))
}

/// What a delivery record's service levels were (see [`sla::service`]); null for other kinds.
fn service(doc: &Document, engagement: Option<&Document>) -> Value {
    match (doc.kind, engagement) {
        (Kind::Escalation, Some(engagement)) => sla::service(engagement, doc, None),
        _ => Value::Null,
    }
}

/// The control block and the full template context of a document: everything its outputs depend
/// on besides the templates, which is why incremental builds hash it. The due dates of a statement
/// of work are written in the document's language, from the `templates`' catalogues.
pub fn build(
    workspace: &Workspace,
    corpus: &Corpus,
    templates: &Templates,
    doc: &Document,
    history: &History,
) -> (Control, Value) {
    let engagement = corpus.engagement_of(doc);
    let control = Control::draft(workspace, engagement, doc).with_history(history);
    let (language, _) = templates.language(&control.language);
    let documents: Vec<Value> = engagement
        .map(|e| {
            let mut members: Vec<&Document> = corpus.members(e).collect();
            members.sort_by(|a, b| a.text("id").cmp(&b.text("id")));
            members
                .into_iter()
                .map(|d| {
                    let (id, title, kind, label) = (d.text("id"), d.title(), d.kind.name(), d.kind.label());
                    json!({"id": id, "title": title, "kind": kind, "label": label, "status": d.text("status")})
                })
                .collect()
        })
        .unwrap_or_default();
    let signature_block = super::signatures::block(&doc.data, &control.approvals);
    let value = json!({
        "doc": doc.data,
        "engagement": engagement.map_or(Value::Null, |e| e.data.clone()),
        "control": control,
        "settings": workspace.raw,
        "documents": documents,
        "service": service(doc, engagement),
        "schedule": schedule(doc, engagement, &language),
        "commercial": priced_effort(corpus, doc),
        "clauses": workspace.clauses.cited(doc.data.get("clauses")),
        "signature_block": signature_block,
    });
    (control, value)
}
