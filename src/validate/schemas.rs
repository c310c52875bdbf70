//! The JSON Schemas, built into the binary and compiled once per run.

use crate::error::Error;
use crate::model::Kind;
use jsonschema::{Registry, Validator};
use serde_json::Value;
use std::sync::OnceLock;

/// Where engage's own validator files the schemas, so that their relative `$ref`s find each other.
/// The files carry no `$id`: a standard validator then resolves `common.schema.json` beside the
/// file it was given, where `engage init` and `engage schema --write` put it, instead of
/// fetching it from an address where nothing is published.
const BASE: &str = "engage:///schemas/";

/// Every schema file: `(file name, text)`.
pub const FILES: [(&str, &str); 11] = [
    ("common.schema.json", include_str!("../../schemas/common.schema.json")),
    ("engagement.schema.json", include_str!("../../schemas/engagement.schema.json")),
    ("proposal.schema.json", include_str!("../../schemas/proposal.schema.json")),
    ("statement-of-work.schema.json", include_str!("../../schemas/statement-of-work.schema.json")),
    ("change-request.schema.json", include_str!("../../schemas/change-request.schema.json")),
    ("lessons-learned.schema.json", include_str!("../../schemas/lessons-learned.schema.json")),
    ("escalation.schema.json", include_str!("../../schemas/escalation.schema.json")),
    ("complaint.schema.json", include_str!("../../schemas/complaint.schema.json")),
    ("decision-log.schema.json", include_str!("../../schemas/decision-log.schema.json")),
    ("settings.schema.json", include_str!("../../schemas/settings.schema.json")),
    ("document.schema.json", include_str!("../../schemas/document.schema.json")),
];

/// The schema of `engage.yaml`.
pub const SETTINGS: &str = "settings.schema.json";

/// The schema of any data file, which selects its kind's schema by `kind:`: for validators and
/// editors that map one schema to many files (engage itself validates each file by its kind).
pub const DOCUMENT: &str = "document.schema.json";

/// Where a workspace keeps copies of the schemas, for editors and validators that read files;
/// the data files' `# yaml-language-server: $schema=` lines point here.
pub const FOLDER: &str = ".engage/schemas";

/// A schema file by name: a kind (`StatementOfWork`, `statement-of-work`) or the stem of
/// another schema file (`settings`, `common`, `document`).
pub fn named(name: &str) -> Option<(&'static str, &'static str)> {
    let file = match name.parse::<Kind>() {
        Ok(kind) => file_name(kind),
        Err(()) => format!("{name}.schema.json"),
    };
    FILES.into_iter().find(|(n, _)| *n == file)
}

pub fn file_name(kind: Kind) -> String {
    format!("{}.schema.json", kind.stem())
}

/// Compiled validators and the parsed schema documents (read for descriptions and suggestions).
pub struct Schemas {
    documents: Vec<(&'static str, Value)>,
    validators: Vec<(String, Validator)>,
}

impl Schemas {
    /// The schemas, compiled once per process.
    pub fn shared() -> Result<&'static Schemas, Error> {
        static SHARED: OnceLock<Result<Schemas, String>> = OnceLock::new();
        let compiled = SHARED.get_or_init(|| Schemas::load().map_err(|e| e.to_string()));
        compiled.as_ref().map_err(|message| Error::Internal { what: "schema".into(), message: message.clone() })
    }

