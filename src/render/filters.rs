//! The filters templates use to present data: money, dates, durations, lists, labels, people.
//! Each filter is lenient with values it does not recognise and returns them unchanged, so a
//! template never fails because a value is unusual; the schema is the place that rejects them.

use crate::model::text::format_money;
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::collections::HashMap;
use tera::{Result, Tera};

pub fn register(tera: &mut Tera) {
    tera.register_filter("money", money);
    tera.register_filter("long_date", long_date);
    tera.register_filter("due", due);
    tera.register_filter("duration", duration);
    tera.register_filter("sentence", sentence);
    tera.register_filter("yes_no", yes_no);
    tera.register_filter("label", label);
    tera.register_filter("person", person);
}

type Args = HashMap<String, Value>;

/// `12500` with `currency="GBP"`, or `{amount: 12500, currency: GBP}` → `£12,500.00`.
fn money(value: &Value, args: &Args) -> Result<Value> {
    let (amount, currency) = match value {
        Value::Object(m) => (m.get("amount").and_then(Value::as_f64), m.get("currency").and_then(Value::as_str)),
        other => (other.as_f64(), None),
    };
    let currency = currency.or_else(|| args.get("currency").and_then(Value::as_str)).unwrap_or("");
    let Some(amount) = amount else { return Ok(value.clone()) };
    Ok(json!(format_money(amount, currency)))
}

/// `2026-03-14` → `14 March 2026`.
fn long_date(value: &Value, _: &Args) -> Result<Value> {
    let Some(text) = value.as_str() else {
        return Ok(if value.is_null() { json!("") } else { value.clone() });
    };
    Ok(match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => json!(crate::model::timeline::long_date(date)),
        Err(_) => value.clone(),
    })
}

/// A due date as a proposal states it, with no events to resolve it: `2026-03-14` → `14 March
/// 2026`, `award + 30 days` → `within 30 days of award`; anything else (a bare word, which may be
/// a note rather than an event) unchanged.
fn due(value: &Value, args: &Args) -> Result<Value> {
    let Some(text) = value.as_str() else { return long_date(value, args) };
    Ok(match crate::model::schedule::Due::parse(text) {
        Ok(crate::model::schedule::Due::On(date)) => json!(crate::model::timeline::long_date(date)),
        Ok(relative) if text.contains('+') => json!(relative.to_string()),
        _ => value.clone(),
    })
}

/// `4h` → `4 hours`.
fn duration(value: &Value, _: &Args) -> Result<Value> {
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
        Ok(1) => json!(format!("1 {unit}")),
        Ok(n) => json!(format!("{n} {unit}s")),
        Err(_) => value.clone(),
    })
}

/// `[a, b, c]` → `a, b and c`.
fn sentence(value: &Value, _: &Args) -> Result<Value> {
    let Some(items) = value.as_array() else { return Ok(value.clone()) };
    let words: Vec<String> = items.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
    Ok(json!(match words.as_slice() {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }))
}

fn yes_no(value: &Value, _: &Args) -> Result<Value> {
    Ok(match value.as_bool() {
        Some(true) => json!("Yes"),
        Some(false) => json!("No"),
        None => value.clone(),
    })
}

/// `accepted_with_conditions` → `Accepted with conditions`.
fn label(value: &Value, _: &Args) -> Result<Value> {
    let Some(text) = value.as_str() else { return Ok(value.clone()) };
    let spaced = text.replace('_', " ");
    let mut chars = spaced.chars();
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

    fn call(filter: fn(&Value, &Args) -> Result<Value>, value: Value, args: &[(&str, Value)]) -> Value {
        let args = args.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        filter(&value, &args).unwrap()
    }

    #[test]
    fn money_formats() {
        assert_eq!(call(money, json!(1234567.5), &[("currency", json!("GBP"))]), json!("£1,234,567.50"));
        assert_eq!(call(money, json!({"amount": 950, "currency": "CHF"}), &[]), json!("CHF 950.00"));
        assert_eq!(call(money, json!(-12000), &[("currency", json!("EUR"))]), json!("-€12,000.00"));
        assert_eq!(call(money, json!(0.005), &[("currency", json!("USD"))]), json!("$0.01"));
        assert_eq!(call(money, json!("n/a"), &[]), json!("n/a"));
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
        assert_eq!(call(person, json!({"name": "Ana Ruiz", "role": "CFO"}), &[]), json!("Ana Ruiz (CFO)"));
    }
}
