//! Step 1, load: find the data files, read them, parse them with positions, and recognise their
//! kind. Malformed files become findings; only missing paths and I/O failures stop the command.

use crate::diag::{Finding, RuleId};
use crate::error::Error;
use crate::model::{Corpus, Document, DocumentId, Kind};
use crate::source::{FileId, Pos, Sources, Span, yaml};
use crate::workspace::Workspace;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What loading produced: the text of every file read, the documents, and the problems found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Sources,
    pub corpus: Corpus,
    pub findings: Vec<Finding>,
}

/// Loads every data file of the workspace. Files are read and parsed on every core; the result is
/// in file order whatever the number of cores.
pub fn load(workspace: &Workspace) -> Result<Loaded, Error> {
    let files = workspace.data_files(&workspace.root)?;
    let read = crate::parallel::map(&files, crate::parallel::default_workers(), |path| read_file(workspace, path));
    assemble(read)
}

/// Loads the given data files on the calling thread, for work that is already spread over cores.
pub fn load_serially(workspace: &Workspace, files: &[PathBuf]) -> Result<Loaded, Error> {
    assemble(files.iter().map(|path| read_file(workspace, path)))
}

fn assemble(read: impl IntoIterator<Item = Result<File, Error>>) -> Result<Loaded, Error> {
    let mut loaded = Loaded::default();
    let mut docs = Vec::new();
    for file in read {
        docs.extend(file?.add_to(&mut loaded));
    }
    loaded.corpus = Corpus::new(docs);
    Ok(loaded)
}

/// Loads the workspace again after the data files `changed` (absolute paths) changed: those are
/// read and parsed anew, every other file's document is taken over from `before`, shared (a file
/// that held no document is read again). The result is what [`load`] gives now, in a fraction
/// of its time.
pub fn reload(workspace: &Workspace, before: &Loaded, changed: &BTreeSet<PathBuf>) -> Result<Loaded, Error> {
    let files = workspace.data_files(&workspace.root)?;
    let kept: HashMap<&Path, &Arc<Document>> = before.corpus.iter_shared().map(|d| (d.path.as_path(), d)).collect();
    let parts = files.iter().map(|path| match kept.get(workspace.relative(path)).filter(|_| !changed.contains(path)) {
        Some(doc) => Ok(Part::Kept(Arc::clone(doc), before.sources.get(doc.file).text.clone())),
        None => read_file(workspace, path).map(Part::Read),
    });
    let mut loaded = Loaded::default();
    let mut docs = Vec::new();
    for part in parts {
        docs.extend(part?.add_to(&mut loaded));
    }
    loaded.corpus = Corpus::shared(docs);
    Ok(loaded)
}

/// A data file read now, or a document taken over from an earlier load with its text.
enum Part {
    Read(File),
    Kept(Arc<Document>, String),
}

impl Part {
    fn add_to(self, loaded: &mut Loaded) -> Option<Arc<Document>> {
        match self {
            Part::Read(file) => file.add_to(loaded).map(Arc::new),
            Part::Kept(doc, text) => {
                let file = loaded.sources.add(doc.path.clone(), text);
                // The same files in the same order give each file the number it had.
                Some(match file == doc.file {
                    true => doc,
                    false => Arc::new(Document { file, ..Document::clone(&doc) }),
                })
            }
        }
    }
}

/// Adds one data file, given as bytes of `size` (the bytes are empty when it is over `limit`),
/// to `loaded`: its text to the sources, its problems to the findings. Returns its document when
/// it parses and names a known kind.
pub fn add(loaded: &mut Loaded, relative: PathBuf, size: u64, bytes: Vec<u8>, limit: u64) -> Option<Document> {
    File::parse(relative, size, bytes, limit).add_to(loaded)
}

fn read_file(workspace: &Workspace, path: &Path) -> Result<File, Error> {
    let relative = workspace.relative(path).to_path_buf();
    let limit = workspace.settings.max_file_bytes;
    // Measured before reading: a file far over the limit is never read into memory.
    let size = std::fs::metadata(path).map_err(|e| Error::read(path, e))?.len();
    let bytes = match size > limit {
        true => Vec::new(),
        false => std::fs::read(path).map_err(|e| Error::read(path, e))?,
    };
    Ok(File::parse(relative, size.max(bytes.len() as u64), bytes, limit))
}

/// One data file read and parsed: its kind and positioned value, or why it holds no document.
struct File {
    relative: PathBuf,
    text: String,
    content: Result<(Kind, yaml::Parsed), Problem>,
}

impl File {
    fn parse(relative: PathBuf, size: u64, bytes: Vec<u8>, limit: u64) -> File {
        let (text, problem) = decode(size, bytes, limit);
        let content = match problem {
            Some((at, message, help)) => {
                Err(Problem { rule: RuleId::UnreadableFile, start: at, end: at, message, help })
            }
            None => yaml::parse(&text)
                .map_err(|e| Problem {
                    rule: RuleId::YamlSyntax,
                    start: e.start,
                    end: e.end,
                    message: e.message,
                    help: e.help,
                })
                .and_then(|parsed| Ok((recognise(&parsed)?, parsed))),
        };
        File { relative, text, content }
    }

    /// Its text to the sources and its problem to the findings; its document, if it is one.
    fn add_to(self, loaded: &mut Loaded) -> Option<Document> {
        let File { relative, text, content } = self;
        let file = loaded.sources.add(relative.clone(), text);
        match content {
            Ok((kind, parsed)) => {
                let id = parsed.value.get("id").and_then(Value::as_str).and_then(DocumentId::parse);
                Some(Document { kind, id, file, path: relative, data: parsed.value, spans: parsed.spans })
            }
            Err(problem) => {
                loaded.findings.push(problem.finding(file));
                None
            }
        }
    }
}

