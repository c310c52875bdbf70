//! Charts carried in Markdown as data: a fenced code block whose info string is `chart` holds a
//! JSON [`Chart`]. The Markdown reads well as it is (a table beside each chart gives the same
//! figures); the HTML step draws the chart as inline SVG ([`svg`]) and the PDF step as native typst
//! drawing, handing typst the values as a JSON string, never as code. A block that is not a valid
//! chart stays a code block.

use super::escape_html;
use super::language::{Language, written};
use serde::{Deserialize, Serialize};

/// The info string of a chart block.
pub const INFO: &str = "chart";

/// Which way a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// Horizontal bars, one group per label, one bar per series.
    Bar,
    /// Points joined by lines, one line per series, labels along the bottom.
    Line,
}

/// One chart: labels along one axis, one or more series of values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chart {
    #[serde(rename = "type")]
    pub shape: Shape,
    pub title: String,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    /// The largest value of the scale; the largest value shown when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// How the chart writes its numbers (the document's language); plainly (`6969`, `4.5`) when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numbers: Option<Separators>,
}

/// A language's decimal sign and the sign between groups of three digits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Separators {
    pub decimal: String,
    pub group: String,
}

impl Separators {
    pub fn of(language: &Language) -> Self {
        Self { decimal: language.get("format.decimal").to_owned(), group: language.get("format.group").to_owned() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    pub name: String,
    #[serde(serialize_with = "whole_numbers")]
    pub values: Vec<f64>,
}

/// Values as the Markdown shows them: `3`, not `3.0`, for a whole number.
fn whole_numbers<S: serde::Serializer>(values: &[f64], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(values.len()))?;
    for value in values {
        if value.fract() == 0.0 && value.abs() < 1e15 {
            seq.serialize_element(&(*value as i64))?;
        } else {
            seq.serialize_element(value)?;
        }
    }
    seq.end()
}

/// Colours of the series, in order (the accent first in the built-in theme's spirit).
const COLOURS: [&str; 4] = ["#1F4E79", "#C55A11", "#548235", "#7F6000"];

impl Chart {
    /// The chart in a block's text, if it is a well-formed one: every series has one value per
    /// label, and every value is a finite number not below zero.
    pub fn parse(text: &str) -> Option<Chart> {
        let chart: Chart = serde_json::from_str(text).ok()?;
        let fits = chart.series.iter().all(|s| s.values.len() == chart.labels.len());
        let sane = chart.series.iter().flat_map(|s| &s.values).chain(&chart.max).all(|v| v.is_finite() && *v >= 0.0);
        (fits && sane && !chart.series.is_empty()).then_some(chart)
    }

    /// The Markdown block that carries the chart. Backticks are written as `\u0060` so that no
    /// label can close the fence.
    pub fn block(&self) -> String {
        let json = serde_json::to_string(self).expect("a chart serialises").replace('`', "\\u0060");
        format!("```{INFO}\n{json}\n```")
    }

    /// A number as the chart shows it: whole numbers without decimals, others with one, written
    /// with the chart's separators.
    pub fn show(&self, value: f64) -> String {
        let plain = if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") };
        match &self.numbers {
            Some(numbers) => written(&plain, &numbers.decimal, &numbers.group),
            None => plain,
        }
    }

    /// The chart as the PDF draws it: its data, with every value (`shown`, by series) and the top
    /// of the scale (`top_shown`) already written as [`Chart::show`] writes them.
    pub fn drawn(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).expect("a chart serialises");
        let shown: Vec<Vec<String>> =
            self.series.iter().map(|s| s.values.iter().map(|v| self.show(*v)).collect()).collect();
        value["shown"] = serde_json::json!(shown);
        value["top_shown"] = serde_json::json!(self.show(self.top()));
        value
    }

    /// The top of the scale: `max`, else the largest value (at least 1, so an empty chart draws).
    pub fn top(&self) -> f64 {
        let largest = self.series.iter().flat_map(|s| &s.values).fold(0.0_f64, |a, b| a.max(*b));
        self.max.unwrap_or(largest).max(largest).max(1.0)
    }
}

/// The chart as an inline SVG figure, every text escaped for HTML.
pub fn svg(chart: &Chart) -> String {
    let body = match chart.shape {
        Shape::Bar => bars(chart),
        Shape::Line => lines(chart),
    };
    let legend: String = chart
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "<span class=\"legend\"><svg width=\"10\" height=\"10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" fill=\"{}\"/></svg> {}</span>",
                colour(i),
                escape_html(&s.name)
            )
        })
        .collect();
    format!(
        "<figure class=\"chart\">\n<figcaption>{}</figcaption>\n{body}\n<div class=\"legend\">{legend}</div>\n</figure>\n",
        escape_html(&chart.title)
    )
}

fn colour(i: usize) -> &'static str {
    COLOURS[i % COLOURS.len()]
}

const WIDTH: f64 = 640.0;
const LABELS: f64 = 200.0;
const BAR: f64 = 14.0;

