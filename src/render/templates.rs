//! The templates: built into the binary, and overridable by name from the workspace's
//! `templates/` folder. `{% extends %}` and `{% include %}` work across both, because built-ins
//! and overrides are loaded into one set, overrides replacing built-ins of the same name.
//!
//! Markdown templates (`*.md`) escape every `{{ value }}` for Markdown; the HTML page
//! (`page.html`) escapes for HTML. Both are trusted code: they come from the workspace's owners.

use super::language::{self, Catalogues, Language};
use super::{escape, filters};
use crate::diag::display_path;
use crate::error::Error;
use crate::record::Digest;
use crate::source::{FileId, Pos, Sources};
use crate::workspace::Workspace;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use tera::{Context, Tera};

/// Every built-in template: `(name, text)`.
pub const BUILTIN: [(&str, &str); 27] = [
    ("base.md", include_str!("../../templates/base.md")),
    ("partials/control.md", include_str!("../../templates/partials/control.md")),
    ("partials/approvals.md", include_str!("../../templates/partials/approvals.md")),
    ("partials/history.md", include_str!("../../templates/partials/history.md")),
    ("partials/sow-background.md", include_str!("../../templates/partials/sow-background.md")),
    ("partials/sow-quality.md", include_str!("../../templates/partials/sow-quality.md")),
    ("partials/sow-pricing.md", include_str!("../../templates/partials/sow-pricing.md")),
    ("partials/sow-performance.md", include_str!("../../templates/partials/sow-performance.md")),
    ("partials/sow-security.md", include_str!("../../templates/partials/sow-security.md")),
    ("partials/commercial.md", include_str!("../../templates/partials/commercial.md")),
    ("partials/key-personnel.md", include_str!("../../templates/partials/key-personnel.md")),
    ("partials/terms.md", include_str!("../../templates/partials/terms.md")),
    ("partials/clauses.md", include_str!("../../templates/partials/clauses.md")),
    ("partials/signatures.md", include_str!("../../templates/partials/signatures.md")),
    ("partials/cr-pricing.md", include_str!("../../templates/partials/cr-pricing.md")),
    ("engagement.md", include_str!("../../templates/engagement.md")),
    ("proposal.md", include_str!("../../templates/proposal.md")),
    ("statement-of-work.md", include_str!("../../templates/statement-of-work.md")),
    ("change-request.md", include_str!("../../templates/change-request.md")),
    ("lessons-learned.md", include_str!("../../templates/lessons-learned.md")),
    ("escalation.md", include_str!("../../templates/escalation.md")),
    ("complaint.md", include_str!("../../templates/complaint.md")),
    ("decision-log.md", include_str!("../../templates/decision-log.md")),
    ("report.md", include_str!("../../templates/report.md")),
    ("escalation-register.md", include_str!("../../templates/escalation-register.md")),
    ("complaint-register.md", include_str!("../../templates/complaint-register.md")),
    ("page.html", include_str!("../../templates/page.html")),
];

/// Template files of the workspace, by template name (`partials/control.md`).
#[derive(Debug, Default)]
pub struct Overrides {
    files: BTreeMap<String, FileId>,
}

impl Overrides {
    /// Reads `templates/` of the workspace; the files are added to `sources` so that errors in
    /// them can be shown with a snippet.
    pub fn read(workspace: &Workspace, sources: &mut Sources) -> Result<Overrides, Error> {
        let folder = workspace.root.join("templates");
        let mut files = BTreeMap::new();
        for path in workspace_files(&folder)? {
            let name = display_path(path.strip_prefix(&folder).unwrap_or(&path));
            // The Word reference document is read by the build, not a template.
            if name == super::docx::REFERENCE {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| Error::read(&path, e))?;
            files.insert(name, sources.add(workspace.relative(&path).to_path_buf(), text));
        }
        Ok(Overrides { files })
    }

