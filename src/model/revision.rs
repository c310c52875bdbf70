//! Revision labels and the workspace's scheme for them (`revisions:` in `engage.yaml`).

use serde::Deserialize;
use std::fmt;

/// How revisions are labelled: `numeric` 1, 2, 3 … (the default) or `letters` A, B, … Z, AA, AB ….
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    #[default]
    Numeric,
    Letters,
}

impl Scheme {
    pub fn first(self) -> Revision {
        Revision(self, 1)
    }

    /// Parses a label of this scheme.
    pub fn parse(self, label: &str) -> Option<Revision> {
        let number = match self {
            Scheme::Numeric if !label.starts_with('0') && label.bytes().all(|b| b.is_ascii_digit()) => {
                label.parse().ok()?
            }
            Scheme::Letters if label.bytes().all(|b| b.is_ascii_uppercase()) && label.len() <= 6 => {
                label.bytes().try_fold(0u64, |n, b| Some(n * 26 + u64::from(b - b'A' + 1)))?
            }
            _ => return None,
        };
        (number > 0).then_some(Revision(self, number))
    }

    pub fn name(self) -> &'static str {
        match self {
            Scheme::Numeric => "numeric",
            Scheme::Letters => "letters",
        }
    }
}

/// One issued revision of a document: its place in the sequence (from 1) under a scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Revision(Scheme, u64);

impl Revision {
    /// A label as the register holds it: digits are a numeric revision, capitals a lettered one.
    pub fn parse(label: &str) -> Option<Revision> {
        Scheme::Numeric.parse(label).or_else(|| Scheme::Letters.parse(label))
    }

    pub fn scheme(self) -> Scheme {
        self.0
    }

    pub fn next(self) -> Revision {
        Revision(self.0, self.1 + 1)
    }

    /// 1 for the first revision.
    pub fn ordinal(self) -> u64 {
        self.1
    }
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Scheme::Numeric => write!(f, "{}", self.1),
            Scheme::Letters => {
                let mut letters = Vec::new();
                let mut n = self.1;
                while n > 0 {
                    n -= 1;
                    letters.push(b'A' + (n % 26) as u8);
                    n /= 26;
                }
                letters.reverse();
                f.write_str(&String::from_utf8(letters).expect("ASCII letters"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric() {
        let one = Scheme::Numeric.first();
        assert_eq!(one.to_string(), "1");
        assert_eq!(one.next().next().to_string(), "3");
        assert_eq!(Scheme::Numeric.parse("12").map(|r| r.next().to_string()), Some("13".into()));
        for bad in ["0", "01", "A", "", "-1", "1.0"] {
            assert_eq!(Scheme::Numeric.parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn letters() {
        let a = Scheme::Letters.first();
        assert_eq!(a.to_string(), "A");
        let mut z = a;
        for _ in 0..25 {
            z = z.next();
        }
        assert_eq!(z.to_string(), "Z");
        assert_eq!(z.next().to_string(), "AA");
        assert_eq!(Scheme::Letters.parse("AZ").map(|r| r.next().to_string()), Some("BA".into()));
        for label in ["A", "Z", "AA", "ZZ", "ABC"] {
            assert_eq!(Scheme::Letters.parse(label).map(|r| r.to_string()), Some(label.into()));
        }
        for bad in ["a", "1", "", "A1"] {
            assert_eq!(Scheme::Letters.parse(bad), None, "{bad}");
        }
    }
}
