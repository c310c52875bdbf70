//! Markdown + metadata → PDF, with typst embedded as a library.
//!
//! 1. [`markup::to_typst`] converts the Markdown body to typst markup in which every
//!    piece of user text is escaped: it shows as text and never runs as code.
//! 2. The metadata becomes `/data.json`, read by the theme as data.
//! 3. A generated `/main.typ` applies the theme (`templates/document.typ`, built in or
//!    overridden by the workspace) to the body.
//! 4. [`world::EngageWorld`] serves only these in-memory files, the embedded fonts and
//!    the document's date as `today()`; anything else is refused.
//! 5. typst lays the document out and `typst-pdf` writes it with an identifier derived
//!    from the document ID and a timestamp from its date, so the same input always
//!    gives the same bytes.
//!
//! typst keeps a process-wide memo cache; every [`Typesetter::typeset`] evicts old
//! entries after it finishes, so memory stays flat over thousands of documents.

mod columns;
mod error;
mod fonts;
pub mod markup;
mod world;

#[cfg(test)]
mod tests;

use crate::diag::display_path;
use std::path::PathBuf;

use typst::diag::Warned;
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, Source};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use error::PdfError;
pub use fonts::{FontChoice, FontFile};

use error::ThemeOrigin;
use fonts::FontSet;
use std::sync::Arc;
use world::{EngageWorld, Files};

/// The built-in theme; a workspace may override it with [`Theme::source`].
pub const BUILT_IN_THEME: &str = include_str!("../../../templates/document.typ");

/// How many documents back typst's memo cache keeps unused entries. Whatever every
/// document uses (theme, fonts) stays cached; 200 eight-page documents on two
/// workers peaked at ~136 MB with 3 against ~253 MB with 10, at the same speed.
const MEMO_MAX_AGE: usize = 3;

/// How the built-in theme is named in messages and in `--emit typst` output.
pub const THEME_PATH: &str = "templates/document.typ";

/// A document's metadata. All text here is user data: it is passed to typst as JSON
/// values and never becomes typst code.
#[derive(Debug, Clone)]
pub struct DocumentMeta {
    /// E.g. `SOW-NWL-2026-004`; also the PDF's permanent identifier.
    pub id: String,
    pub title: String,
    /// E.g. "Statement of Work"; the PDF's subject.
    pub kind_label: String,
    pub client: String,
    /// The consultancy whose document it is.
    pub organisation: String,
    /// Who issues it: the organisation, or the client for a client-issued statement of work.
    pub issuer: String,
    /// "Draft", or "1", "2", "A"…
    pub revision: String,
    /// Draws a DRAFT watermark on every page.
    pub draft: bool,
    /// "Draft", "Issued"…
    pub status: String,
    /// The document date: the PDF's timestamp and typst's `today()`, never the clock.
    pub date: chrono::NaiveDate,
    /// E.g. "Confidential"; printed in every footer.
    pub classification: String,
    pub author: String,
    /// PDF keywords; the document ID is always added first.
    pub keywords: Vec<String>,
    /// The register head an issued revision was issued on top of: printed in the footer and
    /// added to the keywords as `register-head:HASH`. `None` for drafts.
    pub register_head: Option<String>,
    /// The language of the document: the theme's fixed text (`pdf.*` of its catalogue), its
    /// date and hyphenation.
    pub language: Arc<crate::render::language::Language>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    UsLetter,
}

/// An image shown in the title block.
#[derive(Debug, Clone)]
pub struct Logo {
    /// The file name, e.g. `logo.png` or `logo.svg`: its extension tells the format.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A workspace's own `templates/document.typ`.
#[derive(Debug, Clone)]
pub struct ThemeSource {
    /// Where it was read from, for error messages.
    pub path: PathBuf,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Theme {
    pub paper: Paper,
    /// `#RRGGBB` (or `#RGB`), e.g. `#1F4E79`: headings, rules and table headers.
    pub accent: String,
    pub logo: Option<Logo>,
    /// Replaces the built-in theme when set.
    pub source: Option<ThemeSource>,
    /// Write PDF/A-2b (archival) files.
    pub pdf_a: bool,
    /// How long the theme may take to lay out one document ([`crate::watchdog`]).
    pub time_limit: std::time::Duration,
    /// The workspace's font files (`fonts/`), used besides the embedded ones.
    pub fonts: Vec<FontFile>,
    /// The families `engage.yaml` chooses for body text and headings.
    pub families: FontChoice,
}

/// Typesets documents with one theme. Cheap to share between threads (`Send + Sync`);
/// fonts and typst's standard library are loaded once per process.
pub struct Typesetter {
    theme: Theme,
    /// The parsed theme, shared by every document so typst can reuse its work.
    theme_source: Source,
    logo: Option<(FileId, String, Bytes)>,
    /// The embedded fonts and the workspace's.
    fonts: Arc<FontSet>,
}

impl Typesetter {
    /// Checks the theme: the accent colour, the fonts, the logo, and that the theme compiles and
    /// lays out a sample document.
    pub fn new(theme: Theme) -> Result<Self, PdfError> {
        check_accent(&theme.accent)?;
        let fonts = FontSet::with(&theme.fonts)?;
        check_families(&fonts, &theme.families)?;
        let text = theme.source.as_ref().map_or(BUILT_IN_THEME, |s| s.text.as_str());
        let theme_source = Source::new(world::theme_id(), text.to_owned());
        let logo = theme.logo.as_ref().map(|logo| {
            let (id, path) = world::logo_id(&logo.name);
            (id, path, Bytes::new(logo.bytes.clone()))
        });
        let typesetter = Self { theme, theme_source, logo, fonts };
        typesetter.check_logo()?;
        typesetter.typeset(SAMPLE_BODY, &sample_meta())?;
        Ok(typesetter)
    }

