//! A small block-style YAML writer for generated data. Every string is written double-quoted with
//! JSON escapes, which YAML reads back exactly, so no value can change type or meaning.

use serde_json::Value;

pub fn emit(value: &Value) -> String {
    let mut out = String::new();
    block(value, 0, &mut out);
    out
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(o) if o.is_empty() => "{}".into(),
        other => other.to_string(),
    }
}

fn is_block(value: &Value) -> bool {
    matches!(value, Value::Array(a) if !a.is_empty()) || matches!(value, Value::Object(o) if !o.is_empty())
}

fn block(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (i, (key, item)) in map.iter().enumerate() {
                // The first key of a list item follows its dash on the same line.
                if i > 0 || !out.ends_with("- ") {
                    out.push_str(&pad);
                }
                if is_block(item) {
                    out.push_str(&format!("{key}:\n"));
                    block(item, indent + 2, out);
                } else {
                    out.push_str(&format!("{key}: {}\n", scalar(item)));
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&format!("{pad}- "));
                if is_block(item) {
                    if item.is_array() {
                        out.push('\n');
                    }
                    block(item, indent + 2, out);
                } else {
                    out.push_str(&format!("{}\n", scalar(item)));
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::emit;
    use serde_json::json;

    #[test]
    fn emitted_yaml_reads_back_as_the_same_value() {
        let value = json!({
            "kind": "Proposal", "n": 3, "ok": true, "none": null, "empty": [], "tricky": "no: #yes 'x' \"y\"\n1.10",
            "items": [{"id": "D1", "tags": ["a", "b"]}, [1, 2], "plain"], "nested": {"a": {"b": 1}},
        });
        let text = emit(&value);
        assert_eq!(crate::source::yaml::parse(&text).unwrap().value, value, "{text}");
    }
}
