//! Service levels of escalations: each tier an escalation sat at is held to that level's
//! `acknowledge_within` of the engagement's escalation matrix, and the tier it was resolved at to
//! its `resolve_within`, both measured from when the escalation reached the tier. The check
//! (`ESC-004`, `ESC-005`), the escalation register and `engage report` read the same judgement.

use crate::model::Document;
use crate::workspace::policy::minutes;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde_json::Value;

/// The form of every date and time in delivery records (`2026-07-14 09:30`).
const FORMAT: &str = "%Y-%m-%d %H:%M";

/// A `YYYY-MM-DD HH:MM` value.
pub fn date_time(value: Option<&Value>) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(value?.as_str()?, FORMAT).ok()
}

/// Which service level was missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Acknowledge,
    Resolve,
}

/// One missed service level: where in the escalation and what happened.
#[derive(Debug, Clone)]
pub struct Breach {
    pub measure: Measure,
    pub pointer: String,
    pub message: String,
}

/// The level of the engagement's escalation matrix numbered `tier`.
pub fn level(engagement: &Document, tier: u64) -> Option<&Value> {
    let levels = engagement.data.pointer("/escalation_matrix/levels")?.as_array()?;
    levels.iter().find(|l| l.get("level").and_then(Value::as_u64) == Some(tier))
}

/// The tiers of an escalation's history, oldest first.
pub fn history(escalation: &Document) -> &[Value] {
    escalation.data.get("history").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// Whether the escalation is no longer open, so every tier should have acknowledged it.
fn finished(escalation: &Document) -> bool {
    matches!(escalation.text("status"), Some("resolved" | "closed"))
}

/// Every service level the escalation missed. Tiers missing from the matrix, and times that
/// cannot be read, are not judged here (validation and `ESC-006` report them). With `today`, an
/// acknowledgement or resolution still awaited is a breach once its deadline fell before that day
/// (only the day is known, so the deadline's own day is given the benefit of the doubt); without
/// it, only what is recorded is judged, as documents show it.
pub fn breaches(engagement: &Document, escalation: &Document, today: Option<NaiveDate>) -> Vec<Breach> {
    let tiers = history(escalation);
    let mut found = Vec::new();
    for (i, entry) in tiers.iter().enumerate() {
        let Some((tier, level, reached)) = tier_of(engagement, entry) else { continue };
        let moved_on = i + 1 < tiers.len() || finished(escalation);
        let limit = limit(level, "acknowledge_within");
        match (date_time(entry.get("acknowledged_at")), limit) {
            (Some(at), Some((allowed, text))) if elapsed(reached, at) > allowed => found.push(Breach {
                measure: Measure::Acknowledge,
                pointer: format!("/history/{i}/acknowledged_at"),
                message: format!(
                    "acknowledged at {}, {} after it reached tier {tier} at {}; tier {tier}{} allows {text}",
                    shown(at),
                    span(elapsed(reached, at)),
                    shown(reached),
                    name(level)
                ),
            }),
            (None, Some(_)) if moved_on => found.push(Breach {
                measure: Measure::Acknowledge,
                pointer: format!("/history/{i}"),
                message: format!("tier {tier} never acknowledged the escalation: record its acknowledged_at"),
            }),
            (None, Some((allowed, text))) if overdue(reached, allowed, today) => found.push(Breach {
                measure: Measure::Acknowledge,
                pointer: format!("/history/{i}"),
                message: format!(
                    "tier {tier}{} has not acknowledged the escalation it reached at {}; it allows {text}, so by {}",
                    name(level),
                    shown(reached),
                    shown(reached + Duration::minutes(allowed))
                ),
            }),
            _ => {}
        }
    }
    found.extend(resolution(engagement, escalation, tiers));
    if !finished(escalation) {
        found.extend(unresolved(engagement, tiers, today));
    }
    found
}

/// Whether a deadline `allowed` minutes after `from` fell before `today`.
fn overdue(from: NaiveDateTime, allowed: i64, today: Option<NaiveDate>) -> bool {
    today.is_some_and(|today| (from + Duration::minutes(allowed)).date() < today)
}

/// An open escalation whose last tier's resolve time fell before `today`.
fn unresolved(engagement: &Document, tiers: &[Value], today: Option<NaiveDate>) -> Option<Breach> {
    let (tier, level, reached) = tier_of(engagement, tiers.last()?)?;
    let (allowed, text) = limit(level, "resolve_within")?;
    overdue(reached, allowed, today).then(|| Breach {
        measure: Measure::Resolve,
        pointer: "/status".into(),
        message: format!(
            "still open at tier {tier}{}, reached at {}; it resolves within {text}, so by {}",
            name(level),
            shown(reached),
            shown(reached + Duration::minutes(allowed))
        ),
    })
}

/// The resolution, judged against the tier it sits at when resolved (the last of its history).
fn resolution(engagement: &Document, escalation: &Document, tiers: &[Value]) -> Option<Breach> {
    let resolved = date_time(escalation.data.get("resolved_at"))?;
    let (tier, level, reached) = tier_of(engagement, tiers.last()?)?;
    let (allowed, text) = limit(level, "resolve_within")?;
    (elapsed(reached, resolved) > allowed).then(|| Breach {
        measure: Measure::Resolve,
        pointer: "/resolved_at".into(),
        message: format!(
            "resolved at {}, {} after it reached tier {tier} at {}; tier {tier}{} allows {text}",
            shown(resolved),
            span(elapsed(reached, resolved)),
            shown(reached),
            name(level)
        ),
    })
}

/// The service levels of an escalation (judged as [`breaches`] judges them): for each tier, its limits,
/// how long it took to acknowledge and whether that was `met`, `late` or `pending`; and the
/// resolution likewise (`open` while unresolved). `status` sums it up: `breached` when any level
/// was missed, else `met` once resolved, else `open`.
pub fn service(engagement: &Document, escalation: &Document, today: Option<NaiveDate>) -> Value {
    let breaches = breaches(engagement, escalation, today);
    let late = |pointer: &str| breaches.iter().any(|b| b.pointer.starts_with(pointer));
    let tiers: Vec<Value> = history(escalation)
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let level = entry.get("tier").and_then(Value::as_u64).and_then(|t| level(engagement, t));
            let reached = date_time(entry.get("escalated_at"));
            let after = reached.zip(date_time(entry.get("acknowledged_at"))).map(|(r, a)| span(elapsed(r, a)));
            let state = if late(&format!("/history/{i}")) {
                "late"
            } else if after.is_some() {
                "met"
            } else {
                "pending"
            };
            serde_json::json!({
                "tier": entry.get("tier"),
                "name": level.and_then(|l| l.get("name")),
                "acknowledge_within": level.and_then(|l| l.get("acknowledge_within")),
                "resolve_within": level.and_then(|l| l.get("resolve_within")),
                "acknowledged_after": after,
                "acknowledged": state,
            })
        })
        .collect();
    let reached = history(escalation).last().and_then(|e| date_time(e.get("escalated_at")));
    let resolved = date_time(escalation.data.get("resolved_at"));
    let after = reached.zip(resolved).map(|(r, a)| span(elapsed(r, a)));
    let resolution = match (late("/resolved_at") || late("/status"), &after) {
        (true, _) => "late",
        (false, Some(_)) => "met",
        (false, None) => "open",
    };
    let status = if !breaches.is_empty() {
        "breached"
    } else if resolved.is_some() {
        "met"
    } else {
        "open"
    };
    serde_json::json!({ "tiers": tiers, "resolved_after": after, "resolution": resolution, "status": status })
}

