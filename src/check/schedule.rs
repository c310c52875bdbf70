//! Schedules: due dates as dates or relative to events, resolved against the events recorded
//! ([`crate::model::timeline`]).

use super::{Context, Findings, date};
use crate::diag::RuleId;
use crate::model::schedule::Due;
use crate::model::timeline::Timeline;
use crate::model::{Document, Kind, Stage};

/// Each statement of work with its timeline.
type Timelines<'a> = [(&'a Document, Timeline<'a>)];

/// SCH-001 to SCH-004, in that order, over timelines resolved once for all four.
pub fn schedules(context: &Context, findings: &mut Findings) {
    let timelines: Vec<_> = context
        .of_kind(Kind::StatementOfWork)
        .map(|sow| (sow, Timeline::of(&sow.data, context.engagement_of(sow).map(|e| &e.data))))
        .collect();
    due_dates_readable(&timelines, findings);
    due_dates_in_contract(&timelines, findings);
    milestones_after_deliverables(&timelines, findings);
    events_happen(context, &timelines, findings);
}

fn due_dates_readable(timelines: &Timelines, findings: &mut Findings) {
    for (sow, timeline) in timelines {
        for entry in &timeline.entries {
            if let Err(error) = &entry.due {
                let message = format!("{} {}: {}", singular(entry.list), entry.id, error.message);
                findings.add_value(RuleId::DueDateReadable, sow, &entry.pointer(), message, error.help);
            }
            if let Some(Err(error)) = &entry.every {
                let pointer = format!("/{}/{}/recurrence/every", entry.list, entry.index);
                let message = format!("{} {} recurs: {}", singular(entry.list), entry.id, error.message);
                findings.add_value(RuleId::DueDateReadable, sow, &pointer, message, error.help);
            }
        }
    }
}

fn due_dates_in_contract(timelines: &Timelines, findings: &mut Findings) {
    for (sow, timeline) in timelines {
        let Some((start, end)) = timeline.contract_period() else { continue };
        // SOW-001 already judges a deliverable's fixed date against the contract when the
        // statement of work has no period of its own.
        let own_period = date(sow.data.pointer("/period/end")).is_some();
        for entry in &timeline.entries {
            let fixed = matches!(entry.due, Ok(Due::On(_))) && entry.every.is_none();
            if fixed && entry.list == "deliverables" && !own_period {
                continue;
            }
            let Some(outside) = entry.dates.iter().find(|d| **d < start || **d > end) else { continue };
            let what = if entry.dates.len() > 1 { "has a delivery due" } else { "is due" };
            findings.add(
                RuleId::DueInContractPeriod,
                sow,
                &entry.pointer(),
                format!(
                    "{} {} {what} on {outside}, outside the contract's period of performance {start} to {end}",
                    singular(entry.list),
                    entry.id
                ),
            );
        }
    }
}

fn milestones_after_deliverables(timelines: &Timelines, findings: &mut Findings) {
    for (sow, timeline) in timelines {
        let deliverable = |id: &str| timeline.entries.iter().find(|e| e.list == "deliverables" && e.id == id);
        for milestone in timeline.entries.iter().filter(|e| e.list == "milestones") {
            let Some(due) = milestone.last() else { continue };
            let named = sow.data["milestones"][milestone.index]["deliverables"].as_array().cloned().unwrap_or_default();
            let later = named
                .iter()
                .filter_map(|id| deliverable(id.as_str()?))
                .filter_map(|d| Some((d, d.last()?)))
                .find(|(_, last)| *last > due);
            if let Some((d, last)) = later {
                findings.add(
                    RuleId::MilestoneAfterDeliverables,
                    sow,
                    &milestone.pointer(),
                    format!(
                        "milestone {} is due on {due}, before deliverable {} it pays for ({last})",
                        milestone.id, d.id
                    ),
                );
            }
        }
    }
}

fn events_happen(context: &Context, timelines: &Timelines, findings: &mut Findings) {
    for (sow, timeline) in timelines {
        let closed =
            context.engagement_of(sow).and_then(|e| Stage::parse(e.text("stage")?)).is_some_and(|s| s == Stage::Closed);
        for entry in &timeline.entries {
            let Ok(Due::After(event, _)) = &entry.due else { continue };
            let message = if !timeline.defines(event) {
                format!(
                    "{} {} counts from {event}, which this statement of work does not define",
                    singular(entry.list),
                    entry.id
                )
            } else if closed && timeline.event_date(event).is_none() {
                format!(
                    "{} {} counts from {event}, which has no date and the engagement is closed",
                    singular(entry.list),
                    entry.id
                )
            } else {
                continue;
            };
            findings.add_value(RuleId::EventHappens, sow, &entry.pointer(), message, RuleId::EventHappens.info().fix);
        }
    }
}

fn singular(list: &str) -> &'static str {
    match list {
        "deliverables" => "deliverable",
        "milestones" => "milestone",
        _ => "client-furnished item",
    }
}
