//! The redlines as their readers see them: the PDF through its text layer, the HTML page through
//! the DOM headless Chromium builds from it.

use crate::pdf::pdf_text;
use crate::release::{SOW, SOW_FILE, edit, released_twice};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Text with white space folded, so lines wrapped in the PDF still match.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// `--format pdf` writes the redline to out/ (PDF bytes never go to the terminal): both sides'
// document control, the superseded banner, the data changes, and the deleted and inserted words.
// Against the working copy it is a draft, and user text in it stays text.
#[test]
fn pdf_redline_shows_both_sides() {
    let engage = released_twice();
    let run = engage.run(&["diff", SOW, "--from", "1", "--to", "2", "--format", "pdf"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (1, "wrote out/SOW-NWL-2026-004-redline-1-to-2.pdf\n"),
        "{}",
        run.stderr
    );
    let text = pdf_text(&engage.path().join("out/SOW-NWL-2026-004-redline-1-to-2.pdf"));
    let flat = folded(&text);
    for expected in [
        "REDLINE · STATEMENT OF WORK",
        "revision 1 → revision 2: 4 lines added, 0 removed, 3 changed; 5 changes in the data.",
        "Superseded: revision 1 is no longer the issued revision.",
        "Reason First issue D4 moved to October",
        "Status Superseded Issued",
        "deliverables[D4].due: 2026-09-25 → 2026-10-09",
        "risks[R3].likelihood: low → medium",
    ] {
        assert!(flat.contains(expected), "{expected:?} is not in the redline:\n{text}");
    }
    // the old line, its deleted words, beside the new one with the inserted words
    let d4 = text.lines().find(|l| l.contains("25 September 2026 |")).unwrap_or_else(|| panic!("{text}"));
    assert!(d4.contains("9 October 2026 |"), "{d4}");

    let title = "Depot catchment rebalancing recommendations";
    edit(&engage, SOW_FILE, &format!("    title: {title}"), &format!("    title: '#read(\"/etc/passwd\") ] {title}'"));
    let run = engage.run(&["diff", SOW, "--from", "2", "--format", "pdf", "--out", "redline.pdf", "--exit-zero"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "wrote redline.pdf\n"), "{}", run.stderr);
    let flat = folded(&pdf_text(&engage.path().join("redline.pdf")));
    assert!(flat.contains("REVISION 2 → Draft STATUS Redline: revision 2 → working copy"), "{flat}");
    assert!(flat.contains("→ #read(\"/etc/passwd\") ] Depot catchment"), "{flat}");
}

/// Chromium's DOM of a page, opened with `args` besides the usual ones, or `None` when there is
/// no Chromium to run (outside CI only: under `CI=true` a missing Chromium fails the test).
pub fn dom(page: &Path, args: &[&str]) -> Option<String> {
    let profile = tempfile::tempdir().unwrap();
    let spawned = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .args(args)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = crate::support::started(spawned, "chromium", "apt-get install chromium")?;
    // Read as it comes: a DOM larger than the pipe's buffer would otherwise keep Chromium waiting.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut dom = String::new();
        stdout.read_to_string(&mut dom).map(|_| dom)
    });
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("chromium did not finish in two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(child.wait().unwrap().success(), "chromium failed");
    Some(reader.join().unwrap().expect("chromium writes UTF-8"))
}

/// The text of every `<tag>` element inside a `<td class="…">` of this class, in order.
fn marked(dom: &str, class: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let cell = format!("<td class=\"{class}\">");
    dom.split(&cell)
        .skip(1)
        .flat_map(|rest| {
            let cell = &rest[..rest.find("</td>").unwrap()];
            cell.split(&open).skip(1).map(|m| m[..m.find(&close).unwrap()].to_string()).collect::<Vec<_>>()
        })
        .collect()
}

// The HTML redline as a browser builds it: the deleted words inside the old lines, the inserted
// ones inside the new lines, the summary counts and the superseded banner.
#[test]
fn html_redline_in_headless_chromium() {
    let engage = released_twice();
    let run = engage.run(&["diff", SOW, "--from", "1", "--to", "2", "--format", "html", "--out", "redline.html"]);
    assert_eq!((run.code, run.stdout.as_str()), (1, "wrote redline.html\n"));
    let Some(dom) = dom(&engage.path().join("redline.html"), &[]) else { return };
    assert!(dom.contains("<tbody>"), "a DOM, as parsed, not the file:\n{dom}");
    assert_eq!(marked(&dom, "old", "del"), ["1", "25", "September", "Low"], "{dom}");
    assert_eq!(marked(&dom, "new", "ins"), ["2", "9", "October", "Medium"], "{dom}");
    assert_eq!(marked(&dom, "old", "ins"), Vec::<String>::new());
    assert!(dom.contains(
        "<p class=\"summary\">revision 1 → revision 2: 4 lines added, 0 removed, 3 changed; 5 changes in the data.</p>"
    ));
    assert!(dom.contains("<p class=\"banner\">Superseded: revision 1 is no longer the issued revision.</p>"), "{dom}");
}
