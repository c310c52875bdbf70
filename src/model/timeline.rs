//! The dates of a statement of work: each deliverable's, milestone's and client-furnished item's
//! due date read ([`schedule`]), resolved against the events recorded in the data, and each
//! recurring deliverable's occurrences. `check` judges them; documents print them.

use super::schedule::{self, Due, Event, Offset, ParseError, Unit};
use chrono::NaiveDate;
use serde_json::{Value, json};

/// The lists of a statement of work whose entries have a `due`.
pub const DATED: [&str; 3] = ["deliverables", "milestones", "client_furnished"];

/// One due date of a statement of work.
#[derive(Debug)]
pub struct Dated<'a> {
    /// `deliverables`, `milestones` or `client_furnished`.
    pub list: &'static str,
    pub index: usize,
    pub id: &'a str,
    pub due: Result<Due, ParseError>,
    /// The recurrence interval, when the entry recurs.
    pub every: Option<Result<Offset, ParseError>>,
    /// Every resolved date: one for a single due date, each occurrence for a recurring one; empty
    /// while the event has not happened.
    pub dates: Vec<NaiveDate>,
}

impl Dated<'_> {
    pub fn pointer(&self) -> String {
        format!("/{}/{}/due", self.list, self.index)
    }

    /// The last date it is due (a recurring deliverable's last occurrence).
    pub fn last(&self) -> Option<NaiveDate> {
        self.dates.last().copied()
    }
}

/// The events and due dates of one statement of work.
pub struct Timeline<'a> {
    sow: &'a Value,
    engagement: Option<&'a Value>,
    pub entries: Vec<Dated<'a>>,
}

impl<'a> Timeline<'a> {
    pub fn of(sow: &'a Value, engagement: Option<&'a Value>) -> Timeline<'a> {
        let mut timeline = Timeline { sow, engagement, entries: Vec::new() };
        let end = timeline.period_end();
        for list in DATED {
            for (index, entry) in sow.get(list).and_then(Value::as_array).into_iter().flatten().enumerate() {
                let Some(text) = entry.get("due").and_then(Value::as_str) else { continue };
                let due = Due::parse(text);
                let first = due.as_ref().ok().and_then(|d| d.resolve(|e| timeline.event_date(e)));
                let recurrence = entry.get("recurrence");
                let every = recurrence.and_then(|r| r.get("every")?.as_str()).map(Offset::parse_interval);
                let dates = match (first, &every) {
                    (Some(first), Some(Ok(interval))) => {
                        let count = recurrence.and_then(|r| r.get("count")?.as_u64()).map(|c| c.min(1000) as u32);
                        // A count is a commitment of its own: the period does not cut it short.
                        let until = recurrence.and_then(|r| date(r.get("until"))).or(end.filter(|_| count.is_none()));
                        schedule::occurrences(first, *interval, until, count)
                    }
                    (Some(first), _) => vec![first],
                    (None, _) => Vec::new(),
                };
                let id = entry.get("id").and_then(Value::as_str).unwrap_or("?");
                timeline.entries.push(Dated { list, index, id, due, every, dates });
            }
        }
        timeline
    }

    /// The date an event happened, when the data records it.
    pub fn event_date(&self, event: &Event) -> Option<NaiveDate> {
        match event {
            Event::Named(name) => date(self.sow.pointer(&format!("/events/{name}")))
                .or_else(|| (name == "award").then(|| date(self.engagement?.pointer("/contract/signed_on"))).flatten()),
            Event::Acceptance(id) => date(self.find("deliverables", id)?.get("accepted_on")),
            Event::Receipt(id) => date(self.find("client_furnished", id)?.get("provided_on")),
        }
    }

    /// Whether the data defines the event at all: `award` and `kickoff` always happen in an
    /// engagement; another name must be listed under `events:`; an acceptance or receipt must
    /// name a deliverable or client-furnished item of this statement of work.
    pub fn defines(&self, event: &Event) -> bool {
        match event {
            Event::Named(name) => {
                name == "award" || name == "kickoff" || self.sow.get("events").is_some_and(|e| e.get(name).is_some())
            }
            Event::Acceptance(id) => self.find("deliverables", id).is_some(),
            Event::Receipt(id) => self.find("client_furnished", id).is_some(),
        }
    }

    fn find(&self, list: &str, id: &str) -> Option<&'a Value> {
        self.sow.get(list)?.as_array()?.iter().find(|e| e.get("id").and_then(Value::as_str) == Some(id))
    }

    /// The contract's period of performance: the engagement's contract, else the statement of
    /// work's own period.
    pub fn contract_period(&self) -> Option<(NaiveDate, NaiveDate)> {
        let contract =
            self.engagement.and_then(|e| date(e.pointer("/contract/start")).zip(date(e.pointer("/contract/end"))));
        contract.or_else(|| date(self.sow.pointer("/period/start")).zip(date(self.sow.pointer("/period/end"))))
    }

    /// Where a recurrence "until the end of the period" stops: the statement of work's period,
    /// else the contract's.
    fn period_end(&self) -> Option<NaiveDate> {
        date(self.sow.pointer("/period/end")).or_else(|| date(self.engagement?.pointer("/contract/end")))
    }

    /// What the documents print for each due date, by list and ID (`schedule.deliverables.D2.due`):
    /// the date once it is known, else the relative date as text; a recurrence adds its
    /// interval, its end and each resolved date. `words` writes them in the document's language.
    pub fn to_value(&self, words: &dyn Words) -> Value {
        let mut lists = serde_json::Map::new();
        for list in DATED {
            let entries: serde_json::Map<String, Value> = self
                .entries
                .iter()
                .filter(|e| e.list == list)
                .map(|e| {
                    let dates: Vec<String> = e.dates.iter().map(|d| words.date(*d)).collect();
                    (e.id.to_string(), json!({"due": self.due_text(e, words), "dates": dates}))
                })
                .collect();
            lists.insert(list.to_string(), Value::Object(entries));
        }
        Value::Object(lists)
    }

    fn due_text(&self, entry: &Dated, words: &dyn Words) -> String {
        let first = match (&entry.due, entry.dates.first()) {
            (_, Some(date)) => words.date(*date),
            (Ok(due), None) => relative(due, words),
            (Err(_), None) => self.raw_due(entry),
        };
        let Some(Ok(every)) = &entry.every else { return first };
        let recurrence = &self.sow[entry.list][entry.index]["recurrence"];
        let until = match (recurrence.get("count").and_then(Value::as_u64), date(recurrence.get("until"))) {
            (Some(count), _) => words.text("due.times", Some(count), &[]),
            (None, Some(until)) => words.text("due.until", None, &[("date", &words.date(until))]),
            (None, None) => words.text("due.until_end", None, &[]),
        };
        let count = entry.dates.len() as u64;
        let dates = if count > 1 { words.text("due.deliveries", Some(count), &[]) } else { String::new() };
        let every = offset(every, words);
        words.text("due.recurring", None, &[("first", &first), ("every", &every), ("until", &until), ("dates", &dates)])
    }

    fn raw_due(&self, entry: &Dated) -> String {
        self.sow[entry.list][entry.index]["due"].as_str().unwrap_or_default().to_string()
    }
}

