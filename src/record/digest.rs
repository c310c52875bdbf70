//! SHA-256 digests: of bytes (sources, outputs, snapshots), of a document's content without its
//! approvals (what an approval is bound to), and of the templates in effect.

use serde_json::Value;
use sha2::{Digest as _, Sha256};
use std::fmt;
use std::str::FromStr;

/// A SHA-256 digest, written as 64 lower-case hexadecimal digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest([u8; 32]);

impl Digest {
    /// The digest the first entry of a register names as its predecessor.
    pub const ZERO: Digest = Digest([0; 32]);

    pub fn of(bytes: &[u8]) -> Digest {
        Digest(Sha256::digest(bytes).into())
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The prefixed form approvals carry: `sha256:…`.
    pub fn prefixed(&self) -> String {
        format!("sha256:{self}")
    }

    /// The first twelve digits, enough to tell digests apart in messages.
    pub fn short(&self) -> String {
        self.to_string()[..12].to_string()
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
    }
}

impl FromStr for Digest {
    type Err = ();

    /// 64 lower-case hexadecimal digits, optionally prefixed `sha256:`.
    fn from_str(text: &str) -> Result<Digest, ()> {
        let hex = text.strip_prefix("sha256:").unwrap_or(text);
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(());
        }
        let mut bytes = [0; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| ())?;
        }
        Ok(Digest(bytes))
    }
}

/// The digest of a document's data without its `approvals`, in a canonical form (keys sorted,
/// JSON), so that recording one approval does not change what the others approved, and layout or
/// comments do not count as content.
pub fn content(data: &Value) -> Digest {
    let mut json = Vec::with_capacity(8192);
    match data {
        Value::Object(map) => object(map.iter().filter(|(k, _)| *k != "approvals"), &mut json),
        other => canonical(other, &mut json),
    }
    Digest::of(&json)
}

/// JSON with object keys sorted at every level. Strings and numbers are written by serde_json's
/// compact writer, so the bytes (and the digests that approvals carry) stay as they were.
fn canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => object(map.iter(), out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical(item, out);
            }
            out.push(b']');
        }
        scalar => scalar_json(scalar, out),
    }
}

/// An object's entries, sorted by key, as canonical JSON.
fn object<'a>(entries: impl Iterator<Item = (&'a String, &'a Value)>, out: &mut Vec<u8>) {
    let mut entries: Vec<_> = entries.collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.push(b'{');
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        scalar_json(key.as_str(), out);
        out.push(b':');
        canonical(value, out);
    }
    out.push(b'}');
}

/// A string, number, boolean or null as compact JSON; writing to memory cannot fail.
fn scalar_json(scalar: &(impl serde::Serialize + ?Sized), out: &mut Vec<u8>) {
    let _ = serde_json::to_writer(&mut *out, scalar);
}

/// The digest of a set of named texts (the templates in effect), independent of their order:
/// each name and text is length-prefixed, so no two sets share a digest by concatenation.
pub fn named_texts<'a>(texts: impl IntoIterator<Item = (&'a str, &'a str)>) -> Digest {
    let mut sorted: Vec<_> = texts.into_iter().collect();
    sorted.sort();
    let mut hash = Framed::default();
    for (name, text) in sorted {
        hash.part(name.as_bytes());
        hash.part(text.as_bytes());
    }
    hash.finish()
}

/// A SHA-256 over a sequence of parts, each prefixed with its length, so that no two different
/// sequences share a digest by moving bytes from one part to the next.
#[derive(Default)]
pub struct Framed(Sha256);

impl Framed {
    pub fn part(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub fn finish(self) -> Digest {
        Digest(self.0.finalize().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hex_round_trips() {
        let digest = Digest::of(b"abc");
        assert_eq!(digest.to_string(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(digest.to_string().parse(), Ok(digest));
        assert_eq!(digest.prefixed().parse(), Ok(digest));
        assert_eq!("BA78".parse::<Digest>(), Err(()));
        assert_eq!(Digest::ZERO.to_string(), "0".repeat(64));
    }

    #[test]
    fn content_ignores_approvals_and_key_order() {
        let a = json!({"id": "P-1", "title": "T", "approvals": []});
        let b = json!({"title": "T", "approvals": [{"role": "Director"}], "id": "P-1"});
        assert_eq!(content(&a), content(&b));
        assert_ne!(content(&a), content(&json!({"id": "P-1", "title": "U"})));
    }

    #[test]
    fn pinned() {
        // Approvals already recorded carry this digest: its bytes must never change.
        let value = json!({
            "title": "Déjà \"vu\"\n\u{1b}\\ / 😀", "id": "SOW-7", "approvals": [{"role": "Director"}],
            "milestones": [{"payment": {"amount": 1250.5, "currency": "GBP"}, "id": "M1"}, {"count": -3, "ok": true}],
            "empty": {}, "none": null, "list": [], "big": 12345678901234567890u64, "small": 1e-7
        });
        assert_eq!(content(&value).to_string(), "f41749607d049da597ccef112d86daa0edcf61de711f0fe15c8b2e7eee02277d");
    }

    #[test]
    fn named_texts_are_unambiguous() {
        assert_ne!(named_texts([("ab", "c")]), named_texts([("a", "bc")]));
        assert_eq!(named_texts([("a", "1"), ("b", "2")]), named_texts([("b", "2"), ("a", "1")]));
    }
}
