//! The OOXML package: the parts of a Word document in a zip archive, always in the same order,
//! with the same fixed timestamp, so the same document gives the same bytes.

use super::Theme;
use super::xml::escape;
use crate::render::pdf::{DocumentMeta, Logo, Paper};
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::LazyLock;

/// Page margins, in twentieths of a point (2 cm).
pub const MARGIN: u32 = 1134;

const STYLES: &str = include_str!("styles.xml");

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Width and height of the page, in twentieths of a point.
pub fn page_size(paper: Paper) -> (u32, u32) {
    match paper {
        Paper::A4 => (11906, 16838),
        Paper::UsLetter => (12240, 15840),
    }
}

/// The package of a document whose body (WordprocessingML, without the section properties) is
/// `body`; `track` turns change tracking on when the document is opened.
pub fn write(theme: &Theme, meta: &DocumentMeta, body: &str, list_starts: &[u64], track: bool) -> Vec<u8> {
    let logo = theme.logo.as_ref().and_then(Image::of);
    let (core, app) = (core(meta), app(meta));
    let (head, tail) = document_around(theme, logo.as_ref());
    let rels = document_rels(logo.as_ref());
    let (numbering, settings) = (numbering(list_starts), settings(track));
    let (header, footer) = (header(meta), footer(meta));
    let mut parts: Vec<Part> = vec![
        ("[Content_Types].xml", Pieces(vec![CONTENT_TYPES.as_bytes()])),
        ("_rels/.rels", Pieces(vec![ROOT_RELS.as_bytes()])),
        ("docProps/core.xml", Pieces(vec![core.as_bytes()])),
        ("docProps/app.xml", Pieces(vec![app.as_bytes()])),
        // The body goes into the archive as it is, between the document's start and end.
        ("word/document.xml", Pieces(vec![head.as_bytes(), body.as_bytes(), tail.as_bytes()])),
        ("word/_rels/document.xml.rels", Pieces(vec![rels.as_bytes()])),
        ("word/styles.xml", Content::Deflated(&theme.styles)),
        ("word/numbering.xml", Pieces(vec![LIST_FORMATS.as_bytes(), numbering.as_bytes()])),
        ("word/settings.xml", Pieces(vec![settings.as_bytes()])),
        ("word/header1.xml", Pieces(vec![header.as_bytes()])),
        ("word/footer1.xml", Pieces(vec![footer.as_bytes()])),
    ];
    if let Some(image) = &logo {
        parts.push((image.part, Pieces(vec![&image.bytes])));
    }
    zip(&parts)
}

/// A part of the package: its name and its content.
type Part<'a> = (&'a str, Content<'a>);

/// What a part holds.
enum Content<'a> {
    /// Bytes in pieces written one after another.
    Pieces(Vec<&'a [u8]>),
    /// A part deflated once for every document of a build.
    Deflated(&'a Deflated),
}

use Content::Pieces;

/// A part deflated once and copied into every package as it is: the styles, the same in every
/// document of a build and the largest part of most (26 KB as text, 4 KB deflated). Deflating it
/// once costs nothing per document and keeps thousands of documents' worth of it off the disk.
#[derive(Debug, Clone)]
pub struct Deflated {
    bytes: Vec<u8>,
    crc: u32,
    size: u32,
}

impl Deflated {
    pub fn of(text: &str) -> Deflated {
        let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(text.as_bytes()).expect("a part is deflated in memory");
        let bytes = encoder.finish().expect("a part is deflated in memory");
        Deflated { bytes, crc: crc32fast::hash(text.as_bytes()), size: offset(text.len()) }
    }
}

/// Parts smaller than this are stored uncompressed: a typical document's parts together are
/// 25 KB, and compressing them (a compressor set up per part) cost a build of thousands of
/// documents more time than the Word documents themselves; a long document's body, at hundreds
/// of kilobytes, is worth compressing.
const SMALL_PART: usize = 64 * 1024;

/// The sizes of a part's local header and central directory entry (without its name), and of
/// the end of the central directory.
const LOCAL: usize = 30;
const CENTRAL: usize = 46;
const END: usize = 22;

/// The zip archive of the parts, in their order, each dated 1 January 1980 with Unix permissions
/// 0644, laid out as the `zip` crate lays it out. Written by hand into a buffer of its final size
/// (for stored parts): a build writes thousands of these, and a general zip writer's bookkeeping
/// for each part cost more than copying the part.
fn zip(parts: &[Part]) -> Vec<u8> {
    let size = parts.iter().map(|(name, content)| content.len() + 2 * name.len() + LOCAL + CENTRAL).sum::<usize>();
    let mut out = Vec::with_capacity(size + END);
    let mut central = Vec::with_capacity(parts.iter().map(|(name, _)| name.len() + CENTRAL).sum());
    for (name, content) in parts {
        let entry = match content {
            Pieces(pieces) => entry(&mut out, name, pieces),
            Content::Deflated(deflated) => entry_deflated(&mut out, name, deflated),
        };
        entry.central(&mut central, name);
    }
    let (directory_at, directory_size) = (out.len(), central.len());
    out.extend_from_slice(&central);
    let count = u16::try_from(parts.len()).expect("a package has a few parts");
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, and the disk where the directory starts
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&offset(directory_size).to_le_bytes());
    out.extend_from_slice(&offset(directory_at).to_le_bytes());
    out.extend_from_slice(&[0; 2]); // no comment
    out
}

