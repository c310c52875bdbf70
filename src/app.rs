//! Dispatch: resolve what a command needs once, run it, and return its [`Outcome`].

use crate::cli::{Cli, Command};
use crate::cmd::{self, Outcome};
use crate::error::Error;

pub fn run(cli: Cli) -> Result<Outcome, Error> {
    let dir = cli.workspace.as_deref();
    match cli.command {
        Command::Init(args) => cmd::init::run(args.dir.as_deref().or(dir)),
        Command::Validate(args) => cmd::validate::run(dir, &args),
        Command::Check(args) => cmd::check::run(dir, &args),
        Command::Build(args) => cmd::build::run(dir, &args),
        Command::Approve(args) => cmd::approve::run(dir, &args),
        Command::Release(args) => cmd::release::run(dir, &args),
        Command::Revisions(args) => cmd::revisions::run(dir, &args),
        Command::Diff(args) => cmd::diff::run(dir, &args),
        Command::Verify(args) => cmd::verify::run(dir, &args),
        Command::Report(args) => cmd::report::run(dir, &args),
        Command::Explain(args) => cmd::explain::run(&args.rule),
        Command::Schema(args) => cmd::schema::run(dir, &args),
        Command::Serve(args) => crate::serve::run(dir, &args),
        Command::Completions(args) => cmd::completions::run(args.shell),
        Command::Generate(args) => {
            let shape = crate::generate::Shape {
                engagements: args.engagements,
                seed: args.seed,
                deliverables: args.deliverables,
            };
            let files = crate::generate::workspace(&args.dir, shape)?;
            outln!("wrote {files} files for {} engagements into {}", args.engagements, args.dir.display());
            Ok(Outcome::Clean)
        }
    }
}
