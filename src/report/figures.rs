//! The figures of the management review, from the records of the whole workspace, gathered a
//! batch of engagements at a time ([`Tally`]).

use crate::check::{date, review, sla};
use crate::diag::{Finding, RuleId};
use crate::model::{Corpus, Document, Kind};
use crate::record::Register;
use crate::workspace::Policy;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The period a report covers: records dated from `since` (all when absent) up to `until`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Period {
    #[serde(serialize_with = "ymd::optional")]
    pub since: Option<NaiveDate>,
    #[serde(serialize_with = "ymd::date")]
    pub until: NaiveDate,
}

/// Dates in the figures are `YYYY-MM-DD` text, as in the data.
mod ymd {
    use chrono::NaiveDate;
    use serde::Serializer;

    pub fn date<S: Serializer>(day: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&day.format("%Y-%m-%d"))
    }

    pub fn optional<S: Serializer>(day: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match day {
            Some(day) => date(day, s),
            None => s.serialize_none(),
        }
    }
}

impl Period {
    fn holds(&self, day: Option<NaiveDate>) -> bool {
        day.is_some_and(|d| self.since.is_none_or(|s| d >= s) && d <= self.until)
    }
}

#[derive(Debug, Serialize)]
pub struct Figures {
    pub period: Period,
    /// Every stage in lifecycle order, with the number of engagements at it now.
    pub engagements_by_stage: Vec<Count>,
    /// Client ratings (1 to 5) from lessons-learned feedback received in the period, per month,
    /// oldest first: a month with no rating is left out.
    pub satisfaction: Vec<Month>,
    /// Change requests requested in the period, per engagement.
    pub change_requests: Vec<Changes>,
    /// Escalations raised in the period, per severity, with their service levels.
    pub escalations: Vec<Escalations>,
    /// Complaints received in the period (oldest first), and how long the closed ones took.
    pub complaints: Complaints,
    /// Lessons of reports dated in the period, per category (`Uncategorised` when none is given).
    pub lesson_themes: Vec<Count>,
    /// Issued documents past their periodic review on the last day of the period (what rule
    /// REV-001 warns about), by review date.
    pub reviews_due: Vec<ReviewDue>,
    /// Open compliance findings (errors and warnings, not waived), per rule.
    pub findings_by_rule: Vec<RuleCount>,
}

#[derive(Debug, Serialize)]
pub struct Count {
    pub name: String,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    pub ratings: usize,
    /// The mean rating, to one decimal.
    pub mean: f64,
}

#[derive(Debug, Serialize)]
pub struct Changes {
    pub engagement: String,
    pub count: usize,
    pub cost: f64,
    pub currency: String,
    pub days: i64,
}

#[derive(Debug, Serialize)]
pub struct Escalations {
    pub severity: String,
    pub total: usize,
    /// Resolved with every service level met.
    pub met: usize,
    /// Any service level missed.
    pub breached: usize,
    /// Not yet resolved, no level missed so far.
    pub open: usize,
}

#[derive(Debug, Serialize)]
pub struct Complaints {
    pub total: usize,
    pub open: usize,
    pub closed: usize,
    /// Mean days from receipt to closure of the closed ones.
    pub mean_days_to_close: Option<f64>,
    pub items: Vec<Complaint>,
}

#[derive(Debug, Serialize)]
pub struct Complaint {
    pub id: String,
    pub engagement: String,
    pub category: String,
    #[serde(serialize_with = "ymd::date")]
    pub received_on: NaiveDate,
    #[serde(serialize_with = "ymd::optional")]
    pub closed_on: Option<NaiveDate>,
    pub days_to_close: Option<i64>,
    pub client_accepted: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct ReviewDue {
    pub id: String,
    /// The revision in force, and the day it was issued.
    pub revision: String,
    #[serde(serialize_with = "ymd::date")]
    pub issued: NaiveDate,
    #[serde(serialize_with = "ymd::date")]
    pub review_by: NaiveDate,
}

#[derive(Debug, Serialize)]
pub struct RuleCount {
    pub rule: String,
    pub title: String,
    pub count: usize,
}

/// The figures gathered so far, a batch of documents at a time: each batch holds whole
/// engagements, so a figure per engagement is complete in the batch that holds it.
pub struct Tally {
    period: Period,
    stages: Vec<Count>,
    ratings: BTreeMap<String, Vec<f64>>,
    changes: BTreeMap<String, Changes>,
    escalations: Vec<Escalations>,
    complaints: Vec<Complaint>,
    themes: BTreeMap<String, usize>,
    reviews: Vec<ReviewDue>,
}

impl Tally {
    /// The figures of one batch: its documents, with the revision register and the policy.
    pub fn of(corpus: &Corpus, register: &Register, policy: &Policy, period: Period) -> Tally {
        Tally {
            period,
            stages: stages(corpus),
            ratings: ratings(corpus, period),
            changes: changes(corpus, period),
            escalations: escalations(corpus, period),
            complaints: complaints(corpus, period),
            themes: themes(corpus, period),
            reviews: reviews(corpus, register, policy, period.until),
        }
    }

