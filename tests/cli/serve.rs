//! `engage serve` as its users meet it: the real binary on an ephemeral port, asked over plain
//! HTTP, and a page open in headless Chromium while the data changes on disk.

use crate::release::{SOW, SOW_FILE, edit, released_twice};
use crate::support::Engage;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

const TITLE: &str = "Statement of Work – Project Compass route and depot optimisation";
const EDITED: &str = "Statement of Work – Project Lodestar route and depot optimisation";

/// `engage serve --port 0` running on a workspace; killed when dropped.
struct Served {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Served {
    fn start(engage: &Engage) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_engage"))
            .args(["serve", "--port", "0"])
            .current_dir(engage.path())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("engage runs");
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let log = Arc::new(Mutex::new(String::new()));
        let (url, found) = mpsc::channel();
        let kept = log.clone();
        // Read to the end: a full pipe would stop the server's next terminal line.
        let reader = std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if let Some(at) = line.find("http://") {
                    let _ = url.send(line[at..].split_whitespace().next().unwrap().to_string());
                }
                kept.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let mut served = Served { child, port: 0, log, reader: Some(reader) };
        let url = found.recv_timeout(Duration::from_secs(180)).expect("engage serve prints its URL");
        let port = url.trim_start_matches("http://127.0.0.1:").trim_end_matches('/');
        served.port = port.parse().unwrap_or_else(|_| panic!("{url} is not on 127.0.0.1"));
        served
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The status and body of a request sent as written (the path is not normalised).
    fn request(&self, method: &str, path: &str, host: &str) -> (u16, String) {
        let (status, body) = self.request_bytes(method, path, host);
        (status, String::from_utf8(body).expect("a text response"))
    }

    fn request_bytes(&self, method: &str, path: &str, host: &str) -> (u16, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(stream, "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let end = response.windows(4).position(|w| w == b"\r\n\r\n").map_or(response.len(), |at| at + 4);
        let head = String::from_utf8_lossy(&response[..end]);
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{head}"));
        (status, response[end..].to_vec())
    }

    /// Ctrl-C: the server says it stopped and exits with 0 within seconds.
    #[cfg(unix)]
    fn interrupted(mut self) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "engage serve still runs after Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(0));
        self.reader.take().unwrap().join().unwrap();
        assert!(self.log.lock().unwrap().ends_with("stopped\n"), "{}", self.log.lock().unwrap());
    }

    /// Waits until the server has printed `line`.
    fn logged(&self, line: &str) {
        let started = Instant::now();
        while !self.log.lock().unwrap().contains(line) {
            assert!(started.elapsed() < Duration::from_secs(10), "{}", self.log.lock().unwrap());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path, &format!("127.0.0.1:{}", self.port))
    }

    /// The body of a file that must be there.
    fn get_bytes(&self, path: &str) -> Vec<u8> {
        let (status, body) = self.request_bytes("GET", path, &format!("127.0.0.1:{}", self.port));
        assert_eq!(status, 200, "{path}");
        body
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The ID of every sample data file.
fn sample_ids(engage: &Engage) -> Vec<String> {
    let mut ids = Vec::new();
    for folder in std::fs::read_dir(engage.path().join("engagements")).unwrap() {
        for file in std::fs::read_dir(folder.unwrap().path()).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            let id = text.lines().find_map(|l| l.strip_prefix("id: ")).expect("every sample has an ID");
            ids.push(id.trim().to_string());
        }
    }
    assert!(ids.len() >= 15, "{ids:?}");
    ids
}

// Only generated pages and files of the output folder are served; other hosts, other methods
// and every way out of the folder are refused; the socket is bound to 127.0.0.1 only.
#[test]
fn serve_answers_only_what_it_should() {
    let engage = Engage::samples();
    let served = Served::start(&engage);
    let (status, index) = served.get("/");
    assert_eq!(status, 200, "{index}");
    for id in sample_ids(&engage) {
        assert!(index.contains(&format!("<a href=\"/doc/{id}\">{id}</a>")), "{id} is not in the index:\n{index}");
    }
    let (status, html) = served.get(&format!("/out/{SOW}.html"));
    assert_eq!((status, html.contains(TITLE)), (200, true), "{html}");
    assert!(index.contains("<a href=\"/out/ESR-NWL-2026.html\">Escalation Register</a>"), "{index}");
    let (status, register) = served.get("/out/ESR-NWL-2026.html");
    assert_eq!((status, register.contains("ESC-NWL-2026-002")), (200, true), "{register}");

    #[cfg(unix)]
    std::os::unix::fs::symlink(engage.path().join("engage.yaml"), engage.path().join("out/settings.html")).unwrap();
    for path in [
        "/../engage.yaml",
        "/out/../engage.yaml",
        "/out/%2e%2e/engage.yaml",
        "/out/%2e%2e%2fengage.yaml",
        "/out/..%2Fengage.yaml",
        "/out/%2E%2E%2Fengage.yaml",
        "/%2e%2e/engage.yaml",
        "/engage.yaml",
        "/out/settings.html",
        "/out/.engage.lock",
        "/doc/../engage.yaml",
    ] {
        let (status, body) = served.get(path);
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.contains("Harbour & Finch"), "{path} leaks the settings: {body}");
    }

