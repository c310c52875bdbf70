//! Why a command could not run (exit code 2). Problems in the user's data are findings, not
//! errors; see [`crate::diag`].

use crate::source::Pos;
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
    /// `findings` as people read them; `places`, the same for the machine-readable formats.
    #[error("{} is not valid:\n{findings}", path.display())]
    InvalidSettings { path: PathBuf, findings: String, places: Vec<Place> },
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
    #[error("the workspace changed while engage read it, or while it waited for another build")]
    ChangedWhileRead,
    #[error("{message}")]
    Usage { message: String, hint: String },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Clause { path: PathBuf, line: u32, column: u32, message: String },
    #[error("{}:{line}: {message}", path.display())]
    Signers { path: PathBuf, line: usize, message: String },
    #[error("{message}")]
    Signing { message: String, hint: String },
    #[error("built-in {what} is broken: {message}")]
    Internal { what: String, message: String },
}

/// Where a problem that stopped a command lies, for the formats that report it as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// As this process sees it: absolute, or relative to the current folder.
    pub path: PathBuf,
    pub at: Option<Pos>,
    pub message: String,
}

impl Error {
    /// The first line of the message, for formats that hold the places apart.
    pub fn headline(&self) -> String {
        self.to_string().lines().next().unwrap_or_default().trim_end_matches(':').to_string()
    }

    /// The files (and positions) the error is about.
    pub fn places(&self) -> Vec<Place> {
        match self {
            Error::Read { path, .. } | Error::Write { path, .. } | Error::Records { path, .. } => {
                vec![Place { path: path.clone(), at: None, message: self.headline() }]
            }
            Error::Settings { path, line, column, message } | Error::Clause { path, line, column, message } => {
                vec![Place {
                    path: path.clone(),
                    at: Some(Pos { line: *line, column: *column }),
                    message: message.clone(),
                }]
            }
            Error::InvalidSettings { places, .. } => places.clone(),
            _ => Vec::new(),
        }
    }

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
            Error::ChangedWhileRead => "run the command again once the files are saved".into(),
            Error::Usage { hint, .. } | Error::Signing { hint, .. } => hint.clone(),
            Error::Clause { .. } => {
                "a clause file is clauses/ID.md: a `---` line, title: and version: (and optionally topic:), a `---` line, then the text (README: Commercial terms, clauses and signatures)".into()
            }
            Error::Signers { .. } => {
                "correct the line: OpenSSH allowed-signers format, then name=\"Full Name\" roles=\"Role,Role\" after the key (README: Signed approvals)".into()
            }
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
