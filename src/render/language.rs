//! The languages documents are written in: catalogues of the templates' fixed text, and how each
//! language writes dates, numbers and money.
//!
//! A catalogue is a flat YAML map of keys to text (`templates/lang/de.yaml`). engage has English,
//! German, French and Spanish built in; a workspace's `templates/lang/CODE.yaml` replaces keys of
//! a built-in language or adds a language. Every language starts from English: a key a catalogue
//! lacks is printed in English, and a workspace catalogue that lacks keys is reported (see
//! [`Catalogues::warnings`]). Templates print a text with `t(key=..., name=value)` (see
//! `templates/README.md`); `{name}` in the text is replaced by the value, escaped as the template
//! escapes values.

use super::TemplateError;
use super::templates::Overrides;
use crate::source::{Pos, Sources};
use crate::workspace::DEFAULT_LANGUAGE;
use chrono::{Datelike, NaiveDate};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

/// The folder of catalogues, inside `templates/`.
pub const FOLDER: &str = "lang";

/// The built-in catalogues: `(language code, text)`. English is complete: every key the built-in
/// templates use is in it.
pub const BUILTIN: [(&str, &str); 4] = [
    ("en", include_str!("../../templates/lang/en.yaml")),
    ("de", include_str!("../../templates/lang/de.yaml")),
    ("fr", include_str!("../../templates/lang/fr.yaml")),
    ("es", include_str!("../../templates/lang/es.yaml")),
];

/// One language: its texts (English for the keys its catalogues lack) and formats.
#[derive(Debug)]
pub struct Language {
    pub code: String,
    texts: BTreeMap<String, String>,
}

impl Language {
    /// The text of `key`, if any catalogue has it.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(String::as_str)
    }

    /// The text of `key`, or the key itself when no catalogue has it (for Rust callers whose keys
    /// English always has).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.text(key).unwrap_or(key)
    }

    /// The keys that start with `prefix` (without it) and their texts.
    pub fn keys_under<'a>(&'a self, prefix: &'a str) -> Vec<(&'a str, &'a str)> {
        let keys = self.texts.range(prefix.to_owned()..).take_while(|(key, _)| key.starts_with(prefix));
        keys.map(|(key, text)| (&key[prefix.len()..], text.as_str())).collect()
    }

    /// The text of `key` with each `{name}` replaced by `arg(name)`; with a `count` argument,
    /// the form `key.one` or `key.other` as the number asks. `None` when no catalogue has the key.
    pub fn fill(&self, key: &str, count: Option<f64>, arg: impl Fn(&str) -> Option<String>) -> Option<String> {
        let form = count.map(|n| if self.is_one(n) { "one" } else { "other" });
        let text = match form {
            Some(form) => self.text(&format!("{key}.{form}")).or_else(|| self.text(key))?,
            None => self.text(key)?,
        };
        Some(substitute(text, arg))
    }

    /// Whether `n` takes the singular: 1 in English, German and Spanish; 0 and 1 in French.
    fn is_one(&self, n: f64) -> bool {
        match self.get("format.plural") {
            "zero-one" => n == 0.0 || n == 1.0,
            _ => n == 1.0,
        }
    }

    /// An amount in a currency as this language writes it: `£1,234,567.00`, `1.234.567,00 €`.
    pub fn money(&self, amount: f64, currency: &str) -> String {
        let cents = (amount.abs() * 100.0).round() as u128;
        let sign = if amount < 0.0 && cents > 0 { "-" } else { "" };
        let number = format!(
            "{}{}{:02}",
            grouped(cents / 100, self.get("format.group")),
            self.get("format.decimal"),
            cents % 100
        );
        let symbol = match currency {
            "GBP" => Some("£"),
            "EUR" => Some("€"),
            "USD" => Some("$"),
            _ => None,
        };
        let pattern = match (symbol, currency) {
            (_, "") => "{amount}",
            (Some(_), _) => self.get("format.money_symbol"),
            (None, _) => self.get("format.money_code"),
        };
        let text = substitute(pattern, |name| match name {
            "amount" => Some(number.clone()),
            "symbol" => Some(symbol.unwrap_or(currency).to_owned()),
            "code" => Some(currency.to_owned()),
            _ => None,
        });
        format!("{sign}{text}")
    }

    /// A number written plainly (`-1234.5`) as this language writes it: its decimal sign, and its
    /// digits grouped in thousands as amounts are (`-1,234.5`, `-1.234,5`, `-1 234,5`).
    pub fn number(&self, plain: &str) -> String {
        written(plain, self.get("format.decimal"), self.get("format.group"))
    }

    /// A date as this language writes it in full: `14 March 2026`, `14. März 2026`.
    pub fn date(&self, date: NaiveDate) -> String {
        let months: Vec<&str> = self.get("format.months").split_whitespace().collect();
        let month = months.get(date.month0() as usize).copied().unwrap_or_default().to_owned();
        substitute(self.get("format.date"), |name| match name {
            "day" => Some(date.day().to_string()),
            "month" => Some(month.clone()),
            "year" => Some(date.year().to_string()),
            _ => None,
        })
    }

    /// `[a, b, c]` → `a, b and c`.
    pub fn list(&self, words: &[String]) -> String {
        match words {
            [] => String::new(),
            [only] => only.clone(),
            [init @ .., last] => format!("{}{}{last}", init.join(", "), self.get("format.and")),
        }
    }
}