    /// Adds the figures of the next batch.
    pub fn add(&mut self, next: Tally) {
        for (count, more) in self.stages.iter_mut().zip(next.stages) {
            count.count += more.count;
        }
        for (month, ratings) in next.ratings {
            self.ratings.entry(month).or_default().extend(ratings);
        }
        for (code, more) in next.changes {
            match self.changes.get_mut(&code) {
                Some(changes) => changes.add(more),
                None => drop(self.changes.insert(code, more)),
            }
        }
        for (figures, more) in self.escalations.iter_mut().zip(next.escalations) {
            figures.add(more);
        }
        self.complaints.extend(next.complaints);
        for (theme, count) in next.themes {
            *self.themes.entry(theme).or_default() += count;
        }
        self.reviews.extend(next.reviews);
    }

    /// Every figure, with the open findings of `engage check` (the policy applied).
    pub fn figures(mut self, findings: &[Finding]) -> Figures {
        self.reviews.sort_by(|a, b| (a.review_by, &a.id).cmp(&(b.review_by, &b.id)));
        let mut themes: Vec<Count> = self.themes.into_iter().map(|(name, count)| Count { name, count }).collect();
        themes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        Figures {
            period: self.period,
            engagements_by_stage: self.stages,
            satisfaction: satisfaction(self.ratings),
            change_requests: self.changes.into_values().collect(),
            escalations: self.escalations,
            complaints: summary(self.complaints),
            lesson_themes: themes,
            reviews_due: self.reviews,
            findings_by_rule: open_findings(findings),
        }
    }
}

impl Changes {
    fn add(&mut self, more: Changes) {
        self.count += more.count;
        self.cost += more.cost;
        self.days += more.days;
        if self.currency.is_empty() {
            self.currency = more.currency;
        }
    }
}

impl Escalations {
    fn add(&mut self, more: Escalations) {
        self.total += more.total;
        self.met += more.met;
        self.breached += more.breached;
        self.open += more.open;
    }
}

fn of_kind(corpus: &Corpus, kind: Kind) -> impl Iterator<Item = &Document> {
    corpus.iter().filter(move |d| d.kind == kind)
}

/// The short code of a document's engagement (`NWL-2026` for `ENG-NWL-2026`).
fn engagement_code(corpus: &Corpus, doc: &Document) -> String {
    let id = corpus.engagement_of(doc).and_then(|e| e.text("id")).unwrap_or("none");
    id.strip_prefix("ENG-").unwrap_or(id).to_string()
}

const STAGES: [&str; 7] = ["enquiry", "assessment", "proposal", "contracting", "delivery", "closed", "declined"];

fn stages(corpus: &Corpus) -> Vec<Count> {
    STAGES
        .iter()
        .map(|stage| Count {
            name: (*stage).into(),
            count: of_kind(corpus, Kind::Engagement).filter(|e| e.text("stage") == Some(stage)).count(),
        })
        .collect()
}

/// Client ratings by month received.
fn ratings(corpus: &Corpus, period: Period) -> BTreeMap<String, Vec<f64>> {
    let mut months: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for report in of_kind(corpus, Kind::LessonsLearned) {
        let Some(feedback) = report.data.get("client_feedback") else { continue };
        let day = date(feedback.get("received_on")).or_else(|| date(report.data.get("date")));
        if let (Some(day), Some(rating)) = (day.filter(|d| period.holds(Some(*d))), feedback.get("rating")) {
            months.entry(day.format("%Y-%m").to_string()).or_default().extend(rating.as_f64());
        }
    }
    months
}

fn satisfaction(months: BTreeMap<String, Vec<f64>>) -> Vec<Month> {
    months
        .into_iter()
        .map(|(month, ratings)| Month {
            month,
            ratings: ratings.len(),
            mean: (ratings.iter().sum::<f64>() / ratings.len() as f64 * 10.0).round() / 10.0,
        })
        .collect()
}

fn changes(corpus: &Corpus, period: Period) -> BTreeMap<String, Changes> {
    let mut by_engagement: BTreeMap<String, Changes> = BTreeMap::new();
    for change in of_kind(corpus, Kind::ChangeRequest).filter(|c| period.holds(date(c.data.get("requested_on")))) {
        let code = engagement_code(corpus, change);
        let entry = by_engagement.entry(code.clone()).or_insert_with(|| Changes {
            engagement: code,
            count: 0,
            cost: 0.0,
            currency: String::new(),
            days: 0,
        });
        entry.count += 1;
        entry.cost += change.data.pointer("/impact/cost/amount").and_then(Value::as_f64).unwrap_or(0.0);
        entry.days += change.data.pointer("/impact/timeline/days").and_then(Value::as_i64).unwrap_or(0);
        if entry.currency.is_empty() {
            let currency = change.data.pointer("/impact/cost/currency").and_then(Value::as_str);
            entry.currency = currency.unwrap_or_default().to_string();
        }
    }
    by_engagement
}

fn escalations(corpus: &Corpus, period: Period) -> Vec<Escalations> {
    ["minor", "moderate", "critical"]
        .into_iter()
        .map(|severity| {
            let mut figures = Escalations { severity: severity.into(), total: 0, met: 0, breached: 0, open: 0 };
            let raised = |e: &&Document| period.holds(sla::date_time(e.data.get("raised_at")).map(|t| t.date()));
            for escalation in of_kind(corpus, Kind::Escalation).filter(raised) {
                if escalation.text("severity") != Some(severity) {
                    continue;
                }
                figures.total += 1;
                let Some(engagement) = corpus.engagement_of(escalation) else { continue };
                match sla::service(engagement, escalation, Some(period.until))["status"].as_str() {
                    Some("met") => figures.met += 1,
                    Some("breached") => figures.breached += 1,
                    _ => figures.open += 1,
                }
            }
            figures
        })
        .collect()
}

fn complaints(corpus: &Corpus, period: Period) -> Vec<Complaint> {
    of_kind(corpus, Kind::Complaint)
        .filter_map(|c| {
            let received_on = date(c.data.get("received_on")).filter(|d| period.holds(Some(*d)))?;
            let closed_on = date(c.data.get("closed_on")).filter(|_| c.text("status") == Some("closed"));
            Some(Complaint {
                id: c.text("id").unwrap_or_default().into(),
                engagement: engagement_code(corpus, c),
                category: c.text("category").unwrap_or_default().into(),
                received_on,
                closed_on,
                days_to_close: closed_on.map(|d| (d - received_on).num_days()),
                client_accepted: c.data.get("client_accepted").and_then(Value::as_bool),
            })
        })
        .collect()
}

/// The complaints in the order they were received (then by ID), whatever batch each came in.
fn summary(mut items: Vec<Complaint>) -> Complaints {
    items.sort_by(|a, b| (a.received_on, &a.id).cmp(&(b.received_on, &b.id)));
    let days: Vec<i64> = items.iter().filter_map(|c| c.days_to_close).collect();
    let mean = (!days.is_empty()).then(|| days.iter().sum::<i64>() as f64 / days.len() as f64);
    Complaints {
        total: items.len(),
        closed: days.len(),
        open: items.len() - days.len(),
        mean_days_to_close: mean.map(|m| (m * 10.0).round() / 10.0),
        items,
    }
}

fn themes(corpus: &Corpus, period: Period) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for report in of_kind(corpus, Kind::LessonsLearned).filter(|r| period.holds(date(r.data.get("date")))) {
        for lesson in report.data.get("lessons").and_then(Value::as_array).into_iter().flatten() {
            let theme = lesson.get("category").and_then(Value::as_str).unwrap_or("Uncategorised");
            *counts.entry(theme.to_string()).or_default() += 1;
        }
    }
    counts
}

fn reviews(corpus: &Corpus, register: &Register, policy: &Policy, today: NaiveDate) -> Vec<ReviewDue> {
    review::overdue(corpus, register, policy, today)
        .into_iter()
        .map(|o| ReviewDue {
            id: o.record.document.to_string(),
            revision: o.record.revision.to_string(),
            issued: o.record.date,
            review_by: o.due,
        })
        .collect()
}

fn open_findings(findings: &[Finding]) -> Vec<RuleCount> {
    let mut counts: BTreeMap<RuleId, usize> = BTreeMap::new();
    for finding in findings.iter().filter(|f| f.waived.is_none()) {
        *counts.entry(finding.rule).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(rule, count)| RuleCount { rule: rule.code().into(), title: rule.info().title.into(), count })
        .collect()
}
