//! Tables planned before typst lays them out: column widths that follow their content within the
//! text width, and how wide each cell's text may be, so that a token wider than its cell gets break
//! opportunities where it needs them ([`super::markup`]).
//!
//! typst sizes `auto` columns to their content and shrinks them when they do not fit, whatever
//! words cannot break, and gives `fr` columns what is left: nothing, when the `auto` columns took
//! it all. Words then print over the next cell and headers over each other. So every column here is
//! a fraction of the text width, planned as a browser plans an automatic table: each column gets at
//! least its longest word (up to [`WORD_CAP`]; longer words break), the rest of the width goes to
//! the columns in proportion to what more their longest cell needs, and a table whose content fits
//! shares the whole width in proportion to it. Text is measured with the built-in theme's table
//! font, Libertinus Serif at 9.5 pt (bold in the header row), on the text width of A4, the
//! narrower of the two papers. A workspace theme with larger table text or wider margins gets the
//! same fractions, so its tables still fit the page; a long token may then come closer to the
//! edge of its cell.

use pulldown_cmark::{Event, Tag, TagEnd};
use std::sync::LazyLock;
use typst::layout::Abs;
use typst::text::{FontInstance, FontStyle, FontVariations, FontWeight};

/// The text width of A4 with the built-in theme's margins (210 mm less 2 × 2.2 cm), in points.
const TEXT_WIDTH: f64 = 470.55;
/// The built-in theme's table text size, in points.
const FONT_SIZE: f64 = 9.5;
/// The built-in theme's horizontal cell inset, on each side, in points.
const INSET: f64 = 6.0;
/// A word wider than this (points) widens its column no further: it breaks instead.
const WORD_CAP: f64 = 80.0;
/// The width of a column with no text at all (to be filled in by hand), in points.
const EMPTY_COLUMN: f64 = 60.0;
/// The share of a cell's width that measured text may fill: shaping (kerning, ligatures, a
/// fallback font) may make the laid-out text a little wider than the sum of its advances.
const FILL: f64 = 0.94;
/// The advance assumed for a character the table font lacks (typst takes it from another font).
const MISSING_GLYPH_EM: f64 = 1.0;

/// The widths of a table's columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// In points, summing to the text width.
    widths: Vec<f64>,
}

impl Plan {
    /// The `columns:` argument of the table: fractions of the text width.
    pub fn columns(&self) -> String {
        let fractions: Vec<String> = self.widths.iter().map(|w| format!("{w:.2}fr")).collect();
        format!("({},)", fractions.join(", "))
    }

    /// How wide the text of a cell in `column` may be, in ems of the table font.
    pub fn text_em(&self, column: usize) -> f64 {
        let width = self.widths.get(column).copied().unwrap_or(TEXT_WIDTH);
        ((width - 2.0 * INSET) * FILL / FONT_SIZE).max(MISSING_GLYPH_EM)
    }
}

/// What a column's cells need, in points of text (insets excluded).
#[derive(Debug, Default, Clone, Copy)]
struct Need {
    /// The widest cell, on one line.
    natural: f64,
    /// The widest word, capped at [`WORD_CAP`].
    word: f64,
}

impl Need {
    fn add(&mut self, text: &str, bold: bool) {
        self.natural = self.natural.max(width_em(text, bold) * FONT_SIZE);
        let word = text.split_whitespace().map(|w| width_em(w, bold) * FONT_SIZE).fold(0.0, f64::max);
        self.word = self.word.max(word.min(WORD_CAP));
    }

    /// (minimum, natural) widths of the column, insets included.
    fn widths(self) -> (f64, f64) {
        if self.natural == 0.0 {
            return (EMPTY_COLUMN, EMPTY_COLUMN);
        }
        let cell = |text: f64| text / FILL + 2.0 * INSET;
        (cell(self.word), cell(self.natural.max(self.word)))
    }
}

/// The plan of every table in `events`, in order.
pub fn plans(events: &[Event]) -> Vec<Plan> {
    let mut plans = Vec::new();
    let mut needs: Option<Vec<Need>> = None;
    let (mut column, mut head, mut cell) = (0, false, String::new());
    for event in events {
        match event {
            Event::Start(Tag::Table(align)) => needs = Some(vec![Need::default(); align.len()]),
            Event::End(TagEnd::Table) => plans.extend(needs.take().map(|needs| allocate(&needs))),
            Event::Start(Tag::TableHead) => (column, head) = (0, true),
            Event::End(TagEnd::TableHead) => head = false,
            Event::Start(Tag::TableRow) => column = 0,
            Event::Start(Tag::TableCell) => cell.clear(),
            Event::End(TagEnd::TableCell) => {
                if let Some(need) = needs.as_mut().and_then(|needs| needs.get_mut(column)) {
                    need.add(&cell, head);
                }
                column += 1;
            }
            Event::Text(text) | Event::Code(text) => cell.push_str(text),
            Event::SoftBreak | Event::HardBreak => cell.push(' '),
            _ => {}
        }
    }
    plans
}

