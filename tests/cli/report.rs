//! `engage report`: figures checked against counts made here from the sample data, and the charts
//! looked for in the HTML (SVG) and the PDF (text of the drawn labels).

use crate::build::sample_documents;
use crate::support::Engage;
use chrono::NaiveDateTime;
use serde_json::{Value, json};
use std::collections::BTreeMap;

const TODAY: &str = "2026-11-23";

fn figures(engage: &Engage, extra: &[&str]) -> Value {
    let mut args = vec!["report", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    let run = engage.run(&args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run.json()
}

/// The sample documents of one kind, each with its engagement folder.
fn of_kind(kind: &str) -> Vec<(String, Value)> {
    sample_documents()
        .into_iter()
        .filter(|(_, d)| d["kind"] == kind)
        .map(|(file, d)| (file.split('/').nth(1).unwrap().to_string(), d))
        .collect()
}

/// The engagement code (`NWL-2026`) of each sample engagement folder.
fn codes() -> BTreeMap<String, String> {
    of_kind("Engagement")
        .into_iter()
        .map(|(folder, e)| (folder, e["id"].as_str().unwrap().trim_start_matches("ENG-").to_string()))
        .collect()
}

fn minutes(from: &Value, to: &Value) -> i64 {
    let at = |v: &Value| NaiveDateTime::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d %H:%M").unwrap();
    (at(to) - at(from)).num_minutes()
}

fn limit(text: &str) -> i64 {
    let (n, unit) = text.split_at(text.len() - 1);
    n.parse::<i64>().unwrap()
        * match unit {
            "m" => 1,
            "h" => 60,
            "d" => 1440,
            _ => 10080,
        }
}

/// `met`, `breached` or `open` for one escalation, worked out here from its engagement's matrix.
fn service_level(escalation: &Value, engagement: &Value) -> &'static str {
    let level = |tier: &Value| {
        engagement["escalation_matrix"]["levels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["level"] == *tier)
            .unwrap()
            .clone()
    };
    let history = escalation["history"].as_array().unwrap();
    let late_ack = history.iter().any(|h| {
        h.get("acknowledged_at").is_some_and(|a| {
            minutes(&h["escalated_at"], a) > limit(level(&h["tier"])["acknowledge_within"].as_str().unwrap())
        })
    });
    let last = history.last().unwrap();
    let resolved = escalation.get("resolved_at");
    let late_resolution = resolved.is_some_and(|r| {
        minutes(&last["escalated_at"], r) > limit(level(&last["tier"])["resolve_within"].as_str().unwrap())
    });
    // An open escalation is late once the day its last tier should have resolved it has passed.
    let deadline = |entry: &Value, field: &str| {
        let at = NaiveDateTime::parse_from_str(entry["escalated_at"].as_str().unwrap(), "%Y-%m-%d %H:%M").unwrap();
        let limit = limit(level(&entry["tier"])[field].as_str().unwrap());
        (at + chrono::Duration::minutes(limit)).date().to_string()
    };
    let finished = escalation["status"] != "open";
    let overdue = !finished && deadline(last, "resolve_within").as_str() < TODAY;
    match (late_ack || late_resolution || overdue, resolved.is_some()) {
        (true, _) => "breached",
        (false, true) => "met",
        (false, false) => "open",
    }
}

// Every figure equals what counting the sample files gives.
#[test]
fn figures_equal_counts_made_from_the_sample_data() {
    let figures = figures(&Engage::samples(), &[]);
    let codes = codes();
    let engagements: BTreeMap<String, Value> = of_kind("Engagement").into_iter().collect();

    let stages: BTreeMap<&str, u64> = figures["engagements_by_stage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["count"].as_u64().unwrap()))
        .collect();
    for stage in ["enquiry", "assessment", "proposal", "contracting", "delivery", "closed", "declined"] {
        let counted = engagements.values().filter(|e| e["stage"] == stage).count() as u64;
        assert_eq!(stages[stage], counted, "{stage}");
    }

    let mut changes: BTreeMap<String, (u64, f64, i64)> = BTreeMap::new();
    for (folder, change) in of_kind("ChangeRequest") {
        let entry = changes.entry(codes[&folder].clone()).or_default();
        entry.0 += 1;
        entry.1 += change["impact"]["cost"]["amount"].as_f64().unwrap();
        entry.2 += change["impact"]["timeline"]["days"].as_i64().unwrap();
    }
    let reported: BTreeMap<String, (u64, f64, i64)> = figures["change_requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["engagement"].as_str().unwrap().into(),
                (c["count"].as_u64().unwrap(), c["cost"].as_f64().unwrap(), c["days"].as_i64().unwrap()),
            )
        })
        .collect();
    assert_eq!(reported, changes);

    let mut escalations: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    for (folder, escalation) in of_kind("Escalation") {
        let counts = escalations.entry(escalation["severity"].as_str().unwrap().into()).or_default();
        counts[0] += 1;
        let slot = match service_level(&escalation, &engagements[&folder]) {
            "met" => 1,
            "breached" => 2,
            _ => 3,
        };
        counts[slot] += 1;
    }
    for row in figures["escalations"].as_array().unwrap() {
        let counted = escalations.get(row["severity"].as_str().unwrap()).copied().unwrap_or_default();
        let got = ["total", "met", "breached", "open"].map(|k| row[k].as_u64().unwrap());
        assert_eq!(got, counted, "{row}");
    }

    let complaints = of_kind("Complaint");
    let closed: Vec<i64> = complaints
        .iter()
        .filter(|(_, c)| c["status"] == "closed")
        .map(|(_, c)| {
            let day = |k: &str| chrono::NaiveDate::parse_from_str(c[k].as_str().unwrap(), "%Y-%m-%d").unwrap();
            (day("closed_on") - day("received_on")).num_days()
        })
        .collect();
    let c = &figures["complaints"];
    assert_eq!((c["total"].as_u64(), c["closed"].as_u64()), (Some(complaints.len() as u64), Some(closed.len() as u64)));
    let mean = closed.iter().sum::<i64>() as f64 / closed.len() as f64;
    assert_eq!(c["mean_days_to_close"].as_f64(), Some((mean * 10.0).round() / 10.0));

    let mut themes: BTreeMap<String, u64> = BTreeMap::new();
    for (_, report) in of_kind("LessonsLearned") {
        for lesson in report["lessons"].as_array().unwrap() {
            *themes.entry(lesson["category"].as_str().unwrap_or("Uncategorised").into()).or_default() += 1;
        }
    }
    let reported: BTreeMap<String, u64> = figures["lesson_themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().into(), t["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(reported, themes);

    let mut months: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (_, report) in of_kind("LessonsLearned") {
        let feedback = &report["client_feedback"];
        let month = feedback["received_on"].as_str().unwrap()[..7].to_string();
        months.entry(month).or_default().push(feedback["rating"].as_f64().unwrap());
    }
    let counted: Vec<(String, u64, f64)> =
        months.into_iter().map(|(m, r)| (m, r.len() as u64, r.iter().sum::<f64>() / r.len() as f64)).collect();
    let reported: Vec<(String, u64, f64)> = figures["satisfaction"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].as_str().unwrap().into(), m["ratings"].as_u64().unwrap(), m["mean"].as_f64().unwrap()))
        .collect();
    assert_eq!(reported, counted);
    assert_eq!(figures["findings_by_rule"], json!([]), "the samples are compliant");
}

