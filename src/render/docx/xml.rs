//! WordprocessingML for the blocks: paragraphs, runs and tables, each run optionally marked as a
//! tracked insertion or deletion. User text only ever becomes the content of `w:t` (or
//! `w:delText`), escaped, so it can never be a field code, a hyperlink or a relationship.

use super::blocks::{Align, Format, Run, Style};
use std::borrow::Cow;
use std::fmt::Write;

/// Whether a run, paragraph or row is unchanged, or a tracked insertion or deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    Inserted,
    Deleted,
}

/// Who made the tracked changes, and when (`2026-03-01T00:00:00Z`).
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    pub date: String,
}

/// Runs of text and whether each changed: borrowed from the blocks when written whole, made
/// when compared word by word.
pub type Marked<'r> = Vec<(Change, Cow<'r, Run>)>;

/// A table row: a header row repeats on every page.
pub struct Row<'r> {
    pub change: Change,
    pub head: bool,
    pub cells: Vec<Marked<'r>>,
}

/// Text as XML character data: markup characters escaped, and the characters XML 1.0 cannot hold
/// (control characters other than tab and line breaks, U+FFFE, U+FFFF) left out.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// The bytes that stand for themselves in XML character data: not markup, not a control
/// character other than tab and line breaks, and not 0xEF, which starts U+FFFE and U+FFFF (the
/// other characters it starts are kept).
const PLAIN: [bool; 256] = {
    let mut plain = [true; 256];
    let mut b = 0;
    while b < 0x20 {
        plain[b] = matches!(b as u8, b'\t' | b'\n' | b'\r');
        b += 1;
    }
    let special = *b"&<>\"'\xEF";
    let mut i = 0;
    while i < special.len() {
        plain[special[i] as usize] = false;
        i += 1;
    }
    plain
};

/// [`escape`], appended to `out`: the runs of bytes that stand for themselves (most of the text)
/// are copied whole, between the few that are replaced or left out.
fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let (mut plain, mut at) = (0, 0);
    while at < bytes.len() {
        let b = bytes[at];
        if PLAIN[usize::from(b)] {
            at += 1;
            continue;
        }
        // Every byte that is not plain is ASCII or starts a character: `at` is a boundary.
        out.push_str(&text[plain..at]);
        let (replacement, length) = match b {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            0xEF if matches!(bytes.get(at + 1..at + 3), Some([0xBF, 0xBE | 0xBF])) => ("", 3),
            // Another character starting with 0xEF is kept, as the start of the next run.
            0xEF => ("", 0),
            _ => ("", 1),
        };
        out.push_str(replacement);
        plain = at + length;
        at += length.max(1);
    }
    out.push_str(&text[plain..]);
}

/// The body of a document being written.
pub struct Body<'a> {
    pub out: String,
    author: Option<&'a Author>,
    next_id: u32,
    /// The width of the text between the margins, in twentieths of a point.
    text_width: u32,
}

