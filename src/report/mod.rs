//! `engage report`: the management review across the whole workspace. The [`figures`] are
//! computed from the records; the report is `templates/report.md` rendered with them, its charts
//! carried as data in the Markdown ([`crate::render::chart`]) and drawn by the HTML and PDF steps.

pub mod figures;

pub use figures::{Figures, Period};

use crate::render::chart::{Chart, Separators, Series, Shape};
use crate::render::language::Language;
use crate::render::{Control, Rendered, TemplateError, Templates};
use crate::workspace::Workspace;
use serde::Serialize;
use serde_json::json;
use std::cmp::Ordering;

/// The report's ID: `MR-` and the last day of its period.
pub fn id(period: &Period) -> String {
    format!("MR-{}", period.until.format("%Y-%m-%d"))
}

/// Renders the report to Markdown and HTML.
pub fn render(workspace: &Workspace, templates: &Templates, figures: &Figures) -> Result<Rendered, TemplateError> {
    let (language, warning) = templates.language(&workspace.settings.language);
    let control = control(workspace, &figures.period, &language);
    let context = json!({
        "control": control,
        "figures": figures,
        "listed": listed(figures),
        "charts": charts(figures, &language),
        "settings": workspace.raw,
    });
    let context = tera::Context::from_value(context).expect("the context is a JSON object");
    let markdown = crate::render::tidy(&templates.render_markdown("report.md", &context, &language.code)?);
    let content = crate::render::html::body(&markdown);
    let html = crate::render::html::page(workspace, templates, &control, content, &language.code)?;
    let warnings = warning.map(|w| format!("warning: {w}")).into_iter().collect();
    Ok(Rendered { control, markdown, html, word: None, language, warnings })
}

/// The report is generated, not issued: it carries no revision and no approvals. It is written in
/// the workspace's language.
fn control(workspace: &Workspace, period: &Period, language: &Language) -> Control {
    let organisation = workspace.settings.organisation.name.clone();
    let key = if period.since.is_some() { "rep.covers_from" } else { "rep.covers_until" };
    let covers = language.fill(key, None, |name| match name {
        "since" => period.since.map(|since| since.to_string()),
        "until" => Some(period.until.to_string()),
        _ => None,
    });
    let covers = covers.unwrap_or_default();
    Control {
        id: id(period),
        title: language.get("rep.title").into(),
        kind: "Report".into(),
        label: language.get("kind.Report").into(),
        revision: language.get("control.generated").into(),
        status: language.fill("rep.status", None, |_| Some(covers.clone())).unwrap_or_default(),
        draft: false,
        classification: "internal".into(),
        date: period.until.to_string(),
        owner: organisation.clone(),
        issuer: organisation.clone(),
        organisation,
        client: language.get("rep.all_clients").into(),
        approvals: json!([]),
        signed: false,
        history: Vec::new(),
        register_head: None,
        language: workspace.settings.language.clone(),
    }
}

/// Tables of records list at most this many rows, the most pressing ones (open complaints, the
/// engagements with the most changes, ...): a management review of ten thousand engagements is
/// read for its figures and what needs action, not as a register of every record, and a
/// 300-page document would take typst a gigabyte to lay out. The figures and charts count
/// every record; `report --format json` lists them all.
const MOST_ROWS: usize = 50;

/// The rows a table lists (see [`MOST_ROWS`]) and how many there are in all.
#[derive(Serialize)]
struct Listed<'a, T> {
    rows: Vec<&'a T>,
    all: usize,
}

/// The [`MOST_ROWS`] first items by `first`, kept in the table's own order.
fn most_pressing<'a, T>(items: &'a [T], first: impl Fn(&T, &T) -> Ordering) -> Listed<'a, T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    if items.len() > MOST_ROWS {
        order.sort_by(|a, b| first(&items[*a], &items[*b]).then(a.cmp(b)));
        order.truncate(MOST_ROWS);
        order.sort_unstable();
    }
    Listed { rows: order.into_iter().map(|i| &items[i]).collect(), all: items.len() }
}

