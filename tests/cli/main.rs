//! The command-line tests: the real `engage` binary on workspaces in temporary folders.

pub mod build;
mod check;
mod delivery;
mod diff;
mod escaping;
mod formats;
mod generate;
mod init;
pub mod pdf;
mod redline;
pub mod release;
mod report;
mod schema;
mod support;
mod validate;
mod verify;