// --since leaves out records dated before it: the 2025 engagement's escalation, complaint and
// rating; stages are as of today whatever the period.
#[test]
fn since_limits_the_period() {
    let all = figures(&Engage::samples(), &[]);
    let since = figures(&Engage::samples(), &["--since", "2026-01-01"]);
    assert_eq!(since["period"], json!({"since": "2026-01-01", "until": TODAY}));
    assert_eq!(since["engagements_by_stage"], all["engagements_by_stage"]);
    assert_eq!(since["satisfaction"], json!([]));
    assert_eq!(since["complaints"]["total"], 1);
    let critical = |f: &Value| {
        f["escalations"].as_array().unwrap().iter().find(|e| e["severity"] == "critical").unwrap()["total"].clone()
    };
    assert_eq!((critical(&all), critical(&since)), (json!(1), json!(0)));
}

// Open findings are counted per rule as `engage check` reports them, waived ones left out.
#[test]
fn open_findings_are_counted_per_rule() {
    let engage = Engage::samples();
    let cr = "engagements/northwind-logistics/cr-002.yaml";
    engage.write(cr, &engage.read(cr).replacen("status: assessed", "status: approved", 1));
    let check = engage.run(&["check", "--format", "json", "--today", TODAY]).json();
    let mut counted: BTreeMap<String, u64> = BTreeMap::new();
    for finding in check["findings"].as_array().unwrap().iter().filter(|f| f["waived"].is_null()) {
        *counted.entry(finding["rule"].as_str().unwrap().into()).or_default() += 1;
    }
    assert!(!counted.is_empty());
    let reported: BTreeMap<String, u64> = figures(&engage, &[])["findings_by_rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["rule"].as_str().unwrap().into(), r["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(reported, counted);
}

// The report is written as Markdown, HTML and PDF; each chart of the Markdown is an SVG in the
// HTML and drawn in the PDF, whose text layer shows its title, bar labels and values (grouped as
// English writes them).
#[test]
fn the_report_carries_its_charts_into_html_and_pdf() {
    let engage = Engage::samples();
    let run = engage.run(&["report", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for ext in ["md", "html", "pdf"] {
        assert!(run.stdout.contains(&format!("  wrote out/MR-2026-11-23.{ext}\n")), "{}", run.stdout);
    }
    let markdown = engage.read("out/MR-2026-11-23.md");
    let charts = markdown.matches("```chart\n").count();
    assert_eq!(charts, 7, "every chart but the open findings' (none in the samples)");
    assert!(markdown.contains("| 2025-11 | 1 | 4 / 5 |"), "{markdown}");
    let html = engage.read("out/MR-2026-11-23.html");
    assert_eq!(html.matches("<figure class=\"chart\">\n<figcaption>").count(), charts);
    assert!(!html.contains("```chart") && !html.contains("<code class=\"language-chart\">"));
    assert!(html.contains("<rect x=\"200\""), "bars are drawn");
    assert!(html.contains("<polyline points="), "the satisfaction line is drawn");
    assert!(html.contains(">55,900</text>"), "values are grouped");

    let text = crate::pdf::pdf_text(&engage.path().join("out/MR-2026-11-23.pdf"));
    for label in [
        "Engagements by stage",
        "Escalations by severity and service level",
        "15 to 30 days",
        "Nov 2025",
        "55,900",
        "Communication",
    ] {
        assert!(text.contains(label), "{label} not in the PDF:\n{text}");
    }
    assert!(!text.contains("\"series\""), "charts are drawn, not printed as code");
}

// Invalid data gives no report: the errors, and exit 1.
#[test]
fn invalid_data_gives_no_report() {
    let engage = Engage::samples();
    let path = "engagements/northwind-logistics/esc-001.yaml";
    engage.write(path, &engage.read(path).replace("severity: moderate", "severity: medium"));
    let run = engage.run(&["report", "--today", TODAY]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("--> engagements/northwind-logistics/esc-001.yaml:8:11"), "{}", run.stdout);
    assert!(run.stdout.contains("no report was written"), "{}", run.stdout);
    assert!(!engage.path().join("out").exists());
}

// A large workspace's bar charts show their twelve largest groups; tables of fewer than 50 rows
// keep every row.
#[test]
fn large_workspaces_chart_their_largest_groups() {
    let engage = Engage::empty();
    assert_eq!(engage.run(&["generate", "ws", "--engagements", "40", "--seed", "3"]).code, 0);
    let run = engage.run(&["-C", "ws", "report", "--today", TODAY, "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let markdown = engage.read("ws/out/MR-2026-11-23.md");
    let figures = engage.run(&["-C", "ws", "report", "--today", TODAY, "--format", "json"]).json();
    let engagements = figures["change_requests"].as_array().unwrap().len();
    assert!(engagements > 12, "{engagements}");
    let title = format!("Change requests per engagement (the 12 largest of {engagements})");
    let block = markdown.lines().find(|l| l.contains(&title)).unwrap_or_else(|| panic!("{title}\n{markdown}"));
    let chart: Value = serde_json::from_str(block).unwrap();
    assert_eq!(chart["labels"].as_array().unwrap().len(), 12);
    let most = figures["change_requests"].as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).max();
    assert_eq!(chart["series"][0]["values"][0].as_f64().map(|v| v as u64), most);
    let rows = markdown.lines().filter(|l| l.starts_with('|') && l.contains("-20") && l.contains(" day")).count();
    assert!(rows >= engagements, "every engagement has its table row");
}

// The management review lists the documents past their periodic review as `check` finds them
// (rule REV-001): issued documents a review cycle after their issue, with the revision in force.
#[test]
fn reviews_due_are_the_documents_check_warns_about() {
    use crate::release::{SOW, release};
    let engage = Engage::samples();
    assert_eq!(figures(&engage, &[])["reviews_due"], json!([]), "nothing is issued, so nothing is due");
    assert_eq!(release(&engage, SOW, "First issue").code, 0);
    let due = |today: &str| {
        let run = engage.run(&["report", "--format", "json", "--today", today]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        run.json()["reviews_due"].clone()
    };
    assert_eq!(due("2027-12-01"), json!([]), "due on the day, not yet past");
    let overdue = json!([{"id": SOW, "revision": "1", "issued": "2026-12-01", "review_by": "2027-12-01"}]);
    assert_eq!(due("2027-12-02"), overdue);
    assert!(engage.run(&["check", "--today", "2027-12-02"]).stdout.contains("warning[REV-001]"));
    let run = engage.run(&["report", "--no-pdf", "--today", "2027-12-02"]);
    let markdown = run.stdout.lines().find_map(|l| l.strip_prefix("  wrote ").filter(|p| p.ends_with(".md"))).unwrap();
    let text = engage.read(markdown);
    assert!(text.contains(&format!("| {SOW} | 1 | 1 December 2026 | 1 December 2027 |")), "{text}");
}

/// The ID column of each row of the table in the Markdown section headed `heading`.
fn listed_rows(markdown: &str, heading: &str) -> Vec<String> {
    let section = markdown.split("\n## ").find(|s| s.starts_with(heading)).unwrap_or_else(|| panic!("{heading}"));
    let rows = section.lines().filter(|l| l.starts_with("| ")).skip(1);
    rows.map(|row| row.split(" | ").next().unwrap().trim_start_matches("| ").to_string()).collect()
}

// A large workspace's tables list their 50 most pressing records and say how many there are in
// all; the JSON figures keep every one.
#[test]
fn large_workspaces_list_their_most_pressing_records() {
    let engage = Engage::empty();
    assert_eq!(engage.run(&["generate", "ws", "--engagements", "300", "--seed", "3"]).code, 0);
    // Three of the first engagements' complaints reopened: old, yet to be listed first.
    let mut folders: Vec<_> =
        std::fs::read_dir(engage.path().join("ws/engagements")).unwrap().map(|e| e.unwrap().path()).collect();
    folders.sort();
    let first = folders.iter().map(|f| f.join("complaint-001.yaml")).filter(|f| f.exists()).take(3);
    for file in first {
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replace("status: \"closed\"", "status: \"open\"")).unwrap();
    }
    let run = engage.run(&["-C", "ws", "report", "--today", TODAY, "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let markdown = engage.read("ws/out/MR-2026-11-23.md");
    let figures = engage.run(&["-C", "ws", "report", "--today", TODAY, "--format", "json"]).json();

    let changes = figures["change_requests"].as_array().unwrap();
    assert!(changes.len() > 50, "{}", changes.len());
    let listed = listed_rows(&markdown, "Change requests");
    assert_eq!(listed.len(), 50, "{markdown}");
    let count = |c: &Value| (c["count"].as_u64().unwrap(), c["days"].as_i64().unwrap());
    let (shown, left): (Vec<&Value>, Vec<&Value>) =
        changes.iter().partition(|c| listed.contains(&c["engagement"].as_str().unwrap().to_string()));
    assert_eq!(shown.len(), 50);
    let least_shown = shown.iter().map(|c| count(c)).min().unwrap();
    assert!(left.iter().all(|c| count(c) <= least_shown), "an engagement with more changes was left out");
    let in_order: Vec<&str> = shown.iter().map(|c| c["engagement"].as_str().unwrap()).collect();
    assert_eq!(listed, in_order, "the rows keep the table's order");
    let said = format!("The 50 engagements with the most change requests are listed, of {};", changes.len());
    assert!(markdown.contains(&said), "{markdown}");

    let complaints = figures["complaints"]["items"].as_array().unwrap();
    assert!(complaints.len() > 50, "{}", complaints.len());
    let listed = listed_rows(&markdown, "Complaints");
    assert_eq!(listed.len(), 50, "{markdown}");
    let is_listed = |c: &Value| listed.contains(&c["id"].as_str().unwrap().to_string());
    let open: Vec<&Value> = complaints.iter().filter(|c| c["closed_on"].is_null()).collect();
    assert_eq!(open.len(), 3);
    assert!(open.iter().all(|c| is_listed(c)), "every open complaint is listed");
    let received = |c: &Value| c["received_on"].as_str().unwrap().to_string();
    let closed = |listed: bool| complaints.iter().filter(move |c| !c["closed_on"].is_null() && is_listed(c) == listed);
    let earliest_listed = closed(true).map(received).min().unwrap();
    assert!(closed(false).all(|c| received(c) <= earliest_listed), "a later complaint was left out");
    let said = format!("50 of {} complaints are listed: the open ones, oldest first", complaints.len());
    assert!(markdown.contains(&said), "{markdown}");
}
