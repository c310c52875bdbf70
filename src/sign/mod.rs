//! Signatures that nobody can forge: approvals and register entries signed with the signer's SSH
//! key, in OpenSSH's signature format (what `ssh-keygen -Y sign` writes), and checked against the
//! workspace's allowed signers (`.engage/allowed_signers`) and revoked keys
//! (`.engage/revoked_keys`).
//!
//! An approval's signature covers its [statement](statement): the document ID, the content hash,
//! the role, name, decision, meaning, date and the time of signing, so it cannot be copied onto
//! another document, role or decision. A release's signature covers its register entry's lines up
//! to `previous:`, which hold the hashes of everything issued.

mod key;
mod signers;
mod statement;

pub use key::KeySource;
pub use signers::{REVOKED_FILE, SIGNERS_FILE, Signers};
pub use statement::{ApprovalStatement, MEANING_APPROVED, MEANING_REJECTED};

use ssh_key::{HashAlg, LineEnding, PublicKey, SshSig};

/// The namespace of approval signatures: a signature made for anything else never passes for one.
pub const APPROVAL_NAMESPACE: &str = "engage-approval";
/// The namespace of release signatures.
pub const RELEASE_NAMESPACE: &str = "engage-release";

const BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";
const END: &str = "-----END SSH SIGNATURE-----";

/// One SSH signature.
#[derive(Debug, Clone)]
pub struct Signature(SshSig);

impl Signature {
    /// Reads the armored form (`-----BEGIN SSH SIGNATURE-----` …).
    pub fn parse(armored: &str) -> Result<Signature, String> {
        SshSig::from_pem(armored.trim().as_bytes())
            .map(Signature)
            .map_err(|e| format!("it is not a readable SSH signature ({e})"))
    }

    /// Reads the one-line form of a register entry: the armored form's base64 without its frame
    /// and line breaks.
    pub fn from_line(line: &str) -> Result<Signature, String> {
        let wrapped: Vec<String> =
            line.as_bytes().chunks(70).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
        Signature::parse(&format!("{BEGIN}\n{}\n{END}\n", wrapped.join("\n")))
    }

    /// The armored form, as `ssh-keygen -Y sign` writes it.
    pub fn armored(&self) -> String {
        self.0.to_pem(LineEnding::LF).expect("a decoded signature encodes")
    }

    /// The armored form on one line.
    pub fn line(&self) -> String {
        self.armored().lines().filter(|l| !l.starts_with("-----")).collect()
    }

    /// The signing key's fingerprint, as `ssh-keygen -l` shows it (`SHA256:…`).
    pub fn fingerprint(&self) -> String {
        self.0.public_key().fingerprint(HashAlg::Sha256).to_string()
    }

    fn public_key(&self) -> PublicKey {
        PublicKey::new(self.0.public_key().clone(), "")
    }
}

/// What a signature is checked for: made in `namespace` over `message`, by a key allowed for
/// `name` (and `role`, for an approval).
pub struct Claim<'a> {
    pub namespace: &'a str,
    pub message: &'a [u8],
    pub name: &'a str,
    pub role: Option<&'a str>,
}

/// Why a signature is refused; each is a rule of its own (`SIG-002` … `SIG-005`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a signature engage can check, or made for another purpose.
    Invalid(String),
    /// The signing key is not in the allowed signers for this person, role or purpose.
    NotAllowed(String),
    /// The signing key is revoked.
    Revoked(String),
    /// The signature was made over another statement than the one it is checked against.
    Mismatch(String),
}

impl Refusal {
    pub fn message(&self) -> &str {
        match self {
            Refusal::Invalid(m) | Refusal::NotAllowed(m) | Refusal::Revoked(m) | Refusal::Mismatch(m) => m,
        }
    }
}

/// Checks a signature as `ssh-keygen -Y verify` does, and that its key is allowed for the claim's
/// person and role: the namespace, the signature over the message, the revoked keys, then the
/// allowed signers.
pub fn verify(signers: &Signers, signature: &Signature, claim: &Claim) -> Result<(), Refusal> {
    let namespace = signature.0.namespace();
    if namespace != claim.namespace {
        return Err(Refusal::Invalid(format!(
            "the signature was made for `{namespace}`, not `{}`: it is not a signature of this kind",
            claim.namespace
        )));
    }
    let fingerprint = signature.fingerprint();
    if signature.public_key().verify(namespace, claim.message, &signature.0).is_err() {
        return Err(Refusal::Mismatch(format!(
            "the signature by key {fingerprint} does not cover what it is attached to: it was made for another document, role, decision or content, or the entry was edited after signing"
        )));
    }
    if signers.is_revoked(signature.0.public_key()) {
        return Err(Refusal::Revoked(format!("the key {fingerprint} is revoked (in {REVOKED_FILE})")));
    }
    signers.allows(signature.0.public_key(), &fingerprint, claim).map_err(Refusal::NotAllowed)
}
