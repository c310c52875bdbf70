use crate::app::Outcome;
use crate::cli::{FindingFormat, ValidateArgs};
use crate::diag;
use crate::error::Error;
use crate::workspace::Workspace;
use std::path::Path;
use std::time::Instant;

pub fn run(dir: Option<&Path>, args: &ValidateArgs) -> Result<Outcome, Error> {
    let started = Instant::now();
    let workspace = Workspace::find(dir)?;
    let (loaded, report) = super::load_and_validate(&workspace, &args.paths)?;
    let text = match args.format {
        FindingFormat::Human => super::human(&loaded.sources, &report) + &diag::summary(&report, started.elapsed()),
        FindingFormat::Json => diag::json(&loaded.sources, &report),
        FindingFormat::Sarif => diag::sarif(&loaded.sources, &report),
        FindingFormat::Junit => diag::junit(&loaded.sources, &report),
        FindingFormat::Github => diag::github(&loaded.sources, &report),
    };
    print!("{text}");
    Ok(Outcome::from_problems(report.has_errors()))
}
