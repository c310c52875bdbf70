//! `engage report`: the management review across the whole workspace. The [`figures`] are
//! computed from the records; the report is `templates/report.md` rendered with them, its charts
//! carried as data in the Markdown ([`crate::render::chart`]) and drawn by the HTML and PDF steps.

pub mod figures;

pub use figures::{Figures, Period};

use crate::render::chart::{Chart, Series, Shape};
use crate::render::{Control, Rendered, TemplateError, Templates};
use crate::workspace::Workspace;
use serde_json::json;

/// The report's ID: `MR-` and the last day of its period.
pub fn id(period: &Period) -> String {
    format!("MR-{}", period.until.format("%Y-%m-%d"))
}

/// Renders the report to Markdown and HTML.
pub fn render(workspace: &Workspace, templates: &Templates, figures: &Figures) -> Result<Rendered, TemplateError> {
    let control = control(workspace, &figures.period);
    let context = json!({
        "control": control,
        "figures": figures,
        "charts": charts(figures),
        "settings": workspace.raw,
    });
    let context = tera::Context::from_value(context).expect("the context is a JSON object");
    let (language, warning) = templates.language(&control.language);
    let markdown = crate::render::tidy(&templates.render_markdown("report.md", &context, &language.code)?);
    let html = crate::render::html::page(workspace, templates, &control, &markdown, &language.code)?;
    let warnings = warning.map(|w| format!("warning: {w}")).into_iter().collect();
    Ok(Rendered { control, markdown, html, language, warnings })
}

/// The report is generated, not issued: it carries no revision and no approvals.
fn control(workspace: &Workspace, period: &Period) -> Control {
    let organisation = workspace.settings.organisation.name.clone();
    let covers = match period.since {
        Some(since) => format!("{since} to {}", period.until),
        None => format!("up to {}", period.until),
    };
    Control {
        id: id(period),
        title: "Management review".into(),
        kind: "Report".into(),
        label: "Management Review Report".into(),
        revision: "Generated, not issued".into(),
        status: format!("Records {covers}"),
        draft: false,
        classification: "internal".into(),
        date: period.until.to_string(),
        owner: organisation.clone(),
        issuer: organisation.clone(),
        organisation,
        client: "All clients".into(),
        approvals: json!([]),
        signed: false,
        history: Vec::new(),
        register_head: None,
        language: workspace.settings.language.clone(),
    }
}

/// Bar charts show at most this many bars (groups): a chart of a thousand engagements is not
/// read, its table is.
const MOST_BARS: usize = 12;

/// A bar chart cut to its [`MOST_BARS`] largest groups (by the first series), the title saying so.
fn largest(mut chart: Chart) -> Chart {
    if chart.shape != Shape::Bar || chart.labels.len() <= MOST_BARS {
        return chart;
    }
    let mut order: Vec<usize> = (0..chart.labels.len()).collect();
    order.sort_by(|a, b| chart.series[0].values[*b].total_cmp(&chart.series[0].values[*a]).then(a.cmp(b)));
    order.truncate(MOST_BARS);
    chart.title = format!("{} (the {MOST_BARS} largest of {})", chart.title, chart.labels.len());
    chart.labels = order.iter().map(|i| chart.labels[*i].clone()).collect();
    for series in &mut chart.series {
        series.values = order.iter().map(|i| series.values[*i]).collect();
    }
    chart
}

/// The bands of days to close a complaint, each with its largest number of days.
const CLOSURE_BANDS: [(&str, i64); 4] =
    [("Within 7 days", 7), ("8 to 14 days", 14), ("15 to 30 days", 30), ("Over 30 days", i64::MAX)];

fn closure_bands(closed: &[&figures::Complaint]) -> Vec<f64> {
    let band = |days: i64| CLOSURE_BANDS.iter().position(|(_, most)| days <= *most).unwrap_or(0);
    let mut counts = vec![0.0; CLOSURE_BANDS.len()];
    for days in closed.iter().filter_map(|c| c.days_to_close) {
        counts[band(days)] += 1.0;
    }
    counts
}

