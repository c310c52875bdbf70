//! The settings in `engage.yaml`, validated by `schemas/settings.schema.json` before they are read
//! here. Every step reads them; they name no step's types but the workspace's own (policy, outputs).

use super::Policy;
use super::outputs::Format;
use crate::model::Scheme;
use serde::Deserialize;
use std::path::PathBuf;

/// The language of documents whose engagement and workspace name none.
pub const DEFAULT_LANGUAGE: &str = "en";

/// The settings in `engage.yaml`. Unknown settings are refused so a typo does not pass silently.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub organisation: Organisation,
    /// Default currency (ISO 4217) for amounts written without one.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// `a4` or `letter`.
    #[serde(default = "default_paper")]
    pub paper: String,
    /// Accent colour of the documents, `#RRGGBB`.
    #[serde(default = "default_accent")]
    pub accent: String,
    /// Logo image shown on the documents, relative to the workspace.
    #[serde(default)]
    pub logo: Option<PathBuf>,
    /// Where `build` writes documents, relative to the workspace.
    #[serde(default = "default_output")]
    pub output: PathBuf,
    /// Largest data file read, in bytes.
    #[serde(default = "default_max_file_bytes")]
    pub max_file_bytes: u64,
    /// Seconds a template or the PDF theme may take for one document ([`crate::watchdog`]).
    #[serde(default = "default_render_time_limit")]
    pub render_time_limit: f64,
    /// Write PDF/A-2b (archival) PDFs.
    #[serde(default)]
    pub pdf_a: bool,
    /// The font families of the PDFs, from the embedded fonts and the workspace's `fonts/`.
    #[serde(default)]
    pub fonts: Fonts,
    /// The outputs `build` writes for each document (all of them unless set).
    #[serde(default = "default_outputs")]
    pub outputs: Vec<Format>,
    /// What `engage check` enforces.
    #[serde(default)]
    pub policy: Policy,
    /// How `engage release` labels revisions: `numeric` (1, 2, 3) or `letters` (A, B, C).
    #[serde(default)]
    pub revisions: Scheme,
    /// Document types a statement of work may name besides the built-in ones.
    #[serde(default)]
    pub document_types: Vec<String>,
    /// The language of documents whose engagement names none (`en`, `de`, `fr`, `es`...).
    #[serde(default = "default_language")]
    pub language: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
}

/// `fonts: {body:, headings:}`: font families by name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub headings: Option<String>,
}

fn default_language() -> String {
    DEFAULT_LANGUAGE.into()
}
fn default_currency() -> String {
    "GBP".into()
}
fn default_paper() -> String {
    "a4".into()
}
fn default_accent() -> String {
    "#1F4E79".into()
}
fn default_outputs() -> Vec<Format> {
    Format::ALL.to_vec()
}
fn default_output() -> PathBuf {
    "out".into()
}
fn default_render_time_limit() -> f64 {
    crate::watchdog::DEFAULT_SECONDS as f64
}
fn default_max_file_bytes() -> u64 {
    10 * 1024 * 1024
}
