//! Bounded work: a workspace template or theme that loops for ever is stopped after
//! `render_time_limit` with exit 1, naming the template and the document.

use crate::support::Engage;
use std::time::{Duration, Instant};

fn limited() -> Engage {
    let engage = Engage::minimal();
    engage.write("engage.yaml", "organisation:\n  name: Test Consulting\nrender_time_limit: 0.5\n");
    engage
}

fn assert_stopped(engage: &Engage, args: &[&str], first_line: &str) {
    let started = Instant::now();
    let run = engage.run(args);
    let took = started.elapsed();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.lines().next(), Some(first_line), "{}", run.stderr);
    assert!(run.stderr.contains("raise `render_time_limit` (seconds per document) in engage.yaml"), "{}", run.stderr);
    assert!(took < Duration::from_secs(5), "stopped after {took:?}");
    assert!(!engage.path().join("out/ENG-TST-2026.md").exists(), "nothing was written");
}

#[test]
fn a_template_that_loops_for_ever_is_stopped() {
    let engage = limited();
    // Ten billion iterations, in little memory.
    engage.write(
        "templates/engagement.md",
        "{% extends \"base.md\" %}{% block body %}\
         {% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}\
         {% endblock body %}",
    );
    let first = "error: templates/engagement.md was still rendering ENG-TST-2026 after 0.5 s, the limit: stopped";
    assert_stopped(&engage, &["build", "--no-pdf"], first);
}

#[test]
fn a_theme_that_runs_for_ages_is_stopped() {
    let engage = limited();
    engage.write(
        "templates/document.typ",
        "#let theme(meta, body) = { for i in range(100000) { for j in range(100000) { } }; body }\n",
    );
    let first = "error: templates/document.typ was still rendering a sample document (the theme check) \
                 after 0.5 s, the limit: stopped";
    assert_stopped(&engage, &["build"], first);
}

#[test]
fn the_limit_is_checked_when_the_settings_are_read() {
    let engage = Engage::minimal();
    engage.write("engage.yaml", "render_time_limit: 0\n");
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("render_time_limit"), "{}", run.stderr);
}
