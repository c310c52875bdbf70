//! The command-line tests: the real `engage` binary on workspaces in temporary folders.

pub mod build;
mod check;
mod escaping;
mod formats;
mod generate;
mod init;
mod pdf;
mod schema;
mod support;
mod validate;
