use crate::app::Outcome;
use crate::cli::BuildArgs;
use crate::diag::{self, Finding, Report, RuleId};
use crate::error::Error;
use crate::load::Loaded;
use crate::model::Document;
use crate::output::{self, State, Written};
use crate::record::Records;
use crate::render::{self, Overrides, TemplateError, Templates};
use crate::source::Span;
use crate::workspace::{Workspace, display_path};
use std::path::Path;
use std::time::Instant;

pub fn run(dir: Option<&Path>, args: &BuildArgs) -> Result<Outcome, Error> {
    let started = Instant::now();
    let workspace = Workspace::find(dir)?;
    let (mut loaded, report) = super::load_and_validate(&workspace, &[])?;
    if report.has_errors() {
        print!("{}{}", super::human(&loaded.sources, &report), diag::summary(&report, started.elapsed()));
        println!("nothing was built: correct the errors above, then build again");
        return Ok(Outcome::ProblemsFound);
    }
    let overrides = Overrides::read(&workspace, &mut loaded.sources)?;
    let templates = match Templates::compile(&overrides, &loaded.sources) {
        Ok(templates) => templates,
        Err(e) => return template_failure(&loaded, e, None),
    };
    let register = Records::of(&workspace).read_whole()?;
    let out = args.out.clone().unwrap_or_else(|| workspace.output_dir());
    let mut docs: Vec<&Document> = loaded.corpus.iter().collect();
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    let mut tally = Tally::default();
    for doc in docs {
        let history = super::history_of(&register, &loaded, doc);
        let rendered = match render::document(&workspace, &loaded.corpus, &templates, doc, &history) {
            Ok(rendered) => rendered,
            Err(e) => return template_failure(&loaded, e, Some(doc)),
        };
        let id = &rendered.control.id;
        for (extension, bytes) in [("md", rendered.markdown.as_bytes()), ("html", rendered.html.as_bytes())] {
            let path = out.join(format!("{id}.{extension}"));
            let shown = display_path(workspace.relative(&path));
            if args.check {
                tally.check(output::state(&path, bytes), shown);
            } else {
                tally.write(output::write_atomic(&path, bytes)?, shown);
            }
        }
        tally.documents += 1;
    }
    Ok(tally.finish(args.check, &display_path(workspace.relative(&out)), started))
}

/// A broken workspace template is a finding in that file (exit 1); a built-in template that
/// fails is a bug (exit 2), reported with the document that triggered it.
pub(super) fn template_failure(
    loaded: &Loaded,
    error: TemplateError,
    doc: Option<&Document>,
) -> Result<Outcome, Error> {
    let Some(file) = error.file else {
        let document = doc.and_then(|d| d.id.as_ref()).map(|id| format!(" while rendering {id}")).unwrap_or_default();
        return Err(Error::Internal {
            what: format!("template {}", error.template),
            message: format!("{}{document}", error.message),
        });
    };
    let help = "correct the template; `engage build` uses it for every document of its kind".to_string();
    let finding = Finding::error(RuleId::BrokenTemplate, Span::point(file, error.at), error.message, help);
    let report = Report::new(vec![finding], loaded.sources.len());
    print!("{}", super::human(&loaded.sources, &report));
    println!("nothing more was built: correct the template, then build again");
    Ok(Outcome::ProblemsFound)
}

#[derive(Default)]
struct Tally {
    documents: usize,
    created: usize,
    updated: usize,
    unchanged: usize,
    outdated: Vec<(String, State)>,
}

impl Tally {
    fn write(&mut self, written: Written, shown: String) {
        match written {
            Written::Created => self.created += 1,
            Written::Updated => self.updated += 1,
            Written::Unchanged => self.unchanged += 1,
        }
        if written != Written::Unchanged {
            println!("  wrote {shown}");
        }
    }

    fn check(&mut self, state: State, shown: String) {
        if state != State::Current {
            self.outdated.push((shown, state));
        }
    }

    fn finish(self, check: bool, out: &str, started: Instant) -> Outcome {
        let seconds = started.elapsed().as_secs_f64();
        if !check {
            println!(
                "built {} documents into {out}/: {} created, {} updated, {} unchanged ({seconds:.2} s)",
                self.documents, self.created, self.updated, self.unchanged
            );
            return Outcome::Clean;
        }
        for (path, state) in &self.outdated {
            let state = if *state == State::Missing { "missing" } else { "stale" };
            println!("{state}: {path}");
        }
        match self.outdated.len() {
            0 => println!("all outputs of {} documents are up to date ({seconds:.2} s)", self.documents),
            n => println!("{n} outputs are stale or missing: run `engage build` to regenerate them"),
        }
        Outcome::from_problems(!self.outdated.is_empty())
    }
}
