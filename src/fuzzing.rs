//! Entry points of the fuzz targets under `fuzz/`, shared with the tests that replay what fuzzing
//! found (`fuzz/regressions/`), so a fixed crash stays fixed in CI, where fuzzing itself does not run.
//!
//! Each entry point panics exactly when engage misbehaves: a panic anywhere in the pipeline, a
//! built-in template that fails on valid data, or typst markup that does not parse.

use crate::diag::{Human, Report, Severity};
use crate::load::{self, Loaded};
use crate::model::Corpus;
use crate::record::History;
use crate::render::pdf::markup;
use crate::render::{Overrides, Templates};
use crate::validate::Schemas;
use crate::workspace::{SETTINGS_FILE, Workspace};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The bundled samples: the workspace, its templates and every data file as bytes.
struct Samples {
    workspace: Workspace,
    templates: Templates,
    files: Vec<(PathBuf, Vec<u8>)>,
}

fn samples() -> &'static Samples {
    static SAMPLES: OnceLock<Samples> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/samples"));
        let workspace = Workspace::open(&root).expect("the samples have valid settings");
        let files = workspace
            .data_files(&root)
            .expect("the samples can be listed")
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path).expect("the samples can be read");
                (workspace.relative(&path).to_path_buf(), bytes)
            })
            .collect();
        let templates = Templates::compile(&Overrides::default(), &Default::default()).expect("built-in templates");
        Samples { workspace, templates, files }
    })
}

/// Load → validate → check → render Markdown (and its typst markup) of the samples, with one data
/// file replaced by `input` after its first byte, which picks the file.
pub fn pipeline(input: &[u8]) {
    let Some((&pick, replacement)) = input.split_first() else { return };
    let samples = samples();
    let workspace = &samples.workspace;
    let replaced = usize::from(pick) % samples.files.len();
    let mut loaded = Loaded::default();
    let mut docs = Vec::new();
    for (i, (path, bytes)) in samples.files.iter().enumerate() {
        let bytes = if i == replaced { replacement.to_vec() } else { bytes.clone() };
        let size = bytes.len() as u64;
        docs.extend(load::add(&mut loaded, path.clone(), size, bytes, workspace.settings.max_file_bytes));
    }
    loaded.corpus = Corpus::new(docs);
    let schemas = Schemas::shared().expect("built-in schemas");
    let mut findings = std::mem::take(&mut loaded.findings);
    findings.extend(crate::validate::corpus(&loaded.corpus, schemas));
    // `build` renders only a workspace without schema errors; so does this.
    let valid = !findings.iter().any(|f| f.severity == Severity::Error);
    let settings = loaded.sources.add(PathBuf::from(SETTINGS_FILE), workspace.text.clone());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date");
    let register = crate::record::Register::default();
    let context = crate::cmd::check::context(workspace, &loaded, &register, settings, today);
    findings.extend(crate::check::corpus(&context));
    let findings = crate::check::apply_policy(&context, findings);
    let report = Report::new(findings, loaded.sources.len());
    let names = crate::diag::FileNames::within(&workspace.root);
    Human::new(false).render(&loaded.sources, &report, &names);
    crate::diag::github(&loaded.sources, &report, &names);
    if !valid {
        return;
    }
    for doc in loaded.corpus.iter() {
        let rendered = crate::render::document(workspace, &loaded.corpus, &samples.templates, doc, &History::default())
            .unwrap_or_else(|e| panic!("a built-in template failed on valid data: {e:?}"));
        typst_parses(&markup::to_typst(&rendered.markdown, doc.title()));
    }
}

/// Markdown → typst markup: whatever the Markdown, the markup parses without errors.
pub fn markdown_to_typst(input: &[u8]) {
    let text = String::from_utf8_lossy(input);
    let (title, body) = text.split_once('\n').unwrap_or(("", &text));
    typst_parses(&markup::to_typst(body, title));
}

fn typst_parses(markup: &str) {
    let (errors, _) = typst::syntax::parse(markup).errors_and_warnings();
    assert!(errors.is_empty(), "the typst markup does not parse: {errors:?}\n{markup}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    /// Replays every input fuzzing once found a fault with, now fixed (`fuzz/regressions/TARGET/`).
    #[test]
    fn fuzzing_regressions_stay_fixed() {
        let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/regressions"));
        type Target = fn(&[u8]);
        let targets: [(&str, Target); 2] = [("pipeline", pipeline), ("markup", markdown_to_typst)];
        let mut replayed = 0;
        for (target, run) in targets {
            let mut inputs: Vec<_> = std::fs::read_dir(root.join(target)).into_iter().flatten().flatten().collect();
            inputs.sort_by_key(|e| e.path());
            for input in inputs {
                run(&std::fs::read(input.path()).expect("a regression input"));
                replayed += 1;
            }
        }
        assert!(replayed > 0, "no regression inputs in {}", root.display());
    }

    /// Any JSON value: scalars of every type, text with YAML, Markdown and typst syntax in it, and
    /// nested lists and mappings.
    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[ -~éß😀\u{202e}\n]{0,20}".prop_map(Value::String),
            prop::sample::select(vec!["2026-02-30", "2026-01-01", "approved", "delivery", "D1", "GBP", "-1", ""])
                .prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Every pointer into a value, the root aside.
    fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
        let children: Vec<(String, &Value)> = match value {
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
            _ => return,
        };
        for (key, child) in children {
            let pointer = format!("{at}/{key}");
            out.push(pointer.clone());
            pointers(child, &pointer, out);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// A sample document with some of its values replaced by arbitrary ones: loading,
        /// validation, the compliance checks, the reports and rendering never panic.
        #[test]
        fn check_never_panics_on_arbitrary_values(
            pick in 0u8..10,
            edits in prop::collection::vec((any::<prop::sample::Index>(), any_value()), 1..4),
        ) {
            let (_, bytes) = &samples().files[usize::from(pick) % samples().files.len()];
            let mut value = crate::source::yaml::parse(std::str::from_utf8(bytes).unwrap()).unwrap().value;
            for (index, replacement) in edits {
                let mut all = Vec::new();
                pointers(&value, "", &mut all);
                let pointer = index.get(&all);
                *value.pointer_mut(pointer).unwrap() = replacement;
            }
            let mut input = vec![pick];
            input.extend(serde_json::to_string_pretty(&value).unwrap().into_bytes());
            pipeline(&input);
        }
    }
}
