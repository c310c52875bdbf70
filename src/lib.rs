//! engage turns client-engagement data, kept as YAML in a repository, into controlled documents.
//!
//! # Steps
//!
//! 1. [`load`]: find the workspace's data files, parse them keeping every node's position
//!    ([`source`]), recognise their [`model::Kind`].
//! 2. [`validate`]: check each document against its kind's JSON Schema, and that IDs are unique
//!    and every document belongs to an engagement. Problems are [`diag::Finding`]s, never early
//!    returns.
//!    [`outline`] runs steps 1 and 2 over the whole workspace as one streaming pass that keeps a
//!    compact record of each file, and groups the documents by engagement: `check`, `report`
//!    and `build` then load a batch of groups at a time, so their memory stays flat.
//! 3. [`check`]: the compliance rules of the engagement process, then the policy's severities and
//!    waivers.
//! 4. [`render`]: merge the data into tera templates to get Markdown, then HTML and PDF
//!    ([`render::pdf`], typst embedded).
//! 5. [`build`] and [`output`]: every document on all cores ([`parallel`]), a batch of
//!    engagements at a time, each output written atomically.
//! 6. [`record`]: document control. `release` issues a revision into the hash-chained register
//!    under `records/` with a write-once snapshot; the register fills each document's revision,
//!    status and history; [`diff`] compares revisions; `verify` proves the records unaltered.
//!    [`sign`]: approvals and releases signed with SSH keys, checked against allowed signers.
//!
//! 7. [`report`]: the management review across the workspace, with charts drawn by engage.
//!
//! Each step uses only the steps above it, with one part of [`record`] placed lower on purpose: the
//! register is plain data that [`check`] reads (approvals, periodic reviews) and [`render`] shows
//! (each document's [`record::History`]), so it depends on neither. Issuing a revision, which
//! renders the document and then records it, is the `release` command's work ([`cmd`]), above both.
//!
//! [`serve`] previews all of it in a browser: it runs `build` and `check` again on every save.
//!
//! [`app::run`] dispatches each command ([`cmd`]) over these steps and returns an
//! [`app::Outcome`]; errors that stop a command are [`error::Error`]s.

#[macro_use]
pub mod terminal;

pub mod app;
pub mod build;
pub mod check;
pub mod clauses;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod diff;
pub mod error;
pub mod fuzzing;
pub mod generate;
pub mod load;
pub mod model;
pub mod outline;
pub mod output;
pub mod parallel;
pub mod progress;
pub mod record;
pub mod render;
pub mod report;
pub mod serve;
pub mod sign;
pub mod source;
mod suggest;
pub mod validate;
pub mod watchdog;
pub mod workspace;
