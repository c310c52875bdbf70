//! What `validate` and `check` print: the findings in the format asked for, or, when the command
//! could not run, why, in that same format. A CI step that reads only standard output must never
//! take a run that failed for a clean one.

use super::for_stdout;
use crate::cli::FindingFormat;
use crate::cmd::Outcome;
use crate::diag::{self, FileNames, Report, SarifRun};
use crate::error::Error;
use crate::source::Sources;
use crate::terminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What a command found: the files it read, relative to `root`, and the report on them.
pub struct Found {
    pub root: PathBuf,
    pub sources: Sources,
    pub report: Report,
}

pub struct Printer {
    format: FindingFormat,
    /// `validate` or `check`.
    command: &'static str,
    /// The SARIF category (`automationDetails.id` without its trailing `/`).
    category: String,
}

impl Printer {
    pub fn new(format: FindingFormat, command: &'static str, category: Option<&str>) -> Printer {
        let category = category.map_or_else(|| format!("engage/{command}"), |c| c.trim_end_matches('/').to_string());
        Printer { format, command, category }
    }

    /// Runs `work` and prints what it found, or why it could not run. `start` is where the
    /// workspace is looked for, which places a failure in its repository for SARIF.
    pub fn print(&self, start: &Path, work: impl FnOnce() -> Result<Found, Error>) -> Result<Outcome, Error> {
        let started = Instant::now();
        match work() {
            Ok(found) => {
                self.findings(&found, started);
                Ok(Outcome::from_problems(found.report.has_errors()))
            }
            Err(error) => {
                self.failure(start, &error);
                Err(error)
            }
        }
    }

    /// The long formats (people's and JSON) are written as they are made, the others whole.
    fn findings(&self, found: &Found, started: Instant) {
        let Found { root, sources, report } = found;
        let here = FileNames::from_current_dir(root);
        match self.format {
            FindingFormat::Human => {
                let human = for_stdout();
                terminal::stream(|out| {
                    human.each(sources, report, &here).try_for_each(|text| out.write_all(text.as_bytes()))?;
                    out.write_all(diag::summary(report, started.elapsed()).as_bytes())
                });
            }
            FindingFormat::Json => terminal::stream(|out| diag::json(out, sources, report, &here)),
            FindingFormat::Sarif => {
                out!("{}", diag::sarif(sources, report, &self.sarif_run(&FileNames::from_repository(root))));
            }
            FindingFormat::Junit => out!("{}", diag::junit(sources, report, &here)),
            FindingFormat::Github => out!("{}", diag::github(sources, report, &here)),
        }
    }

    /// The machine formats say why in their own terms; people read the error on standard error.
    fn failure(&self, start: &Path, error: &Error) {
        let here = FileNames::from_current_dir(start);
        let text = match self.format {
            FindingFormat::Human => return,
            FindingFormat::Json => diag::json_failure(error, &here),
            FindingFormat::Sarif => diag::sarif_failure(error, &self.sarif_run(&FileNames::from_repository(start))),
            FindingFormat::Junit => diag::junit_failure(error, &here, self.command),
            FindingFormat::Github => diag::github_failure(error, &here),
        };
        out!("{text}");
    }

    fn sarif_run<'a>(&self, names: &'a FileNames) -> SarifRun<'a> {
        SarifRun { names, automation: format!("{}/", self.category) }
    }
}