/// Column widths from their needs: see the module documentation.
fn allocate(needs: &[Need]) -> Plan {
    let (min, natural): (Vec<f64>, Vec<f64>) = needs.iter().map(|need| need.widths()).unzip();
    // A short column (a date, an amount, a telephone number: no wider than an equal share of the
    // width) keeps its whole width when the others can give way, so that only long text wraps.
    let fair = TEXT_WIDTH / needs.len().max(1) as f64;
    let firm: Vec<f64> =
        min.iter().zip(&natural).map(|(&min, &natural)| if natural <= fair { natural } else { min }).collect();
    let min = if firm.iter().sum::<f64>() < TEXT_WIDTH { firm } else { min };
    let (sum_min, sum_natural) = (min.iter().sum::<f64>(), natural.iter().sum::<f64>());
    let scaled = |widths: &[f64], sum: f64| widths.iter().map(|w| w * TEXT_WIDTH / sum).collect();
    let widths = if sum_natural <= TEXT_WIDTH {
        scaled(&natural, sum_natural)
    } else if sum_min >= TEXT_WIDTH {
        scaled(&min, sum_min)
    } else {
        let spare = (TEXT_WIDTH - sum_min) / (sum_natural - sum_min);
        min.iter().zip(&natural).map(|(min, natural)| min + (natural - min) * spare).collect()
    };
    Plan { widths }
}

/// The width of `text` in the table font, in ems.
pub fn width_em(text: &str, bold: bool) -> f64 {
    text.chars().map(|c| char_em(c, bold)).sum()
}

/// The advance of `c` in the table font, in ems.
pub fn char_em(c: char, bold: bool) -> f64 {
    let face = if bold { &FACES.bold } else { &FACES.regular };
    face.latin.get(c as usize).copied().unwrap_or_else(|| advance(&face.font, c))
}

/// Characters below this are measured once, up front: every cell of every table is measured, and
/// a font lookup per character was 2% of the time of a build's PDFs.
const LATIN_END: u32 = 0x250;

struct Face {
    font: FontInstance,
    /// The advances of the characters below [`LATIN_END`], by code point.
    latin: Vec<f64>,
}

impl Face {
    fn new(font: FontInstance) -> Self {
        let latin =
            (0..LATIN_END).map(|code| char::from_u32(code).map_or(MISSING_GLYPH_EM, |c| advance(&font, c))).collect();
        Self { font, latin }
    }
}

fn advance(font: &FontInstance, c: char) -> f64 {
    let advance = font.ttf().glyph_index(c).and_then(|glyph| font.x_advance(glyph.0));
    advance.map_or(MISSING_GLYPH_EM, |em| em.get())
}

struct Faces {
    regular: Face,
    bold: Face,
}

static FACES: LazyLock<Faces> = LazyLock::new(|| {
    let face = |weight: FontWeight| {
        let font = super::fonts::FontSet::embedded()
            .fonts
            .iter()
            .find(|font| {
                let info = font.info();
                info.family == "Libertinus Serif"
                    && info.variant.style == FontStyle::Normal
                    && info.variant.weight == weight
            })
            .cloned()
            .expect("typst-assets embeds Libertinus Serif, regular and bold");
        let variant = font.info().variant;
        Face::new(font.instantiate(variant, Abs::pt(FONT_SIZE), &FontVariations::default()))
    };
    Faces { regular: face(FontWeight::REGULAR), bold: face(FontWeight::BOLD) }
});

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn plan(markdown: &str) -> Plan {
        let events: Vec<Event> = Parser::new_ext(markdown, crate::render::markdown_options()).collect();
        plans(&events).remove(0)
    }

    #[test]
    fn columns_share_the_text_width_and_keep_their_longest_word() {
        let fits = plan("| ID | Title |\n|---|---|\n| D1 | Data model |\n");
        assert!((fits.widths.iter().sum::<f64>() - TEXT_WIDTH).abs() < 0.01);
        assert!(fits.widths[0] < fits.widths[1], "{fits:?}");

        let long = "word ".repeat(60);
        let crowded =
            plan(&format!("| Deliverables | Payment | Text |\n|---|---|---|\n| D1 | | {long} |\n| D2 | | {long} |\n"));
        let header = |label: &str| width_em(label, true) * FONT_SIZE / FILL + 2.0 * INSET;
        assert!(crowded.widths[0] >= header("Deliverables") - 0.01, "{crowded:?}");
        assert!(crowded.widths[1] >= header("Payment") - 0.01, "{crowded:?}");
        assert!((crowded.widths.iter().sum::<f64>() - TEXT_WIDTH).abs() < 0.01);
        assert_eq!(crowded.columns().matches("fr").count(), 3);
    }

    #[test]
    fn short_columns_keep_their_width_beside_long_text() {
        let long = "word ".repeat(60);
        let plan = plan(&format!(
            "| Deliverable | Handed over | Accepted by |\n|---|---|---|\n| D1 | 30 September 2025 | {long} |\n"
        ));
        assert!(plan.text_em(1) >= width_em("30 September 2025", false), "{plan:?}");
        assert!(plan.text_em(0) >= width_em("Deliverable", true), "{plan:?}");
    }

    #[test]
    fn the_longest_word_fits_its_cell() {
        let plan = plan("| Meeting | |\n|---|---|\n| Attendees | {} |\n");
        assert!(plan.text_em(0) >= width_em("Attendees", false), "{plan:?}");
    }

    #[test]
    fn capital_letters_are_wider_than_small_ones_and_bold_wider_than_regular() {
        assert!(char_em('W', false) > char_em('i', false));
        assert!(width_em("Acknowledged", true) > width_em("Acknowledged", false));
    }
}
