//! Characters a PDF cannot show. typst draws a character that no font has as an empty box and says
//! nothing; a build that makes PDFs warns instead, naming the document, the field and the
//! character, so that the missing font can be added to `fonts/`.

use crate::diag::display_path;
use crate::diag::field_path;
use crate::model::Document;
use crate::render::pdf::Typesetter;
use serde_json::Value;
use std::fmt::Write as _;

/// How many characters one warning lists before it says how many more there are.
const SHOWN: usize = 5;

/// The warnings of one document: one for each field whose text holds characters that no font
/// has, then one for such characters in the rest of its text (the template's fixed text, or
/// values from other documents, such as the client's name), printed as `engage check` prints
/// findings.
pub fn warnings(typesetter: &Typesetter, doc: &Document, id: &str, markdown: &str) -> Vec<String> {
    let mut fields = Vec::new();
    strings(&doc.data, &mut String::new(), &mut |pointer, text| {
        let lacking = typesetter.lacks(text);
        if !lacking.is_empty() {
            fields.push((pointer.to_owned(), lacking));
        }
    });
    let reported: Vec<char> = fields.iter().flat_map(|(_, chars)| chars.iter().copied()).collect();
    let mut warnings: Vec<String> = fields
        .iter()
        .map(|(pointer, chars)| {
            let at = doc.spans.locate(pointer).start;
            let place = format!("{}:{}:{}", display_path(&doc.path), at.line, at.column);
            warning(id, &format!("field {}", field_path(pointer)), chars, Some(&place))
        })
        .collect();
    let rest: Vec<char> = typesetter.lacks(markdown).into_iter().filter(|c| !reported.contains(c)).collect();
    if !rest.is_empty() {
        warnings.push(warning(id, "its text", &rest, None));
    }
    warnings
}

fn warning(id: &str, what: &str, chars: &[char], place: Option<&str>) -> String {
    let mut listed: Vec<String> = chars.iter().take(SHOWN).map(|c| format!("'{c}' (U+{:04X})", *c as u32)).collect();
    if chars.len() > SHOWN {
        listed.push(format!("{} more", chars.len() - SHOWN));
    }
    let noun = if chars.len() == 1 { "character" } else { "characters" };
    let mut text = format!(
        "warning: {id}: no font has the {noun} {} of {what}; the PDF shows an empty box in its place\n",
        listed.join(", ")
    );
    if let Some(place) = place {
        let _ = writeln!(text, "  --> {place}");
    }
    text.push_str("  = help: put a font that covers it in the workspace's fonts/ folder (a .ttf or .otf file)\n");
    text
}

/// Calls `found(pointer, text)` for every string in `value`, in document order.
fn strings(value: &Value, pointer: &mut String, found: &mut impl FnMut(&str, &str)) {
    match value {
        Value::String(text) => found(pointer, text),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let len = pointer.len();
                let _ = write!(pointer, "/{index}");
                strings(item, pointer, found);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                strings(item, pointer, found);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}
