//! Markdown → a Word document (`.docx`): the same Markdown as the HTML and PDF, read into
//! [`blocks`] and written as WordprocessingML ([`xml`]) in an OOXML package ([`package`]).
//!
//! The document uses Word's own styles (Title, Heading 1–3, List Bullet, List Number, a table
//! style whose header row repeats on every page), so a firm's house style applies: a workspace
//! `templates/reference.docx` (pandoc's convention) supplies the styles part. The running header
//! shows the title, ID and revision (and DRAFT until issued), the footer the classification and
//! "Page X of Y" as Word fields. The bytes depend only on the input.

pub mod blocks;
mod package;
pub mod xml;

use crate::render::pdf::{DocumentMeta, Logo, Paper};
use blocks::{Block, Blocks};
use std::borrow::Cow;
use xml::{Body, Change, Marked, Row};

/// The workspace's `templates/reference.docx`, whose styles a build uses when present.
pub const REFERENCE: &str = "reference.docx";

/// How a workspace's Word documents look.
#[derive(Debug, Clone)]
pub struct Theme {
    pub paper: Paper,
    /// `#RRGGBB`.
    pub accent: String,
    /// A PNG or JPEG logo, shown above the title (an SVG logo is left out: Word before 2016
    /// cannot show one).
    pub logo: Option<Logo>,
    /// The styles part: the workspace's reference document's, or the built-in styles in the
    /// accent colour. The same for every document of a build, so it is made and deflated once.
    pub styles: package::Deflated,
}

impl Theme {
    /// A theme with the styles of a reference document (see [`Theme::reference_styles`]), or
    /// the built-in ones.
    pub fn new(paper: Paper, accent: String, logo: Option<Logo>, reference: Option<String>) -> Theme {
        let styles = reference.unwrap_or_else(|| package::built_in_styles(paper, &accent));
        Theme { paper, accent, logo, styles: package::Deflated::of(&styles) }
    }

    /// Reads the styles part (`word/styles.xml`) of a reference document.
    pub fn reference_styles(bytes: &[u8]) -> Result<String, zip::result::ZipError> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
        let mut part = archive.by_name("word/styles.xml")?;
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut part, &mut styles)?;
        Ok(styles)
    }

    /// The width of the text between the margins, in twentieths of a point.
    pub fn text_width(&self) -> u32 {
        package::page_size(self.paper).0 - 2 * package::MARGIN
    }
}

/// The Word document of a rendered document, from its blocks (see [`blocks::of`]).
pub fn document(theme: &Theme, meta: &DocumentMeta, read: &Blocks) -> Vec<u8> {
    let mut body = Body::new(None, theme.text_width());
    for block in &read.blocks {
        write_block(&mut body, block, Change::Same);
    }
    package::write(theme, meta, &body.out, &read.list_starts, false)
}

/// A block written whole, as unchanged, inserted or deleted text.
pub fn write_block(body: &mut Body, block: &Block, change: Change) {
    let marked = |runs| marked(runs, change);
    match block {
        Block::Paragraph(p) => body.paragraph(p.style, change, None, p.runs.iter().map(|run| (change, run))),
        Block::Table(t) => {
            let head = Row { change, head: true, cells: t.head.iter().map(|c| marked(c)).collect() };
            let rows = t.rows.iter().map(|r| Row { change, head: false, cells: r.iter().map(|c| marked(c)).collect() });
            body.table(&t.align, &std::iter::once(head).chain(rows).collect::<Vec<_>>());
        }
    }
}

/// Runs, all with the same change, borrowed.
fn marked(runs: &[blocks::Run], change: Change) -> Marked<'_> {
    runs.iter().map(|r| (change, Cow::Borrowed(r))).collect()
}

/// A redline's Word document: `body` holds tracked changes, and the document opens with change
/// tracking on, so the reviewer's own edits are tracked too.
pub fn redline(theme: &Theme, meta: &DocumentMeta, body: &str, list_starts: &[u64]) -> Vec<u8> {
    package::write(theme, meta, body, list_starts, true)
}