/// A part as written: where its local header starts, how it is kept, its checksum and sizes.
struct Entry {
    at: u32,
    deflated: bool,
    crc: u32,
    compressed: u32,
    size: u32,
}

fn length(pieces: &[&[u8]]) -> usize {
    pieces.iter().map(|piece| piece.len()).sum()
}

impl Content<'_> {
    /// How many bytes it takes in the archive (at most, for pieces that are deflated).
    fn len(&self) -> usize {
        match self {
            Pieces(pieces) => length(pieces),
            Content::Deflated(deflated) => deflated.bytes.len(),
        }
    }
}

/// Writes a part deflated beforehand at the end of `out`.
fn entry_deflated(out: &mut Vec<u8>, name: &str, deflated: &Deflated) -> Entry {
    let at = offset(out.len());
    let entry =
        Entry { at, deflated: true, crc: deflated.crc, compressed: offset(deflated.bytes.len()), size: deflated.size };
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    entry.common(out, name);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&deflated.bytes);
    entry
}

/// Writes a part (its local header, then its bytes, stored or deflated) at the end of `out`.
fn entry(out: &mut Vec<u8>, name: &str, pieces: &[&[u8]]) -> Entry {
    let at = out.len();
    let size = length(pieces);
    let deflated = size >= SMALL_PART;
    let header = Entry { at: offset(at), deflated, crc: 0, compressed: 0, size: 0 };
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    header.common(out, name);
    out.extend_from_slice(name.as_bytes());
    let data = out.len();
    if deflated {
        // The fastest level: a build writes thousands of these.
        let mut encoder = flate2::write::DeflateEncoder::new(&mut *out, flate2::Compression::new(1));
        // Writing to memory cannot fail.
        pieces.iter().for_each(|piece| encoder.write_all(piece).expect("a part is deflated in memory"));
        encoder.finish().expect("a part is deflated in memory");
    } else {
        pieces.iter().for_each(|piece| out.extend_from_slice(piece));
    }
    let mut crc = crc32fast::Hasher::new();
    pieces.iter().for_each(|piece| crc.update(piece));
    let entry = Entry { crc: crc.finalize(), compressed: offset(out.len() - data), size: offset(size), ..header };
    // The checksum and sizes, known now, in the local header.
    out[at + 14..at + 26].copy_from_slice(&entry.sums());
    entry
}

impl Entry {
    /// The zip version needed to read the part: 2.0 for Deflate, else 1.0.
    fn version(&self) -> u16 {
        if self.deflated { 20 } else { 10 }
    }

    /// Checksum, compressed size and size.
    fn sums(&self) -> [u8; 12] {
        let mut sums = [0; 12];
        sums[..4].copy_from_slice(&self.crc.to_le_bytes());
        sums[4..8].copy_from_slice(&self.compressed.to_le_bytes());
        sums[8..].copy_from_slice(&self.size.to_le_bytes());
        sums
    }

    /// What the local header and the central directory entry share, from the version needed to
    /// the length of the extra field (none).
    fn common(&self, out: &mut Vec<u8>, name: &str) {
        out.extend_from_slice(&self.version().to_le_bytes());
        out.extend_from_slice(&[0; 2]); // no flags
        out.extend_from_slice(&(if self.deflated { 8u16 } else { 0 }).to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]); // 00:00, 1 January 1980
        out.extend_from_slice(&self.sums());
        let name_len = u16::try_from(name.len()).expect("part names are short");
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&[0; 2]);
    }

    /// The part's central directory entry: made on Unix, a regular file with permissions 0644.
    fn central(&self, out: &mut Vec<u8>, name: &str) {
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        out.extend_from_slice(&(0x0300 | self.version()).to_le_bytes());
        self.common(out, name);
        out.extend_from_slice(&[0; 6]); // no comment, disk 0, no internal attributes
        out.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes());
        out.extend_from_slice(&self.at.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
    }
}

