//! Typesetting many documents at once.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{DocumentMeta, PdfError, Typesetter};

/// Stack for worker threads: typst recurses while laying out nested content.
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// Typesets `jobs` (Markdown, metadata) on `workers` plain threads pulling from a
/// shared queue, calling `done(index, result)` as each document finishes (in any
/// order, from the worker threads).
///
/// Plain threads, not rayon: typst uses rayon inside, and a rayon worker waiting on
/// typst would steal whole documents and nest them on its stack, so memory would grow
/// with the batch. Each document evicts typst's memo cache when it finishes, so
/// memory stays flat.
pub fn typeset_all<F>(ts: &Typesetter, jobs: &[(String, DocumentMeta)], workers: usize, done: F)
where
    F: Fn(usize, Result<Vec<u8>, PdfError>) + Sync,
{
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some((markdown, meta)) = jobs.get(index) else {
                break;
            };
            done(index, ts.typeset(markdown, meta));
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, jobs.len().max(1)) {
            std::thread::Builder::new()
                .name("engage-pdf".into())
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, work)
                .expect("spawn a typesetting thread");
        }
    });
}