    /// The characters of `text` that no font has: the PDF would show them as empty boxes.
    pub fn lacks(&self, text: &str) -> Vec<char> {
        self.fonts.lacks(text)
    }

    /// Typesets one document to PDF bytes. The same input gives the same bytes.
    pub fn typeset(&self, markdown: &str, meta: &DocumentMeta) -> Result<Vec<u8>, PdfError> {
        self.typeset_markup(markup::to_typst(markdown, &meta.title), meta)
    }

    /// Typesets a body that is typst markup already, such as a redline. Every piece of user
    /// text in `body` must have been escaped ([`markup::escape_text`]).
    pub fn typeset_markup(&self, body: String, meta: &DocumentMeta) -> Result<Vec<u8>, PdfError> {
        let theme =
            self.theme.source.as_ref().map_or_else(|| format!("the built-in {THEME_PATH}"), |s| display_path(&s.path));
        let _guard = crate::watchdog::watch(self.theme.time_limit, &theme, &meta.id);
        let world = EngageWorld::new(self.files(body, meta), Arc::clone(&self.fonts), meta.date);
        let result = self.compile_and_export(&world, meta);
        // Keep what the last few documents used (the theme, fonts, shared clauses).
        typst::comemo::evict(MEMO_MAX_AGE);
        result
    }

    /// The complete typst sources of a document, as `(file name, bytes)`, for
    /// `engage build --emit typst`: `typst compile --ignore-system-fonts main.typ` in
    /// a folder holding these files gives the same pages.
    pub fn sources(&self, markdown: &str, meta: &DocumentMeta) -> Vec<(String, Vec<u8>)> {
        let files = self.files(markup::to_typst(markdown, &meta.title), meta);
        let mut out = vec![
            ("main.typ".to_owned(), files.main.text().as_bytes().to_vec()),
            ("theme.typ".to_owned(), files.theme.text().as_bytes().to_vec()),
            ("body.typ".to_owned(), files.body.text().as_bytes().to_vec()),
            ("data.json".to_owned(), files.data.to_vec()),
        ];
        if let Some((_, path, bytes)) = &self.logo {
            out.push((path.trim_start_matches('/').to_owned(), bytes.to_vec()));
        }
        out
    }

    fn files(&self, body: String, meta: &DocumentMeta) -> Files {
        Files {
            main: Source::new(world::main_id(), MAIN.to_owned()),
            theme: self.theme_source.clone(),
            body: Source::new(world::body_id(), body),
            data: Bytes::new(self.data_json(meta)),
            logo: self.logo.as_ref().map(|(id, _, bytes)| (*id, bytes.clone())),
        }
    }

    /// The metadata as the theme sees it (`meta` in `theme(meta, body)`).
    fn data_json(&self, meta: &DocumentMeta) -> Vec<u8> {
        let value = serde_json::json!({
            "id": meta.id,
            "title": meta.title,
            "kind_label": meta.kind_label,
            "client": meta.client,
            "organisation": meta.organisation,
            "issuer": meta.issuer,
            "revision": meta.revision,
            "draft": meta.draft,
            "status": meta.status,
            "date": meta.date.format("%Y-%m-%d").to_string(),
            "date_display": meta.language.date(meta.date),
            "lang": meta.language.get("format.typst_lang"),
            "labels": labels(&meta.language),
            "classification": meta.classification,
            "author": meta.author,
            "keywords": keywords(meta),
            "register_head": meta.register_head,
            "logo": self.logo.as_ref().map(|(_, path, _)| path),
            "paper": match self.theme.paper { Paper::A4 => "a4", Paper::UsLetter => "us-letter" },
            "accent": self.theme.accent,
            "fonts": self.theme.families.lists(),
        });
        serde_json::to_vec_pretty(&value).expect("metadata serialises to JSON")
    }

    fn compile_and_export(&self, world: &EngageWorld, meta: &DocumentMeta) -> Result<Vec<u8>, PdfError> {
        let origin = match &self.theme.source {
            Some(source) => ThemeOrigin::Workspace(&source.path),
            None => ThemeOrigin::BuiltIn,
        };
        let Warned { output, .. } = typst::compile::<PagedDocument>(world);
        let mut document = output.map_err(|diags| error::from_diagnostics(&diags, world, &origin, &meta.id))?;
        describe(document.info_mut(), meta);
        typst_pdf::pdf(&document, &self.pdf_options(meta)).map_err(|diags| {
            let first = diags.first();
            PdfError::Export {
                document: meta.id.clone(),
                message: first.map_or_else(|| "unknown error".into(), |d| d.message.to_string()),
                hints: first.map_or_else(Vec::new, |d| d.hints.iter().map(|h| h.v.to_string()).collect()),
            }
        })
    }

