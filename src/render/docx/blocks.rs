//! Markdown → the blocks of a Word document: styled paragraphs of formatted runs, and tables.
//! Both the document ([`super::document`]) and the redline (`crate::diff::docx`) are written
//! from these blocks, so a redline shows the document as the document itself is laid out.
//!
//! Only text is kept from the Markdown: links keep their text (never a hyperlink), images their
//! alternative text, raw HTML is shown as text, and a chart is named by its title (the Markdown
//! carries a table with the same figures beside each chart).

use crate::render::chart::{self, Chart};
use crate::render::pdf::markup::{HeadingNumbers, leading_title_len};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};

/// Lists nested deeper than this are drawn at this depth (Word's list levels run 0–8).
const MAX_LIST_LEVEL: usize = 8;

/// How a run of text is set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Format {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub code: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Run {
    pub text: String,
    pub format: Format,
}

/// A paragraph's style (the Word style IDs are in `styles.xml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Title,
    Heading(u8),
    Body,
    /// A bulleted list item at a nesting level.
    Bullet(u8),
    /// A numbered list item at a nesting level, in the numbered list `list` (each numbered list
    /// counts from its own start).
    Number {
        level: u8,
        list: usize,
    },
    Quote,
    Code,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Paragraph {
    pub style: Style,
    pub runs: Vec<Run>,
}