    let port = served.port;
    for host in [format!("evil.example:{port}"), format!("127.0.0.1:{}", port.wrapping_add(1)), String::new()] {
        assert_eq!(served.request("GET", "/", &host).0, 403, "Host: {host}");
    }
    assert_eq!(served.request("GET", "/", &format!("localhost:{port}")).0, 200);
    for path in ["/", "/events"] {
        assert_eq!(served.request("HEAD", path, &format!("localhost:{port}")), (200, String::new()), "HEAD {path}");
    }
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        assert_eq!(served.request(method, "/", &format!("localhost:{port}")).0, 405, "{method}");
    }
    #[cfg(target_os = "linux")]
    assert_eq!(listening_addresses(port), ["0100007F"], "bound to 127.0.0.1 only");
    #[cfg(unix)]
    served.interrupted();
}

// Listening on another address takes --bind, and says who can then read the documents.
#[test]
fn another_address_is_chosen_and_warned_about() {
    let engage = Engage::minimal();
    let mut child = Command::new(env!("CARGO_BIN_EXE_engage"))
        .args(["serve", "--port", "0", "--bind", "0.0.0.0"])
        .current_dir(engage.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("engage runs");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (line, read) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = line.send(stderr.lines().next().and_then(Result::ok));
    });
    let warning = read.recv_timeout(Duration::from_secs(60)).ok().flatten().unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(warning.starts_with("warning: listening on 0.0.0.0:"), "{warning}");
    assert!(warning.ends_with("anyone who can reach this machine can read the workspace's documents"), "{warning}");
}

/// The local addresses (as the kernel writes them) of the sockets listening on `port`.
#[cfg(target_os = "linux")]
fn listening_addresses(port: u16) -> Vec<String> {
    let mut found = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        for line in std::fs::read_to_string(table).unwrap_or_default().lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (address, listening) = (fields[1], fields[3] == "0A");
            if listening && address.ends_with(&format!(":{port:04X}")) {
                found.push(address.split(':').next().unwrap().to_string());
            }
        }
    }
    found
}

/// Reads the event stream until an event with this data arrives.
fn await_event(stream: &mut BufReader<TcpStream>, data: &str) {
    let mut line = String::new();
    while line.trim_end() != format!("data: {data}") {
        line.clear();
        assert!(stream.read_line(&mut line).unwrap() > 0, "the event stream ended before data: {data}");
    }
}