/// A number written plainly (`-1234.5`) with a decimal sign and a sign between groups of three
/// digits: `-1,234.5`, `-1.234,5`, `-1 234,5`.
pub fn written(plain: &str, decimal: &str, group: &str) -> String {
    let (sign, unsigned) = plain.strip_prefix('-').map_or(("", plain), |rest| ("-", rest));
    let (whole, fraction) = unsigned.split_once('.').map_or((unsigned, None), |(w, f)| (w, Some(f)));
    let digits = whole.parse::<u128>().map_or_else(|_| whole.to_owned(), |w| grouped(w, group));
    match fraction {
        Some(fraction) => format!("{sign}{digits}{decimal}{fraction}"),
        None => format!("{sign}{digits}"),
    }
}

/// A whole number with its digits grouped in thousands: `1,234,567`, `1.234.567`.
fn grouped(whole: u128, group: &str) -> String {
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(group);
        }
        out.push(digit);
    }
    out
}

impl crate::model::timeline::Words for Language {
    fn date(&self, date: NaiveDate) -> String {
        Language::date(self, date)
    }

    /// The text of `key` (the key itself when no catalogue has it), `{count}` and the arguments
    /// filled in.
    fn text(&self, key: &str, count: Option<u64>, args: &[(&str, &str)]) -> String {
        let arg = |name: &str| match name {
            "count" => count.map(|n| n.to_string()),
            _ => args.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()),
        };
        self.fill(key, count.map(|n| n as f64), arg).unwrap_or_else(|| key.to_owned())
    }
}