pub type Cell = Vec<Run>;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Table {
    pub align: Vec<Align>,
    /// The header row, repeated on every page.
    pub head: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// The blocks of a document, and the first number of each numbered list.
#[derive(Debug, Default)]
pub struct Blocks {
    pub blocks: Vec<Block>,
    pub list_starts: Vec<u64>,
}

impl Block {
    /// The text of the block, cells separated by tabs and rows by line breaks.
    pub fn text(&self) -> String {
        let runs = |runs: &[Run]| runs.iter().map(|r| r.text.as_str()).collect::<String>();
        match self {
            Block::Paragraph(p) => runs(&p.runs),
            Block::Table(t) => std::iter::once(&t.head)
                .chain(&t.rows)
                .map(|row| row.iter().map(|c| runs(c)).collect::<Vec<_>>().join("\t"))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// The blocks of a Markdown text. The leading `# title` becomes the Title paragraph; the other
/// headings are numbered (`1`, `1.1`) as in the PDF, the top level present being Heading 1.
pub fn of(markdown: &str, title: &str) -> Blocks {
    of_events(&crate::render::events(markdown), title)
}

/// [`of`] from the Markdown's events (see [`crate::render::events`]).
pub fn of_events(events: &[Event], title: &str) -> Blocks {
    let skip = leading_title_len(events, title);
    let mut reader = Reader::default();
    if skip > 0 {
        reader.blocks.blocks.push(Block::Paragraph(Paragraph {
            style: Style::Title,
            runs: vec![Run { text: title.trim().to_string(), format: Format::default() }],
        }));
    }
    let rest = &events[skip..];
    reader.heading_offset = rest
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(1)
        - 1;
    rest.iter().for_each(|event| reader.event(event));
    reader.blocks
}

#[derive(Debug, Clone, Copy)]
enum List {
    Bullet,
    Number(usize),
}

#[derive(Default)]
struct Reader {
    blocks: Blocks,
    heading_offset: usize,
    headings: HeadingNumbers,
    /// The paragraph being read, when inside one.
    paragraph: Option<Paragraph>,
    format: Format,
    lists: Vec<List>,
    quote: usize,
    /// Inside a code block: its info string and text so far.
    code: Option<(String, String)>,
    table: Option<Table>,
    row: Option<Vec<Cell>>,
    cell: Option<Cell>,
}

impl Reader {
    fn event(&mut self, event: &Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) => self.text(text),
            Event::Code(code) => self.run(code, Format { code: true, ..self.format }),
            Event::Html(html) | Event::InlineHtml(html) => self.html(html),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.text("\n"),
            Event::Rule => {}
            Event::TaskListMarker(done) => self.text(if *done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(name) => self.text(&format!("[^{name}]")),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.text(math),
        }
    }

    fn start(&mut self, tag: &Tag) {
        match tag {
            Tag::Paragraph | Tag::HtmlBlock if self.paragraph.is_none() => self.open(self.body_style()),
            Tag::Heading { level, .. } => self.heading(*level),
            Tag::BlockQuote(_) => self.quote += 1,
            Tag::List(start) => {
                let list = match start {
                    Some(first) => {
                        self.blocks.list_starts.push(*first);
                        List::Number(self.blocks.list_starts.len() - 1)
                    }
                    None => List::Bullet,
                };
                self.close();
                self.lists.push(list);
            }
            Tag::Item => self.open(self.body_style()),
            Tag::Emphasis => self.format.italic = true,
            Tag::Strong => self.format.bold = true,
            Tag::Strikethrough => self.format.strike = true,
            Tag::CodeBlock(kind) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((info, String::new()));
            }
            Tag::Image { .. } => self.text("[image: "),
            Tag::Table(align) => self.table_start(align),
            Tag::TableHead | Tag::TableRow => self.row = Some(Vec::new()),
            Tag::TableCell => self.cell = Some(Vec::new()),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock | TagEnd::Heading(_) | TagEnd::Item => self.close(),
            TagEnd::BlockQuote(_) => self.quote = self.quote.saturating_sub(1),
            TagEnd::List(_) => {
                self.close();
                self.lists.pop();
            }
            TagEnd::Emphasis => self.format.italic = false,
            TagEnd::Strong => self.format.bold = false,
            TagEnd::Strikethrough => self.format.strike = false,
            TagEnd::CodeBlock => self.code_end(),
            TagEnd::Image => self.text("]"),
            TagEnd::TableCell => {
                if let (Some(row), Some(cell)) = (&mut self.row, self.cell.take()) {
                    row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let (Some(table), Some(row)) = (&mut self.table, self.row.take()) {
                    table.head = row;
                }
            }
            TagEnd::TableRow => {
                if let (Some(table), Some(row)) = (&mut self.table, self.row.take()) {
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.blocks.blocks.push(Block::Table(table));
                }
            }
            _ => {}
        }
    }

    /// The style of a paragraph at this point: a list item's, a quotation's or the body's.
    fn body_style(&self) -> Style {
        let level = (self.lists.len().saturating_sub(1)).min(MAX_LIST_LEVEL) as u8;
        match self.lists.last() {
            Some(List::Bullet) => Style::Bullet(level),
            Some(List::Number(list)) => Style::Number { level, list: *list },
            None if self.quote > 0 => Style::Quote,
            None => Style::Body,
        }
    }

    fn heading(&mut self, level: HeadingLevel) {
        let level = (level as usize).saturating_sub(self.heading_offset).max(1);
        let number = self.headings.next(level);
        self.open(Style::Heading(level.min(3) as u8));
        self.run(&format!("{number} "), self.format);
    }

    /// Starts a paragraph, ending the one open (a list item's text before a nested list).
    fn open(&mut self, style: Style) {
        self.close();
        self.paragraph = Some(Paragraph { style, runs: Vec::new() });
    }

    fn close(&mut self) {
        if let Some(paragraph) = self.paragraph.take()
            && !paragraph.runs.is_empty()
        {
            self.blocks.blocks.push(Block::Paragraph(paragraph));
        }
    }

    fn text(&mut self, text: &str) {
        match &mut self.code {
            Some((_, code)) => code.push_str(text),
            None => self.run(text, self.format),
        }
    }

    /// Raw HTML is not interpreted: comments are dropped, anything else is shown as text.
    fn html(&mut self, html: &str) {
        let trimmed = html.trim();
        if !(trimmed.starts_with("<!--") && trimmed.ends_with("-->")) {
            self.text(html);
        }
    }

    fn run(&mut self, text: &str, format: Format) {
        let runs = match (&mut self.cell, &mut self.paragraph) {
            (Some(cell), _) => cell,
            (None, Some(paragraph)) => &mut paragraph.runs,
            (None, None) => {
                self.paragraph = Some(Paragraph { style: self.body_style(), runs: Vec::new() });
                &mut self.paragraph.as_mut().expect("just opened").runs
            }
        };
        match runs.last_mut() {
            Some(last) if last.format == format => last.text.push_str(text),
            _ => runs.push(Run { text: text.to_string(), format }),
        }
    }

    fn code_end(&mut self) {
        let Some((info, code)) = self.code.take() else { return };
        self.close();
        let (style, text, format) = match (info == chart::INFO).then(|| Chart::parse(&code)).flatten() {
            Some(chart) => {
                (Style::Body, format!("Chart: {}", chart.title), Format { italic: true, ..Format::default() })
            }
            None => (Style::Code, code.strip_suffix('\n').unwrap_or(&code).to_string(), Format::default()),
        };
        self.blocks.blocks.push(Block::Paragraph(Paragraph { style, runs: vec![Run { text, format }] }));
    }

    fn table_start(&mut self, align: &[Alignment]) {
        self.close();
        let align = align
            .iter()
            .map(|a| match a {
                Alignment::None | Alignment::Left => Align::Left,
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
            })
            .collect();
        self.table = Some(Table { align, head: Vec::new(), rows: Vec::new() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_headings_lists_and_tables() {
        let md = "# The title\n\nSome *text*.\n\n## Scope\n\n- one\n- two\n\n### Detail\n\n3. three\n\n| A | B |\n|---|---:|\n| x | 1 |\n";
        let blocks = of(md, "The title");
        let styles: Vec<Style> = blocks
            .blocks
            .iter()
            .filter_map(|b| if let Block::Paragraph(p) = b { Some(p.style) } else { None })
            .collect();
        assert_eq!(
            styles,
            [
                Style::Title,
                Style::Body,
                Style::Heading(1),
                Style::Bullet(0),
                Style::Bullet(0),
                Style::Heading(2),
                Style::Number { level: 0, list: 0 }
            ]
        );
        assert_eq!(blocks.list_starts, [3]);
        assert_eq!(blocks.blocks[5].text(), "1.1 Detail");
        let Block::Table(table) = &blocks.blocks[7] else { panic!("a table") };
        assert_eq!(table.align, [Align::Left, Align::Right]);
        assert_eq!(blocks.blocks[7].text(), "A\tB\nx\t1");
    }
}