// A save reaches open pages as an event within a second; the page shows the new data, the
// located finding of a broken file instead of the outdated document, and the document again
// once the file is corrected.
#[test]
fn every_save_is_announced_and_rebuilt() {
    let engage = Engage::samples();
    let served = Served::start(&engage);
    let mut events = TcpStream::connect(("127.0.0.1", served.port)).unwrap();
    events.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(events, "GET /events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", served.port).unwrap();
    let mut events = BufReader::new(events);
    await_event(&mut events, "1");

    let saved = Instant::now();
    edit(&engage, SOW_FILE, &format!("title: {TITLE}"), &format!("title: {EDITED}"));
    await_event(&mut events, "2");
    let elapsed = saved.elapsed();
    assert!(elapsed < Duration::from_secs(2), "the rebuild was announced after {elapsed:?}");
    let (_, page) = served.get(&format!("/doc/{SOW}"));
    assert!(page.contains(&format!("<title>{SOW} {EDITED}</title>")), "{page}");
    // The PDF link, followed at once, waits for the PDF of the new data.
    let pdf = served.get_bytes(&format!("/out/{SOW}.pdf"));
    let saved_pdf = engage.path().join("saved.pdf");
    std::fs::write(&saved_pdf, pdf).unwrap();
    assert!(crate::pdf::pdf_text(&saved_pdf).contains("Project Lodestar"), "the PDF is the saved data's");
    // The line is printed before pages are told; this test reads it from the pipe a moment later.
    // A change of data only rebuilds the formats the page shows first, then the others.
    served.logged(&format!("changed {SOW_FILE}: rebuilt in "));
    served.logged("  and the other formats in ");

    edit(&engage, SOW_FILE, &format!("title: {EDITED}"), &format!("title: {EDITED}\n  broken: [unclosed"));
    await_event(&mut events, "3");
    let (_, page) = served.get(&format!("/doc/{SOW}"));
    assert!(page.contains(&format!("<code>{SOW_FILE}:5:9</code> error YAML-001")), "{page}");
    assert!(!page.contains(EDITED), "a stopped build shows no outdated document:\n{page}");

    edit(&engage, SOW_FILE, "\n  broken: [unclosed", "");
    await_event(&mut events, "4");
    let (_, page) = served.get(&format!("/doc/{SOW}"));
    assert!(page.contains(&format!("<title>{SOW} {EDITED}</title>")), "{page}");

    // The short way checks the whole workspace again: a placeholder saved is a finding at once.
    edit(&engage, SOW_FILE, &format!("title: {EDITED}"), &format!("title: {EDITED} [date of award]"));
    await_event(&mut events, "5");
    let (_, page) = served.get(&format!("/doc/{SOW}"));
    assert!(page.contains("`[date of award]` is a placeholder, still in the text"), "{page}");
    let checked = engage.run(&["check", "--format", "json"]).json();
    let placeholders = checked["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "TXT-001").count();
    assert_eq!(placeholders, 1, "{checked}");
}

// A document page lists its revisions with redlines between them and against the working copy;
// the redline is the one `engage diff --format html` writes; the index shows the revision and how
// the working copy stands against it.
#[test]
fn revisions_and_redlines_are_one_click_away() {
    let engage = released_twice();
    let served = Served::start(&engage);
    let (status, page) = served.get(&format!("/doc/{SOW}"));
    assert_eq!(status, 200, "{page}");
    for link in [
        format!("<a href=\"/doc/{SOW}/redline?from=1&amp;to=2\">redline from 1</a>"),
        format!("<a href=\"/doc/{SOW}/redline?from=2&amp;to=working\">redline to working copy</a>"),
        format!("<a href=\"/out/{SOW}.pdf\">PDF</a>"),
    ] {
        assert!(page.contains(&link), "{link} is not on the page:\n{page}");
    }
    let (status, redline) = served.get(&format!("/doc/{SOW}/redline?from=1&to=2"));
    assert_eq!(status, 200, "{redline}");
    let diff = engage.run(&["diff", SOW, "--from", "1", "--to", "2", "--format", "html"]);
    assert_eq!(redline, diff.stdout);
    assert!(redline.contains("revision 1 → revision 2: 4 lines added, 0 removed, 3 changed; 5 changes in the data."));
    let (status, unknown) = served.get(&format!("/doc/{SOW}/redline?from=9&to=working"));
    assert_eq!(status, 404, "{unknown}");
    let (_, index) = served.get("/?status=issued");
    assert!(
        index.contains(&format!("<a href=\"/doc/{SOW}\">{SOW}</a></td><td>{TITLE}</td><td>2</td><td>issued</td>")),
        "{index}"
    );
    let listed = engage.run(&["revisions", "--format", "json"]).json();
    let review =
        listed["documents"].as_array().unwrap().iter().find(|d| d["document"] == SOW).unwrap()["next_review"].clone();
    let review = review.as_str().expect("a statement of work has a review cycle");
    assert!(index.contains(&format!("<td>issued</td><td>none</td><td>{review}</td></tr>")), "{index}");
    let (_, drafts) = served.get("/?status=draft");
    assert!(!drafts.contains(&format!("/doc/{SOW}\"")) && drafts.contains("/doc/CR-NWL-2026-001\""), "{drafts}");
}

/// Headless Chromium driven over its DevTools pipe (fd 3 in, fd 4 out, messages ended by NUL),
/// with one page open; killed when dropped.
struct Browser {
    child: Child,
    input: std::process::ChildStdin,
    output: BufReader<std::process::ChildStdout>,
    session: String,
    next: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// `None` when there is no Chromium (outside CI only).
    fn open(url: &str) -> Option<Browser> {
        if !crate::support::have("chromium", "apt-get install chromium") {
            return None;
        }
        let profile = tempfile::tempdir().unwrap();
        // The shell gives Chromium the pipe on fds 3 and 4: std offers no other way without unsafe code.
        let command = format!(
            "exec chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
             --disable-component-update --disable-sync --user-data-dir='{}' --remote-debugging-pipe about:blank \
             3<&0 4>&1 >/dev/null 2>&1",
            profile.path().display()
        );
        let mut child =
            Command::new("sh").args(["-c", &command]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        let (input, output) = (child.stdin.take().unwrap(), BufReader::new(child.stdout.take().unwrap()));
        let mut browser = Browser { child, input, output, session: String::new(), next: 0, _profile: profile };
        let target = browser.call(None, "Target.createTarget", serde_json::json!({"url": url})).unwrap();
        let target = target["targetId"].clone();
        let attached = browser
            .call(None, "Target.attachToTarget", serde_json::json!({"targetId": target, "flatten": true}))
            .unwrap();
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        Some(browser)
    }

    fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        self.next += 1;
        let mut message = serde_json::json!({"id": self.next, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = session.into();
        }
        self.input.write_all(format!("{message}\0").as_bytes()).unwrap();
        loop {
            let mut bytes = Vec::new();
            assert!(self.output.read_until(0, &mut bytes).unwrap() > 0, "chromium closed its pipe");
            bytes.pop();
            let reply: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            if reply["id"] == self.next {
                return match reply.get("error") {
                    None => Ok(reply["result"].clone()),
                    Some(_) => Err(format!("{method}: {reply}")),
                };
            }
        }
    }

    /// The value of a JavaScript expression in the open page; empty while the page is reloading
    /// (Chromium answers that the page navigated).
    fn eval(&mut self, expression: &str) -> String {
        let session = self.session.clone();
        let params = serde_json::json!({"expression": expression, "returnByValue": true});
        match self.call(Some(&session), "Runtime.evaluate", params) {
            Ok(result) => result["result"]["value"].as_str().unwrap_or_default().to_string(),
            Err(_) => String::new(),
        }
    }

    /// How long until the expression's value contains `wanted` (at most `limit`, else a panic).
    fn until(&mut self, expression: &str, wanted: &str, limit: Duration) -> Duration {
        let started = Instant::now();
        loop {
            let value = self.eval(expression);
            if value.contains(wanted) {
                return started.elapsed();
            }
            assert!(started.elapsed() < limit, "{wanted:?} not in {expression} after {limit:?}:\n{value}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const BODY_TEXT: &str = "document.body ? document.body.innerText : ''";

// The preview in a real browser: the index lists every sample document; an open document page
// follows the file on disk without a manual reload: a new title within 2 s, the located
// finding when the YAML is broken, the document again when it is fixed.
#[test]
fn an_open_page_follows_the_data_in_chromium() {
    let engage = Engage::samples();
    let served = Served::start(&engage);
    let Some(mut index) = Browser::open(&served.url("/")) else { return };
    let wait = Duration::from_secs(60);
    for id in sample_ids(&engage) {
        index.until(BODY_TEXT, &id, wait);
    }
    drop(index);
    let mut page = Browser::open(&served.url(&format!("/doc/{SOW}"))).unwrap();
    page.until("document.title", TITLE, wait);
    page.until(BODY_TEXT, "No revision issued yet.", wait);

    edit(&engage, SOW_FILE, &format!("title: {TITLE}"), &format!("title: {EDITED}"));
    let elapsed = page.until("document.title", EDITED, Duration::from_secs(2));
    eprintln!("the open page showed the new title {elapsed:?} after the save");

    edit(&engage, SOW_FILE, &format!("title: {EDITED}"), &format!("title: {EDITED}\n  broken: [unclosed"));
    page.until(BODY_TEXT, &format!("{SOW_FILE}:5:9 error YAML-001"), Duration::from_secs(5));
    assert!(!page.eval(BODY_TEXT).contains("Lodestar"), "{}", page.eval(BODY_TEXT));

    edit(&engage, SOW_FILE, "\n  broken: [unclosed", "");
    page.until("document.title", EDITED, Duration::from_secs(5));
}
