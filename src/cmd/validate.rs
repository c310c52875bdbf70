use super::findings::{Found, Printer};
use super::scope::Scope;
use crate::cli::ValidateArgs;
use crate::cmd::Outcome;
use crate::diag::Report;
use crate::error::Error;
use crate::outline::Outline;
use crate::validate::Schemas;
use std::path::Path;

/// Steps 1 and 2 in one streaming pass ([`Outline`]): memory does not grow with the workspace,
/// and files outside the named ones are only parsed, for the structure.
pub fn run(dir: Option<&Path>, args: &ValidateArgs) -> Result<Outcome, Error> {
    let start = Scope::start(dir, &args.paths);
    Printer::new(args.format, "validate", args.category.as_deref()).print(&start, || {
        let scope = Scope::open(&start, &args.paths)?;
        let outline = Outline::of(&scope.workspace, Schemas::shared()?, |path| scope.holds(path))?;
        let sources = outline.sources;
        let findings = outline.findings.into_iter().filter(|f| scope.holds(sources.path(f.span.file))).collect();
        let report = Report::new(findings, scope.count(&sources, None));
        Ok(Found { root: scope.workspace.root, sources, report })
    })
}