fn bars(chart: &Chart) -> String {
    let group = BAR * chart.series.len() as f64 + 8.0;
    let height = group * chart.labels.len() as f64 + 4.0;
    let scale = (WIDTH - LABELS - 60.0) / chart.top();
    let mut out = svg_open(height, &chart.title);
    for (row, label) in chart.labels.iter().enumerate() {
        let y = row as f64 * group + 4.0;
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>\n",
            LABELS - 6.0,
            y + group / 2.0 - 4.0,
            escape_html(label)
        ));
        for (i, series) in chart.series.iter().enumerate() {
            let value = series.values[row];
            let top = y + i as f64 * BAR;
            let width = value * scale;
            out.push_str(&format!(
                "<rect x=\"{LABELS}\" y=\"{top:.1}\" width=\"{width:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>\n<text x=\"{:.1}\" y=\"{:.1}\" dominant-baseline=\"middle\">{}</text>\n",
                BAR - 2.0,
                colour(i),
                escape_html(&series.name),
                escape_html(&chart.show(value)),
                LABELS + width + 4.0,
                top + BAR / 2.0 - 1.0,
                escape_html(&chart.show(value))
            ));
        }
    }
    out.push_str("</svg>");
    out
}

fn lines(chart: &Chart) -> String {
    let (height, left, bottom) = (220.0, 40.0, 190.0);
    let scale = (bottom - 10.0) / chart.top();
    let step = (WIDTH - left - 20.0) / (chart.labels.len().max(2) - 1) as f64;
    let x = |i: usize| if chart.labels.len() == 1 { left + (WIDTH - left) / 2.0 } else { left + i as f64 * step };
    let mut out = svg_open(height, &chart.title);
    out.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{WIDTH}\" y2=\"{bottom}\" stroke=\"#888\"/>\n<text x=\"{}\" y=\"14\" text-anchor=\"end\">{}</text>\n<text x=\"{}\" y=\"{bottom}\" text-anchor=\"end\">0</text>\n",
        left - 6.0,
        escape_html(&chart.show(chart.top())),
        left - 6.0
    ));
    for (i, label) in chart.labels.iter().enumerate() {
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            x(i),
            bottom + 18.0,
            escape_html(label)
        ));
    }
    for (s, series) in chart.series.iter().enumerate() {
        let points: Vec<String> =
            series.values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), bottom - v * scale)).collect();
        out.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
            points.join(" "),
            colour(s)
        ));
        for (i, value) in series.values.iter().enumerate() {
            out.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{}\"><title>{}: {}</title></circle>\n",
                x(i),
                bottom - value * scale,
                colour(s),
                escape_html(&chart.labels[i]),
                escape_html(&chart.show(*value))
            ));
        }
    }
    out.push_str("</svg>");
    out
}

fn svg_open(height: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.0}\" width=\"100%\" role=\"img\" aria-label=\"{}\" font-size=\"12\">\n",
        escape_html(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        Chart {
            shape: Shape::Bar,
            title: "A <b> & `c`".into(),
            labels: vec!["x</text><script>".into(), "y".into()],
            series: vec![Series { name: "n".into(), values: vec![2.0, 0.5] }],
            max: None,
            numbers: None,
        }
    }

    #[test]
    fn blocks_round_trip_and_no_label_closes_the_fence() {
        let block = chart().block();
        let inner = block.strip_prefix("```chart\n").unwrap().strip_suffix("\n```").unwrap();
        assert!(!inner.contains('`'));
        assert_eq!(Chart::parse(inner), Some(chart()));
    }

    #[test]
    fn malformed_charts_are_refused() {
        for bad in [
            "{}",
            r#"{"type":"pie","title":"t","labels":[],"series":[]}"#,
            r#"{"type":"bar","title":"t","labels":["a"],"series":[{"name":"n","values":[1,2]}]}"#,
            r#"{"type":"bar","title":"t","labels":["a"],"series":[{"name":"n","values":[-1]}]}"#,
        ] {
            assert_eq!(Chart::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_are_written_with_the_charts_separators_and_escaped_in_svg() {
        let mut chart = chart();
        chart.series[0].values = vec![1234567.0, 4.25];
        assert_eq!((chart.show(1234567.0), chart.show(4.25)), ("1234567".into(), "4.2".into()));
        chart.numbers = Some(Separators { decimal: ",".into(), group: ".".into() });
        assert_eq!((chart.show(1234567.0), chart.show(4.25)), ("1.234.567".into(), "4,2".into()));
        assert_eq!(chart.drawn()["shown"], serde_json::json!([["1.234.567", "4,2"]]));
        chart.numbers = Some(Separators { decimal: "<i>".into(), group: "&".into() });
        let svg = svg(&chart);
        assert!(svg.contains(">1&amp;234&amp;567</text>") && svg.contains(">4&lt;i&gt;2</text>"), "{svg}");
    }

    #[test]
    fn svg_escapes_every_text() {
        let svg = svg(&chart());
        assert!(!svg.contains("<script>") && !svg.contains("<b>"), "{svg}");
        assert!(svg.contains("x&lt;/text&gt;&lt;script&gt;"), "{svg}");
        assert_eq!(svg.matches("<rect x=").count(), 2);
    }
}