    pub fn file(&self, name: &str) -> Option<FileId> {
        self.files.get(name).copied()
    }

    pub fn names(&self) -> impl Iterator<Item = (&str, FileId)> {
        self.files.iter().map(|(n, f)| (n.as_str(), *f))
    }

    /// The digest of the templates in effect: the built-in ones, replaced or added to by these.
    /// A release records it, so that a revision says which templates made its outputs.
    pub fn digest(&self, sources: &Sources) -> Digest {
        let mut texts: BTreeMap<&str, &str> = BUILTIN.iter().map(|(n, t)| (*n, *t)).collect();
        for (name, file) in self.names() {
            texts.insert(name, &sources.get(file).text);
        }
        crate::record::named_texts(texts)
    }
}

fn is_readme(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.to_ascii_lowercase().starts_with("readme"))
}

/// The template files in a workspace's `templates/` folder, sorted. A README beside the templates
/// documents them; it is not one. Symbolic links are refused: templates are the workspace's own.
pub fn workspace_files(folder: &Path) -> Result<Vec<PathBuf>, Error> {
    if std::fs::symlink_metadata(folder).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(symbolic_link(folder));
    }
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let entry = entry.map_err(|e| Error::read(&dir, e))?;
            let kind = entry.file_type().map_err(|e| Error::read(entry.path(), e))?;
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                found.push(entry.path());
            } else if kind.is_symlink() {
                return Err(symbolic_link(&entry.path()));
            }
        }
    }
    found.retain(|p| !is_readme(p));
    found.sort();
    Ok(found)
}

/// Templates are code, so they come from the workspace itself, never through a link to elsewhere.
fn symbolic_link(path: &Path) -> Error {
    Error::Usage {
        message: format!("{} is a symbolic link", path.display()),
        hint: "engage reads templates only from the workspace: put the file or folder itself there".into(),
    }
}

/// A template that failed, located in the workspace file when it is an override.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateError {
    pub template: String,
    /// The workspace file, when the failing template is an override; `None` for a built-in.
    pub file: Option<FileId>,
    pub at: Pos,
    pub message: String,
}

/// The compiled templates: Markdown documents and the HTML page, in every language.
pub struct Templates {
    markdown: Tera,
    html: Tera,
    texts: BTreeMap<String, String>,
    overrides: BTreeMap<String, FileId>,
    catalogues: Catalogues,
    /// The templates with each language's `t()` and filters, made when a document first asks.
    languages: BTreeMap<String, OnceLock<(Tera, Tera)>>,
}

impl Templates {
    pub fn compile(overrides: &Overrides, sources: &Sources) -> Result<Templates, TemplateError> {
        let mut texts: BTreeMap<String, String> = BUILTIN.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
        let catalogues = language::BUILTIN.iter().map(|(code, t)| (format!("{}/{code}.yaml", language::FOLDER), t));
        texts.extend(catalogues.map(|(name, text)| (name, text.to_string())));
        for (name, file) in overrides.names() {
            texts.insert(name.to_string(), sources.get(file).text.clone());
        }
        let catalogues = Catalogues::load(overrides, sources)?;
        let languages = catalogues.codes().map(|code| (code.to_owned(), OnceLock::new())).collect();
        let mut templates = Templates {
            markdown: Tera::default(),
            html: Tera::default(),
            texts,
            overrides: overrides.files.clone(),
            catalogues,
            languages,
        };
        templates.markdown.autoescape_on(vec![".md"]);
        templates.markdown.set_escape_fn(escape::markdown);
        templates.html.set_escape_fn(escape::html);
        let (html, markdown): (Vec<_>, Vec<_>) = templates
            .texts
            .iter()
            .filter(|(name, _)| name.ends_with(".md") || name.ends_with(".html"))
            .map(|(n, t)| (n.clone(), t.clone()))
            .partition(|(name, _)| name.ends_with(".html"));
        templates.markdown.add_raw_templates(markdown).map_err(|e| templates.error(&e))?;
        templates.html.add_raw_templates(html).map_err(|e| templates.error(&e))?;
        Ok(templates)
    }

