//! Why a command could not run (exit code 2). Problems in the user's data are findings, not
//! errors; see [`crate::diag`].

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no engage.yaml in {} or any folder above it", start.display())]
    NoWorkspace { start: PathBuf },
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Settings { path: PathBuf, line: u32, column: u32, message: String },
    #[error("{} is not valid:\n{findings}", path.display())]
    InvalidSettings { path: PathBuf, findings: String },
    #[error("unknown kind `{0}`")]
    UnknownKind(String),
    #[error("unknown rule `{0}`")]
    UnknownRule(String),
    #[error("{} already holds a workspace", path.display())]
    WorkspaceExists { path: PathBuf },
    #[error("built-in {what} is broken: {message}")]
    Internal { what: String, message: String },
}

impl Error {
    /// What the user can do next.
    pub fn hint(&self) -> String {
        match self {
            Error::NoWorkspace { .. } => {
                "run the command inside a workspace, pass `-C DIR`, or create one with `engage init DIR`".into()
            }
            Error::Read { .. } => "check that the path exists and that you may read it".into(),
            Error::Write { .. } => "check that the folder exists, is writable and has free space".into(),
            Error::Settings { .. } | Error::InvalidSettings { .. } => {
                "correct engage.yaml as shown; README.md lists the settings".into()
            }
            Error::UnknownKind(_) => format!("use one of: {}", crate::model::Kind::ALL.map(|k| k.name()).join(", ")),
            Error::UnknownRule(_) => "`engage check --list-rules` lists the rules".into(),
            Error::WorkspaceExists { .. } => "choose an empty or new folder".into(),
            Error::Internal { .. } => "this is a bug in engage; please report it with the command you ran".into(),
        }
    }

    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Read { path: path.into(), source }
    }

    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Write { path: path.into(), source }
    }
}