    fn load() -> Result<Schemas, Error> {
        let internal = |message: String| Error::Internal { what: "schema".into(), message };
        let documents = FILES
            .iter()
            .map(|(name, text)| {
                serde_json::from_str::<Value>(text).map(|v| (*name, v)).map_err(|e| internal(format!("{name}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let registry = documents
            .iter()
            .try_fold(Registry::new(), |registry, (name, value)| registry.add(format!("{BASE}{name}"), value.clone()))
            .and_then(|builder| builder.prepare())
            .map_err(|e| internal(e.to_string()))?;
        let names = Kind::ALL.map(file_name).into_iter().chain([SETTINGS.to_string()]);
        let validators = names
            .map(|name| {
                let schema = Schemas::find(&documents, &name).cloned().unwrap_or_default();
                jsonschema::options()
                    .with_base_uri(format!("{BASE}{name}"))
                    .with_registry(&registry)
                    .should_validate_formats(true)
                    .build(&schema)
                    .map_err(|e| internal(format!("{name}: {e}")))
                    .map(|v| (name, v))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Schemas { documents, validators })
    }

    fn find<'a>(documents: &'a [(&'static str, Value)], name: &str) -> Option<&'a Value> {
        documents.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The validator of a schema file (`proposal.schema.json`).
    pub fn validator(&self, schema: &str) -> &Validator {
        &self.validators.iter().find(|(n, _)| n == schema).expect("a validator for every schema").1
    }

    /// The sub-schema that describes the value at `pointer` in a document of `kind`, following
    /// `properties`, `items` and `$ref`s between the built-in schema files.
    pub fn at(&self, schema: &str, pointer: &str) -> Option<&Value> {
        self.walk(schema, pointer).map(|(resolved, _)| resolved)
    }

    /// The description of the value at `pointer`: the one written beside a `$ref` wins over the
    /// referenced definition's, being more specific.
    pub fn description(&self, schema: &str, pointer: &str) -> Option<&str> {
        let (resolved, own) = self.walk(schema, pointer)?;
        own.get("description").or_else(|| resolved.get("description")).and_then(Value::as_str)
    }

    /// `(resolved sub-schema, sub-schema as written)` at `pointer`.
    fn walk(&self, schema: &str, pointer: &str) -> Option<(&Value, &Value)> {
        let (name, root) = self.documents.iter().find(|(n, _)| *n == schema)?;
        let mut written = root;
        let mut current = self.resolve((root, name))?;
        for segment in pointer.split('/').skip(1) {
            let (schema, file) = current;
            written = if segment.parse::<usize>().is_ok() && schema.get("items").is_some() {
                schema.get("items")
            } else {
                schema.get("properties").and_then(|p| p.get(segment))
            }?;
            current = self.resolve((written, file))?;
        }
        Some((current.0, written))
    }

    /// Follows `$ref` chains (`#/$defs/x` or `common.schema.json#/$defs/x`).
    fn resolve<'a>(&'a self, (schema, file): (&'a Value, &'a str)) -> Option<(&'a Value, &'a str)> {
        let mut current = (schema, file);
        for _ in 0..16 {
            let Some(reference) = current.0.get("$ref").and_then(Value::as_str) else {
                return Some(current);
            };
            let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
            let target_file = if target.is_empty() { current.1 } else { target };
            let (name, document) = self.documents.iter().find(|(n, _)| *n == target_file)?;
            current = (document.pointer(fragment)?, name);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_compiles_and_describes_its_fields() {
        let schemas = Schemas::shared().expect("built-in schemas compile");
        for kind in Kind::ALL {
            let id = schemas.at(&file_name(kind), "/id").expect("every kind has an id");
            assert!(id.get("description").is_some(), "{kind}: id has a description");
        }
        let owner = schemas.at("statement-of-work.schema.json", "/deliverables/0/owner");
        assert!(owner.is_some(), "deliverable owner is found through $ref and items");
    }

    /// Descriptions become editor tooltips and help text: every property has one.
    #[test]
    fn every_property_is_described() {
        fn undescribed(node: &Value, path: String, out: &mut Vec<String>) {
            match node {
                Value::Object(map) => {
                    if let Some(Value::Object(properties)) = map.get("properties") {
                        let bare = properties.iter().filter(|(_, p)| p.get("description").is_none());
                        out.extend(bare.map(|(name, _)| format!("{path}/properties/{name}")));
                    }
                    map.iter().for_each(|(k, v)| undescribed(v, format!("{path}/{k}"), out));
                }
                Value::Array(items) => {
                    items.iter().enumerate().for_each(|(i, v)| undescribed(v, format!("{path}/{i}"), out))
                }
                _ => {}
            }
        }
        let mut missing = Vec::new();
        for (name, text) in FILES {
            undescribed(&serde_json::from_str(text).unwrap(), name.to_string(), &mut missing);
        }
        assert!(missing.is_empty(), "{missing:#?}");
    }

    /// Every sub-schema of every file with its path, for the shape checks below.
    fn nodes() -> Vec<(String, Value)> {
        fn walk(node: &Value, path: String, out: &mut Vec<(String, Value)>) {
            match node {
                Value::Object(map) => {
                    out.push((path.clone(), node.clone()));
                    map.iter().for_each(|(k, v)| walk(v, format!("{path}/{k}"), out));
                }
                Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| walk(v, format!("{path}/{i}"), out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        FILES.iter().for_each(|(name, text)| walk(&serde_json::from_str(text).unwrap(), name.to_string(), &mut out));
        out
    }

    /// Editors show what each choice means: every list of choices that a user writes has one
    /// description per value (the `if` of a condition is no choice of the user's).
    #[test]
    fn every_choice_is_described() {
        let undescribed: Vec<String> = nodes()
            .into_iter()
            .filter(|(path, node)| node.get("enum").is_some() && !path.contains("/if/"))
            .filter(|(_, node)| {
                let described = node.get("enumDescriptions").and_then(Value::as_array).map(Vec::len);
                described != node["enum"].as_array().map(Vec::len)
            })
            .map(|(path, _)| path)
            .collect();
        assert!(undescribed.is_empty(), "{undescribed:#?}");
    }

    /// A `$ref` with a constraint beside it reads as an `allOf` in the YAML language server, which
    /// then completes the key without its colon; a standard validator resolves relative `$ref`s
    /// against a `$id`, an address where nothing is published. Neither may come back.
    #[test]
    fn schemas_keep_the_shape_editors_and_validators_read() {
        const ANNOTATIONS: [&str; 6] = ["$ref", "description", "title", "examples", "default", "$comment"];
        for (path, node) in nodes() {
            let Some(map) = node.as_object() else { continue };
            assert!(!map.contains_key("$id"), "{path} has a $id");
            if map.contains_key("$ref") {
                let beside: Vec<&String> = map.keys().filter(|k| !ANNOTATIONS.contains(&k.as_str())).collect();
                assert!(beside.is_empty(), "{path}: {beside:?} beside $ref");
            }
        }
    }

    /// Each kind offers one snippet in an empty file, and it validates with engage's own validator.
    #[test]
    fn every_kind_has_a_valid_snippet() {
        let schemas = Schemas::shared().unwrap();
        for kind in Kind::ALL {
            let name = file_name(kind);
            let (_, text) = named(kind.name()).unwrap();
            let schema: Value = serde_json::from_str(text).unwrap();
            let snippets = schema["defaultSnippets"].as_array().expect("a defaultSnippets list");
            assert_eq!(snippets.len(), 1, "{name}");
            assert_eq!(snippets[0]["label"], format!("New {}", kind.name()));
            let body = accepted(&snippets[0]["body"]);
            let errors: Vec<String> = schemas.validator(&name).iter_errors(&body).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{name}: {errors:#?}");
        }
    }

    /// A snippet body as accepted unchanged: each `${n:value}` placeholder becomes its value.
    fn accepted(body: &Value) -> Value {
        match body {
            Value::String(text) => match text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
                Some(placeholder) => Value::String(placeholder.split_once(':').map_or("", |(_, v)| v).to_string()),
                None => body.clone(),
            },
            Value::Array(items) => Value::Array(items.iter().map(accepted).collect()),
            Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), accepted(v))).collect()),
            other => other.clone(),
        }
    }
}
