//! The escalation matrix: enough levels, the top level fast enough, and never slower going up.

use super::{Context, Findings};
use crate::diag::RuleId;
use crate::model::{Document, Stage};
use crate::workspace::policy::minutes;
use serde_json::Value;

pub fn levels(context: &Context, findings: &mut Findings) {
    for (engagement, stage) in context.engagements() {
        let Some(levels) = engagement.data.pointer("/escalation_matrix/levels").and_then(Value::as_array) else {
            continue;
        };
        if !stage.reached(Stage::Contracting) && stage != Stage::Declined {
            continue;
        }
        let policy = &context.policy.escalation;
        if levels.len() < policy.min_levels {
            findings.add(
                RuleId::EscalationLevels,
                engagement,
                "/escalation_matrix/levels",
                format!(
                    "the escalation matrix has {} levels; the policy requires at least {}",
                    levels.len(),
                    policy.min_levels
                ),
            );
        }
        for (i, level) in levels.iter().enumerate() {
            if level.get("level").and_then(Value::as_u64) != Some(i as u64 + 1) {
                findings.add(
                    RuleId::EscalationLevels,
                    engagement,
                    &format!("/escalation_matrix/levels/{i}/level"),
                    format!("levels must be numbered 1, 2, 3… in order; this is entry {}", i + 1),
                );
            }
        }
        top_limits(engagement, levels, &policy.acknowledge_within, &policy.resolve_within, findings);
        ordered(engagement, levels, findings);
    }
}

fn time(level: &Value, field: &str) -> Option<(u64, String)> {
    let text = level.get(field)?.as_str()?;
    Some((minutes(text)?, text.to_string()))
}

fn top_limits(engagement: &Document, levels: &[Value], acknowledge: &str, resolve: &str, findings: &mut Findings) {
    let Some(top) = levels.len().checked_sub(1) else { return };
    for (field, limit) in [("acknowledge_within", acknowledge), ("resolve_within", resolve)] {
        let (Some((given, text)), Some(max)) = (time(&levels[top], field), minutes(limit)) else { continue };
        if given > max {
            findings.add(
                RuleId::EscalationTopLimits,
                engagement,
                &format!("/escalation_matrix/levels/{top}/{field}"),
                format!("the most severe level allows {text} for `{field}`; the policy's limit is {limit}"),
            );
        }
    }
}

fn ordered(engagement: &Document, levels: &[Value], findings: &mut Findings) {
    for i in 1..levels.len() {
        for field in ["acknowledge_within", "resolve_within"] {
            let (Some((lower, lower_text)), Some((higher, higher_text))) =
                (time(&levels[i - 1], field), time(&levels[i], field))
            else {
                continue;
            };
            if higher > lower {
                findings.add(
                    RuleId::EscalationOrdered,
                    engagement,
                    &format!("/escalation_matrix/levels/{i}/{field}"),
                    format!(
                        "level {} allows {higher_text} for `{field}`, longer than the {lower_text} of the level below",
                        i + 1
                    ),
                );
            }
        }
    }
}