/// `text` with each `{name}` replaced by `arg(name)`; a name without a value stays as written.
fn substitute(text: &str, arg: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if is_name(name) => {
                match arg(name) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The built-in catalogues, parsed once per process (a test checks that they parse).
fn builtin() -> &'static BTreeMap<&'static str, BTreeMap<String, String>> {
    static BUILT_IN: LazyLock<BTreeMap<&str, BTreeMap<String, String>>> = LazyLock::new(|| {
        let parsed = BUILTIN.iter().map(|(code, text)| (*code, parse(text).unwrap_or_default()));
        parsed.collect()
    });
    &BUILT_IN
}

/// The built-in English catalogue alone.
pub fn english() -> Arc<Language> {
    static ENGLISH: LazyLock<Arc<Language>> = LazyLock::new(|| {
        Arc::new(Language { code: DEFAULT_LANGUAGE.into(), texts: builtin()[DEFAULT_LANGUAGE].clone() })
    });
    Arc::clone(&ENGLISH)
}

/// Every language a workspace can write in: the built-in catalogues and its own.
#[derive(Debug)]
pub struct Catalogues {
    languages: BTreeMap<String, Arc<Language>>,
    warnings: Vec<String>,
}

impl Catalogues {
    /// The built-in catalogues with the workspace's (`templates/lang/CODE.yaml`) over them. A
    /// workspace catalogue that cannot be read stops the build, located like a template error.
    pub fn load(overrides: &Overrides, sources: &Sources) -> Result<Catalogues, TemplateError> {
        let english = &builtin()[DEFAULT_LANGUAGE];
        let mut merged: BTreeMap<String, BTreeMap<String, String>> =
            builtin().iter().map(|(code, texts)| (code.to_string(), texts.clone())).collect();
        let mut warnings = Vec::new();
        for (name, file) in overrides.names() {
            let Some(code) = catalogue_code(name) else { continue };
            let own = parse(&sources.get(file).text).map_err(|(at, message)| TemplateError {
                template: name.to_owned(),
                file: Some(file),
                at,
                message,
            })?;
            let base = merged.entry(code.to_owned()).or_default();
            base.extend(own);
            let lacking: Vec<&String> = english.keys().filter(|key| !base.contains_key(*key)).collect();
            if let Some(first) = lacking.first() {
                warnings.push(format!(
                    "warning: templates/{name} lacks {} of the texts the built-in templates print (the first: `{first}`); they are printed in English\n  = help: add them to templates/{name}; the built-in English catalogue lists every key\n",
                    lacking.len()
                ));
            }
        }
        let languages = merged
            .into_iter()
            .map(|(code, own)| {
                let mut texts = english.clone();
                texts.extend(own);
                (code.clone(), Arc::new(Language { code, texts }))
            })
            .collect();
        Ok(Catalogues { languages, warnings })
    }

    /// The language of `code`; English when there is no catalogue for it.
    pub fn get(&self, code: &str) -> Arc<Language> {
        Arc::clone(self.languages.get(code).unwrap_or_else(|| &self.languages[DEFAULT_LANGUAGE]))
    }

    /// Whether there is a catalogue for `code`.
    pub fn has(&self, code: &str) -> bool {
        self.languages.contains_key(code)
    }

    /// The codes of every language, sorted.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.languages.keys().map(String::as_str)
    }

    /// What is wrong with the workspace's catalogues but does not stop a build: keys they lack.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// The language code of a template file that is a catalogue (`lang/de.yaml` → `de`).
fn catalogue_code(name: &str) -> Option<&str> {
    let file = name.strip_prefix(FOLDER)?.strip_prefix('/')?;
    let code = file.strip_suffix(".yaml").or_else(|| file.strip_suffix(".yml"))?;
    (!code.is_empty() && !code.contains('/')).then_some(code)
}

/// A catalogue's keys and texts; an error is a position and what is wrong there.
fn parse(text: &str) -> Result<BTreeMap<String, String>, (Pos, String)> {
    let parsed = crate::source::yaml::parse(text).map_err(|e| (e.start, e.message))?;
    let Value::Object(map) = parsed.value else {
        return Err((Pos::START, "a catalogue is a map of keys to texts (`approvals.title: Approvals`)".into()));
    };
    let mut texts = BTreeMap::new();
    for (key, value) in map {
        let Value::String(text) = value else {
            let at = parsed.spans.locate(&format!("/{}", key.replace('~', "~0").replace('/', "~1"))).start;
            return Err((at, format!("the text of `{key}` must be a string: quote it")));
        };
        texts.insert(key, text);
    }
    Ok(texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language(code: &str) -> Arc<Language> {
        Catalogues::load(&Overrides::default(), &Sources::default()).unwrap().get(code)
    }

    #[test]
    fn money_dates_and_lists_follow_the_language() {
        let (en, de, fr, es) = (language("en"), language("de"), language("fr"), language("es"));
        assert_eq!(en.money(1234567.0, "EUR"), "€1,234,567.00");
        assert_eq!(de.money(1234567.0, "EUR"), "1.234.567,00 €");
        assert_eq!(fr.money(1234567.0, "EUR"), "1\u{202f}234\u{202f}567,00\u{a0}€");
        assert_eq!(es.money(1234567.0, "EUR"), "1.234.567,00 €");
        assert_eq!(en.money(950.0, "CHF"), "CHF 950.00");
        assert_eq!(de.money(-950.5, "CHF"), "-950,50 CHF");
        assert_eq!(de.money(12.0, ""), "12,00");
        let day = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        assert_eq!(en.date(day), "4 March 2026");
        assert_eq!(de.date(day), "4. März 2026");
        assert_eq!(fr.date(day), "4 mars 2026");
        assert_eq!(es.date(day), "4 de marzo de 2026");
        let words = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(en.list(&words), "a, b and c");
        assert_eq!(de.list(&words), "a, b und c");
    }

    #[test]
    fn an_unknown_language_is_english() {
        assert_eq!(language("pt").code, "en");
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let fill = |name: &str| (name == "who").then(|| "Ana".to_string());
        assert_eq!(substitute("{who} and {other} {x y} {", fill), "Ana and {other} {x y} {");
    }

    // Every built-in language words every text of more than one word its own way: a sentence
    // that reads the same as in English has not been translated. (Single words may be shared:
    // Status, Client, Date.)
    #[test]
    fn the_built_in_catalogues_are_translated() {
        let english = parse(BUILTIN[0].1).unwrap();
        for (code, text) in &BUILTIN[1..] {
            let own = parse(text).unwrap();
            let same: Vec<&String> = english
                .iter()
                .filter(|(key, text)| !key.starts_with("format.") && words(text) > 1)
                .filter(|(key, text)| own.get(*key) == Some(*text))
                .map(|(key, _)| key)
                .collect();
            assert!(same.is_empty(), "{code}: not translated: {same:?}");
        }
    }

    /// The words of a text, placeholders left out.
    fn words(text: &str) -> usize {
        text.split_whitespace().filter(|w| !w.starts_with('{') && w.chars().any(char::is_alphabetic)).count()
    }

    // Every built-in language has every key of the English catalogue.
    #[test]
    fn the_built_in_catalogues_are_complete() {
        for (code, text) in BUILTIN {
            assert!(parse(text).is_ok(), "{code}.yaml does not parse");
        }
        let english = parse(BUILTIN[0].1).unwrap();
        for (code, text) in &BUILTIN[1..] {
            let own = parse(text).unwrap();
            let lacking: Vec<&String> = english.keys().filter(|k| !own.contains_key(*k)).collect();
            let extra: Vec<&String> = own.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(lacking.is_empty() && extra.is_empty(), "{code}: lacks {lacking:?}, has unknown {extra:?}");
        }
    }
}