/// Why a file yields no document: the rule, where, what is wrong and what to do.
struct Problem {
    rule: RuleId,
    start: Pos,
    end: Pos,
    message: String,
    help: String,
}

impl Problem {
    fn finding(self, file: FileId) -> Finding {
        Finding::error(self.rule, Span { file, start: self.start, end: self.end }, self.message, self.help)
    }
}

type Decoded = (Pos, String, String);

/// The file's text, or why it cannot be used. A byte-order mark is dropped.
fn decode(size: u64, bytes: Vec<u8>, limit: u64) -> (String, Option<Decoded>) {
    if size > limit {
        let message = format!("the file is {size} bytes, more than the limit of {limit}");
        let help = "split the data into smaller files, or raise `max_file_bytes` in engage.yaml".to_string();
        return (String::new(), Some((Pos::START, message, help)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text), None),
        Err(e) => {
            let valid = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]).into_owned();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let at = Pos { line: line as u32, column: column as u32 };
            let message = "the file is not UTF-8 text (is it a spreadsheet or a binary file?)".to_string();
            let help = "save the file as UTF-8 text; data files are YAML".to_string();
            (valid, Some((at, message, help)))
        }
    }
}

/// The kind named by the file's `kind:` field.
fn recognise(parsed: &yaml::Parsed) -> Result<Kind, Problem> {
    let kinds = Kind::ALL.map(Kind::name).join(", ");
    let whole = parsed.spans.locate("");
    let problem = |at: yaml::Located, message: String, help: String| Problem {
        rule: RuleId::UnknownKind,
        start: at.start,
        end: at.end,
        message,
        help,
    };
    let Value::Object(fields) = &parsed.value else {
        return Err(problem(
            whole,
            "this file is not a set of fields (`name: value` lines)".into(),
            format!("start the file with `kind:` and one of: {kinds}"),
        ));
    };
    let Some(kind) = fields.get("kind") else {
        return Err(problem(whole, "this file has no `kind:`".into(), format!("add `kind:` with one of: {kinds}")));
    };
    let at = parsed.spans.locate("/kind");
    let name = kind.as_str().unwrap_or_default();
    name.parse::<Kind>().map_err(|()| {
        let help = match crate::suggest::nearest(name, Kind::ALL.map(Kind::name)) {
            Some(near) => format!("did you mean `{near}`? The kinds are: {kinds}"),
            None => format!("use one of: {kinds}"),
        };
        problem(at, format!("unknown kind `{}`", kind.as_str().map_or_else(|| kind.to_string(), str::to_owned)), help)
    })
}

#[cfg(test)]
mod tests {
    use super::{decode, load, reload};
    use crate::source::Pos;
    use crate::workspace::Workspace;
    use std::collections::BTreeSet;
    use std::sync::Arc;

    #[test]
    fn a_reload_is_a_load_that_shares_what_did_not_change() {
        let dir = tempfile::tempdir().unwrap();
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        std::fs::copy(samples.join("engage.yaml"), dir.path().join("engage.yaml")).unwrap();
        let folder = dir.path().join("engagements/northwind-logistics");
        std::fs::create_dir_all(&folder).unwrap();
        for file in std::fs::read_dir(samples.join("engagements/northwind-logistics")).unwrap() {
            let file = file.unwrap().path();
            std::fs::copy(&file, folder.join(file.file_name().unwrap())).unwrap();
        }
        let workspace = Workspace::find(Some(dir.path())).unwrap();
        let before = load(&workspace).unwrap();
        let changed = folder.join("sow.yaml");
        let text = std::fs::read_to_string(&changed).unwrap();
        std::fs::write(&changed, text.replacen("title: ", "title: Changed ", 1).replacen("kind:", "kind: [", 1))
            .unwrap();

        let reloaded = reload(&workspace, &before, &BTreeSet::from([changed.clone()])).unwrap();
        let fresh = load(&workspace).unwrap();
        let summary = |loaded: &super::Loaded| {
            let docs: Vec<_> = loaded.corpus.iter().map(|d| (d.path.clone(), d.file, d.data.clone())).collect();
            let texts: Vec<_> = loaded.sources.iter().map(|(_, f)| (f.path.clone(), f.text.clone())).collect();
            (docs, texts, format!("{:?}", loaded.findings))
        };
        assert_eq!(summary(&reloaded), summary(&fresh));
        assert_eq!(reloaded.findings.len(), 1, "the broken file is a finding: {:?}", reloaded.findings);
        let shared = reloaded.corpus.iter_shared().filter(|d| before.corpus.iter_shared().any(|b| Arc::ptr_eq(b, d)));
        assert_eq!(shared.count(), before.corpus.len() - 1, "every document but the changed one is shared");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let (_, problem) = decode(21, b"kind: Proposal\ntitle: caf\xe9\n".to_vec(), 1000);
        assert_eq!(problem.unwrap().0, Pos { line: 2, column: 11 });
    }

    #[test]
    fn size_limit_and_bom() {
        assert!(decode(11, vec![b'a'; 11], 10).1.unwrap().1.contains("more than the limit of 10"));
        assert_eq!(decode(7, "\u{feff}a: 1".as_bytes().to_vec(), 100).0, "a: 1");
    }
}
