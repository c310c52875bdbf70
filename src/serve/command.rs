//! `engage serve [--port N] [--bind ADDR] [--open]`: builds the workspace, serves the preview and
//! rebuilds on every change until Ctrl-C.

use super::Shared;
use super::guard::Hosts;
use super::state::{Engagements, POLL, Snapshot, Stamps};
use crate::cli::ServeArgs;
use crate::cmd::Outcome;
use crate::diag::display_path;
use crate::error::Error;
use crate::workspace::Workspace;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

pub fn run(dir: Option<&Path>, args: &ServeArgs) -> Result<Outcome, Error> {
    let workspace = Workspace::find(dir)?;
    let address = SocketAddr::new(args.bind, args.port);
    let server = tiny_http::Server::http(address).map_err(|e| Error::Usage {
        message: format!("cannot listen on {address}: {e}"),
        hint: "choose another port with --port (0 picks a free one)".into(),
    })?;
    let listening = server.server_addr().to_ip().expect("an IP listener");
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {listening}: anyone who can reach this machine can read the workspace's documents"
        );
    }
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, stop.clone()).map_err(|e| Error::Usage {
            message: format!("cannot handle Ctrl-C: {e}"),
            hint: "run engage serve from a terminal".into(),
        })?;
    }
    let root = workspace.root.clone();
    let out = workspace.output_dir();
    let stamps = Stamps::of(&root, &out);
    let shared = Arc::new(Shared::new(root.clone(), Hosts::for_address(listening), Snapshot::take(&root, 1)));
    let url = match listening.ip().is_unspecified() {
        true => format!("http://127.0.0.1:{}/", listening.port()),
        false => format!("http://{listening}/"),
    };
    outln!("serving {} at {url} (Ctrl-C stops)", root.display());
    if args.open {
        open(&url);
    }
    watch(shared.clone(), stamps, out);
    while !stop.load(Ordering::Relaxed) {
        match server.recv_timeout(POLL) {
            Ok(Some(request)) => {
                let shared = shared.clone();
                std::thread::spawn(move || super::handle(&shared, request));
            }
            Ok(None) => {}
            Err(e) => {
                return Err(Error::Usage {
                    message: format!("the server stopped: {e}"),
                    hint: "start engage serve again".into(),
                });
            }
        }
    }
    let _finished = shared.rebuilding();
    outln!("stopped");
    Ok(Outcome::Clean)
}

/// Polls the workspace and rebuilds after every change, one terminal line each.
fn watch(shared: Arc<Shared>, mut stamps: Stamps, out: std::path::PathBuf) {
    std::thread::spawn(move || {
        let root = shared.root.clone();
        let mut generation = shared.snapshot().generation;
        loop {
            std::thread::sleep(POLL);
            let now = Stamps::of(&root, &out);
            let changed = now.changed(&stamps);
            if changed.is_empty() {
                continue;
            }
            stamps = now;
            let _rebuilding = shared.rebuilding();
            let started = Instant::now();
            generation += 1;
            let names: Vec<String> = changed.iter().map(|p| display_path(p.strip_prefix(&root).unwrap_or(p))).collect();
            let updated = shared.snapshot().update(&changed, generation);
            let (snapshot, rest) = match updated {
                Some(Ok((snapshot, engagements))) => (snapshot, Some(engagements)),
                Some(Err(error)) => (Snapshot::failed(generation, &error), None),
                None => (Snapshot::take(&root, generation), None),
            };
            let result = match &snapshot.view {
                Ok(view) if view.built => "rebuilt".to_string(),
                Ok(_) => "the build stopped (the page shows why)".to_string(),
                Err(_) => "the workspace cannot be loaded (the page shows why)".to_string(),
            };
            outln!("changed {}: {result} in {:.2} s", names.join(", "), started.elapsed().as_secs_f64());
            let snapshot = shared.replace(snapshot);
            if let Some(engagements) = rest {
                finish(&snapshot, &engagements, started);
            }
        }
    });
}

/// The other formats of the engagements a save rebuilt, after the page shows the save; a line
/// when they cannot be written, since the page does not show them.
fn finish(snapshot: &Snapshot, engagements: &Engagements, started: Instant) {
    match snapshot.finish(engagements) {
        Ok(true) => outln!("  and the other formats in {:.2} s", started.elapsed().as_secs_f64()),
        Ok(false) => outln!("  the other formats could not be written: run `engage build` to see why"),
        Err(error) => outln!("  the other formats could not be written: {error}"),
    }
}

/// Opens `url` in the default browser; a failure only costs a line.
fn open(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("could not open a browser ({opener}: {e}): open {url} yourself");
    }
}
