//! Due dates: a calendar date, or a date relative to an event (`award + 30 days`, `kickoff + 2
//! weeks`, `acceptance of D2 + 10 working days`), and recurrences (`every: 1 month`).
//!
//! The grammar, the only place it is read:
//!
//! ```text
//! due      = DATE | event [ "+" offset ]
//! event    = "award" | "kickoff" | NAME | "acceptance of" DELIVERABLE-ID | "receipt of" ITEM-ID
//! offset   = NUMBER unit
//! unit     = day[s] | working day[s] | week[s] | month[s]
//! ```
//!
//! A relative date resolves once its event's date is recorded: `award` and `kickoff` (and any
//! NAME) under the statement of work's `events:`, `award` also from the contract's `signed_on`;
//! an acceptance from the deliverable's `accepted_on`; a receipt from the client-furnished item's
//! `provided_on`. Working days are Monday to Friday: public holidays differ by place and are not
//! known to engage.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use std::fmt;

/// A due date as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    On(NaiveDate),
    After(Event, Offset),
}

/// What a relative date counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `award`, `kickoff` or another name recorded under `events:`.
    Named(String),
    /// `acceptance of D2`.
    Acceptance(String),
    /// `receipt of CF1`: a client-furnished item provided.
    Receipt(String),
}

/// How long after the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offset {
    pub count: u32,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    WorkingDays,
    Weeks,
    Months,
}

/// Why a due date or interval could not be read: a sentence, and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub help: &'static str,
}

const DUE_HELP: &str = "Write a date (2026-05-29) or an event and an offset: `award + 30 days`, `kickoff + 2 weeks`, `acceptance of D2 + 10 working days`, `receipt of CF1 + 5 working days`.";
const EVERY_HELP: &str = "Write a number and a unit: `1 month`, `2 weeks`, `10 working days`, `3 months`.";

impl Due {
    pub fn parse(text: &str) -> Result<Due, ParseError> {
        let text = text.trim();
        if text.starts_with(|c: char| c.is_ascii_digit()) {
            return NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Due::On)
                .map_err(|_| error(format!("`{text}` is not a date of the form YYYY-MM-DD"), DUE_HELP));
        }
        let (event, offset) = match text.split_once('+') {
            Some((event, offset)) => (event.trim(), Offset::parse(offset, DUE_HELP)?),
            None => (text, Offset { count: 0, unit: Unit::Days }),
        };
        Ok(Due::After(Event::parse(event)?, offset))
    }

    /// The date, once the event's date is known.
    pub fn resolve(&self, event_date: impl Fn(&Event) -> Option<NaiveDate>) -> Option<NaiveDate> {
        match self {
            Due::On(date) => Some(*date),
            Due::After(event, offset) => offset.after(event_date(event)?),
        }
    }
}

impl Event {
    fn parse(text: &str) -> Result<Event, ParseError> {
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["acceptance", "of", id] => Ok(Event::Acceptance((*id).to_string())),
            ["receipt", "of", id] => Ok(Event::Receipt((*id).to_string())),
            [name] if name.chars().all(|c| c.is_ascii_lowercase() || c == '_') => Ok(Event::Named((*name).to_string())),
            [] => Err(error("the event is missing before `+`".into(), DUE_HELP)),
            _ => Err(error(format!("`{text}` is not an event engage knows"), DUE_HELP)),
        }
    }
}

impl Offset {
    /// `30 days`, `1 month`, `10 working days`.
    pub fn parse(text: &str, help: &'static str) -> Result<Offset, ParseError> {
        let text = text.trim();
        let (number, unit) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let count = number
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 100_000)
            .ok_or_else(|| error(format!("`{number}` is not a whole number of days, weeks or months"), help))?;
        let unit = match unit.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["day" | "days"] => Unit::Days,
            ["working", "day" | "days"] => Unit::WorkingDays,
            ["week" | "weeks"] => Unit::Weeks,
            ["month" | "months"] => Unit::Months,
            _ => return Err(error(format!("`{}` is not a unit engage knows", unit.trim()), help)),
        };
        Ok(Offset { count, unit })
    }

    /// A recurrence interval: `every: 1 month`. Zero is refused: it would never advance.
    pub fn parse_interval(text: &str) -> Result<Offset, ParseError> {
        let offset = Offset::parse(text, EVERY_HELP)?;
        if offset.count == 0 {
            return Err(error("an interval of zero never advances".into(), EVERY_HELP));
        }
        Ok(offset)
    }

    /// `date` moved on by this offset; `None` past the calendar's end.
    pub fn after(self, date: NaiveDate) -> Option<NaiveDate> {
        match self.unit {
            Unit::Days => date.checked_add_days(Days::new(self.count.into())),
            Unit::Weeks => date.checked_add_days(Days::new(u64::from(self.count) * 7)),
            Unit::Months => date.checked_add_months(Months::new(self.count)),
            Unit::WorkingDays => working_days_after(date, self.count),
        }
    }
}

