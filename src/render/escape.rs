//! The one place where user text is made safe for Markdown (and so for the HTML and PDF made from
//! it), and for HTML written directly (the diff redline). Templates escape every `{{ value }}` with [`markdown`] unless they say `| safe`.
//!
//! The rule: user text must come out as the same text, never as structure. So every character
//! that can start Markdown syntax inline (`\` `` ` `` `*` `_` `[` `]` `<` `>` `#` `|` `~` `&` `!`)
//! is backslash-escaped wherever it is; characters that only matter at the start of a line
//! (`-` `+` `=` and `1.` / `1)`) are escaped when the value starts with them, since a template
//! may place a value at the start of a line. Line breaks and tabs become spaces (a value stays
//! inside its paragraph or table cell) and other control characters are dropped, as are bidi
//! overrides ([`is_bidi_override`](crate::model::text::is_bidi_override)); surrounding
//! white space is trimmed, as HTML would collapse it anyway.

use crate::model::text::is_dropped;

/// Escapes user text for a Markdown template.
pub fn markdown(text: &str) -> String {
    let flat: String = text
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if is_dropped(c) => None,
            c => Some(c),
        })
        .collect();
    let flat = flat.trim();
    let mut out = String::with_capacity(flat.len() + 8);
    let digits = flat.chars().take_while(char::is_ascii_digit).count();
    for (i, c) in flat.chars().enumerate() {
        let at_start = i == 0 && matches!(c, '-' | '+' | '=');
        let list_number = i == digits && digits > 0 && matches!(c, '.' | ')');
        if at_start
            || list_number
            || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!')
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes text for HTML content or a quoted attribute: the five significant characters, and
/// drops what [`is_dropped`] names, as the Markdown does.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if is_dropped(c) => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::markdown;
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    /// Renders `template` (with `{}` replaced by the escaped text) and returns the text events and
    /// the structural tags the Markdown produced.
    fn parse(template: &str, text: &str) -> (String, Vec<String>) {
        let source = template.replace("{}", &markdown(text));
        let mut plain = String::new();
        let mut tags = Vec::new();
        for event in Parser::new_ext(&source, crate::render::markdown_options()) {
            match event {
                Event::Text(t) => plain.push_str(&t),
                Event::Start(tag) => tags.push(tag_name(&tag)),
                Event::End(
                    TagEnd::Paragraph | TagEnd::TableCell | TagEnd::TableRow | TagEnd::TableHead | TagEnd::Table,
                ) => {}
                Event::End(_) => {}
                other => tags.push(format!("{other:?}")),
            }
        }
        (plain, tags)
    }

    fn tag_name(tag: &Tag) -> String {
        format!("{tag:?}").split(['(', ' ', '{']).next().unwrap_or_default().to_string()
    }

    /// HTML as text: the escaped characters decoded, and pulldown-cmark's `<p>` kept as a marker
    /// of the one paragraph (any other element fails the comparison).
    fn html_text(html: &str) -> String {
        html.trim_end()
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    fn expected(text: &str) -> String {
        text.chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if c.is_control() || crate::model::text::is_bidi_override(c) => None,
                c => Some(c),
            })
            .collect::<String>()
            .trim()
            .to_string()
    }

    const HOSTILE: [&str; 14] = [
        "Smith | Sons *Ltd* # 1",
        "<script>alert(1)</script>",
        "# Heading",
        "- item",
        "1. first",
        "2) second",
        "> quote",
        "[link](https://evil.example)",
        "![img](x.png)",
        "`code` and ``more``",
        "a\\b\\\\c",
        "---",
        "&amp; &lt;",
        "line one\nline two\n\nnew paragraph",
    ];

    #[test]
    fn hostile_text_stays_text_in_a_paragraph_and_a_table() {
        for text in HOSTILE {
            let (plain, tags) = parse("{}\n", text);
            assert_eq!(plain, expected(text), "paragraph: {text:?}");
            assert_eq!(tags, ["Paragraph"], "paragraph structure: {text:?}");
            let (plain, tags) = parse("| a | b |\n|---|---|\n| {} | x |\n", text);
            assert_eq!(plain, format!("ab{}x", expected(text)), "table: {text:?}");
            assert_eq!(
                tags,
                ["Table", "TableHead", "TableCell", "TableCell", "TableRow", "TableCell", "TableCell"],
                "table: {text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_text_round_trips_inside_a_paragraph(text in "[ -~\\n\\té€😀]{1,40}") {
            let expected = expected(&text);
            prop_assume!(!expected.is_empty());
            let (plain, tags) = parse("Value: {}\n", &text);
            prop_assert_eq!(plain, format!("Value: {expected}"));
            prop_assert_eq!(tags, vec!["Paragraph".to_string()]);
        }

        /// Through Markdown to HTML: the page's text, tags removed and entities decoded, is the
        /// text typed, inside one paragraph or one table cell.
        #[test]
        fn any_text_round_trips_to_html(text in "[ -~\n\t\u{1}\u{7f}éß€😀\u{202e}\u{200b}\u{301}שלום]{1,60}") {
            let expected = expected(&text);
            prop_assume!(!expected.is_empty());
            let paragraph = crate::render::html::body(&format!("{}\n", markdown(&text)));
            prop_assert_eq!(html_text(&paragraph), format!("<p>{expected}</p>"));
            let table = crate::render::html::body(&format!("| a |\n|---|\n| {} |\n", markdown(&text)));
            let cell = table.split("<td>").nth(1).and_then(|rest| rest.split("</td>").next()).unwrap_or_default();
            prop_assert_eq!(html_text(cell), expected);
        }

        #[test]
        fn any_text_round_trips_at_the_start_of_a_list_item(text in "[ -~]{1,40}") {
            let expected = expected(&text);
            prop_assume!(!expected.is_empty());
            let (plain, tags) = parse("- {}\n", &text);
            prop_assert_eq!(plain, expected);
            prop_assert_eq!(tags, vec!["List".to_string(), "Item".to_string()]);
        }
    }
}
