//! The schemas as an editor uses them: the YAML language server (npm `yaml-language-server`, the
//! engine of VS Code's YAML extension) driven over the Language Server Protocol on stdin and
//! stdout, one server process for every file. Without the server the tests are skipped outside
//! CI; under `CI` they fail.

use crate::support::Engage;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// How long one answer of the server may take (it reads and compiles the schemas on first use).
const PATIENCE: Duration = Duration::from_secs(60);

/// A running language server, with the diagnostics it has published so far, by file URI.
struct Server {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    published: BTreeMap<String, Vec<Value>>,
    /// The `yaml.schemas` setting, as `engage schema --vscode` prints it for the workspace.
    mapping: Value,
    /// Whether the server has asked for the settings and been answered.
    configured: bool,
}

impl Server {
    /// The server, initialised for the workspace of `engage` as VS Code opens it, with the
    /// mapping `engage schema --vscode` prints; `None` when it is not installed (outside CI only).
    fn start(engage: &Engage) -> Option<Server> {
        let mapping = engage.run(&["schema", "--vscode"]).json()["yaml.schemas"].clone();
        let spawned = Command::new("yaml-language-server")
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let mut child =
            crate::support::started(spawned, "yaml-language-server", "npm install -g yaml-language-server")?;
        let (sender, messages) = channel();
        let mut output = BufReader::new(child.stdout.take().unwrap());
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut output) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let input = child.stdin.take().unwrap();
        let mut server =
            Server { child, input, messages, next_id: 0, published: BTreeMap::new(), mapping, configured: false };
        let capabilities = json!({
            "workspace": {"configuration": true},
            "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}},
        });
        let root = uri(engage.path());
        server.request("initialize", json!({"processId": null, "rootUri": root, "capabilities": capabilities}));
        server.notify("initialized", json!({}));
        server.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
        // Files opened before the server has its settings would be checked without the mapping.
        while !server.configured {
            let message = server.messages.recv_timeout(PATIENCE).expect("the server asks for its settings");
            server.dispatch(message);
        }
        Some(server)
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its result, answering the server's own requests meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == id && message.get("method").is_none() {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
        }
    }

    /// The next message that is neither one of the server's requests nor diagnostics.
    fn receive(&mut self) -> Value {
        loop {
            let message = self.messages.recv_timeout(PATIENCE).expect("yaml-language-server answers within a minute");
            if let Some(other) = self.dispatch(message) {
                return other;
            }
        }
    }

    /// Answers a request of the server and keeps published diagnostics; returns anything else.
    fn dispatch(&mut self, message: Value) -> Option<Value> {
        match (message.get("id"), message["method"].as_str()) {
            (Some(id), Some(method)) => {
                let result = match method {
                    "workspace/configuration" => {
                        self.configured = true;
                        configuration(&message["params"]["items"], &self.mapping)
                    }
                    _ => Value::Null,
                };
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
                None
            }
            (None, Some("textDocument/publishDiagnostics")) => {
                let params = &message["params"];
                let diagnostics = params["diagnostics"].as_array().cloned().unwrap_or_default();
                self.published.insert(params["uri"].as_str().unwrap().to_string(), diagnostics);
                None
            }
            (None, Some(_)) => None,
            _ => Some(message),
        }
    }

    fn open(&mut self, path: &Path) {
        let text = std::fs::read_to_string(path).unwrap();
        let document = json!({"uri": uri(path), "languageId": "yaml", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": document}));
    }

    /// The diagnostics of an opened file, once the server has published them.
    fn diagnostics(&mut self, path: &Path) -> Vec<Value> {
        let uri = uri(path);
        while !self.published.contains_key(&uri) {
            let message = self.messages.recv_timeout(PATIENCE).expect("diagnostics within a minute");
            self.dispatch(message);
        }
        self.published[&uri].clone()
    }

    /// The completion items offered at a 0-based line and character of an opened file.
    fn completion(&mut self, path: &Path, line: usize, character: usize) -> Vec<Value> {
        let position = json!({"line": line, "character": character});
        let result =
            self.request("textDocument/completion", json!({"textDocument": {"uri": uri(path)}, "position": position}));
        result["items"].as_array().cloned().unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The settings an editor sends: validation and completion on, engage's mapping of schemas to
/// files, and no download of the public schema catalogue (the tests run offline).
fn configuration(items: &Value, mapping: &Value) -> Value {
    let yaml = json!({
        "validate": true, "completion": true, "hover": true,
        "schemaStore": {"enable": false}, "schemas": mapping,
    });
    let sections = items.as_array().map(Vec::as_slice).unwrap_or_default();
    sections.iter().map(|item| if item["section"] == "yaml" { yaml.clone() } else { json!({}) }).collect()
}

/// One LSP message: `Content-Length` header, blank line, JSON body; `None` at the end.
fn read_message(output: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if output.read_line(&mut line).ok()? == 0 {
            return None;
        }
        match line.trim_end() {
            "" => break,
            header => {
                if let Some(value) = header.strip_prefix("Content-Length: ") {
                    length = value.parse::<usize>().ok();
                }
            }
        }
    }
    let mut body = vec![0; length?];
    output.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The YAML files of a workspace an editor would open (hidden folders and outputs left out).
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let names = crate::faults::files_below(dir, false).into_keys();
    names.filter(|n| n.ends_with(".yaml") && !n.starts_with("out/")).map(|n| dir.join(n)).collect()
}

// Every file of the samples and of a new workspace, as shipped, shows no problem in the editor.
#[test]
fn valid_files_show_no_diagnostics() {
    let samples = Engage::samples();
    let fresh = Engage::empty();
    assert_eq!(fresh.run(&["init", "ws"]).code, 0);
    let files: Vec<PathBuf> = [yaml_files(samples.path()), yaml_files(&fresh.path().join("ws"))].concat();
    assert_eq!(files.len(), 17 + 3);
    let Some(mut server) = Server::start(&samples) else { return };
    files.iter().for_each(|f| server.open(f));
    for file in &files {
        let diagnostics = server.diagnostics(file);
        assert!(diagnostics.is_empty(), "{}: {diagnostics:#?}", file.display());
    }
}

/// `(file, text to replace, replacement)`: six faults of different kinds, one per file.
const FAULTS: [(&str, &str, &str); 6] = [
    ("engagements/northwind-logistics/engagement.yaml", "\nstage: delivery\n", "\nstage: Delivery\n"),
    ("engagements/northwind-logistics/sow.yaml", "    owner: ", "    ownr: "),
    ("engagements/northwind-logistics/proposal.yaml", "\ndate: 2026-02-06\n", "\ndate: 06/02/2026\n"),
    ("engagements/northwind-logistics/cr-001.yaml", "\nreason: ", "\nreasons: "),
    ("engagements/kittiwake-foods/esc-001.yaml", "\nseverity: critical\n", "\nseverity: 3\n"),
    ("engagements/kittiwake-foods/lessons-learned.yaml", "met: true", "met: yes"),
];

// Each fault is underlined in the editor on the line where `engage validate` reports it; the
// first file has lost its schema line, and is checked through the `yaml.schemas` mapping.
#[test]
fn faults_show_where_engage_reports_them() {
    let engage = Engage::samples();
    for (i, (file, from, to)) in FAULTS.into_iter().enumerate() {
        let text = engage.read(file);
        assert!(text.contains(from), "{file} holds {from:?}");
        let text = text.replacen(from, to, 1);
        let text = if i == 0 { text.split_once('\n').unwrap().1.to_string() } else { text };
        engage.write(file, &text);
    }
    let run = engage.run(&["validate", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let findings = run.json()["findings"].as_array().unwrap().clone();
    let Some(mut server) = Server::start(&engage) else { return };
    FAULTS.iter().for_each(|(file, ..)| server.open(&engage.path().join(file)));
    for (file, ..) in FAULTS {
        let lines: Vec<u64> =
            findings.iter().filter(|f| f["file"] == file).map(|f| f["line"].as_u64().unwrap()).collect();
        assert!(!lines.is_empty(), "engage finds the fault in {file}");
        let diagnostics = server.diagnostics(&engage.path().join(file));
        let shown: Vec<u64> = diagnostics.iter().map(|d| d["range"]["start"]["line"].as_u64().unwrap() + 1).collect();
        for line in lines {
            assert!(shown.contains(&line), "{file}: engage reports line {line}, the editor {diagnostics:#?}");
        }
    }
}

/// `(schema file, kind)` of every data kind, and the settings (which have no kind).
const SCHEMAS: [(&str, Option<&str>); 9] = [
    ("engagement.schema.json", Some("Engagement")),
    ("proposal.schema.json", Some("Proposal")),
    ("statement-of-work.schema.json", Some("StatementOfWork")),
    ("change-request.schema.json", Some("ChangeRequest")),
    ("lessons-learned.schema.json", Some("LessonsLearned")),
    ("escalation.schema.json", Some("Escalation")),
    ("complaint.schema.json", Some("Complaint")),
    ("decision-log.schema.json", Some("DecisionLog")),
    ("settings.schema.json", None),
];

// Completing a top-level key inserts `key:` (and the start of its value), for every key of
// every kind and of the settings.
#[test]
fn completion_inserts_each_top_level_key() {
    let engage = Engage::samples();
    let schemas = Engage::empty().run(&["schema"]).json();
    let mut files = Vec::new();
    for (schema, kind) in SCHEMAS {
        let first = kind.map(|k| format!("kind: {k}\n")).unwrap_or_default();
        let relative = format!("engagements/new/{schema}.yaml");
        engage.write(&relative, &format!("# yaml-language-server: $schema=../../.engage/schemas/{schema}\n{first}\n"));
        files.push((schema, engage.path().join(relative), if kind.is_some() { 2 } else { 1 }));
    }
    let Some(mut server) = Server::start(&engage) else { return };
    for (schema, file, line) in &files {
        server.open(file);
        let items = server.completion(file, *line, 0);
        let keys = schemas[*schema]["properties"].as_object().unwrap().keys().filter(|k| *k != "kind");
        for key in keys {
            let item = items.iter().find(|i| i["label"] == key.as_str());
            let item = item.unwrap_or_else(|| panic!("{schema}: `{key}` is not offered: {items:#?}"));
            let text = item["insertText"].as_str().or(item["textEdit"]["newText"].as_str()).unwrap_or_default();
            assert!(text.starts_with(&format!("{key}:")), "{schema}: `{key}` inserts {text:?}");
        }
    }
}

/// A snippet's text with each placeholder replaced by its default, as accepting it unchanged does.
fn accepted(snippet: &str) -> String {
    let mut text = String::new();
    let mut rest = snippet;
    while let Some(start) = rest.find('$') {
        text.push_str(&rest[..start]);
        rest = &rest[start + 1..];
        if let Some(inner) = rest.strip_prefix('{') {
            let end = inner.find('}').expect("a closed placeholder");
            let placeholder = &inner[..end];
            text.push_str(placeholder.split_once(':').map_or("", |(_, default)| default));
            rest = &inner[end + 1..];
        } else {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    text + rest
}

// In an empty file, each kind's snippet inserts a skeleton that `engage validate` accepts.
#[test]
fn snippets_insert_valid_skeletons() {
    let engage = Engage::minimal();
    let _ = std::fs::remove_dir_all(engage.path().join("engagements"));
    assert_eq!(engage.run(&["schema", "--write"]).code, 0);
    let Some(mut server) = Server::start(&engage) else { return };
    for (schema, kind) in SCHEMAS.iter().filter_map(|(s, k)| Some((s, (*k)?))) {
        let relative = format!("engagements/abc/{schema}.yaml");
        let link = format!("# yaml-language-server: $schema=../../.engage/schemas/{schema}\n");
        engage.write(&relative, &format!("{link}\n"));
        let file = engage.path().join(&relative);
        server.open(&file);
        let items = server.completion(&file, 1, 0);
        let label = format!("New {kind}");
        let item = items.iter().find(|i| i["label"] == label.as_str());
        let item = item.unwrap_or_else(|| panic!("{schema}: no snippet `{label}`: {items:#?}"));
        let snippet = item["insertText"].as_str().or(item["textEdit"]["newText"].as_str()).unwrap();
        engage.write(&relative, &format!("{link}{}\n", accepted(snippet)));
    }
    let run = engage.run(&["validate"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 errors, 0 warnings in 8 files"), "{}", run.stdout);
}
