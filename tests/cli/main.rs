//! The command-line tests: the real `engage` binary on workspaces in temporary folders.

mod bounded;
pub mod build;
mod check;
mod corpus;
mod delivery;
mod diff;
mod editors;
mod escaping;
mod faults;
mod formats;
mod generate;
mod hostile_yaml;
mod init;
mod paths;
pub mod pdf;
mod redline;
pub mod release;
mod report;
mod schema;
mod support;
mod validate;
mod verify;
