//! The checks a reviewer makes on the text of every document: placeholders left in, deliverables
//! described in a word, a price of nothing, lists the process needs left empty, and e-mail
//! addresses that belong to someone else.

use super::lifecycle::same_money;
use super::{Context, Findings, control_chars, mailbox, placeholder};
use crate::diag::RuleId;
use crate::model::text::format_money;
use crate::model::{Document, Kind};
use crate::source::{Span, scalar};
use serde_json::Value;

/// CTL-001, TXT-001 and TXT-005 in one walk over every value of every document, wherever it is,
/// so that a field added to a schema is covered without a change here.
pub fn values(context: &Context, findings: &mut Findings) {
    for doc in context.corpus.iter() {
        nodes(&doc.data, &mut Vec::new(), &mut |path, node| match node {
            Value::String(text) => {
                let chars = control_chars::dropped(text);
                if !chars.is_empty() {
                    findings.add(RuleId::ControlCharacter, doc, &pointer(path), control_chars::message(&chars));
                }
                placeholders(context, doc, path, text, findings);
            }
            Value::Object(_) => contact_email(doc, path, node, findings),
            _ => {}
        });
    }
}

/// TXT-001: the placeholders in one text. The finding points at the placeholder itself inside
/// the value (see [`scalar::locate`]), or at the value's start where that cannot be known.
fn placeholders(context: &Context, doc: &Document, path: &[Step], text: &str, findings: &mut Findings) {
    for found in placeholder::find(text) {
        let pointer = &pointer(path);
        let at = doc.spans.locate(pointer);
        let file = context.sources.get(doc.file);
        let (start, end) =
            scalar::locate(file, at.start, at.end, text, found.range.clone()).unwrap_or((at.start, at.end));
        let written = found.text(text).split_whitespace().collect::<Vec<_>>().join(" ");
        findings.add_at(
            RuleId::Placeholder,
            doc,
            pointer,
            Span { file: doc.file, start, end },
            format!("`{written}` is a placeholder, still in the text"),
        );
    }
}

/// One step down from a value: a field of a mapping or an entry of a list.
#[derive(Clone, Copy)]
enum Step<'a> {
    Field(&'a str),
    Entry(usize),
}

/// The JSON pointer of a path of steps.
fn pointer(path: &[Step]) -> String {
    let mut pointer = String::new();
    for step in path {
        pointer.push('/');
        match step {
            Step::Field(name) => pointer.push_str(&name.replace('~', "~0").replace('/', "~1")),
            Step::Entry(i) => pointer.push_str(&i.to_string()),
        }
    }
    pointer
}

/// Calls `each` with every node of `value` and the path to it; `path` is the path of `value`
/// itself, extended and restored as the walk goes down (nothing is allocated per node).
fn nodes<'a>(value: &'a Value, path: &mut Vec<Step<'a>>, each: &mut impl FnMut(&[Step<'a>], &'a Value)) {
    each(path, value);
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Entry(i));
                nodes(item, path, &mut *each);
                path.pop();
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                path.push(Step::Field(key));
                nodes(field, path, &mut *each);
                path.pop();
            }
        }
        _ => {}
    }
}

/// TXT-002: a deliverable's description, when given, says in words what the deliverable is.
pub fn deliverables_described(context: &Context, findings: &mut Findings) {
    let docs = context.of_kind(Kind::Proposal).chain(context.of_kind(Kind::StatementOfWork));
    for doc in docs {
        for (i, deliverable) in array(doc, "/deliverables").enumerate() {
            let Some(description) = deliverable.get("description").and_then(Value::as_str) else { continue };
            let words = words(description);
            if words < 2 {
                let id = deliverable.get("id").and_then(Value::as_str).unwrap_or("?");
                let says =
                    if words == 0 { "has no words".to_string() } else { format!("is one word, `{description}`") };
                findings.add(
                    RuleId::DeliverableDescribed,
                    doc,
                    &format!("/deliverables/{i}/description"),
                    format!("the description of deliverable {id} {says}"),
                );
            }
        }
    }
}

/// How many words a text has: runs between spaces that hold a letter or digit. Scripts written
/// without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) cannot be counted
/// so: two of their characters count as two words.
fn words(text: &str) -> usize {
    let unspaced = |c: &char| matches!(*c as u32, 0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF | 0x3040..=0x30FF | 0x3400..=0x9FFF | 0xF900..=0xFAFF);
    let spaced = text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
    spaced.max(text.chars().filter(unspaced).count().min(2))
}

