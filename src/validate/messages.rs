//! Schema errors in words a bid manager understands.

use super::Schemas;
use crate::diag::{Finding, RuleId, field_path};
use crate::model::DocumentId;
use crate::source::FileId;
use crate::source::Span;
use crate::source::yaml::SpanTree;
use crate::suggest::nearest;
use jsonschema::error::{TypeKind, ValidationErrorKind as K};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;

/// What is being validated: a file's positions, its schema, and the document it is (if any).
pub struct Target<'a> {
    pub file: FileId,
    pub spans: &'a SpanTree,
    pub schema: &'a str,
    pub document: Option<&'a DocumentId>,
}

pub fn findings(target: &Target, schemas: &Schemas, error: &ValidationError) -> Vec<Finding> {
    let pointer = error.instance_path().as_str().to_owned();
    let node = target.spans.locate(&pointer);
    // Point at `key: value` as a whole where there is a key; the value alone otherwise.
    let node_span = Span { file: target.file, start: node.key.map_or(node.start, |k| k.0), end: node.end };
    let value_span = Span { file: target.file, start: node.start, end: node.end };
    let field = field_path(&pointer);
    let schema = schemas.at(target.schema, &pointer);
    let about = schemas.description(target.schema, &pointer);
    let finding =
        |rule, span, message: String, help: String| Finding::error(rule, span, message, help).at_field(field.clone());
    match error.kind() {
        K::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            if misspelt(error.instance(), &allowed(schema), name).is_some() {
                // Reported once, as the unknown field that was meant to be this one.
                return Vec::new();
            }
            let what = if field.is_empty() { "this document".to_string() } else { format!("`{field}`") };
            let help =
                format!("add `{name}:`{}", describe(schemas.description(target.schema, &format!("{pointer}/{name}"))));
            vec![finding(
                RuleId::MissingField,
                node_span,
                format!("{what} is missing the required field `{name}`"),
                help,
            )]
        }
        K::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|name| {
                let allowed = allowed(schema);
                let required = |near: &str| {
                    let listed = schema.and_then(|s| s.get("required")).and_then(Value::as_array);
                    listed.is_some_and(|r| r.iter().any(|n| n == near)) && error.instance().get(near).is_none()
                };
                let help = match nearest(name, allowed.iter().copied()) {
                    Some(near) if required(near) => format!("did you mean `{near}`? It is required here"),
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the fields allowed here are: {}", allowed.join(", ")),
                };
                let key = target.spans.locate_key(&pointer, name).unwrap_or((node.start, node.end));
                let child = if field.is_empty() { name.clone() } else { format!("{field}.{name}") };
                Finding::error(
                    RuleId::UnknownField,
                    Span { file: target.file, start: key.0, end: key.1 },
                    format!("unknown field `{name}`"),
                    help,
                )
                .at_field(child)
                .of(target.document)
            })
            .collect(),
        K::Type { kind } => {
            let expected = type_names(kind);
            let found = json_type_name(error.instance());
            let help = type_help(&expected, error.instance(), describe(about));
            vec![finding(RuleId::WrongType, value_span, format!("expected {expected}, found {found}"), help)]
        }
        K::Enum { options } => {
            let allowed: Vec<String> = options.as_array().map(|a| a.iter().map(plain).collect()).unwrap_or_default();
            let given = plain(error.instance());
            let help = match nearest(&given, allowed.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`? Allowed values: {}", allowed.join(", ")),
                None => format!("use one of: {}", allowed.join(", ")),
            };
            vec![finding(RuleId::ValueNotAllowed, value_span, format!("`{given}` is not an allowed value"), help)]
        }
        K::Constant { expected_value } => {
            let message = format!("`{}` is not allowed here", plain(error.instance()));
            vec![finding(RuleId::ValueNotAllowed, value_span, message, format!("write `{}`", plain(expected_value)))]
        }
        K::Format { format } => {
            let given = plain(error.instance());
            let (message, help) = match format.as_str() {
                "date" => (
                    format!("`{given}` is not a valid date"),
                    "write a real calendar date as YYYY-MM-DD, for example 2026-03-14".to_string(),
                ),
                "email" => (
                    format!("`{given}` is not a valid email address"),
                    "write an address such as name@example.com".to_string(),
                ),
                other => {
                    (format!("`{given}` is not a valid {other}"), describe(about).trim_start_matches(" — ").to_string())
                }
            };
            vec![finding(RuleId::ValueNotAllowed, value_span, message, help)]
        }
        K::Pattern { .. } => {
            let message = format!("`{}` does not have the required form", plain(error.instance()));
            let help = about.unwrap_or("see `engage schema` for the expected form").to_string();
            vec![finding(RuleId::ValueNotAllowed, value_span, message, help)]
        }
        K::MinItems { limit } => vec![finding(
            RuleId::ConstraintViolated,
            node_span,
            format!("needs at least {limit} {}", if *limit == 1 { "entry" } else { "entries" }),
            format!("add the missing entries{}", describe(about)),
        )],
        K::MinLength { .. } => vec![finding(
            RuleId::ConstraintViolated,
            node_span,
            "must not be empty".into(),
            format!("write a value{}", describe(about)),
        )],
        _ => vec![finding(
            RuleId::ConstraintViolated,
            value_span,
            error.to_string(),
            describe(about).trim_start_matches(" — ").to_string(),
        )],
    }
}

/// The property names a sub-schema allows.
fn allowed(schema: Option<&Value>) -> Vec<&str> {
    let properties = schema.and_then(|s| s.get("properties")).and_then(Value::as_object);
    properties.map(|p| p.keys().map(String::as_str).collect()).unwrap_or_default()
}

/// An unknown key of `object` that is most likely a misspelling of `name`.
fn misspelt<'a>(object: &'a Value, allowed: &[&str], name: &str) -> Option<&'a str> {
    let mut unknown = object.as_object()?.keys().map(String::as_str).filter(|k| !allowed.contains(k));
    unknown.find(|k| nearest(k, [name]).is_some())
}

fn describe(description: Option<&str>) -> String {
    description.map(|d| format!(" — {d}")).unwrap_or_default()
}

/// A value as the user wrote it, without JSON quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What to write instead. YAML reads some unquoted values as numbers or booleans (`0777`, `1e3`,
/// `true`), and YAML 1.1 habits (`no`, `on`) are text in YAML 1.2: both deserve a precise hint.
fn type_help(expected: &str, found: &Value, about: String) -> String {
    const YAML_11_BOOLEANS: [(&str, bool); 8] = [
        ("yes", true),
        ("no", false),
        ("on", true),
        ("off", false),
        ("y", true),
        ("n", false),
        ("Y", true),
        ("N", false),
    ];
    match found {
        Value::Number(_) | Value::Bool(_) if expected == "text" => {
            "quote it (for example \"0777\" or \"1.10\") so that it is read as text, exactly as written".to_string()
        }
        Value::String(text) if expected == "true or false" => {
            let lower = text.to_ascii_lowercase();
            match YAML_11_BOOLEANS.iter().find(|(word, _)| *word == lower || *word == text.as_str()) {
                Some((word, value)) => {
                    format!("write `{value}`: engage reads YAML 1.2, where `{word}` is text, not a boolean")
                }
                None => format!("write {expected} here{about}"),
            }
        }
        _ => format!("write {expected} here{about}"),
    }
}

fn type_names(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => type_name(*t).to_string(),
        TypeKind::Multiple(set) => set.iter().map(type_name).collect::<Vec<_>>().join(" or "),
    }
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Array => "a list",
        JsonType::Boolean => "true or false",
        JsonType::Integer => "a whole number",
        JsonType::Null => "nothing",
        JsonType::Number => "a number",
        JsonType::Object => "a set of fields",
        JsonType::String => "text",
    }
}

fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (an empty value)",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a set of fields",
    }
}
