//! The semantic diff of two documents' data: what changed, field by field. Mappings are compared
//! key by key; lists whose items all have an `id` (deliverables, milestones, risks, lessons …)
//! are matched by it, so reordering them is no change; other lists are aligned by their items.

use serde_json::Value;
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
        }
    }
}

/// One difference: where (`deliverables[D4].due`), what kind, and the values on each side.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub path: String,
    pub kind: Kind,
    pub from: Option<Value>,
    pub to: Option<Value>,
}

impl fmt::Display for Change {
    /// `deliverables[D4].due: 2027-03-15 → 2027-04-30`, `milestones[M3] removed`,
    /// `risks[R4] added`, `deliverables[D1].description added: text`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.kind, &self.from, &self.to) {
            (Kind::Changed, Some(from), Some(to)) => write!(f, "{}: {} → {}", self.path, shown(from), shown(to)),
            (kind, from, to) => {
                let value = to.as_ref().or(from.as_ref()).filter(|v| !v.is_object() && !v.is_array());
                match value {
                    Some(value) => write!(f, "{} {}: {}", self.path, kind.as_str(), shown(value)),
                    None => write!(f, "{} {}", self.path, kind.as_str()),
                }
            }
        }
    }
}

/// A value as the change lines show it: text as it is (quoted when it spans lines or is empty),
/// anything else as compact JSON.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) if !s.is_empty() && !s.contains(['\n', '\r']) && s.trim() == s => s.clone(),
        other => other.to_string(),
    }
}

/// Every difference from `from` to `to`, in the order of `from` (then what `to` adds).
pub fn changes(from: &Value, to: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    compare("", from, to, &mut out);
    out
}

fn compare(path: &str, from: &Value, to: &Value, out: &mut Vec<Change>) {
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let child = join(path, key);
                match b.get(key) {
                    Some(other) => compare(&child, value, other, out),
                    None => out.push(removed(child, value)),
                }
            }
            for (key, value) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                out.push(added(join(path, key), value));
            }
        }
        (Value::Array(a), Value::Array(b)) => match (ids(a), ids(b)) {
            (Some(ka), Some(kb)) => by_id(path, (a, &ka), (b, &kb), out),
            _ => aligned(path, a, b, out),
        },
        (a, b) if a != b => {
            out.push(Change { path: path.into(), kind: Kind::Changed, from: Some(a.clone()), to: Some(b.clone()) })
        }
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

fn added(path: String, value: &Value) -> Change {
    Change { path, kind: Kind::Added, from: None, to: Some(value.clone()) }
}

fn removed(path: String, value: &Value) -> Change {
    Change { path, kind: Kind::Removed, from: Some(value.clone()), to: None }
}

/// The items' `id`s, when every item is a mapping with a distinct text `id`.
fn ids(items: &[Value]) -> Option<Vec<&str>> {
    let ids: Vec<&str> = items.iter().map(|i| i.get("id")?.as_str()).collect::<Option<_>>()?;
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    (sorted.len() == ids.len()).then_some(ids)
}

fn by_id(path: &str, (a, ka): (&[Value], &[&str]), (b, kb): (&[Value], &[&str]), out: &mut Vec<Change>) {
    for (item, id) in a.iter().zip(ka) {
        let child = format!("{path}[{id}]");
        match kb.iter().position(|k| k == id) {
            Some(j) => compare(&child, item, &b[j], out),
            None => out.push(removed(child, item)),
        }
    }
    for (item, id) in b.iter().zip(kb).filter(|(_, id)| !ka.contains(id)) {
        out.push(added(format!("{path}[{id}]"), item));
    }
}

/// Lists without IDs: items are aligned as a text diff aligns lines; a replaced run is compared
/// item by item, and the rest is added or removed. Indexes are those of the side shown.
fn aligned(path: &str, a: &[Value], b: &[Value], out: &mut Vec<Change>) {
    let keys = |items: &[Value]| items.iter().map(Value::to_string).collect::<Vec<_>>();
    let (ka, kb) = (keys(a), keys(b));
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete { old_index, old_len, .. } => {
                (old_index..old_index + old_len).for_each(|i| out.push(removed(format!("{path}[{i}]"), &a[i])))
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                (new_index..new_index + new_len).for_each(|j| out.push(added(format!("{path}[{j}]"), &b[j])))
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                let paired = old_len.min(new_len);
                for k in 0..paired {
                    compare(&format!("{path}[{}]", new_index + k), &a[old_index + k], &b[new_index + k], out);
                }
                (old_index + paired..old_index + old_len)
                    .for_each(|i| out.push(removed(format!("{path}[{i}]"), &a[i])));
                (new_index + paired..new_index + new_len).for_each(|j| out.push(added(format!("{path}[{j}]"), &b[j])));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lines(from: Value, to: Value) -> Vec<String> {
        changes(&from, &to).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn items_with_ids_match_by_id() {
        let from = json!({"deliverables": [{"id": "D1", "due": "2027-03-15"}, {"id": "D2", "due": "2027-04-01"}],
                          "milestones": [{"id": "M1"}, {"id": "M3", "title": "Go"}]});
        let to = json!({"deliverables": [{"id": "D2", "due": "2027-04-01"}, {"id": "D1", "due": "2027-04-30"}],
                        "milestones": [{"id": "M1"}, {"id": "M4"}]});
        assert_eq!(
            lines(from, to),
            ["deliverables[D1].due: 2027-03-15 → 2027-04-30", "milestones[M3] removed", "milestones[M4] added"]
        );
    }

    #[test]
    fn reordering_items_with_ids_is_no_change() {
        let from = json!({"risks": [{"id": "R1", "impact": "high"}, {"id": "R2", "impact": "low"}]});
        let to = json!({"risks": [{"id": "R2", "impact": "low"}, {"id": "R1", "impact": "high"}]});
        assert_eq!(lines(from, to), Vec::<String>::new());
    }

    #[test]
    fn lists_without_ids_are_aligned() {
        let from = json!({"in_scope": ["a", "b", "c"], "title": "T"});
        let to = json!({"in_scope": ["a", "c", "d x"], "owner": "Priya"});
        assert_eq!(
            lines(from, to),
            ["in_scope[1] removed: b", "in_scope[2] added: d x", "title removed: T", "owner added: Priya"]
        );
        assert_eq!(lines(json!({"a": ["x", "y"]}), json!({"a": ["x", "z"]})), ["a[1]: y → z"]);
        assert_eq!(lines(json!({"a": "one\ntwo"}), json!({"a": 2})), ["a: \"one\\ntwo\" → 2"]);
    }
}
