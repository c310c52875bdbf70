//! Typesetting many documents at once.

use super::{DocumentMeta, PdfError, Typesetter};

/// Typesets `jobs` (Markdown, metadata) on `workers` threads, calling `done(index, result)` as
/// each document finishes (in any order, from the worker threads). Each document evicts typst's
/// memo cache when it finishes, so memory stays flat.
pub fn typeset_all<F>(ts: &Typesetter, jobs: &[(String, DocumentMeta)], workers: usize, done: F)
where
    F: Fn(usize, Result<Vec<u8>, PdfError>) + Sync,
{
    crate::parallel::for_each(jobs, workers, |index, (markdown, meta)| done(index, ts.typeset(markdown, meta)));
}