fn working_days_after(mut date: NaiveDate, count: u32) -> Option<NaiveDate> {
    let mut left = count;
    while left > 0 {
        date = date.succ_opt()?;
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    Some(date)
}

fn error(message: String, help: &'static str) -> ParseError {
    ParseError { message, help }
}

impl fmt::Display for Event {
    /// As a sentence reads it: `award`, `go live`, `acceptance of D2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Named(name) => f.write_str(&name.replace('_', " ")),
            Event::Acceptance(id) => write!(f, "acceptance of {id}"),
            Event::Receipt(id) => write!(f, "receipt of {id}"),
        }
    }
}

impl fmt::Display for Offset {
    /// `30 days`, `1 working day`, `2 weeks`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Days => "day",
            Unit::WorkingDays => "working day",
            Unit::Weeks => "week",
            Unit::Months => "month",
        };
        let plural = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {unit}{plural}", self.count)
    }
}

impl fmt::Display for Due {
    /// What a document prints before the event: `within 30 days of award`, `on kickoff`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Due::On(date) => write!(f, "{date}"),
            Due::After(event, offset) if offset.count == 0 => write!(f, "on {event}"),
            Due::After(event, offset) => write!(f, "within {offset} of {event}"),
        }
    }
}

/// The dates of a recurring deliverable: from `first`, every `interval`, while on or before
/// `until` and, when given, at most `count` times.
pub fn occurrences(first: NaiveDate, interval: Offset, until: Option<NaiveDate>, count: Option<u32>) -> Vec<NaiveDate> {
    let limit = count.map_or(1000, |c| c.min(1000));
    let mut dates = Vec::new();
    let mut next = Some(first);
    while let Some(date) = next {
        if dates.len() as u32 >= limit || until.is_some_and(|u| date > u) {
            break;
        }
        dates.push(date);
        next = nth_after(first, interval, dates.len() as u32);
    }
    dates
}

/// The n-th step from `first`, counted from `first` so that monthly dates keep their day
/// (31 January, 28 February, 31 March) instead of drifting.
fn nth_after(first: NaiveDate, interval: Offset, n: u32) -> Option<NaiveDate> {
    Offset { count: interval.count.checked_mul(n)?, unit: interval.unit }.after(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn reads_dates_and_relative_dates() {
        assert_eq!(Due::parse("2026-05-29"), Ok(Due::On(d("2026-05-29"))));
        let due = Due::parse("award + 30 days").unwrap();
        assert_eq!(due, Due::After(Event::Named("award".into()), Offset { count: 30, unit: Unit::Days }));
        assert_eq!(due.to_string(), "within 30 days of award");
        assert_eq!(
            Due::parse("acceptance of D2 + 10 working days").unwrap().to_string(),
            "within 10 working days of acceptance of D2"
        );
        assert_eq!(Due::parse("kickoff+1 week").unwrap().to_string(), "within 1 week of kickoff");
        assert_eq!(Due::parse("go_live").unwrap().to_string(), "on go live");
    }

    #[test]
    fn refuses_what_it_cannot_read_and_says_what_to_write() {
        for (text, message) in [
            ("award + 30 dayz", "`dayz` is not a unit engage knows"),
            ("award + thirty days", "`thirty` is not a whole number of days, weeks or months"),
            ("signature of the contract + 3 days", "`signature of the contract` is not an event engage knows"),
            ("+ 3 days", "the event is missing before `+`"),
            ("2026-02-30", "`2026-02-30` is not a date of the form YYYY-MM-DD"),
        ] {
            let error = Due::parse(text).unwrap_err();
            assert_eq!(error.message, message, "{text}");
            assert!(error.help.contains("award + 30 days"));
        }
        assert_eq!(Offset::parse_interval("0 days").unwrap_err().message, "an interval of zero never advances");
    }

    #[test]
    fn resolves_once_the_event_is_dated() {
        let due = Due::parse("acceptance of D2 + 10 working days").unwrap();
        assert_eq!(due.resolve(|_| None), None);
        // Friday 2026-05-29 + 10 working days skips two weekends.
        assert_eq!(
            due.resolve(|e| (*e == Event::Acceptance("D2".into())).then(|| d("2026-05-29"))),
            Some(d("2026-06-12"))
        );
        assert_eq!(Due::parse("award + 1 month").unwrap().resolve(|_| Some(d("2026-01-31"))), Some(d("2026-02-28")));
    }

    #[test]
    fn recurrences_keep_their_day_and_stop_at_the_end_or_the_count() {
        let monthly = Offset::parse_interval("1 month").unwrap();
        assert_eq!(
            occurrences(d("2026-01-31"), monthly, Some(d("2026-04-30")), None),
            [d("2026-01-31"), d("2026-02-28"), d("2026-03-31"), d("2026-04-30")]
        );
        let fortnightly = Offset::parse_interval("2 weeks").unwrap();
        assert_eq!(
            occurrences(d("2026-01-05"), fortnightly, None, Some(3)),
            [d("2026-01-05"), d("2026-01-19"), d("2026-02-02")]
        );
    }
}
