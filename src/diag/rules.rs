//! Every rule a finding can come from, with a stable ID. `engage explain` and the machine-readable
//! formats read this table; adding a rule is one entry here.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    YamlSyntax,
    UnreadableFile,
    UnknownKind,
    MissingField,
    UnknownField,
    WrongType,
    ValueNotAllowed,
    ConstraintViolated,
    DuplicateId,
    UnknownEngagement,
    BrokenTemplate,
}

/// What a rule is for: shown by `engage explain` and carried in SARIF rule metadata.
pub struct RuleInfo {
    pub code: &'static str,
    pub title: &'static str,
    pub rationale: &'static str,
}

impl RuleId {
    pub const ALL: [RuleId; 11] = [
        RuleId::YamlSyntax,
        RuleId::UnreadableFile,
        RuleId::UnknownKind,
        RuleId::MissingField,
        RuleId::UnknownField,
        RuleId::WrongType,
        RuleId::ValueNotAllowed,
        RuleId::ConstraintViolated,
        RuleId::DuplicateId,
        RuleId::UnknownEngagement,
        RuleId::BrokenTemplate,
    ];

    pub fn info(self) -> RuleInfo {
        let (code, title, rationale) = match self {
            RuleId::YamlSyntax => ("YAML-001", "Malformed YAML", "Data that cannot be read cannot be controlled."),
            RuleId::UnreadableFile => {
                ("YAML-002", "Unreadable file", "Every data file must be UTF-8 text within the size limit.")
            }
            RuleId::UnknownKind => (
                "KIND-001",
                "Missing or unknown kind",
                "The `kind:` field selects the schema and the document a file becomes.",
            ),
            RuleId::MissingField => (
                "SCHEMA-001",
                "Required field missing",
                "A controlled document must hold what its kind requires at every stage.",
            ),
            RuleId::UnknownField => {
                ("SCHEMA-002", "Unknown field", "A misspelt field would otherwise be silently ignored.")
            }
            RuleId::WrongType => ("SCHEMA-003", "Wrong type of value", "Values must have the type the schema defines."),
            RuleId::ValueNotAllowed => {
                ("SCHEMA-004", "Value not allowed", "Codes, dates and identifiers must follow the agreed formats.")
            }
            RuleId::ConstraintViolated => {
                ("SCHEMA-005", "Schema constraint violated", "Values must meet the limits the schema sets.")
            }
            RuleId::DuplicateId => {
                ("ID-001", "Duplicate document ID", "Each controlled document is identified uniquely in the workspace.")
            }
            RuleId::UnknownEngagement => (
                "REF-001",
                "Document belongs to no engagement",
                "Every document belongs to one engagement, whose client and classification it carries.",
            ),
            RuleId::BrokenTemplate => {
                ("TPL-001", "Broken template", "A workspace template must render every document it is used for.")
            }
        };
        RuleInfo { code, title, rationale }
    }

    pub fn code(self) -> &'static str {
        self.info().code
    }

    pub fn from_code(code: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.code().eq_ignore_ascii_case(code))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut codes: Vec<_> = RuleId::ALL.iter().map(|r| r.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RuleId::ALL.len());
        for rule in RuleId::ALL {
            assert_eq!(RuleId::from_code(&rule.code().to_lowercase()), Some(rule));
        }
    }
}
