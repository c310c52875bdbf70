//! The key that signs: a private key file, or a key held by `ssh-agent` (reached through
//! `SSH_AUTH_SOCK`), chosen by a public key file or by the allowed signers.

use super::{Signature, Signers};
use crate::error::Error;
use ssh_agent_client_rs::{Client, Identity};
use ssh_key::private::{KeypairData, RsaKeypair};
use ssh_key::{Algorithm, HashAlg, Mpint, PrivateKey, PublicKey, SshSig};
use std::path::{Path, PathBuf};

/// `--sign` alone: the agent; `--sign KEY`: a private key file, or a public key file whose private
/// key the agent holds (as git's `user.signingKey`).
#[derive(Debug, Clone)]
pub enum KeySource {
    Agent,
    File(PathBuf),
}

impl KeySource {
    pub fn of(argument: Option<&Path>) -> KeySource {
        argument.map_or(KeySource::Agent, |p| KeySource::File(p.to_path_buf()))
    }

    /// Signs `message` in `namespace` as `name` would: with the file's key, or with the agent's
    /// key named by the public key file, else the one agent key the allowed signers give `name`.
    pub fn sign(&self, namespace: &str, message: &[u8], signers: &Signers, name: &str) -> Result<Signature, Error> {
        match self {
            KeySource::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
                if let Ok(public) = PublicKey::from_openssh(text.trim()) {
                    return agent_sign(&public, namespace, message);
                }
                let key = PrivateKey::from_openssh(text.trim()).map_err(|e| Error::Signing {
                    message: format!("{} is not an OpenSSH key ({e})", path.display()),
                    hint:
                        "give a private key file (as ssh-keygen writes it) or its `.pub` file with the key in ssh-agent"
                            .into(),
                })?;
                if key.is_encrypted() {
                    return Err(Error::Signing {
                        message: format!("{} is protected by a passphrase", path.display()),
                        hint: format!(
                            "add it to ssh-agent (`ssh-add {}`), then sign with `--sign` alone or with its `.pub` file",
                            path.display()
                        ),
                    });
                }
                let signed = match key.key_data() {
                    KeypairData::Rsa(keypair) => rsa_sign(keypair, key.public_key(), namespace, message),
                    _ => key.sign(namespace, HashAlg::Sha512, message).map_err(|e| e.to_string()),
                };
                signed.map(Signature).map_err(|e| Error::Signing {
                    message: format!("cannot sign with the {} key in {}: {e}", key.algorithm(), path.display()),
                    hint: format!(
                        "sign through ssh-agent: `ssh-add {}`, then `--sign` with its `.pub` file",
                        path.display()
                    ),
                })
            }
            KeySource::Agent => {
                let identities = connect()?.list_all_identities().map_err(agent_error)?;
                // Certificates are not signers here: the allowed signers list plain keys.
                let keys: Vec<PublicKey> = identities
                    .into_iter()
                    .filter_map(|i| match i {
                        Identity::PublicKey(key) => Some(key.into_owned()),
                        Identity::Certificate(_) => None,
                    })
                    .collect();
                let chosen = match keys.as_slice() {
                    [] => None,
                    [only] => Some(only),
                    many => {
                        let allowed = |k: &&PublicKey| signers.principal(k.key_data(), name).is_some();
                        let mine: Vec<&PublicKey> = many.iter().filter(allowed).collect();
                        if mine.len() == 1 { Some(mine[0]) } else { None }
                    }
                };
                let key = chosen.ok_or_else(|| Error::Signing {
                    message: format!(
                        "ssh-agent holds {} keys, and not exactly one of them is {name}'s in .engage/allowed_signers",
                        keys.len()
                    ),
                    hint: "name the key: `--sign ~/.ssh/id_ed25519.pub` (its private key in the agent) or a private key file".into(),
                })?;
                agent_sign(key, namespace, message)
            }
        }
    }
}

/// Signs with an RSA key file as OpenSSH does (`rsa-sha2-512`, PKCS #1 v1.5). `ssh-key` 0.6.7
/// rebuilds an RSA private key from its first prime twice, so its own signing always fails;
/// here the key is built from both primes.
fn rsa_sign(keypair: &RsaKeypair, public: &PublicKey, namespace: &str, message: &[u8]) -> Result<SshSig, String> {
    let number = |m: &Mpint| rsa::BigUint::from_bytes_be(m.as_positive_bytes().unwrap_or_default());
    let private = rsa::RsaPrivateKey::from_components(
        number(&keypair.public.n),
        number(&keypair.public.e),
        number(&keypair.private.d),
        vec![number(&keypair.private.p), number(&keypair.private.q)],
    )
    .map_err(|e| e.to_string())?;
    let data = SshSig::signed_data(namespace, HashAlg::Sha512, message).map_err(|e| e.to_string())?;
    let signer = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha512>::new(private);
    let signature = rsa::signature::Signer::try_sign(&signer, &data).map_err(|e| e.to_string())?;
    let signature = ssh_key::Signature::new(
        Algorithm::Rsa { hash: Some(HashAlg::Sha512) },
        rsa::signature::SignatureEncoding::to_vec(&signature),
    )
    .map_err(|e| e.to_string())?;
    SshSig::new(public.key_data().clone(), namespace, HashAlg::Sha512, signature).map_err(|e| e.to_string())
}

fn connect() -> Result<Client, Error> {
    let socket = std::env::var_os("SSH_AUTH_SOCK").ok_or_else(|| Error::Signing {
        message: "no ssh-agent: SSH_AUTH_SOCK is not set".into(),
        hint: "start ssh-agent and `ssh-add` your key, or give a key file: `--sign ~/.ssh/id_ed25519`".into(),
    })?;
    Client::connect(Path::new(&socket)).map_err(agent_error)
}

fn agent_sign(key: &PublicKey, namespace: &str, message: &[u8]) -> Result<Signature, Error> {
    let data = SshSig::signed_data(namespace, HashAlg::Sha512, message).map_err(|e| signing(e.to_string()))?;
    let signature = connect()?.sign(key, &data).map_err(agent_error)?;
    SshSig::new(key.key_data().clone(), namespace, HashAlg::Sha512, signature)
        .map(Signature)
        .map_err(|e| signing(e.to_string()))
}

fn signing(message: String) -> Error {
    Error::Signing { message: format!("cannot sign: {message}"), hint: "use an ed25519, ECDSA or RSA key".into() }
}

fn agent_error(error: ssh_agent_client_rs::Error) -> Error {
    Error::Signing {
        message: format!("ssh-agent did not sign: {error}"),
        hint: "check that the agent runs (`ssh-add -l` lists its keys) and holds the key".into(),
    }
}
