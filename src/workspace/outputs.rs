//! Which outputs a build writes for each document: `outputs:` in engage.yaml, `--format` on the
//! command line (which wins), and `--no-pdf` (which takes the PDF away from either). Every output
//! is made from the same Markdown, rendered whatever is written.

use serde::Deserialize;

/// One kind of output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Md,
    Html,
    Pdf,
    Docx,
}

impl Format {
    /// Every output, the default of `outputs:`.
    pub const ALL: [Format; 4] = [Format::Md, Format::Html, Format::Pdf, Format::Docx];

    /// The file extension, also the name in `outputs:` and `--format`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

/// The outputs a build writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats([bool; 4]);

impl Formats {
    /// `--format` when given, else `outputs:`; without the PDF when `no_pdf`.
    pub fn chosen(settings: &[Format], cli: &[Format], no_pdf: bool) -> Formats {
        let list = if cli.is_empty() { settings } else { cli };
        let mut wanted = [false; 4];
        for format in list {
            wanted[*format as usize] = true;
        }
        wanted[Format::Pdf as usize] &= !no_pdf;
        Formats(wanted)
    }

    pub fn wants(self, format: Format) -> bool {
        self.0[format as usize]
    }

    /// `md,html,pdf,docx`: what the build's fingerprint and inputs record.
    pub fn names(self) -> String {
        Format::ALL.iter().filter(|f| self.wants(**f)).map(|f| f.extension()).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_wins_and_no_pdf_takes_the_pdf_away() {
        assert_eq!(Formats::chosen(&Format::ALL, &[], false).names(), "md,html,pdf,docx");
        assert_eq!(Formats::chosen(&Format::ALL, &[Format::Docx], false).names(), "docx");
        assert_eq!(Formats::chosen(&[Format::Pdf, Format::Md], &[], true).names(), "md");
    }
}