/// A position or size in the archive: a Word document is far below the 4 GB of a zip without
/// its 64-bit extension.
fn offset(n: usize) -> u32 {
    u32::try_from(n).expect("a Word document is smaller than 4 GB")
}

/// The content types, the same in every document. Made once.
static CONTENT_TYPES: LazyLock<String> = LazyLock::new(content_types);

fn content_types() -> String {
    let overrides = [
        ("/word/document.xml", "wordprocessingml.document.main+xml"),
        ("/word/styles.xml", "wordprocessingml.styles+xml"),
        ("/word/numbering.xml", "wordprocessingml.numbering+xml"),
        ("/word/settings.xml", "wordprocessingml.settings+xml"),
        ("/word/header1.xml", "wordprocessingml.header+xml"),
        ("/word/footer1.xml", "wordprocessingml.footer+xml"),
        ("/docProps/app.xml", "extended-properties+xml"),
    ];
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
        "<Default Extension=\"png\" ContentType=\"image/png\"/>",
        "<Default Extension=\"jpeg\" ContentType=\"image/jpeg\"/>",
        "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    ));
    for (part, kind) in overrides {
        let _ = write!(
            out,
            "<Override PartName=\"{part}\" ContentType=\"application/vnd.openxmlformats-officedocument.{kind}\"/>"
        );
    }
    out.push_str("</Types>");
    out
}

const ROOT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
    "</Relationships>"
);

/// The relationships of the document part: all internal, fixed targets.
fn document_rels(logo: Option<&Image>) -> String {
    let kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for (id, what, target) in [
        ("rIdStyles", "styles", "styles.xml"),
        ("rIdNumbering", "numbering", "numbering.xml"),
        ("rIdSettings", "settings", "settings.xml"),
        ("rIdHeader", "header", "header1.xml"),
        ("rIdFooter", "footer", "footer1.xml"),
    ] {
        let _ = write!(out, "<Relationship Id=\"{id}\" Type=\"{kind}/{what}\" Target=\"{target}\"/>");
    }
    if let Some(image) = logo {
        let target = image.part.trim_start_matches("word/");
        let _ = write!(out, "<Relationship Id=\"rIdLogo\" Type=\"{kind}/image\" Target=\"{target}\"/>");
    }
    out.push_str("</Relationships>");
    out
}

/// Title, subject, author and keywords (the ID first), and the document's date.
fn core(meta: &DocumentMeta) -> String {
    let subject = format!("{} for {}", meta.kind_label, meta.client);
    let keywords: Vec<&str> =
        std::iter::once(meta.id.as_str()).chain(meta.keywords.iter().map(String::as_str)).collect();
    let mut out = format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" ",
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator>",
            "<cp:keywords>{}</cp:keywords><dc:identifier>{}</dc:identifier><cp:contentStatus>{}</cp:contentStatus>",
            "<cp:category>{}</cp:category>"
        ),
        escape(&meta.title),
        escape(&subject),
        escape(&meta.author),
        escape(&keywords.join("; ")),
        escape(&meta.id),
        escape(&meta.status),
        escape(&meta.classification),
    );
    if meta.date != chrono::NaiveDate::default() {
        let date = meta.date.format("%Y-%m-%dT00:00:00Z");
        let _ = write!(out, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>");
    }
    out.push_str("</cp:coreProperties>");
    out
}

fn app(meta: &DocumentMeta) -> String {
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">",
            "<Application>engage</Application><Company>{}</Company></Properties>"
        ),
        escape(&meta.organisation)
    )
}

/// The document part before and after its body.
fn document_around(theme: &Theme, logo: Option<&Image>) -> (String, String) {
    let (width, height) = page_size(theme.paper);
    let logo = logo.map(|image| image.paragraph(theme.text_width())).unwrap_or_default();
    let head = format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\" ",
            "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" ",
            "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" ",
            "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>{logo}",
        ),
        W = W,
        R = R,
        logo = logo,
    );
    let tail = format!(
        concat!(
            "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>",
            "<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>",
            "<w:pgSz w:w=\"{width}\" w:h=\"{height}\"/>",
            "<w:pgMar w:top=\"{m}\" w:right=\"{m}\" w:bottom=\"{m}\" w:left=\"{m}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>",
            "</w:sectPr></w:body></w:document>"
        ),
        width = width,
        height = height,
        m = MARGIN,
    );
    (head, tail)
}

