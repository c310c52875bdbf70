use crate::app::Outcome;
use crate::build::{self, pdf_meta};
use crate::cli::{ListFormat, ReportArgs};
use crate::diag::{self, Report, Severity};
use crate::error::Error;
use crate::output;
use crate::render::{Overrides, Templates};
use crate::report::{self, Period};
use crate::workspace::{Workspace, display_path};
use std::path::Path;
use std::time::Instant;

/// Invalid data gives wrong figures, so a workspace with schema errors gets no report (exit 1).
pub fn run(dir: Option<&Path>, args: &ReportArgs) -> Result<Outcome, Error> {
    let started = Instant::now();
    let workspace = Workspace::find(dir)?;
    let until = args.today.unwrap_or_else(super::check::today);
    let checked = super::check::checked(&workspace, until)?;
    let mut loaded = checked.loaded;
    if !checked.invalid.is_empty() {
        let errors: Vec<_> = checked
            .findings
            .into_iter()
            .filter(|f| f.severity == Severity::Error && checked.invalid.contains(&f.span.file))
            .collect();
        let report = Report::new(errors, loaded.sources.len() - 1);
        out!("{}{}", super::human(&loaded.sources, &report), diag::summary(&report, started.elapsed()));
        outln!("no report was written: correct the errors above, then run the report again");
        return Ok(Outcome::ProblemsFound);
    }
    let figures = report::figures::compute(&loaded.corpus, &checked.findings, Period { since: args.since, until });
    if args.format == ListFormat::Json {
        outln!("{}", serde_json::to_string_pretty(&figures).expect("figures serialise"));
        return Ok(Outcome::Clean);
    }
    let overrides = Overrides::read(&workspace, &mut loaded.sources)?;
    let templates = Templates::compile(&overrides, &loaded.sources)
        .and_then(|t| report::render(&workspace, &t, &figures).map(|r| (t, r)));
    let (_, rendered) = match templates {
        Ok(done) => done,
        Err(error) => return super::build::template_failure(&loaded, error, None),
    };
    let id = rendered.control.id.clone();
    let mut files = vec![
        (format!("{id}.md"), rendered.markdown.clone().into_bytes()),
        (format!("{id}.html"), rendered.html.into_bytes()),
    ];
    if !args.no_pdf {
        let typesetter = build::typesetter(&workspace, &overrides, &loaded.sources, false)?
            .map_err(|e| Error::Internal { what: "PDF theme".into(), message: e.to_string() })?;
        let pdf = typesetter
            .typeset(&rendered.markdown, &pdf_meta(&rendered.control))
            .map_err(|e| Error::Internal { what: format!("PDF of {id}"), message: e.to_string() })?;
        files.push((format!("{id}.pdf"), pdf));
    }
    let out = args.out.clone().unwrap_or_else(|| workspace.output_dir());
    for (name, bytes) in &files {
        let path = out.join(name);
        output::write_atomic(&path, bytes)?;
        outln!("  wrote {}", display_path(workspace.relative(&path)));
    }
    let seconds = started.elapsed().as_secs_f64();
    outln!(
        "management review {id}: {} engagements, {} open findings ({seconds:.2} s)",
        figures.engagements_by_stage.iter().map(|s| s.count).sum::<usize>(),
        figures.findings_by_rule.iter().map(|r| r.count).sum::<usize>()
    );
    Ok(Outcome::Clean)
}
