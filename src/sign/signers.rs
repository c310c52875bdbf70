//! Who may sign: `.engage/allowed_signers`, in OpenSSH's allowed-signers format (see
//! ssh-keygen(1), "ALLOWED SIGNERS"), so that `ssh-keygen -Y verify -f` reads the same file, and
//! `.engage/revoked_keys`, one public key a line (what `ssh-keygen -Y verify -r` accepts).
//!
//! What OpenSSH does not know, engage reads from the text after the key, which OpenSSH ignores:
//! the person's name as approvals write it, and the roles the key may approve for (`*`: any):
//!
//! ```text
//! eleanor@northwind.example namespaces="engage-approval,engage-release" ssh-ed25519 AAAAC3… name="Eleanor Marsh" roles="Director,Account Manager"
//! ```
//!
//! `namespaces=` limits a key to approvals (`engage-approval`) or releases (`engage-release`);
//! without it a key may sign both. `cert-authority`, `valid-after` and `valid-before` are refused
//! rather than ignored, since engage does not check certificates or validity periods.

use super::{APPROVAL_NAMESPACE, Claim};
use crate::error::Error;
use ssh_key::PublicKey;
use ssh_key::public::KeyData;
use std::path::Path;

pub const SIGNERS_FILE: &str = ".engage/allowed_signers";
pub const REVOKED_FILE: &str = ".engage/revoked_keys";

/// One line of the allowed signers.
#[derive(Debug, Clone)]
struct Allowed {
    principals: String,
    namespaces: Option<Vec<String>>,
    key: KeyData,
    name: String,
    /// `*` allows any role.
    roles: Vec<String>,
}

/// The allowed signers and revoked keys of a workspace (empty when the files do not exist).
#[derive(Debug, Clone, Default)]
pub struct Signers {
    allowed: Vec<Allowed>,
    revoked: Vec<KeyData>,
}

impl Signers {
    pub fn read(root: &Path) -> Result<Signers, Error> {
        let allowed = lines(root, SIGNERS_FILE)?.into_iter().map(|(n, l)| parse_allowed(l).map_err(|m| (n, m)));
        let allowed =
            allowed.collect::<Result<_, _>>().map_err(|(line, message)| bad(root, SIGNERS_FILE, line, message))?;
        let revoked = lines(root, REVOKED_FILE)?.into_iter().map(|(n, l)| {
            let key = parse_key(&tokens(l)).map(|(key, _)| key);
            key.map_err(|m| (n, m))
        });
        let revoked =
            revoked.collect::<Result<_, _>>().map_err(|(line, message)| bad(root, REVOKED_FILE, line, message))?;
        Ok(Signers { allowed, revoked })
    }

    pub fn is_revoked(&self, key: &KeyData) -> bool {
        self.revoked.contains(key)
    }

    /// The principal OpenSSH knows the key by for this claim (for `ssh-keygen -Y verify -I`).
    pub fn principal(&self, key: &KeyData, name: &str) -> Option<&str> {
        self.allowed.iter().find(|a| &a.key == key && same(&a.name, name)).map(|a| a.principals.as_str())
    }

    /// Whether the key may sign the claim; `Err` says why not.
    pub fn allows(&self, key: &KeyData, fingerprint: &str, claim: &Claim) -> Result<(), String> {
        let lines: Vec<&Allowed> = self.allowed.iter().filter(|a| &a.key == key).collect();
        if lines.is_empty() {
            return Err(format!("the key {fingerprint} is not in {SIGNERS_FILE}: nobody is known to hold it"));
        }
        let purpose = if claim.namespace == APPROVAL_NAMESPACE { "approvals" } else { "releases" };
        let lines: Vec<&Allowed> = lines.into_iter().filter(|a| a.allows_namespace(claim.namespace)).collect();
        if lines.is_empty() {
            return Err(format!("the key {fingerprint} may not sign {purpose} (`namespaces=` in {SIGNERS_FILE})"));
        }
        let Some(theirs) = lines.iter().find(|a| same(&a.name, claim.name)) else {
            let holders: Vec<&str> = lines.iter().map(|a| a.name.as_str()).collect();
            return Err(format!("the key {fingerprint} belongs to {}, not to {}", holders.join(" and "), claim.name));
        };
        match claim.role {
            Some(role) if !lines.iter().any(|a| same(&a.name, claim.name) && a.allows_role(role)) => Err(format!(
                "{}'s key {fingerprint} may sign as {}, not as {role}",
                theirs.name,
                if theirs.roles.is_empty() { "no role".to_string() } else { theirs.roles.join(", ") }
            )),
            _ => Ok(()),
        }
    }
}

impl Allowed {
    fn allows_namespace(&self, namespace: &str) -> bool {
        self.namespaces.as_ref().is_none_or(|list| list.iter().any(|n| n == namespace))
    }

    fn allows_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == "*" || same(r, role))
    }
}

/// Names and roles compare as approvals compare them: without regard to case.
fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn bad(root: &Path, file: &str, line: usize, message: String) -> Error {
    Error::Signers { path: root.join(file), line, message }
}