/// The built-in styles in the workspace's accent colour, for the text width of `paper`.
pub fn built_in_styles(paper: Paper, accent: &str) -> String {
    let accent: String = accent.trim_start_matches('#').chars().filter(char::is_ascii_hexdigit).collect();
    let accent = if accent.len() == 6 { accent } else { "1F4E79".into() };
    let text_width = page_size(paper).0 - 2 * MARGIN;
    STYLES.replace("ACCENT", &accent).replace("TEXTWIDTH", &text_width.to_string())
}

/// The start of the numbering part, the same in every document: the list formats, bullets and
/// numbers, and the bullets' list (list 1). Made once.
static LIST_FORMATS: LazyLock<String> = LazyLock::new(|| {
    let mut out =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"{W}\">");
    for (abstract_id, kind) in [(0, "bullet"), (1, "decimal")] {
        let _ = write!(
            out,
            "<w:abstractNum w:abstractNumId=\"{abstract_id}\"><w:multiLevelType w:val=\"hybridMultilevel\"/>"
        );
        for level in 0..9 {
            let text = if kind == "bullet" {
                ["•", "–", "◦"][level % 3].to_string()
            } else {
                format!("%{}.", level + 1)
            };
            let indent = 360 * (level + 1);
            let _ = write!(
                out,
                "<w:lvl w:ilvl=\"{level}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{kind}\"/><w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{indent}\" w:hanging=\"360\"/></w:pPr></w:lvl>"
            );
        }
        out.push_str("</w:abstractNum>");
    }
    out.push_str("<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>");
    out
});

/// The rest of the numbering part after [`LIST_FORMATS`]: one numbering per numbered list, each
/// from its own start.
fn numbering(list_starts: &[u64]) -> String {
    let mut out = String::new();
    for (i, start) in list_starts.iter().enumerate() {
        let _ = write!(
            out,
            "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{}\"/></w:lvlOverride></w:num>",
            i + 2,
            start.min(&999_999_999)
        );
    }
    out.push_str("</w:numbering>");
    out
}

fn settings(track: bool) -> String {
    let track = if track { "<w:trackRevisions/>" } else { "" };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"{W}\">{track}<w:defaultTabStop w:val=\"709\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>"
    )
}

/// The running header: title, ID and revision, and DRAFT on a document not yet issued, in the
/// document's language.
fn header(meta: &DocumentMeta) -> String {
    let words = &meta.language;
    let draft = match meta.draft {
        true => format!(
            "<w:r><w:rPr><w:b/><w:color w:val=\"C00000\"/></w:rPr><w:t xml:space=\"preserve\">{} · </w:t></w:r>",
            escape(words.get("docx.draft"))
        ),
        false => String::new(),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr xmlns:w=\"{W}\"><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>{draft}<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">{} · {} {}</w:t></w:r></w:p></w:hdr>",
        escape(&meta.title),
        escape(&meta.id),
        escape(words.get("pdf.revision_of")),
        escape(&meta.revision)
    )
}

/// The footer: classification and organisation, and "Page X of Y" as PAGE and NUMPAGES fields.
fn footer(meta: &DocumentMeta) -> String {
    let field =
        |code: &str| format!("<w:fldSimple w:instr=\" {code} \\* MERGEFORMAT \"><w:r><w:t>1</w:t></w:r></w:fldSimple>");
    let left = [meta.classification.as_str(), meta.organisation.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let words = &meta.language;
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"{W}\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">{} </w:t></w:r>{}<w:r><w:t xml:space=\"preserve\"> {} </w:t></w:r>{}</w:p></w:ftr>",
        escape(&left),
        escape(words.get("pdf.page")),
        field("PAGE"),
        escape(words.get("docx.of")),
        field("NUMPAGES")
    )
}

/// A logo Word can show (PNG or JPEG), with its size in pixels.
struct Image {
    part: &'static str,
    bytes: Vec<u8>,
    width: u32,
    height: u32,
}

