//! The filters templates use to present data: money, dates, durations, lists, labels, people, and
//! the function `t()` that prints the fixed text of the document's language. Each filter is lenient
//! with values it does not recognise and returns them unchanged, so a template never fails because
//! a value is unusual; the schema is the place that rejects them.

use super::language::Language;
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Result, Tera};

/// Registers the filters and `t()` of `language` on `tera`, whose values `escape` escapes.
pub fn register(tera: &mut Tera, language: &Arc<Language>, escape: fn(&str) -> String) {
    let with = |filter: fn(&Language, &Value, &Args) -> Result<Value>| {
        let language = Arc::clone(language);
        move |value: &Value, args: &Args| filter(&language, value, args)
    };
    tera.register_filter("money", with(money));
    tera.register_filter("number", Number { language: Arc::clone(language), escape });
    tera.register_filter("long_date", with(long_date));
    tera.register_filter("due", with(due));
    tera.register_filter("duration", with(duration));
    tera.register_filter("sentence", with(sentence));
    tera.register_filter("yes_no", with(yes_no));
    tera.register_filter("label", with(label));
    tera.register_filter("person", person);
    tera.register_filter("upper_first", upper_first);
    tera.register_function("t", Translate { language: Arc::clone(language), escape });
}

type Args = HashMap<String, Value>;

/// `t(key="approvals.title")`, `t(key="sow.intro", client=client)`: the text of `key` in the
/// document's language, each `{name}` replaced by the argument `name`, escaped like any value (a
/// number as the `number` filter prints it); with `count=N`, the singular or plural form
/// (`key.one`, `key.other`). The catalogue's own text is printed as written (it may hold
/// Markdown), so the function's output is not escaped again.
struct Translate {
    language: Arc<Language>,
    escape: fn(&str) -> String,
}

impl tera::Function for Translate {
    fn call(&self, args: &Args) -> Result<Value> {
        let Some(key) = args.get("key").and_then(Value::as_str) else {
            return Err("t() needs the key of a text: t(key=\"approvals.title\")".into());
        };
        let count = args.get("count").and_then(Value::as_f64);
        let text = self.language.fill(key, count, |name| args.get(name).map(|value| self.argument(value)));
        text.map(Value::String).ok_or_else(|| {
            format!("no text `{key}` in the catalogues: add it to templates/lang/en.yaml and the other languages")
                .into()
        })
    }

    fn is_safe(&self) -> bool {
        true
    }
}

impl Translate {
    /// An argument as the text prints it: a number with the language's decimal sign and, as Tera
    /// prints a number, unescaped (`{count} days` → `2.5 days`, `2,5 Tage`); any other value
    /// escaped like `{{ value }}`.
    fn argument(&self, value: &Value) -> String {
        match value {
            Value::Number(_) => decimal(&self.language, value),
            other => (self.escape)(&plain(other)),
        }
    }
}

/// A value as `{{ value }}` prints it (a whole float without its `.0`, as Tera prints it).
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// `12500` with `currency="GBP"`, or `{amount: 12500, currency: GBP}` → `£12,500.00` (in English).
fn money(language: &Language, value: &Value, args: &Args) -> Result<Value> {
    let (amount, currency) = match value {
        Value::Object(m) => (m.get("amount").and_then(Value::as_f64), m.get("currency").and_then(Value::as_str)),
        other => (other.as_f64(), None),
    };
    let currency = currency.or_else(|| args.get("currency").and_then(Value::as_str)).unwrap_or("");
    let Some(amount) = amount else { return Ok(value.clone()) };
    Ok(json!(language.money(amount, currency)))
}

/// `1.5` → `1,5` in German: a number with the language's decimal sign, as Tera prints it
/// otherwise (a whole float without its `.0`, no grouping of thousands).
fn number(language: &Language, value: &Value, _: &Args) -> Result<Value> {
    if !value.is_number() {
        return Ok(value.clone());
    }
    Ok(json!(decimal(language, value)))
}

fn decimal(language: &Language, number: &Value) -> String {
    language.number(&plain(number))
}

/// The `number` filter: a number is printed unescaped, as Tera prints a number (`1.5`, not the
/// escaped `1\.5`); any other value is escaped here, as `{{ value }}` would be.
struct Number {
    language: Arc<Language>,
    escape: fn(&str) -> String,
}

