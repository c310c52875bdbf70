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
//! Below the steps lie the building blocks they share: [`source`] (text and positions), [`model`]
//! (types that carry meaning, [`model::Revision`] among them), [`diag`] (findings and how they
//! are reported), [`sign`], and [`workspace`] (`engage.yaml`, its [`workspace::Policy`] and
//! [`workspace::outputs`]), which every step reads and which names no step's types.
//!
//! Each module uses only the modules below it, in the order that `src/layers.rs` writes down and
//! its test holds the code to; the steps keep their numbered order, with one part of [`record`]
//! placed lower on purpose: the register is plain data that [`check`]
//! reads (approvals, periodic reviews) and [`render`] shows (each document's
//! [`record::History`]), so it depends on neither. Issuing a revision, which renders the document
//! and then records it, is the `release` command's work ([`cmd`]), above both.
//!
//! [`app::run`] dispatches each command ([`cmd`]) over these steps and returns a
//! [`cmd::Outcome`]; errors that stop a command are [`error::Error`]s. [`serve`] previews all of
//! it in a browser: it runs the `build` and `check` commands again on every save.

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
pub mod facts;
pub mod fuzzing;
pub mod generate;
#[cfg(test)]
mod layers;
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
