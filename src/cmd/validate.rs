use super::findings::{Found, Printer};
use super::scope::Scope;
use crate::app::Outcome;
use crate::cli::ValidateArgs;
use crate::diag::Report;
use crate::error::Error;
use std::path::Path;

pub fn run(dir: Option<&Path>, args: &ValidateArgs) -> Result<Outcome, Error> {
    let start = Scope::start(dir, &args.paths);
    Printer::new(args.format, "validate", args.category.as_deref()).print(&start, || {
        let scope = Scope::open(&start, &args.paths)?;
        let (loaded, report) = super::load_and_validate(&scope.workspace)?;
        super::leave_to_exit(loaded.corpus);
        let sources = loaded.sources;
        let findings = report.findings.into_iter().filter(|f| scope.holds(sources.path(f.span.file))).collect();
        let report = Report::new(findings, scope.count(&sources, None));
        Ok(Found { root: scope.workspace.root, sources, report })
    })
}