impl<'a> Body<'a> {
    /// A body whose changes, if any, are `author`'s.
    pub fn new(author: Option<&'a Author>, text_width: u32) -> Body<'a> {
        Body { out: String::new(), author, next_id: 1, text_width }
    }

    /// The attributes of a tracked change: its ID, author and date.
    fn mark(&mut self, tag: &str) -> String {
        let id = self.next_id;
        self.next_id += 1;
        let (name, date) = self.author.map_or(("", ""), |a| (a.name.as_str(), a.date.as_str()));
        format!("<w:{tag} w:id=\"{id}\" w:author=\"{}\" w:date=\"{}\"", escape(name), escape(date))
    }

    /// A paragraph; `mark` is the change of the paragraph itself (an inserted or deleted
    /// paragraph), its runs carry their own.
    pub fn paragraph<'r>(
        &mut self,
        style: Style,
        mark: Change,
        align: Option<Align>,
        runs: impl IntoIterator<Item = (Change, &'r Run)>,
    ) {
        self.out.push_str("<w:p><w:pPr><w:pStyle w:val=\"");
        self.out.push_str(style_id(style));
        self.out.push_str("\"/>");
        match style {
            Style::Bullet(level) => self.numbering(level, 1),
            Style::Number { level, list } => self.numbering(level, list + 2),
            _ => {}
        }
        match align {
            Some(Align::Right) => self.out.push_str("<w:jc w:val=\"right\"/>"),
            Some(Align::Center) => self.out.push_str("<w:jc w:val=\"center\"/>"),
            _ => {}
        }
        if mark != Change::Same {
            let tag = if mark == Change::Inserted { "ins" } else { "del" };
            let open = self.mark(tag);
            let _ = write!(self.out, "<w:rPr>{open}/></w:rPr>");
        }
        self.out.push_str("</w:pPr>");
        for (change, run) in runs {
            self.run(change, run);
        }
        self.out.push_str("</w:p>");
    }

    /// A list paragraph's level and numbering.
    fn numbering(&mut self, level: u8, id: usize) {
        let _ = write!(self.out, "<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{id}\"/></w:numPr>");
    }

    fn run(&mut self, change: Change, run: &Run) {
        if run.text.is_empty() {
            return;
        }
        let wrapper = match change {
            Change::Same => None,
            Change::Inserted => Some("ins"),
            Change::Deleted => Some("del"),
        };
        if let Some(tag) = wrapper {
            let open = self.mark(tag);
            self.out.push_str(&open);
            self.out.push('>');
        }
        self.out.push_str("<w:r>");
        properties(&mut self.out, run.format);
        let (open, close) = match change {
            Change::Deleted => ("<w:delText xml:space=\"preserve\">", "</w:delText>"),
            _ => ("<w:t xml:space=\"preserve\">", "</w:t>"),
        };
        for (i, line) in run.text.split('\n').enumerate() {
            if i > 0 {
                self.out.push_str("<w:br/>");
            }
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    self.out.push_str("<w:tab/>");
                }
                let at = self.out.len();
                self.out.push_str(open);
                let opened = self.out.len();
                escape_into(&mut self.out, piece);
                match self.out.len() == opened {
                    // Nothing left of the piece to show: no empty element.
                    true => self.out.truncate(at),
                    false => self.out.push_str(close),
                }
            }
        }
        self.out.push_str("</w:r>");
        if let Some(tag) = wrapper {
            let _ = write!(self.out, "</w:{tag}>");
        }
    }

    /// A table as wide as the text, its columns sized to their contents within that width, so a
    /// long token wraps inside its cell instead of widening the table past the margin.
    pub fn table(&mut self, align: &[Align], rows: &[Row]) {
        let columns = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0).max(1);
        let column = self.text_width / columns as u32;
        self.out.push_str(concat!(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"Table\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>",
            "<w:tblLayout w:type=\"autofit\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" ",
            "w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
        ));
        for _ in 0..columns {
            let _ = write!(self.out, "<w:gridCol w:w=\"{column}\"/>");
        }
        self.out.push_str("</w:tblGrid>");
        for row in rows {
            self.row(align, row, columns);
        }
        self.out.push_str("</w:tbl>");
        // Two tables in a row would merge into one in Word: a paragraph keeps them apart.
        self.out.push_str("<w:p><w:pPr><w:pStyle w:val=\"AfterTable\"/></w:pPr></w:p>");
    }

    fn row(&mut self, align: &[Align], row: &Row, columns: usize) {
        self.out.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if row.head {
            self.out.push_str("<w:tblHeader/>");
        }
        if row.change != Change::Same {
            let open = self.mark(if row.change == Change::Inserted { "ins" } else { "del" });
            self.out.push_str(&open);
            self.out.push_str("/>");
        }
        self.out.push_str("</w:trPr>");
        let empty = Marked::new();
        for i in 0..columns {
            let cell = row.cells.get(i).unwrap_or(&empty);
            self.out.push_str("<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr>");
            let align = if row.head { None } else { align.get(i).copied() };
            let style = if row.head { Style::Heading(0) } else { Style::Body };
            // A cell keeps its paragraph whatever happens to the row: the row carries the change.
            self.paragraph(style, Change::Same, align, cell.iter().map(|(change, run)| (*change, run.as_ref())));
            self.out.push_str("</w:tc>");
        }
        self.out.push_str("</w:tr>");
    }
}

/// The Word style ID of a paragraph style (`Heading(0)` is a table's header cell).
fn style_id(style: Style) -> &'static str {
    match style {
        Style::Title => "Title",
        Style::Heading(0) => "TableHeading",
        Style::Heading(1) => "Heading1",
        Style::Heading(2) => "Heading2",
        Style::Heading(_) => "Heading3",
        Style::Body => "BodyText",
        Style::Bullet(_) => "ListBullet",
        Style::Number { .. } => "ListNumber",
        Style::Quote => "Quote",
        Style::Code => "SourceCode",
    }
}

/// The run properties of a format, appended to `out`; none for plain text.
fn properties(out: &mut String, format: Format) {
    if format == Format::default() {
        return;
    }
    out.push_str("<w:rPr>");
    if format.code {
        out.push_str("<w:rStyle w:val=\"VerbatimChar\"/>");
    }
    if format.bold {
        out.push_str("<w:b/>");
    }
    if format.italic {
        out.push_str("<w:i/>");
    }
    if format.strike {
        out.push_str("<w:strike/>");
    }
    out.push_str("</w:rPr>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_out_what_xml_cannot_hold() {
        assert_eq!(escape("a<b>&\"'\u{0}\u{7}\u{1b}\u{FFFE}\tz"), "a&lt;b&gt;&amp;&quot;&apos;\tz");
        assert_eq!(escape("Plain text, line\r\nbreaks and tabs\t"), "Plain text, line\r\nbreaks and tabs\t");
        assert_eq!(escape("ｱｲ\u{FFFF}€"), "ｱｲ€", "other characters that start with 0xEF are kept");
        assert_eq!(escape("'Quoted' & done\u{FFFE}"), "&apos;Quoted&apos; &amp; done", "at either end");
    }
}
