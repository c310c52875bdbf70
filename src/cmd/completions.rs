use crate::cli::Cli;
use crate::cmd::Outcome;
use crate::error::Error;
use clap::CommandFactory;

pub fn run(shell: clap_complete::Shell) -> Result<Outcome, Error> {
    clap_complete::generate(shell, &mut Cli::command(), "engage", &mut std::io::stdout());
    Ok(Outcome::Clean)
}