/// A history entry's tier, its level in the matrix and when the escalation reached it.
fn tier_of<'a>(engagement: &'a Document, entry: &Value) -> Option<(u64, &'a Value, NaiveDateTime)> {
    let tier = entry.get("tier")?.as_u64()?;
    Some((tier, level(engagement, tier)?, date_time(entry.get("escalated_at"))?))
}

/// A level's time limit in minutes, with its text (`4h`).
pub fn limit(level: &Value, field: &str) -> Option<(i64, String)> {
    let text = level.get(field)?.as_str()?;
    Some((i64::try_from(minutes(text)?).ok()?, text.to_string()))
}

/// Minutes from `from` to `to` (negative when `to` is earlier).
pub fn elapsed(from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    (to - from).num_minutes()
}

pub fn shown(at: NaiveDateTime) -> String {
    at.format(FORMAT).to_string()
}

/// ` (Project)`: the level's name, when it has one.
fn name(level: &Value) -> String {
    level.get("name").and_then(Value::as_str).map(|n| format!(" ({n})")).unwrap_or_default()
}

/// Minutes as `2d 3h 5m`, leaving out zero parts.
pub fn span(minutes: i64) -> String {
    let parts = [(minutes / 1440, "d"), (minutes % 1440 / 60, "h"), (minutes % 60, "m")];
    let text: Vec<String> = parts.iter().filter(|(n, _)| *n != 0).map(|(n, unit)| format!("{n}{unit}")).collect();
    if text.is_empty() { "0m".into() } else { text.join(" ") }
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn spans_leave_out_zero_parts() {
        assert_eq!(span(61), "1h 1m");
        assert_eq!(span(2 * 1440 + 5), "2d 5m");
        assert_eq!(span(0), "0m");
    }
}
