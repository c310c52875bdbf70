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
    #[error("`{0}` is not a document ID")]
    BadDocumentId(String),
    #[error("no document has the ID `{id}`")]
    UnknownDocument { id: String, nearest: Option<String> },
    #[error("no revision of {id} has been issued")]
    NotIssued { id: String },
    #[error("{id} has no issued revision `{revision}`")]
    UnknownRevision { id: String, revision: String, issued: Vec<String> },
    #[error("{} is damaged: {message}", path.display())]
    Records { path: PathBuf, message: String },
    #[error("cannot tell who is issuing the revision: no --author, no `git config user.name` and no $USER")]
    NoAuthor,
    #[error("{id} is not valid, so its working copy cannot be rendered")]
    InvalidDocument { id: String },
    #[error("data files changed while the build read them")]
    ChangedDuringBuild,
    #[error("{message}")]
    Usage { message: String, hint: String },
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
            Error::UnknownKind(_) => {
                let kinds = crate::model::Kind::ALL.map(|k| k.name()).join(", ");
                format!("use one of: {kinds}; or settings, common or document for the other schemas")
            }
            Error::UnknownRule(_) => "`engage check --list-rules` lists the rules".into(),
            Error::WorkspaceExists { .. } => "choose an empty or new folder".into(),
            Error::BadDocumentId(_) => {
                "document IDs are upper-case letters and digits in groups joined by dashes, as in SOW-NWL-2026-004"
                    .into()
            }
            Error::UnknownDocument { nearest: Some(near), .. } => format!("did you mean {near}?"),
            Error::UnknownDocument { nearest: None, .. } => {
                "the ID is the `id:` of a data file; `engage revisions` lists the issued documents".into()
            }
            Error::NotIssued { id } => format!("issue the first revision with `engage release {id} --reason TEXT`"),
            Error::UnknownRevision { issued, .. } if issued.is_empty() => "no revision has been issued yet".into(),
            Error::UnknownRevision { issued, .. } => {
                format!("the issued revisions are {}; `working` is the working copy", issued.join(", "))
            }
            Error::Records { .. } => {
                "run `engage verify` to see what changed, and restore records/ from version control".into()
            }
            Error::NoAuthor => "pass --author NAME".into(),
            Error::InvalidDocument { .. } => "`engage check` shows what to correct".into(),
            Error::ChangedDuringBuild => "build again once the files are saved".into(),
            Error::Usage { hint, .. } => hint.clone(),
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