impl tera::Filter for Number {
    fn filter(&self, value: &Value, args: &Args) -> Result<Value> {
        match value {
            Value::Number(_) => number(&self.language, value, args),
            other => Ok(json!((self.escape)(&plain(other)))),
        }
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `2026-03-14` → `14 March 2026`.
fn long_date(language: &Language, value: &Value, _: &Args) -> Result<Value> {
    let Some(text) = value.as_str() else {
        return Ok(if value.is_null() { json!("") } else { value.clone() });
    };
    Ok(match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => json!(language.date(date)),
        Err(_) => value.clone(),
    })
}

/// A due date as a proposal states it, with no events to resolve it: `2026-03-14` → `14 March
/// 2026`, `award + 30 days` → `within 30 days of award`; anything else (a bare word, which may be
/// a note rather than an event) unchanged.
fn due(language: &Language, value: &Value, args: &Args) -> Result<Value> {
    let Some(text) = value.as_str() else { return long_date(language, value, args) };
    Ok(match crate::model::schedule::Due::parse(text) {
        Ok(crate::model::schedule::Due::On(date)) => json!(language.date(date)),
        Ok(relative) if text.contains('+') => json!(crate::model::timeline::relative(&relative, language)),
        _ => value.clone(),
    })
}

/// `4h` → `4 hours`.
fn duration(language: &Language, value: &Value, _: &Args) -> Result<Value> {
    let Some(text) = value.as_str() else { return Ok(value.clone()) };
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let unit = match unit {
        "m" => "minute",
        "h" => "hour",
        "d" => "day",
        "w" => "week",
        _ => return Ok(value.clone()),
    };
    Ok(match number.parse::<u64>() {
        Ok(n) => {
            let text = language.fill(&format!("duration.{unit}"), Some(n as f64), |_| Some(n.to_string()));
            json!(text.unwrap_or_else(|| plain(value)))
        }
        Err(_) => value.clone(),
    })
}

/// `[a, b, c]` → `a, b and c`.
fn sentence(language: &Language, value: &Value, _: &Args) -> Result<Value> {
    let Some(items) = value.as_array() else { return Ok(value.clone()) };
    let words: Vec<String> = items.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
    Ok(json!(language.list(&words)))
}

fn yes_no(language: &Language, value: &Value, _: &Args) -> Result<Value> {
    Ok(match value.as_bool() {
        Some(true) => json!(language.get("format.yes")),
        Some(false) => json!(language.get("format.no")),
        None => value.clone(),
    })
}

/// `accepted_with_conditions` → `Accepted with conditions`: the catalogue's `value.KEY` when it
/// has one (the values the schemas define), else the value with spaces and a capital.
fn label(language: &Language, value: &Value, _: &Args) -> Result<Value> {
    let Some(text) = value.as_str() else { return Ok(value.clone()) };
    if let Some(label) = language.text(&format!("value.{text}")) {
        return Ok(json!(label));
    }
    let spaced = text.replace('_', " ");
    let mut chars = spaced.chars();
    Ok(json!(chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()))
}

/// `assumptions and constraints` → `Assumptions and constraints`: the first letter in capitals,
/// the rest as written (Tera's `capitalize` would lower the rest, and German capitalises nouns).
fn upper_first(value: &Value, _: &Args) -> Result<Value> {
    let Some(text) = value.as_str() else { return Ok(value.clone()) };
    let mut chars = text.chars();
    Ok(json!(chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()))
}

/// `{name, role}` → `Name (Role)`.
fn person(value: &Value, _: &Args) -> Result<Value> {
    let name = value.get("name").and_then(Value::as_str);
    let role = value.get("role").and_then(Value::as_str);
    Ok(match (name, role) {
        (Some(name), Some(role)) => json!(format!("{name} ({role})")),
        (Some(name), None) => json!(name),
        _ => value.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Filter = fn(&Language, &Value, &Args) -> Result<Value>;

    fn call(filter: Filter, value: Value, args: &[(&str, Value)]) -> Value {
        let args = args.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        filter(&crate::render::language::english(), &value, &args).unwrap()
    }

    #[test]
    fn money_formats() {
        assert_eq!(call(money, json!(1234567.5), &[("currency", json!("GBP"))]), json!("£1,234,567.50"));
        assert_eq!(call(money, json!({"amount": 950, "currency": "CHF"}), &[]), json!("CHF 950.00"));
        assert_eq!(call(money, json!(-12000), &[("currency", json!("EUR"))]), json!("-€12,000.00"));
        assert_eq!(call(money, json!(0.005), &[("currency", json!("USD"))]), json!("$0.01"));
        assert_eq!(call(money, json!("n/a"), &[]), json!("n/a"));
        assert_eq!(call(number, json!(1.5), &[]), json!("1.5"));
        assert_eq!(call(number, json!(18.0), &[]), json!("18"));
        assert_eq!(call(number, json!("x"), &[]), json!("x"));
        let catalogues = super::super::language::Catalogues::load(&Default::default(), &Default::default()).unwrap();
        assert_eq!(number(&catalogues.get("de"), &json!(1.5), &Args::new()).unwrap(), json!("1,5"));
        assert_eq!(call(number, json!(6969), &[]), json!("6,969"));
        assert_eq!(call(number, json!(-1234567.25), &[]), json!("-1,234,567.25"));
        assert_eq!(call(number, json!(999), &[]), json!("999"));
        assert_eq!(number(&catalogues.get("de"), &json!(12500.5), &Args::new()).unwrap(), json!("12.500,5"));
        assert_eq!(number(&catalogues.get("fr"), &json!(2285), &Args::new()).unwrap(), json!("2\u{202f}285"));
    }

    #[test]
    fn dates_durations_lists_labels_people() {
        assert_eq!(call(long_date, json!("2026-03-04"), &[]), json!("4 March 2026"));
        assert_eq!(call(long_date, json!("2026-02-30"), &[]), json!("2026-02-30"));
        assert_eq!(call(long_date, Value::Null, &[]), json!(""));
        assert_eq!(call(due, json!("2026-03-04"), &[]), json!("4 March 2026"));
        assert_eq!(call(due, json!("kickoff + 2 weeks"), &[]), json!("within 2 weeks of kickoff"));
        assert_eq!(call(due, json!("soon"), &[]), json!("soon"));
        assert_eq!(call(duration, json!("1h"), &[]), json!("1 hour"));
        assert_eq!(call(duration, json!("30m"), &[]), json!("30 minutes"));
        assert_eq!(call(sentence, json!(["a", "b", "c"]), &[]), json!("a, b and c"));
        assert_eq!(call(sentence, json!(["a"]), &[]), json!("a"));
        assert_eq!(call(yes_no, json!(false), &[]), json!("No"));
        assert_eq!(call(label, json!("accepted_with_conditions"), &[]), json!("Accepted with conditions"));
        assert_eq!(call(label, json!("my_own_event"), &[]), json!("My own event"));
        assert_eq!(person(&json!({"name": "Ana Ruiz", "role": "CFO"}), &Args::new()).unwrap(), json!("Ana Ruiz (CFO)"));
    }

    // A number argument of t() prints with the language's decimal sign, as Tera prints a number
    // (unescaped); text arguments are escaped.
    #[test]
    fn translated_text_prints_numbers_in_the_language() {
        let catalogues = super::super::language::Catalogues::load(&Default::default(), &Default::default()).unwrap();
        let text = |code: &str, args: Value| {
            let translate = Translate { language: catalogues.get(code), escape: crate::render::escape::markdown };
            let Value::Object(args) = args else { unreachable!() };
            tera::Function::call(&translate, &args.into_iter().collect()).unwrap()
        };
        let days = json!({"key": "commercial.quantity.day", "count": 2.5});
        assert_eq!(text("en", days.clone()), json!("2.5 days"));
        assert_eq!(text("de", days), json!("2,5 Tage"));
        assert_eq!(text("de", json!({"key": "commercial.quantity.day", "count": 1})), json!("1 Tag"));
        let rejection = json!({"key": "terms.rejection", "rejection": "*in writing*"});
        assert_eq!(text("en", rejection), json!("Rejection: \\*in writing\\*"));
    }
}
