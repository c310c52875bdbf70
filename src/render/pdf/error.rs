//! What can go wrong while typesetting, and what to do about it.

use std::fmt::Write as _;
use std::path::PathBuf;

use typst::World;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::syntax::FileId;

use super::world::{self, EngageWorld};

/// Why a PDF could not be produced. Every variant has a [`PdfError::hint`].
#[derive(thiserror::Error, Debug)]
pub enum PdfError {
    /// The workspace theme does not compile or lay out.
    #[error("{}: {message}", location(path, *position))]
    Theme {
        path: PathBuf,
        /// 1-based line and column (in characters), when typst knows them.
        position: Option<(usize, usize)>,
        message: String,
        hints: Vec<String>,
    },
    /// The theme's accent colour is not a `#RRGGBB` (or `#RGB`) colour.
    #[error("invalid accent colour {value:?}")]
    Accent { value: String },
    /// The logo could not be decoded as an image.
    #[error("logo {name}: {message}")]
    Logo { name: String, message: String },
    /// A file of the workspace's `fonts/` folder is not a font typst can read.
    #[error("fonts/{name} is not a TrueType or OpenType font")]
    FontFile { name: String },
    /// `engage.yaml` chooses a font family that no font provides.
    #[error("engage.yaml: {setting}: no font of the family `{family}` is embedded in engage or in fonts/")]
    UnknownFamily { setting: String, family: String, available: Vec<String> },
    /// The PDF could not be written, e.g. because it would violate PDF/A.
    #[error("{document}: PDF export failed: {message}")]
    Export { document: String, message: String, hints: Vec<String> },
    /// engage generated typst code that does not compile: a bug in engage.
    #[error("{document}: internal error while typesetting: {message}")]
    Internal { document: String, message: String },
}

impl PdfError {
    /// What the user should do next, in typst's `hint:` style (without the prefix).
    pub fn hint(&self) -> String {
        match self {
            PdfError::Theme { path, hints, .. } => {
                let mut hint = String::new();
                for h in hints {
                    let _ = writeln!(hint, "{h}");
                }
                let _ = write!(
                    hint,
                    "fix {} (it must define `theme(meta, body)`), or delete it to use the built-in theme",
                    path.display()
                );
                hint
            }
            PdfError::Accent { .. } => "set the accent colour as six hexadecimal digits, e.g. \"#1F4E79\"".into(),
            PdfError::Logo { name, .. } => {
                format!("replace {name} with a PNG, JPEG, GIF, WebP or SVG file, or remove the logo")
            }
            PdfError::FontFile { name } => {
                format!("replace fonts/{name} with a .ttf, .otf, .ttc or .otc file, or move it out of fonts/")
            }
            PdfError::UnknownFamily { available, .. } => format!(
                "name a family as its font names it; engage has: {}. Put the font's file in fonts/, or remove the setting",
                available.join(", ")
            ),
            PdfError::Export { hints, .. } => {
                let mut hint = hints.join("\n");
                if !hint.is_empty() {
                    hint.push('\n');
                }
                hint.push_str("if PDF/A is on, turn it off or remove what the message names");
                hint
            }
            PdfError::Internal { .. } => "this is a bug in engage: please report it with the \
                 output of `engage build --emit typst` for this document"
                .into(),
        }
    }
}

fn location(path: &std::path::Path, position: Option<(usize, usize)>) -> String {
    match position {
        Some((line, column)) => format!("{}:{line}:{column}", path.display()),
        None => path.display().to_string(),
    }
}

/// Where the theme being compiled came from, for error messages.
pub(crate) enum ThemeOrigin<'a> {
    BuiltIn,
    Workspace(&'a std::path::Path),
}

/// Turns typst's diagnostics into one `PdfError`: the first error, placed in the
/// workspace theme if it (or its trace) points there, else an internal error.
pub(crate) fn from_diagnostics(
    diags: &[SourceDiagnostic],
    world: &EngageWorld,
    origin: &ThemeOrigin,
    document: &str,
) -> PdfError {
    let Some(diag) = diags.iter().find(|d| d.severity == Severity::Error).or(diags.first()) else {
        return PdfError::Internal { document: document.into(), message: "unknown error".into() };
    };
    let mut message = diag.message.to_string();
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    if errors > 1 {
        let _ = write!(message, " (and {} more errors)", errors - 1);
    }
    let hints: Vec<String> = diag.hints.iter().map(|h| h.v.to_string()).collect();

    let ThemeOrigin::Workspace(path) = origin else {
        return internal(world, diag, document, message, &hints);
    };
    let spans = std::iter::once(diag.span).chain(diag.trace.iter().map(|t| t.span.into()));
    let in_theme = spans.filter(|span| span.id() == Some(world::theme_id())).find_map(|span| position(world, span));
    match in_theme {
        Some(position) => PdfError::Theme { path: path.to_path_buf(), position: Some(position), message, hints },
        // An error in the generated entry point means the theme lacks what it must export.
        None if diag.span.id() == Some(world::main_id()) || diag.span.is_detached() => {
            PdfError::Theme { path: path.to_path_buf(), position: None, message, hints }
        }
        None => internal(world, diag, document, message, &hints),
    }
}

/// An error in what engage generated (or in its built-in theme), located for the bug report.
fn internal(
    world: &EngageWorld,
    diag: &SourceDiagnostic,
    document: &str,
    message: String,
    hints: &[String],
) -> PdfError {
    let file = diag.span.id().map(|id| id.vpath().get_without_slash().to_owned());
    let message = match (file, position(world, diag.span)) {
        (Some(file), Some((line, column))) => format!("{file}:{line}:{column}: {message}"),
        _ => message,
    };
    PdfError::Internal { document: document.into(), message: with_hints(message, hints) }
}

fn with_hints(mut message: String, hints: &[String]) -> String {
    for hint in hints {
        let _ = write!(message, "; hint: {hint}");
    }
    message
}

/// 1-based line and column of a span, counted in characters as typst's CLI does.
fn position(world: &EngageWorld, span: typst::syntax::DiagSpan) -> Option<(usize, usize)> {
    let id: FileId = span.id()?;
    let range = world.range(span)?;
    let source = world.source(id).ok()?;
    let (line, column) = source.lines().byte_to_line_column(range.start)?;
    Some((line + 1, column + 1))
}