impl Image {
    fn of(logo: &Logo) -> Option<Image> {
        let b = &logo.bytes;
        if b.starts_with(b"\x89PNG\r\n\x1a\n") && b.len() >= 24 {
            let number = |at: usize| u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
            let (width, height) = (number(16), number(20));
            return (width > 0 && height > 0).then(|| Image {
                part: "word/media/logo.png",
                bytes: b.clone(),
                width,
                height,
            });
        }
        let (width, height) = jpeg_size(b)?;
        Some(Image { part: "word/media/logo.jpeg", bytes: b.clone(), width, height })
    }

    /// The logo 1.5 cm high (narrower than the text), above the title.
    fn paragraph(&self, text_width: u32) -> String {
        const EMU_PER_TWIP: u64 = 635;
        let height: u64 = 540_000;
        let width = (height * u64::from(self.width) / u64::from(self.height)).min(u64::from(text_width) * EMU_PER_TWIP);
        let height = width * u64::from(self.height) / u64::from(self.width);
        format!(
            concat!(
                "<w:p><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">",
                "<wp:extent cx=\"{w}\" cy=\"{h}\"/><wp:docPr id=\"1\" name=\"Logo\"/>",
                "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">",
                "<pic:pic><pic:nvPicPr><pic:cNvPr id=\"1\" name=\"Logo\"/><pic:cNvPicPr/></pic:nvPicPr>",
                "<pic:blipFill><a:blip r:embed=\"rIdLogo\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>",
                "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{w}\" cy=\"{h}\"/></a:xfrm>",
                "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>",
                "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
            ),
            w = width,
            h = height
        )
    }
}

/// The size of a JPEG image, from its first start-of-frame segment.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    while at + 9 < b.len() {
        if b[at] != 0xFF {
            return None;
        }
        let marker = b[at + 1];
        let length = usize::from(u16::from_be_bytes([b[at + 2], b[at + 3]]));
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let height = u32::from(u16::from_be_bytes([b[at + 5], b[at + 6]]));
            let width = u32::from(u16::from_be_bytes([b[at + 7], b[at + 8]]));
            return (width > 0 && height > 0).then_some((width, height));
        }
        at += 2 + length;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{Content, Deflated, Part, Pieces, zip};
    use crate::render::docx::{Theme, blocks, document};
    use crate::render::pdf::{Paper, sample_meta};
    use ::zip::CompressionMethod;

    /// How the body part of the Word document of `markdown` is kept in the package.
    fn body_compression(markdown: &str) -> CompressionMethod {
        let theme = Theme::new(Paper::A4, "#1f4e79".into(), None, None);
        let meta = sample_meta();
        let bytes = document(&theme, &meta, &blocks::of(markdown, &meta.title));
        let mut archive = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        archive.by_name("word/document.xml").unwrap().compression()
    }

    #[test]
    fn a_long_body_is_compressed_and_a_short_one_stored() {
        assert_eq!(body_compression("# Scope\n\nOne paragraph.\n"), CompressionMethod::Stored);
        let long = "A paragraph of a long statement of work.\n\n".repeat(2000);
        assert_eq!(body_compression(&long), CompressionMethod::Deflated);
    }

    #[test]
    fn every_part_reads_back_whole_in_order() {
        let long = "<w:p>long</w:p>".repeat(10_000);
        let styles = Deflated::of("<w:styles>Title, Heading 1</w:styles>");
        let parts: Vec<Part> = vec![
            ("[Content_Types].xml", Pieces(vec![b"<Types/>"])),
            ("word/document.xml", Pieces(vec![b"<w:body>", long.as_bytes(), b"</w:body>"])),
            ("word/styles.xml", Content::Deflated(&styles)),
            ("word/empty.xml", Pieces(vec![])),
        ];
        let mut archive = ::zip::ZipArchive::new(std::io::Cursor::new(zip(&parts))).unwrap();
        assert_eq!(archive.len(), parts.len());
        for (i, (name, content)) in parts.iter().enumerate() {
            let mut part = archive.by_index(i).unwrap();
            assert_eq!(part.name().unwrap(), *name);
            assert_eq!(part.unix_mode(), Some(0o100_644));
            assert_eq!(part.last_modified(), Some(::zip::DateTime::default()));
            let mut read = Vec::new();
            // Reading to the end checks the part's checksum.
            std::io::Read::read_to_end(&mut part, &mut read).unwrap();
            let written = match content {
                Pieces(pieces) => pieces.concat(),
                Content::Deflated(_) => b"<w:styles>Title, Heading 1</w:styles>".to_vec(),
            };
            assert_eq!(read, written, "{name}");
        }
    }
}