    fn pdf_options(&self, meta: &DocumentMeta) -> PdfOptions {
        use chrono::Datelike;
        let date = Datetime::from_ymd_hms(meta.date.year(), meta.date.month() as u8, meta.date.day() as u8, 0, 0, 0)
            .expect("a chrono date is a valid date");
        let standards = if self.theme.pdf_a { vec![PdfStandard::A_2b] } else { vec![] };
        PdfOptions {
            ident: Smart::Custom(meta.id.clone()),
            creator: Smart::Custom(Some(concat!("engage ", env!("CARGO_PKG_VERSION")).to_owned())),
            timestamp: Some(Timestamp::new_utc(date)),
            standards: PdfStandards::new(&standards).expect("PDF/A-2b alone is a valid standard list"),
            ..PdfOptions::default()
        }
    }

    /// Decodes the logo on its own, so a broken image is reported as the logo's fault.
    fn check_logo(&self) -> Result<(), PdfError> {
        let (Some(logo), Some((_, path, _))) = (&self.theme.logo, &self.logo) else {
            return Ok(());
        };
        let mut files = self.files(String::new(), &sample_meta());
        let probe = format!("#image({})", markup::string_literal(path));
        files.main = Source::new(world::main_id(), probe);
        let world = EngageWorld::new(files, Arc::clone(&self.fonts), sample_meta().date);
        let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
        output.map(drop).map_err(|diags| PdfError::Logo {
            name: logo.name.clone(),
            message: diags.first().map_or_else(String::new, |d| d.message.to_string()),
        })
    }
}

/// The PDF's title, author, subject and keywords, where the theme has not set them. They are set
/// here rather than by a `set document` rule in the theme: a rule whose values differ from one
/// document to the next would keep typst from reusing layout between documents.
fn describe(info: &mut typst::model::DocumentInfo, meta: &DocumentMeta) {
    info.title.get_or_insert_with(|| meta.title.as_str().into());
    info.description.get_or_insert_with(|| meta.kind_label.as_str().into());
    if info.author.is_empty() {
        info.author.push(meta.author.as_str().into());
    }
    if info.keywords.is_empty() {
        let id = std::iter::once(meta.id.clone());
        info.keywords = id.chain(keywords(meta)).map(Into::into).collect();
    }
}

/// The theme's fixed text in the document's language: `labels.document_id` is the catalogue's
/// `pdf.document_id`.
fn labels(language: &crate::render::language::Language) -> serde_json::Value {
    let keys = language.keys_under("pdf.");
    keys.into_iter().map(|(key, text)| (key.to_owned(), serde_json::Value::String(text.to_owned()))).collect()
}

/// The keywords besides the document ID: the metadata's, and the register head of an issued
/// revision as `register-head:HASH`.
fn keywords(meta: &DocumentMeta) -> Vec<String> {
    let head = meta.register_head.as_ref().map(|head| format!("register-head:{head}"));
    meta.keywords.iter().cloned().chain(head).collect()
}

/// The entry point: the theme applied to the body.
const MAIN: &str = "\
// Generated by engage. Compile with: typst compile --ignore-system-fonts main.typ
#import \"/theme.typ\": theme
#show: theme.with(json(\"/data.json\"))
#include \"/body.typ\"
";

/// Every family `engage.yaml` chooses must be a font engage has.
fn check_families(fonts: &FontSet, families: &FontChoice) -> Result<(), PdfError> {
    let chosen = [("body", &families.body), ("headings", &families.headings)];
    for (setting, family) in chosen.into_iter().filter_map(|(s, f)| Some((s, f.as_ref()?))) {
        if !fonts.has_family(family) {
            let (setting, family) = (format!("fonts.{setting}"), family.clone());
            return Err(PdfError::UnknownFamily { setting, family, available: fonts.families() });
        }
    }
    Ok(())
}

fn check_accent(accent: &str) -> Result<(), PdfError> {
    let hex = accent.strip_prefix('#').unwrap_or("");
    if matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(PdfError::Accent { value: accent.to_owned() })
    }
}

/// What `Typesetter::new` lays out to check a theme.
const SAMPLE_BODY: &str =
    "# Scope\n\nText with *emphasis*.\n\n## Fees\n\n| Item | Amount |\n|---|---:|\n| A | 1.00 |\n\n- one\n- two\n";

pub(crate) fn sample_meta() -> DocumentMeta {
    DocumentMeta {
        id: "a sample document (the theme check)".into(),
        title: "Sample".into(),
        kind_label: "Statement of Work".into(),
        client: "Client".into(),
        organisation: "Organisation".into(),
        issuer: "Organisation".into(),
        revision: "Draft".into(),
        draft: true,
        status: "Draft".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date"),
        classification: "Confidential".into(),
        author: "Author".into(),
        keywords: vec![],
        register_head: None,
        language: crate::render::language::english(),
    }
}