/// Open complaints first, the oldest first; then closed ones, the most recent first.
fn pressing_complaint(a: &figures::Complaint, b: &figures::Complaint) -> Ordering {
    match (a.closed_on, b.closed_on) {
        (None, None) => a.received_on.cmp(&b.received_on),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(_), Some(_)) => b.received_on.cmp(&a.received_on),
    }
}

/// For lists that come in the order of their pressure.
fn in_order<T>(_: &T, _: &T) -> Ordering {
    Ordering::Equal
}

/// The report's tables of records, each cut to its [`MOST_ROWS`] most pressing rows. Themes and
/// reviews come sorted by pressure already (most lessons, longest overdue).
fn listed(figures: &Figures) -> serde_json::Value {
    json!({
        "change_requests": most_pressing(&figures.change_requests, |a, b| b.count.cmp(&a.count).then(b.days.cmp(&a.days))),
        "complaints": most_pressing(&figures.complaints.items, pressing_complaint),
        "lesson_themes": most_pressing(&figures.lesson_themes, in_order),
        "reviews_due": most_pressing(&figures.reviews_due, in_order),
    })
}

/// Bar charts show at most this many bars (groups): a chart of a thousand engagements is not
/// read, its table is.
const MOST_BARS: usize = 12;

/// A bar chart cut to its [`MOST_BARS`] largest groups (by the first series), the title saying so.
fn largest(mut chart: Chart, language: &Language) -> Chart {
    if chart.shape != Shape::Bar || chart.labels.len() <= MOST_BARS {
        return chart;
    }
    let mut order: Vec<usize> = (0..chart.labels.len()).collect();
    order.sort_by(|a, b| chart.series[0].values[*b].total_cmp(&chart.series[0].values[*a]).then(a.cmp(b)));
    order.truncate(MOST_BARS);
    let (shown, all) = (MOST_BARS.to_string(), chart.labels.len().to_string());
    let arg = |name: &str| match name {
        "title" => Some(chart.title.clone()),
        "shown" => Some(shown.clone()),
        "all" => Some(all.clone()),
        _ => None,
    };
    chart.title = language.fill("rep.chart.largest", None, arg).unwrap_or_default();
    chart.labels = order.iter().map(|i| chart.labels[*i].clone()).collect();
    for series in &mut chart.series {
        series.values = order.iter().map(|i| series.values[*i]).collect();
    }
    chart
}

/// The bands of days to close a complaint, each with its largest number of days (and the key of
/// its label in the catalogues).
const CLOSURE_BANDS: [(&str, i64); 4] =
    [("rep.band.7", 7), ("rep.band.14", 14), ("rep.band.30", 30), ("rep.band.over", i64::MAX)];

fn closure_bands(closed: &[&figures::Complaint]) -> Vec<f64> {
    let band = |days: i64| CLOSURE_BANDS.iter().position(|(_, most)| days <= *most).unwrap_or(0);
    let mut counts = vec![0.0; CLOSURE_BANDS.len()];
    for days in closed.iter().filter_map(|c| c.days_to_close) {
        counts[band(days)] += 1.0;
    }
    counts
}

/// `2025-11` → `Nov 2025`: the first three letters of the month's name in the language.
fn month_label(month: &str, language: &Language) -> String {
    use chrono::Datelike;
    let Ok(date) = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d") else {
        return month.to_string();
    };
    let name = language.get("format.months").split_whitespace().nth(date.month0() as usize).unwrap_or_default();
    format!("{} {}", name.chars().take(3).collect::<String>(), date.year())
}

