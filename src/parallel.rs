//! A small pool of plain threads pulling items from a shared queue.
//!
//! Plain threads, not rayon: typst uses rayon inside, and a rayon worker waiting on typst would
//! steal whole documents and nest them on its stack, so memory would grow with the batch.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Stack of each worker: typst recurses while laying out nested content.
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// Runs `work(index, item)` for every item on up to `workers` threads; returns when all are done.
pub fn for_each<T: Sync>(items: &[T], workers: usize, work: impl Fn(usize, &T) + Sync) {
    let next = AtomicUsize::new(0);
    let worker = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else { break };
            work(index, item);
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, items.len().max(1)) {
            std::thread::Builder::new()
                .name("engage-worker".into())
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, worker)
                .expect("the system can start a thread");
        }
    });
}

/// The number of workers when none is asked for: one per core.
pub fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
