//! Progress of long runs: a bar on standard error when a person is watching a terminal; nothing
//! at all in CI, in a pipe or in a file, where a log of redrawn lines helps nobody.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// Work this small finishes before a bar would be worth drawing.
const AT_LEAST: usize = 50;

/// A count of finished items; cheap to advance from any thread.
pub struct Progress(ProgressBar);

impl Progress {
    /// A bar over `total` items labelled `what` ("documents"), or a silent counter.
    pub fn new(what: &str, total: usize) -> Progress {
        let watched = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        if !watched || total < AT_LEAST {
            return Progress(ProgressBar::hidden());
        }
        let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg} ({eta} left)")
            .expect("the template is valid")
            .progress_chars("=> ");
        let bar =
            ProgressBar::new(total as u64).with_style(style).with_prefix("building").with_message(what.to_owned());
        Progress(bar)
    }

    /// One more item done.
    pub fn done(&self) {
        self.0.inc(1);
    }

    /// `count` items that need no work (another shard's documents).
    pub fn skipped(&self, count: usize) {
        self.0.inc(count as u64);
    }

    /// Removes the bar, so that what is printed next starts on a clean line.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
