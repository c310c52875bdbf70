//! The command-line tests: the real `engage` binary on workspaces in temporary folders.

mod bounded;
pub mod build;
mod check;
mod corpus;
mod diff;
mod escaping;
mod faults;
mod formats;
mod generate;
mod hostile_yaml;
mod init;
mod paths;
mod pdf;
pub mod release;
mod schema;
mod support;
mod validate;
mod verify;