/// Every chart of the report, as the Markdown block that carries it, by name.
fn charts(figures: &Figures, language: &Language) -> serde_json::Value {
    let w = |key: &str| language.get(key).to_owned();
    let bar = |title: String, labels: Vec<String>, series: Vec<Series>| Chart {
        shape: Shape::Bar,
        title,
        labels,
        series,
        max: None,
        numbers: Some(Separators::of(language)),
    };
    let series = |name: String, values: Vec<f64>| Series { name, values };
    let counts = |list: &[figures::Count]| {
        (list.iter().map(|c| c.name.clone()).collect(), list.iter().map(|c| c.count as f64).collect::<Vec<_>>())
    };
    // Stages and severities are values of the schemas: named as the tables below the charts name them.
    let named = |value: &str| language.text(&format!("value.{value}")).map_or_else(|| value.to_owned(), str::to_owned);
    let (stages, stage_counts): (Vec<String>, _) = counts(&figures.engagements_by_stage);
    let stages = stages.iter().map(|stage| named(stage)).collect();
    let (themes, theme_counts) = counts(&figures.lesson_themes);
    let changes = &figures.change_requests;
    let escalations = &figures.escalations;
    let complaints = &figures.complaints.items;
    let closed: Vec<&figures::Complaint> = complaints.iter().filter(|c| c.days_to_close.is_some()).collect();
    let rules = &figures.findings_by_rule;
    let satisfaction = Chart {
        shape: Shape::Line,
        title: w("rep.chart.satisfaction"),
        labels: figures.satisfaction.iter().map(|m| month_label(&m.month, language)).collect(),
        series: vec![series(w("rep.mean_rating"), figures.satisfaction.iter().map(|m| m.mean).collect())],
        max: Some(5.0),
        numbers: Some(Separators::of(language)),
    };
    let blocks = [
        ("stages", bar(w("rep.stages"), stages, vec![series(w("rep.engagements"), stage_counts)])),
        ("satisfaction", satisfaction),
        (
            "changes",
            bar(
                w("rep.chart.changes"),
                changes.iter().map(|c| c.engagement.clone()).collect(),
                vec![
                    series(w("rep.changes"), changes.iter().map(|c| c.count as f64).collect()),
                    series(w("rep.chart.schedule_days"), changes.iter().map(|c| c.days.max(0) as f64).collect()),
                ],
            ),
        ),
        (
            "change_costs",
            bar(
                w("rep.chart.costs"),
                changes.iter().map(|c| format!("{} ({})", c.engagement, c.currency)).collect(),
                vec![series(w("rep.cost_impact"), changes.iter().map(|c| c.cost.max(0.0)).collect())],
            ),
        ),
        (
            "escalations",
            bar(
                w("rep.chart.escalations"),
                escalations.iter().map(|e| named(&e.severity)).collect(),
                vec![
                    series(w("value.met"), escalations.iter().map(|e| e.met as f64).collect()),
                    series(w("value.breached"), escalations.iter().map(|e| e.breached as f64).collect()),
                    series(w("value.open"), escalations.iter().map(|e| e.open as f64).collect()),
                ],
            ),
        ),
        (
            "complaints",
            bar(
                w("rep.chart.complaints"),
                CLOSURE_BANDS.iter().map(|(key, _)| w(key)).collect(),
                vec![series(w("reg.complaints"), closure_bands(&closed))],
            ),
        ),
        ("themes", bar(w("rep.chart.themes"), themes, vec![series(w("rep.lessons"), theme_counts)])),
        (
            "findings",
            bar(
                w("rep.chart.findings"),
                rules.iter().map(|r| r.rule.clone()).collect(),
                vec![series(w("rep.findings_count"), rules.iter().map(|r| r.count as f64).collect())],
            ),
        ),
    ];
    let map: serde_json::Map<String, serde_json::Value> = blocks
        .into_iter()
        .filter(|(_, chart)| chart.series.iter().flat_map(|s| &s.values).any(|v| *v > 0.0))
        .map(|(name, chart)| (name, largest(chart, language)))
        .map(|(name, chart)| (name.to_string(), json!(chart.block())))
        .collect();
    serde_json::Value::Object(map)
}