/// TXT-003: a proposal's price, a statement of work's milestone payments (when it has any) and
/// an engagement's contract value are more than nothing.
pub fn priced_above_zero(context: &Context, findings: &mut Findings) {
    for proposal in context.of_kind(Kind::Proposal) {
        let lines: Vec<&Value> = array(proposal, "/pricing/lines").collect();
        if lines.is_empty() {
            continue;
        }
        let number = |line: &Value, field: &str| line.get(field).and_then(Value::as_f64);
        let sum: f64 = lines
            .iter()
            .map(|l| {
                number(l, "amount")
                    .unwrap_or(number(l, "quantity").unwrap_or(0.0) * number(l, "unit_price").unwrap_or(0.0))
            })
            .sum();
        let stated = proposal.data.pointer("/pricing/total").and_then(Value::as_f64);
        if same_money(stated.unwrap_or(sum), 0.0) {
            let at = if stated.is_some() { "/pricing/total" } else { "/pricing/lines" };
            let currency = proposal.data.pointer("/pricing/currency").and_then(Value::as_str).unwrap_or_default();
            findings.add(
                RuleId::PricedAboveZero,
                proposal,
                at,
                format!("the proposal's price totals {}", format_money(0.0, currency)),
            );
        }
    }
    for sow in context.of_kind(Kind::StatementOfWork) {
        let payments: Vec<&Value> = array(sow, "/milestones").filter_map(|m| m.get("payment")).collect();
        let sum: f64 = payments.iter().filter_map(|p| p.get("amount")?.as_f64()).sum();
        if let Some(first) = payments.first()
            && same_money(sum, 0.0)
        {
            let currency = first.get("currency").and_then(Value::as_str).unwrap_or_default();
            let total = format_money(0.0, currency);
            findings.add(RuleId::PricedAboveZero, sow, "/milestones", format!("the milestone payments total {total}"));
        }
    }
    for (engagement, _) in context.engagements() {
        let Some(value) = engagement.data.pointer("/contract/value") else { continue };
        if value.get("amount").and_then(Value::as_f64).is_some_and(|v| same_money(v, 0.0)) {
            let currency = value.get("currency").and_then(Value::as_str).unwrap_or_default();
            let total = format_money(0.0, currency);
            findings.add(
                RuleId::PricedAboveZero,
                engagement,
                "/contract/value/amount",
                format!("the contract value is {total}"),
            );
        }
    }
}

/// The lists the engagement process needs filled in once their section is written, by kind, with
/// what they hold; `*` stands for every entry of a list.
const NEEDED_LISTS: &[(Kind, &str, &str)] = &[
    (Kind::Engagement, "/communication_plan/response_times", "the response times the communication plan commits to"),
    (Kind::Engagement, "/escalation_matrix/levels/*/triggers", "what brings an issue to this escalation level"),
    (Kind::StatementOfWork, "/responsibilities/provider", "what the provider is responsible for"),
    (Kind::StatementOfWork, "/responsibilities/client", "what the client is responsible for"),
    (Kind::StatementOfWork, "/information_security/requirements", "the information security requirements"),
    (Kind::StatementOfWork, "/information_security/data_protection", "the data protection arrangements"),
    (Kind::Escalation, "/post_incident_review/findings", "what the post-incident review found"),
    (Kind::Escalation, "/post_incident_review/improvements", "the improvements the post-incident review decided"),
    (Kind::LessonsLearned, "/objectives", "the objectives the engagement is reviewed against"),
    (Kind::LessonsLearned, "/lessons", "the lessons learned"),
    (Kind::DecisionLog, "/key_points", "the key points of the meeting"),
];

/// TXT-004: a list the process needs, present but empty.
pub fn needed_lists_filled(context: &Context, findings: &mut Findings) {
    for &(kind, pattern, holds) in NEEDED_LISTS {
        for doc in context.of_kind(kind) {
            for pointer in expand(&doc.data, pattern) {
                if doc.data.pointer(&pointer).and_then(Value::as_array).is_some_and(Vec::is_empty) {
                    findings.add(
                        RuleId::NeededListFilled,
                        doc,
                        &pointer,
                        format!("`{}` is empty: list {holds}", crate::diag::field_path(&pointer)),
                    );
                }
            }
        }
    }
}

/// The pointers a pattern names in `data`, `*` taking each index of the list at that point.
fn expand(data: &Value, pattern: &str) -> Vec<String> {
    let mut pointers = vec![String::new()];
    for segment in pattern.split('/').skip(1) {
        pointers = pointers
            .into_iter()
            .flat_map(|pointer| match segment {
                "*" => {
                    let count = data.pointer(&pointer).and_then(Value::as_array).map_or(0, Vec::len);
                    (0..count).map(|i| format!("{pointer}/{i}")).collect::<Vec<_>>()
                }
                _ => vec![format!("{pointer}/{segment}")],
            })
            .collect();
    }
    pointers
}

/// TXT-005: a person recorded with a name and an e-mail address, in any document.
fn contact_email(doc: &Document, path: &[Step], node: &Value, findings: &mut Findings) {
    let text = |field: &str| node.get(field).and_then(Value::as_str);
    let (Some(name), Some(email)) = (text("name"), text("email")) else { return };
    if !mailbox::plausible(email, name) {
        findings.add(
            RuleId::EmailMatchesName,
            doc,
            &format!("{}/email", pointer(path)),
            format!("the e-mail address `{email}` does not look like {name}'s"),
        );
    }
}

fn array<'a>(doc: &'a Document, pointer: &str) -> impl Iterator<Item = &'a Value> {
    doc.data.pointer(pointer).and_then(Value::as_array).into_iter().flatten()
}

#[cfg(test)]
mod tests {
    #[test]
    fn words() {
        assert_eq!(super::words("Report"), 1);
        assert_eq!(super::words("N/A"), 1);
        assert_eq!(super::words(" - … "), 0);
        assert_eq!(super::words("Final report"), 2);
        assert_eq!(super::words("最终报告"), 2, "Chinese has no spaces between words");
        assert_eq!(super::words("รายงาน"), 2, "nor has Thai");
        assert_eq!(super::words("Отчёт"), 1, "Cyrillic has");
    }
}
