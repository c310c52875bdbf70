//! The order of the modules: each uses only the modules before it, so that no step of the pipeline
//! depends on a later one and every piece can be read knowing only what comes before. The test
//! below holds the code to it; a new module takes its place in [`ORDER`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// From the building blocks up to the commands. `record` comes before `check` and `render` on
/// purpose: the register is plain data that both read (see the crate's documentation).
const ORDER: &[&str] = &[
    // Building blocks: text and positions, the meaning of the data, errors, files, signatures.
    "terminal",
    "parallel",
    "progress",
    "suggest",
    "watchdog",
    "facts",
    "source",
    "model",
    "error",
    "output",
    "diag",
    "clauses",
    "sign",
    // The workspace and the pipeline's steps.
    "validate",
    "workspace",
    "load",
    "record",
    "outline",
    "check",
    "render",
    "diff",
    "build",
    "report",
    "generate",
    // What the user runs.
    "cli",
    "cmd",
    "fuzzing",
    "serve",
    "app",
];

/// The modules each top-level module names as `crate::module` in its code (comments aside), with
/// a file that does; the crate root and this file aside.
fn uses() -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).expect("below src");
        let module = relative.components().next().expect("a name").as_os_str().to_string_lossy();
        let module = module.trim_end_matches(".rs").to_string();
        if matches!(module.as_str(), "lib" | "main" | "layers") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        let code = text.lines().filter(|line| !line.trim_start().starts_with("//"));
        for line in code {
            for (at, _) in line.match_indices("crate::") {
                let name: String =
                    line[at + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                assert!(!name.is_empty(), "{}: write one `use crate::module::…` per module", relative.display());
                if name != module {
                    found.entry(module.clone()).or_default().entry(name).or_insert_with(|| relative.to_path_buf());
                }
            }
        }
    }
    found
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn every_module_uses_only_the_modules_before_it() {
    let place = |name: &str| ORDER.iter().position(|m| *m == name);
    let mut wrong = Vec::new();
    for (module, used) in uses() {
        let at = place(&module).unwrap_or_else(|| panic!("add the module `{module}` to layers::ORDER"));
        for (name, file) in used {
            let other = place(&name).unwrap_or_else(|| panic!("add the module `{name}` to layers::ORDER"));
            if other > at {
                wrong.push(format!("{} uses `{name}`, which comes after `{module}`", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "move what is shared down a layer:\n{}", wrong.join("\n"));
}

#[test]
fn the_order_names_every_module_once() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).expect("lib.rs");
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|line| line.trim_start_matches("pub ").strip_prefix("mod "))
        .map(|name| name.trim_end_matches(';'))
        .filter(|name| *name != "layers")
        .collect();
    let mut listed = ORDER.to_vec();
    let mut declared_sorted = declared.clone();
    listed.sort_unstable();
    declared_sorted.sort_unstable();
    assert_eq!(listed, declared_sorted);
}