/// How due dates are written in a document's language: dates, and the phrases of relative and
/// recurring dates by key (`due.within`: "within {offset} of {event}"), with `count` choosing the
/// singular or plural form.
pub trait Words {
    fn date(&self, date: NaiveDate) -> String;
    fn text(&self, key: &str, count: Option<u64>, args: &[(&str, &str)]) -> String;
}

/// A due date before its event: `within 30 days of award`, `on kickoff`; a date as a date.
pub fn relative(due: &Due, words: &dyn Words) -> String {
    match due {
        Due::On(date) => words.date(*date),
        Due::After(event, after) if after.count == 0 => {
            words.text("due.on", None, &[("event", &event_name(event, words))])
        }
        Due::After(event, after) => {
            let (offset, event) = (offset(after, words), event_name(event, words));
            words.text("due.within", None, &[("offset", &offset), ("event", &event)])
        }
    }
}

fn offset(offset: &Offset, words: &dyn Words) -> String {
    let unit = match offset.unit {
        Unit::Days => "due.days",
        Unit::WorkingDays => "due.working_days",
        Unit::Weeks => "due.weeks",
        Unit::Months => "due.months",
    };
    words.text(unit, Some(u64::from(offset.count)), &[])
}

/// An event as a sentence reads it: `award`, `go live`, `acceptance of D2`; a named event the
/// catalogue knows (`due.event.award`) in its words.
fn event_name(event: &Event, words: &dyn Words) -> String {
    match event {
        Event::Named(name) => {
            let known = words.text(&format!("due.event.{name}"), None, &[]);
            if known.starts_with("due.event.") { name.replace('_', " ") } else { known }
        }
        Event::Acceptance(id) => words.text("due.acceptance", None, &[("id", id)]),
        Event::Receipt(id) => words.text("due.receipt", None, &[("id", id)]),
    }
}

fn date(value: Option<&Value>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value?.as_str()?, "%Y-%m-%d").ok()
}
