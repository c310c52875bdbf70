use crate::app::Outcome;
use crate::cli::ValidateArgs;
use crate::error::Error;
use crate::workspace::Workspace;
use std::path::Path;
use std::time::Instant;

pub fn run(dir: Option<&Path>, args: &ValidateArgs) -> Result<Outcome, Error> {
    let started = Instant::now();
    let workspace = Workspace::find(dir)?;
    let (loaded, report) = super::load_and_validate(&workspace, &args.paths)?;
    super::print_report(args.format, &loaded.sources, &report, started);
    Ok(Outcome::from_problems(report.has_errors()))
}
