//! `engage serve [--port N] [--bind ADDR] [--open]`: builds the workspace, serves the preview and
//! rebuilds on every change until Ctrl-C.

use crate::app::Outcome;
use crate::cli::ServeArgs;
use crate::error::Error;
use crate::serve::guard::Hosts;
use crate::serve::state::{POLL, Snapshot, Stamps};
use crate::serve::{self, Shared};
use crate::workspace::Workspace;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
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
    // Held while rebuilding, so Ctrl-C waits for the outputs to be complete.
    let rebuilding = Arc::new(Mutex::new(()));
    watch(shared.clone(), rebuilding.clone(), stamps, out);
    while !stop.load(Ordering::Relaxed) {
        match server.recv_timeout(POLL) {
            Ok(Some(request)) => {
                let shared = shared.clone();
                std::thread::spawn(move || serve::handle(&shared, request));
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
    let _finished = rebuilding.lock().unwrap_or_else(|e| e.into_inner());
    outln!("stopped");
    Ok(Outcome::Clean)
}

/// Polls the workspace and rebuilds after every change, one terminal line each.
fn watch(shared: Arc<Shared>, rebuilding: Arc<Mutex<()>>, mut stamps: Stamps, out: std::path::PathBuf) {
    std::thread::spawn(move || {
        let root = shared.root.clone();
        let mut generation = shared.snapshot().generation;
        loop {
            std::thread::sleep(POLL);
            let now = Stamps::of(&root, &out);
            let changed = now.changed(&stamps, &root);
            if changed.is_empty() {
                continue;
            }
            stamps = now;
            let _rebuilding = rebuilding.lock().unwrap_or_else(|e| e.into_inner());
            let started = Instant::now();
            generation += 1;
            let snapshot = Snapshot::take(&root, generation);
            let result = match &snapshot.view {
                Ok(view) if view.built => "rebuilt".to_string(),
                Ok(_) => "the build stopped (the page shows why)".to_string(),
                Err(_) => "the workspace cannot be loaded (the page shows why)".to_string(),
            };
            outln!("changed {}: {result} in {:.2} s", changed.join(", "), started.elapsed().as_secs_f64());
            shared.replace(snapshot);
        }
    });
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
