//! A time limit on work that runs workspace code: tera templates and the typst theme.
//!
//! Templates and themes are code; one that loops for ever (or for hours) would hang a build or a
//! CI job. Neither tera nor typst can be interrupted, and Rust threads cannot be killed, so the
//! limit is enforced on the process: a monitor thread checks every running [`Guard`], and when one
//! has run longer than its limit it reports which template was running for which document and
//! ends the process with exit code 1.
//!
//! Ending the process is safe by construction: every output is written to a temporary file and
//! renamed into place ([`crate::output`]), and a release's commit point is one rename of the
//! register ([`crate::record`]), so whatever was running is left either undone or done, never half
//! written. (A temporary `.engage-*` file being written at that moment may be left beside its
//! output; it is hidden and never read.)

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

/// The default limit per document, for each of Markdown, HTML and PDF: a real document takes a
/// fraction of a second.
pub const DEFAULT_SECONDS: u64 = 10;

/// How often the monitor looks; a limit is enforced within this much of its expiry.
const TICK: Duration = Duration::from_millis(50);

struct Watched {
    id: u64,
    deadline: Instant,
    limit: Duration,
    template: String,
    document: String,
}

static WATCHED: Mutex<Vec<Watched>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);
static MONITOR: Once = Once::new();

/// Work under a time limit, from [`watch`] until it is dropped.
#[must_use = "the limit applies while the guard lives"]
pub struct Guard {
    id: u64,
}

/// Starts the clock on `template` rendering `document` (both as shown to users).
pub fn watch(limit: Duration, template: &str, document: &str) -> Guard {
    MONITOR.call_once(|| {
        std::thread::Builder::new()
            .name("engage-watchdog".into())
            .spawn(monitor)
            .expect("the system can start a thread");
    });
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let watched =
        Watched { id, deadline: Instant::now() + limit, limit, template: template.into(), document: document.into() };
    WATCHED.lock().unwrap_or_else(|e| e.into_inner()).push(watched);
    Guard { id }
}

impl Drop for Guard {
    fn drop(&mut self) {
        WATCHED.lock().unwrap_or_else(|e| e.into_inner()).retain(|w| w.id != self.id);
    }
}

fn monitor() {
    loop {
        std::thread::sleep(TICK);
        let now = Instant::now();
        let watched = WATCHED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(late) = watched.iter().find(|w| w.deadline <= now) {
            eprintln!("{}", message(late));
            std::process::exit(1);
        }
    }
}

fn message(late: &Watched) -> String {
    let seconds = late.limit.as_secs_f64();
    format!(
        "error: {} was still rendering {} after {seconds} s, the limit: stopped\n\
         hint: a template that loops for ever or for very long cannot finish; correct it, or raise \
         `render_time_limit` (seconds per document) in engage.yaml",
        late.template, late.document
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guard_is_watched_until_dropped() {
        let guard = watch(Duration::from_secs(3600), "templates/proposal.md", "PRO-X-1");
        let watched = |id| WATCHED.lock().unwrap().iter().any(|w| w.id == id);
        assert!(watched(guard.id));
        let id = guard.id;
        drop(guard);
        assert!(!watched(id));
    }

    #[test]
    fn the_message_names_template_document_and_setting() {
        let late = Watched {
            id: 0,
            deadline: Instant::now(),
            limit: Duration::from_millis(1500),
            template: "templates/document.typ".into(),
            document: "SOW-A-1".into(),
        };
        assert!(message(&late).starts_with("error: templates/document.typ was still rendering SOW-A-1 after 1.5 s"));
    }
}
