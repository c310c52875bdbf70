//! The typst `World`: an allow-list of in-memory files, embedded fonts and a fixed date.
//!
//! # Fonts
//!
//! Only the fonts embedded in `typst-assets` are used, never the system's, so a PDF
//! looks the same on every machine:
//!
//! - Libertinus Serif (regular, italic, semibold, bold): body text and headings;
//! - New Computer Modern (+ Math): fallback serif and math;
//! - DejaVu Sans Mono: code.
//!
//! Together they cover Latin (with the accents of Western, Central and Eastern
//! European languages), Greek and Cyrillic. There is no CJK, Arabic, Hebrew, Devanagari
//! or Thai: such text is typeset with missing-glyph boxes (typst warns, the PDF is still
//! written). To add a font, embed its file (`include_bytes!("fonts/MyFont.otf")`, an
//! OFL-licensed font) in [`fonts`] next to `typst_assets::fonts()`, and name its family
//! in the theme, e.g. `set text(font: ("Libertinus Serif", "Noto Sans CJK SC"))`.

use std::sync::{LazyLock, OnceLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Parsed fonts and the standard library, shared by every document of the process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts = fonts();
        Shared { library: LazyHash::new(Library::default()), book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
    })
}

/// The parsed font faces, shared with [`super::columns`], which measures table text with them.
pub(crate) fn embedded_fonts() -> &'static [Font] {
    &shared().fonts
}

/// Every font face engage typesets with (see the module documentation).
fn fonts() -> Vec<Font> {
    typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect()
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
    today: Datetime,
}

impl EngageWorld {
    pub fn new(files: Files, date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        let today = Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
            .expect("a chrono date is a valid date");
        Self { files, today }
    }

    fn typst_source(&self, id: FileId) -> Option<&Source> {
        let files = &self.files;
        [&files.main, &files.theme, &files.body].into_iter().find(|source| source.id() == id)
    }
}

impl World for EngageWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
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
        shared().fonts.get(index).cloned()
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
