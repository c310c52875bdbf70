//! `engage serve`: a local web server over the workspace. It answers GET and HEAD only, and only
//! with pages it generates and files of the output folder; every save rebuilds the workspace
//! ([`state`]) and open pages reload through server-sent events (`/events`).

mod command;
pub mod guard;
pub mod pages;
pub mod state;

pub use command::run;

use crate::cmd::diff::Sides;
use crate::model::DocumentId;
use crate::record::Records;
use guard::Hosts;
use pages::Filter;
use state::{Snapshot, View};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response};

/// What every request handler shares: the latest snapshot, and its generation for `/events`.
pub struct Shared {
    pub root: PathBuf,
    pub hosts: Hosts,
    snapshot: RwLock<Arc<Snapshot>>,
    generation: Mutex<u64>,
    rebuilt: Condvar,
    /// Held while the outputs are written, so that Ctrl-C and a request for an output file wait
    /// until they are complete.
    rebuilding: Mutex<()>,
}

impl Shared {
    pub fn new(root: PathBuf, hosts: Hosts, snapshot: Snapshot) -> Shared {
        let generation = snapshot.generation;
        Shared {
            root,
            hosts,
            snapshot: RwLock::new(Arc::new(snapshot)),
            generation: Mutex::new(generation),
            rebuilt: Condvar::new(),
            rebuilding: Mutex::new(()),
        }
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits for the outputs being written to be complete, and keeps others from writing them
    /// while the guard lives.
    pub fn rebuilding(&self) -> MutexGuard<'_, ()> {
        self.rebuilding.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts a new snapshot in place and tells every open page.
    pub fn replace(&self, snapshot: Snapshot) -> Arc<Snapshot> {
        let generation = snapshot.generation;
        let snapshot = Arc::new(snapshot);
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = snapshot.clone();
        *self.generation.lock().unwrap_or_else(|e| e.into_inner()) = generation;
        self.rebuilt.notify_all();
        snapshot
    }
}

/// Answers one request.
pub fn handle(shared: &Shared, request: Request) {
    let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str().to_owned());
    if !shared.hosts.allows(host.as_deref()) {
        return reply(request, text(403, "Forbidden: this preview answers only to localhost.\n"));
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let allow = Header::from_bytes("Allow", "GET, HEAD").expect("a valid header");
        return reply(request, text(405, "Method not allowed: the preview only reads.\n").with_header(allow));
    }
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if path == "/events" {
        return match request.method() {
            Method::Get => events(shared, request),
            _ => reply(request, Response::from_data(Vec::new()).with_header(event_stream())),
        };
    }
    // An output file is served once the rebuild writing it is complete: after a save, the page
    // shows the new HTML while its PDF and Word document are still being written.
    if path.starts_with("/out/") {
        drop(shared.rebuilding());
    }
    let snapshot = shared.snapshot();
    let response = match &snapshot.view {
        Err(message) => {
            let body = format!(
                "<h1>The workspace cannot be loaded</h1>\n<pre>{}</pre>\n",
                crate::render::escape_html(message)
            );
            html(500, pages::page("engage: error", &snapshot, &body))
        }
        Ok(view) => route(view, &snapshot, path, query),
    };
    reply(request, response)
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn route(view: &View, snapshot: &Snapshot, path: &str, query: &str) -> Reply {
    if path == "/" {
        let filter = filter(query);
        return html(200, pages::page("engage: documents", snapshot, &pages::index(view, &filter)));
    }
    if let Some(rest) = path.strip_prefix("/out/") {
        return match guard::output_file(&view.workspace.output_dir(), rest) {
            Some(file) => match std::fs::read(&file) {
                Ok(bytes) => Response::from_data(bytes).with_header(content_type(&file)).with_header(no_store()),
                Err(_) => not_found(),
            },
            None => not_found(),
        };
    }
    let Some(rest) = path.strip_prefix("/doc/") else { return not_found() };
    if !view.built {
        return html(200, pages::page("engage: the build stopped", snapshot, &pages::stopped(view)));
    }
    let (id, redline) = match rest.strip_suffix("/redline") {
        Some(id) => (id, true),
        None => (rest, false),
    };
    let Some(doc) = DocumentId::parse(id).and_then(|id| view.checked.loaded.corpus.get(&id)) else {
        return not_found();
    };
    match redline {
        true => redline_page(view, doc, query),
        false => document(view, snapshot, doc),
    }
}

/// The document's HTML as `build` wrote it, with the preview's panel before `</body>`.
fn document(view: &View, snapshot: &Snapshot, doc: &crate::model::Document) -> Reply {
    let id = doc.id.as_ref().map_or("", |i| i.as_str());
    let Ok(built) = std::fs::read_to_string(view.workspace.output_dir().join(format!("{id}.html"))) else {
        return not_found();
    };
    let panel = pages::panel(view, doc, snapshot.generation);
    let page = match built.rfind("</body>") {
        Some(at) => format!("{}{panel}{}", &built[..at], &built[at..]),
        None => built + &panel,
    };
    html(200, page)
}

/// The HTML redline of `from` and `to` (revisions, or `working` for the working copy).
fn redline_page(view: &View, doc: &crate::model::Document, query: &str) -> Reply {
    let id = doc.id.clone().expect("found by its ID");
    let params = params(query);
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let records = Records::of(&view.workspace);
    let sides = Sides { workspace: &view.workspace, records: &records, register: &view.checked.register, id: &id };
    let (Some(from), to) = (get("from"), get("to").unwrap_or_else(|| "working".into())) else {
        return text(400, "Name the revisions to compare: ?from=1&to=working\n");
    };
    match (sides.side(&from), sides.side(&to)) {
        (Ok(from), Ok(to)) => {
            let comparison = crate::diff::Comparison { id: id.as_str(), from: &from, to: &to };
            html(200, crate::diff::html::page(&comparison))
        }
        (Err(error), _) | (_, Err(error)) => text(404, &format!("{error}\n")),
    }
}

/// Sends the generation of the latest snapshot now and after every rebuild, and a comment every
/// 15 seconds so a closed page is noticed (its write fails).
fn events(shared: &Shared, request: Request) {
    let mut writer = request.into_writer();
    // Straight to the socket, flushed after each event: an endless stream is no tiny_http response.
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n";
    let mut sent = None;
    let mut generation = *shared.generation.lock().unwrap_or_else(|e| e.into_inner());
    if writer.write_all(head.as_bytes()).is_err() {
        return;
    }
    loop {
        let message = match sent == Some(generation) {
            true => ": still here\n\n".to_string(),
            false => format!("data: {generation}\n\n"),
        };
        if writer.write_all(message.as_bytes()).and_then(|()| writer.flush()).is_err() {
            return;
        }
        sent = Some(generation);
        let guard = shared.generation.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = shared
            .rebuilt
            .wait_timeout_while(guard, Duration::from_secs(15), |g| *g == generation)
            .unwrap_or_else(|e| e.into_inner());
        generation = *guard;
    }
}

fn filter(query: &str) -> Filter {
    let mut filter = Filter::default();
    for (name, value) in params(query).into_iter().filter(|(_, v)| !v.is_empty()) {
        match name.as_str() {
            "engagement" => filter.engagement = Some(value),
            "kind" => filter.kind = Some(value),
            "status" => filter.status = Some(value),
            _ => {}
        }
    }
    filter
}

/// The `name=value` pairs of a query, decoded as forms encode them.
fn params(query: &str) -> Vec<(String, String)> {
    let pairs = query.split('&').filter(|p| !p.is_empty());
    pairs.map(|pair| pair.split_once('=').unwrap_or((pair, ""))).map(|(k, v)| (decode(k), decode(v))).collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn reply(request: Request, response: Reply) {
    // A page closed before its answer arrived is nothing to report.
    let _ = request.respond(response);
}

fn event_stream() -> Header {
    Header::from_bytes("Content-Type", "text/event-stream").expect("a valid header")
}

fn no_store() -> Header {
    Header::from_bytes("Cache-Control", "no-store").expect("a valid header")
}

fn html(status: u16, body: String) -> Reply {
    let kind = Header::from_bytes("Content-Type", "text/html; charset=utf-8").expect("a valid header");
    Response::from_data(body.into_bytes()).with_status_code(status).with_header(kind).with_header(no_store())
}

fn text(status: u16, body: &str) -> Reply {
    let kind = Header::from_bytes("Content-Type", "text/plain; charset=utf-8").expect("a valid header");
    Response::from_data(body.as_bytes().to_vec()).with_status_code(status).with_header(kind)
}

fn not_found() -> Reply {
    text(404, "Not found: the preview serves its pages and the files of the output folder.\n")
}

fn content_type(path: &std::path::Path) -> Header {
    let kind = match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("md") => "text/markdown; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("typ" | "txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    Header::from_bytes("Content-Type", kind).expect("a valid header")
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn queries_are_decoded_as_forms_send_them() {
        assert_eq!(decode("ENG-NWL%2D2026+x"), "ENG-NWL-2026 x");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
    }
}