    /// Every template's name and text, overrides applied (what incremental builds hash).
    pub fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.texts.iter().map(|(n, t)| (n.as_str(), t.as_str()))
    }

    /// A template as messages name it: its workspace file, or the built-in one.
    pub fn shown(&self, name: &str) -> String {
        match self.overrides.contains_key(name) {
            true => format!("templates/{name}"),
            false => format!("the built-in template {name}"),
        }
    }

    /// Renders a Markdown template in a language (a code of [`Templates::language`]).
    pub fn render_markdown(&self, name: &str, context: &Context, language: &str) -> Result<String, TemplateError> {
        self.compiled(language).0.render(name, context).map_err(|e| self.error(&e))
    }

    /// Renders the HTML page in a language.
    pub fn render_html(&self, name: &str, context: &Context, language: &str) -> Result<String, TemplateError> {
        self.compiled(language).1.render(name, context).map_err(|e| self.error(&e))
    }

    /// The language of `code`, and a warning when there is no catalogue for it (English is then
    /// used).
    pub fn language(&self, code: &str) -> (Arc<Language>, Option<String>) {
        let warning = (!self.catalogues.has(code)).then(|| {
            let known: Vec<&str> = self.catalogues.codes().collect();
            format!(
                "there is no catalogue for the language `{code}`: its documents are printed in English\n  = help: use one of {}, or add templates/{}/{code}.yaml\n",
                known.join(", "),
                language::FOLDER
            )
        });
        (self.catalogues.get(code), warning)
    }

    /// Warnings about the workspace's catalogues (keys they lack), for the build to print.
    pub fn warnings(&self) -> &[String] {
        self.catalogues.warnings()
    }

    /// The Markdown and HTML templates with the `t()` function and the filters of a language.
    fn compiled(&self, code: &str) -> &(Tera, Tera) {
        let language = self.catalogues.get(code);
        let cell = &self.languages[&language.code];
        cell.get_or_init(|| {
            let (mut markdown, mut html) = (self.markdown.clone(), self.html.clone());
            filters::register(&mut markdown, &language, escape::markdown);
            filters::register(&mut html, &language, escape::html);
            (markdown, html)
        })
    }

    /// Locates a tera error: the innermost template it names, and the line and column from the
    /// parser's ` --> L:C` or, for a missing variable, where that variable is first used.
    fn error(&self, error: &tera::Error) -> TemplateError {
        let chain = error_chain(error);
        let template = quoted_names(&chain).filter(|n| self.texts.contains_key(n)).last().unwrap_or_default();
        let text = self.texts.get(&template).map(String::as_str).unwrap_or_default();
        let at = parser_position(&chain).or_else(|| variable_position(&chain, text)).unwrap_or(Pos::START);
        let message = chain.lines().map(str::trim_end).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
        TemplateError { file: self.overrides.get(&template).copied(), template, at, message }
    }
}

fn error_chain(error: &tera::Error) -> String {
    let mut chain = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        chain.push('\n');
        chain.push_str(&inner.to_string());
        source = inner.source();
    }
    chain
}

/// Names in single or double quotes, in order (`Failed to render 'proposal.md'`).
fn quoted_names(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(['\'', '"']).skip(1).step_by(2).map(str::to_owned)
}

fn parser_position(chain: &str) -> Option<Pos> {
    let rest = chain.split("--> ").nth(1)?;
    let (line, rest) = rest.split_once(':')?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(Pos { line: line.trim().parse().ok()?, column: column.parse().ok()? })
}

fn variable_position(chain: &str, text: &str) -> Option<Pos> {
    let variable = chain.split('`').nth(1)?;
    let offset = text.find(variable)?;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some(Pos { line: line as u32, column: column as u32 })
}
