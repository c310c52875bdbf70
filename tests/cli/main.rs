//! The command-line tests: the real `engage` binary on workspaces in temporary folders.

pub mod build;
mod escaping;
mod init;
mod schema;
mod support;
mod validate;
