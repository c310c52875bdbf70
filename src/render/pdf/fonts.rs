//! The fonts PDFs are typeset with: those embedded in engage, and a workspace's own, read from its
//! `fonts/` folder at run time (brand fonts, and scripts the embedded fonts lack: Chinese,
//! Japanese, Korean, Arabic, Hebrew, Devanagari...).
//!
//! The embedded fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono) cover Latin,
//! Greek and Cyrillic. typst takes a character the chosen family lacks from any other font it
//! has; when no font has it, typst draws an empty box and says nothing, so engage looks for such
//! characters itself ([`FontSet::lacks`]) and warns.

use std::sync::{Arc, LazyLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use super::PdfError;

/// A font file of the workspace, as read from `fonts/`.
#[derive(Debug, Clone)]
pub struct FontFile {
    /// The file's name, for messages.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The families `engage.yaml` chooses (`fonts: {body:, headings:}`); the built-in theme's own
/// when unset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FontChoice {
    pub body: Option<String>,
    /// The body's family when unset.
    pub headings: Option<String>,
}

/// The family the built-in theme sets its text in, and the fallback after a chosen family.
const DEFAULT_FAMILY: &str = "Libertinus Serif";

impl FontChoice {
    /// The font lists the theme receives (`meta.fonts.body`, `meta.fonts.headings`): the chosen
    /// family first, then the built-in one for what it lacks.
    pub fn lists(&self) -> serde_json::Value {
        fn list(family: Option<&String>) -> Vec<&str> {
            family.map(String::as_str).into_iter().chain([DEFAULT_FAMILY]).collect()
        }
        serde_json::json!({
            "body": list(self.body.as_ref()),
            "headings": list(self.headings.as_ref().or(self.body.as_ref())),
        })
    }
}

/// Parsed font faces and the book typst selects them from.
pub(crate) struct FontSet {
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
}

impl FontSet {
    /// The embedded fonts, parsed once per process.
    pub fn embedded() -> Arc<FontSet> {
        static EMBEDDED: LazyLock<Arc<FontSet>> = LazyLock::new(|| {
            let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
            Arc::new(FontSet { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts })
        });
        Arc::clone(&EMBEDDED)
    }

    /// The embedded fonts and the workspace's. Without workspace fonts, the shared embedded set:
    /// a workspace without `fonts/` costs nothing.
    pub fn with(files: &[FontFile]) -> Result<Arc<FontSet>, PdfError> {
        if files.is_empty() {
            return Ok(FontSet::embedded());
        }
        let mut fonts = FontSet::embedded().fonts.clone();
        for file in files {
            let faces: Vec<Font> = Font::iter(Bytes::new(file.bytes.clone())).collect();
            if faces.is_empty() {
                return Err(PdfError::FontFile { name: file.name.clone() });
            }
            fonts.extend(faces);
        }
        Ok(Arc::new(FontSet { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }))
    }

    /// Whether a font of the family `name` is in the set (in any case, as typst matches them).
    pub fn has_family(&self, name: &str) -> bool {
        self.book.select_family(&name.to_lowercase()).next().is_some()
    }

    /// Every family of the set, sorted.
    pub fn families(&self) -> Vec<String> {
        let mut families: Vec<String> = self.book.families().map(|(name, _)| name.to_owned()).collect();
        families.sort();
        families.dedup();
        families
    }

    /// The characters of `text` that no font of the set has, each once, in order of appearance.
    /// Spaces, line breaks and invisible format characters are not drawn, so never lacking.
    pub fn lacks(&self, text: &str) -> Vec<char> {
        let mut lacking: Vec<char> = Vec::new();
        for c in text.chars() {
            if c.is_ascii() || c.is_whitespace() || c.is_control() || typst::text::is_default_ignorable(c) {
                continue;
            }
            if !lacking.contains(&c) && !self.fonts.iter().any(|font| font.info().coverage.contains(c as u32)) {
                lacking.push(c);
            }
        }
        lacking
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_fonts_lack_cjk_but_not_latin_greek_or_cyrillic() {
        let set = FontSet::embedded();
        assert_eq!(set.lacks("Zoë Müller, Ærøskøbing — £12 · Ωμέγα · Жуков\u{200b}\t"), Vec::<char>::new());
        assert_eq!(set.lacks("山田 商事 山"), vec!['山', '田', '商', '事']);
    }

    #[test]
    fn a_file_that_is_not_a_font_is_refused_by_name() {
        let error = FontSet::with(&[FontFile { name: "notes.ttf".into(), bytes: b"not a font".to_vec() }]).err();
        assert!(matches!(error, Some(PdfError::FontFile { name }) if name == "notes.ttf"));
    }

    #[test]
    fn the_chosen_family_comes_first_and_headings_follow_the_body() {
        let choice = FontChoice { body: Some("Brand Sans".into()), headings: None };
        let lists = choice.lists();
        assert_eq!(lists["body"], serde_json::json!(["Brand Sans", "Libertinus Serif"]));
        assert_eq!(lists["headings"], lists["body"]);
        assert_eq!(FontChoice::default().lists()["headings"], serde_json::json!(["Libertinus Serif"]));
    }
}
