//! Step 1, load: find the data files, read them, parse them with positions, and recognise their
//! kind. Malformed files become findings; only missing paths and I/O failures stop the command.

use crate::diag::{Finding, RuleId};
use crate::error::Error;
use crate::model::{Corpus, Document, DocumentId, Kind};
use crate::source::{FileId, Pos, Sources, Span, yaml};
use crate::workspace::Workspace;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What loading produced: the text of every file read, the documents, and the problems found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Sources,
    pub corpus: Corpus,
    pub findings: Vec<Finding>,
}

/// Loads the data files under `paths` (files or folders), or the whole workspace when empty.
pub fn load(workspace: &Workspace, paths: &[PathBuf]) -> Result<Loaded, Error> {
    let mut files = Vec::new();
    if paths.is_empty() {
        files = workspace.data_files(&workspace.root)?;
    }
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
        if metadata.is_dir() {
            files.extend(workspace.data_files(path)?);
        } else {
            files.push(path.clone());
        }
    }
    let mut loaded = Loaded::default();
    let mut docs = Vec::new();
    for path in files {
        if let Some(doc) = load_file(workspace, &path, &mut loaded)? {
            docs.push(doc);
        }
    }
    loaded.corpus = Corpus::new(docs);
    Ok(loaded)
}

fn load_file(workspace: &Workspace, path: &Path, loaded: &mut Loaded) -> Result<Option<Document>, Error> {
    let relative = workspace.relative(path).to_path_buf();
    let limit = workspace.settings.max_file_bytes;
    // Measured before reading: a file far over the limit is never read into memory.
    let size = std::fs::metadata(path).map_err(|e| Error::read(path, e))?.len();
    let bytes = match size > limit {
        true => Vec::new(),
        false => std::fs::read(path).map_err(|e| Error::read(path, e))?,
    };
    Ok(add(loaded, relative, size.max(bytes.len() as u64), bytes, limit))
}

/// Adds one data file, given as bytes of `size` (the bytes are empty when it is over `limit`),
/// to `loaded`: its text to the sources, its problems to the findings. Returns its document when
/// it parses and names a known kind.
pub fn add(loaded: &mut Loaded, relative: PathBuf, size: u64, bytes: Vec<u8>, limit: u64) -> Option<Document> {
    let (text, problem) = decode(size, bytes, limit);
    let file = loaded.sources.add(relative.clone(), text);
    if let Some((at, message, help)) = problem {
        loaded.findings.push(Finding::error(RuleId::UnreadableFile, Span::point(file, at), message, help));
        return None;
    }
    let parsed = match yaml::parse(&loaded.sources.get(file).text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let span = Span { file, start: e.start, end: e.end };
            loaded.findings.push(Finding::error(RuleId::YamlSyntax, span, e.message, e.help));
            return None;
        }
    };
    match recognise(file, &parsed) {
        Ok(kind) => {
            let id = parsed.value.get("id").and_then(Value::as_str).and_then(DocumentId::parse);
            Some(Document { kind, id, file, path: relative, data: parsed.value, spans: parsed.spans })
        }
        Err(finding) => {
            loaded.findings.push(*finding);
            None
        }
    }
}

type Problem = (Pos, String, String);

/// The file's text, or why it cannot be used. A byte-order mark is dropped.
fn decode(size: u64, bytes: Vec<u8>, limit: u64) -> (String, Option<Problem>) {
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
fn recognise(file: FileId, parsed: &yaml::Parsed) -> Result<Kind, Box<Finding>> {
    let kinds = Kind::ALL.map(Kind::name).join(", ");
    let whole = parsed.spans.locate("");
    let finding = |at: yaml::Located, message: String, help: String| {
        Box::new(Finding::error(RuleId::UnknownKind, Span { file, start: at.start, end: at.end }, message, help))
    };
    let Value::Object(fields) = &parsed.value else {
        return Err(finding(
            whole,
            "this file is not a set of fields (`name: value` lines)".into(),
            format!("start the file with `kind:` and one of: {kinds}"),
        ));
    };
    let Some(kind) = fields.get("kind") else {
        return Err(finding(whole, "this file has no `kind:`".into(), format!("add `kind:` with one of: {kinds}")));
    };
    let at = parsed.spans.locate("/kind");
    let name = kind.as_str().unwrap_or_default();
    name.parse::<Kind>().map_err(|()| {
        let help = match crate::suggest::nearest(name, Kind::ALL.map(Kind::name)) {
            Some(near) => format!("did you mean `{near}`? The kinds are: {kinds}"),
            None => format!("use one of: {kinds}"),
        };
        finding(at, format!("unknown kind `{}`", kind.as_str().map_or_else(|| kind.to_string(), str::to_owned)), help)
    })
}

#[cfg(test)]
mod tests {
    use super::decode;
    use crate::source::Pos;

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
