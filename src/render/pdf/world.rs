//! The typst `World`: an allow-list of in-memory files, the fonts of [`super::fonts`] and a fixed
//! date.
//!
//! # Fonts
//!
//! Only the fonts embedded in `typst-assets` and those of the workspace's `fonts/` folder are
//! used, never the system's, so a PDF looks the same on every machine:
//!
//! - Libertinus Serif (regular, italic, semibold, bold): body text and headings, unless
//!   `engage.yaml` chooses a workspace font (`fonts: {body:, headings:}`);
//! - New Computer Modern (+ Math): fallback serif and math;
//! - DejaVu Sans Mono: code.
//!
//! Together they cover Latin (with the accents of Western, Central and Eastern European
//! languages), Greek and Cyrillic. Chinese, Japanese, Korean, Arabic, Hebrew, Devanagari or Thai
//! text needs a font in `fonts/` that covers it: typst takes each character the chosen family
//! lacks from any font that has it.

use std::sync::{Arc, LazyLock, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::FontSet;

/// typst's standard library, shared by every document of the process.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("a valid absolute virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

macro_rules! virtual_file {
    ($fn:ident, $path:literal) => {
        pub(crate) fn $fn() -> FileId {
            static ID: LazyLock<FileId> = LazyLock::new(|| file_id($path));
            *ID
        }
    };
}

virtual_file!(main_id, "/main.typ");
virtual_file!(theme_id, "/theme.typ");
virtual_file!(body_id, "/body.typ");
virtual_file!(data_id, "/data.json");

/// The files of one document. The theme `Source` is shared between documents so
/// typst's memo cache reuses its parse and evaluation.
#[derive(Clone)]
pub(crate) struct Files {
    pub main: Source,
    pub theme: Source,
    pub body: Source,
    pub data: Bytes,
    /// Virtual path (e.g. `/logo.png`) and bytes.
    pub logo: Option<(FileId, Bytes)>,
}

pub(crate) struct EngageWorld {
    files: Files,
    fonts: Arc<FontSet>,
    today: Datetime,
}

impl EngageWorld {
    pub fn new(files: Files, fonts: Arc<FontSet>, date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        let today = Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
            .expect("a chrono date is a valid date");
        Self { files, fonts, today }
    }

    fn typst_source(&self, id: FileId) -> Option<&Source> {
        let files = &self.files;
        [&files.main, &files.theme, &files.body].into_iter().find(|source| source.id() == id)
    }
}

impl World for EngageWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.files.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.typst_source(id).cloned().ok_or(FileError::AccessDenied)
    }

    /// Serves the allow-list only: reading anything else (`/etc/passwd`, packages,
    /// other paths) is refused.
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.typst_source(id) {
            return Ok(Bytes::from_string(source.text().to_owned()));
        }
        if id == data_id() {
            return Ok(self.files.data.clone());
        }
        match &self.files.logo {
            Some((logo, bytes)) if *logo == id => Ok(bytes.clone()),
            _ => Err(FileError::AccessDenied),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    /// The document's date, never the clock.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// The virtual path of a logo named `name`: `/logo.<ext>` keeps the extension typst
/// uses to tell the image format; the rest of the user's file name is not used.
pub(crate) fn logo_id(name: &str) -> (FileId, String) {
    let ext: String = std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let path = if ext.is_empty() { "/logo".to_owned() } else { format!("/logo.{ext}") };
    (file_id(&path), path)
}