/// `2025-11` → `Nov 2025`.
fn month_label(month: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_or_else(|_| month.to_string(), |d| d.format("%b %Y").to_string())
}

/// Every chart of the report, as the Markdown block that carries it, by name.
fn charts(figures: &Figures) -> serde_json::Value {
    let bar = |title: &str, labels: Vec<String>, series: Vec<Series>| Chart {
        shape: Shape::Bar,
        title: title.into(),
        labels,
        series,
        max: None,
    };
    let series = |name: &str, values: Vec<f64>| Series { name: name.into(), values };
    let counts = |list: &[figures::Count]| {
        (list.iter().map(|c| c.name.clone()).collect(), list.iter().map(|c| c.count as f64).collect::<Vec<_>>())
    };
    let (stages, stage_counts) = counts(&figures.engagements_by_stage);
    let (themes, theme_counts) = counts(&figures.lesson_themes);
    let changes = &figures.change_requests;
    let escalations = &figures.escalations;
    let complaints = &figures.complaints.items;
    let closed: Vec<&figures::Complaint> = complaints.iter().filter(|c| c.days_to_close.is_some()).collect();
    let rules = &figures.findings_by_rule;
    let satisfaction = Chart {
        shape: Shape::Line,
        title: "Client satisfaction over time (1 to 5)".into(),
        labels: figures.satisfaction.iter().map(|m| month_label(&m.month)).collect(),
        series: vec![series("Mean rating", figures.satisfaction.iter().map(|m| m.mean).collect())],
        max: Some(5.0),
    };
    let blocks = [
        ("stages", bar("Engagements by stage", stages, vec![series("Engagements", stage_counts)])),
        ("satisfaction", satisfaction),
        (
            "changes",
            bar(
                "Change requests per engagement",
                changes.iter().map(|c| c.engagement.clone()).collect(),
                vec![
                    series("Change requests", changes.iter().map(|c| c.count as f64).collect()),
                    series("Schedule impact (days)", changes.iter().map(|c| c.days.max(0) as f64).collect()),
                ],
            ),
        ),
        (
            "change_costs",
            bar(
                "Cost impact of change requests",
                changes.iter().map(|c| format!("{} ({})", c.engagement, c.currency)).collect(),
                vec![series("Cost impact", changes.iter().map(|c| c.cost.max(0.0)).collect())],
            ),
        ),
        (
            "escalations",
            bar(
                "Escalations by severity and service level",
                escalations.iter().map(|e| e.severity.clone()).collect(),
                vec![
                    series("Met", escalations.iter().map(|e| e.met as f64).collect()),
                    series("Breached", escalations.iter().map(|e| e.breached as f64).collect()),
                    series("Open", escalations.iter().map(|e| e.open as f64).collect()),
                ],
            ),
        ),
        (
            "complaints",
            bar(
                "Closed complaints by days from receipt to closure",
                CLOSURE_BANDS.iter().map(|(name, _)| name.to_string()).collect(),
                vec![series("Complaints", closure_bands(&closed))],
            ),
        ),
        ("themes", bar("Lessons learned by theme", themes, vec![series("Lessons", theme_counts)])),
        (
            "findings",
            bar(
                "Open compliance findings by rule",
                rules.iter().map(|r| r.rule.clone()).collect(),
                vec![series("Findings", rules.iter().map(|r| r.count as f64).collect())],
            ),
        ),
    ];
    let map: serde_json::Map<String, serde_json::Value> = blocks
        .into_iter()
        .filter(|(_, chart)| chart.series.iter().flat_map(|s| &s.values).any(|v| *v > 0.0))
        .map(|(name, chart)| (name, largest(chart)))
        .map(|(name, chart)| (name.to_string(), json!(chart.block())))
        .collect();
    serde_json::Value::Object(map)
}