/// The lines of a file that are neither blank nor comments, with their numbers; none when the
/// file does not exist.
fn lines(root: &Path, file: &str) -> Result<Vec<(usize, String)>, Error> {
    let path = root.join(file);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::read(path, e)),
    };
    let numbered = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim().to_string()));
    Ok(numbered.filter(|(_, l)| !l.is_empty() && !l.starts_with('#')).collect())
}

/// Splits at white space outside double quotes.
fn tokens(line: String) -> Vec<String> {
    let (mut out, mut current, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn is_key_type(token: &str) -> bool {
    token.parse::<ssh_key::Algorithm>().is_ok()
}

/// A public key from `TYPE BASE64 …` at the start of `tokens`, and the tokens after it.
fn parse_key(tokens: &[String]) -> Result<(KeyData, &[String]), String> {
    let [kind, base64, rest @ ..] = tokens else { return Err("expected a public key: TYPE BASE64".into()) };
    let key = PublicKey::from_openssh(&format!("{kind} {base64}"))
        .map_err(|e| format!("`{kind} {}…` is not a public key ({e})", base64.chars().take(12).collect::<String>()))?;
    Ok((key.key_data().clone(), rest))
}

fn parse_allowed(line: String) -> Result<Allowed, String> {
    let tokens = tokens(line);
    let Some(principals) = tokens.first() else { return Err("the line is empty".into()) };
    let mut at = 1;
    let mut namespaces = None;
    if tokens.get(at).is_some_and(|t| !is_key_type(t)) {
        namespaces = options(&tokens[at])?;
        at += 1;
    }
    let (key, rest) = parse_key(&tokens[at..])?;
    let comment = rest.join(" ");
    let name = attribute(&comment, "name").filter(|n| !n.trim().is_empty()).ok_or_else(|| {
        "after the key, give the person's name as approvals write it: name=\"Full Name\" roles=\"Role,Role\""
            .to_string()
    })?;
    let roles = attribute(&comment, "roles")
        .map_or_else(Vec::new, |r| r.split(',').map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned).collect());
    Ok(Allowed { principals: principals.trim_matches('"').to_string(), namespaces, key, name, roles })
}

/// The `namespaces=` of an options field; other options are refused.
fn options(field: &str) -> Result<Option<Vec<String>>, String> {
    let mut namespaces = None;
    let mut rest = field;
    while !rest.is_empty() {
        let (option, after) = split_option(rest);
        match option.split_once('=') {
            Some(("namespaces", value)) => {
                let list = value.trim_matches('"').split(',').map(|n| n.trim().to_string()).collect();
                namespaces = Some(list);
            }
            _ => {
                return Err(format!(
                    "the option `{option}` is not supported: engage reads only `namespaces=` (no certificates or validity periods)"
                ));
            }
        }
        rest = after;
    }
    Ok(namespaces)
}

/// The first comma-separated option (commas inside quotes belong to it) and what follows it.
fn split_option(text: &str) -> (&str, &str) {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => return (&text[..i], &text[i + 1..]),
            _ => {}
        }
    }
    (text, "")
}

/// The value of `key="value"` in the text after the key.
fn attribute(comment: &str, key: &str) -> Option<String> {
    let start = comment
        .match_indices(&format!("{key}=\""))
        .find(|(i, _)| *i == 0 || comment[..*i].ends_with(char::is_whitespace))?;
    let value = &comment[start.0 + key.len() + 2..];
    Some(value[..value.find('"')?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMc2IYJUNauNkfAQfS/OHqh9T8kPiJ7/PdlCKkxmfn87";

    #[test]
    fn reads_principals_namespaces_name_and_roles() {
        let line = format!(
            "eleanor@example.com namespaces=\"engage-approval,engage-release\" {KEY} name=\"Eleanor Marsh\" roles=\"Director, Account Manager\""
        );
        let allowed = parse_allowed(line).unwrap();
        assert_eq!(allowed.principals, "eleanor@example.com");
        assert_eq!(allowed.namespaces.unwrap(), ["engage-approval", "engage-release"]);
        assert_eq!(allowed.name, "Eleanor Marsh");
        assert_eq!(allowed.roles, ["Director", "Account Manager"]);
        let plain = parse_allowed(format!("p@example.com {KEY} name=\"Priya Raman\"")).unwrap();
        assert_eq!(plain.namespaces, None);
        assert!(plain.roles.is_empty());
    }

    #[test]
    fn refuses_what_it_cannot_honour() {
        let no_name = parse_allowed(format!("p@example.com {KEY}")).unwrap_err();
        assert!(no_name.contains("name=\"Full Name\""), "{no_name}");
        let validity = parse_allowed(format!("p@example.com valid-after=\"20260101\" {KEY} name=\"P\"")).unwrap_err();
        assert!(validity.contains("`valid-after=\"20260101\"` is not supported"), "{validity}");
        let broken = parse_allowed("p@example.com ssh-ed25519 AAAAnope name=\"P\"".into()).unwrap_err();
        assert!(broken.starts_with("`ssh-ed25519 AAAAnope…` is not a public key"), "{broken}");
    }
}
