//! Signed approvals and releases, with OpenSSH on the other side: keys made by `ssh-keygen` in
//! temporary folders, signatures checked by `ssh-keygen -Y verify` and made by `ssh-keygen -Y
//! sign`, a real `ssh-agent`, and every forgery caught with its rule at the approval.
//!
//! Outside CI these tests are skipped when OpenSSH's client tools are not installed; under
//! `CI=true` they fail (`.ci/run` installs `openssh-client`).

use crate::release::{SOW, SOW_FILE, TODAY, edit};
use crate::support::{Engage, Run};
use engage::record::Digest;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PROPOSAL: &str = "PRO-OST-2026-001";
const PROPOSAL_FILE: &str = "engagements/ostara-energie/proposal.yaml";
/// The statement of work's content, as its sample approvals are bound to it.
const SOW_CONTENT: &str = "sha256:2f6dbf4ff07d72fd5103dd822b46f1f41acaa5b78f0e101c36f0d65b94347751";
const PROPOSAL_CONTENT: &str = "sha256:5e32bf1452e710973a7fafdc976ba755a65381fa701de863926c7a70669f20f5";

/// SSH keys in a temporary folder.
struct Keys {
    dir: tempfile::TempDir,
}

impl Keys {
    /// `None` when `ssh-keygen` is not installed, outside CI only.
    fn new() -> Option<Keys> {
        let status = Command::new("ssh-keygen").arg("-?").stderr(Stdio::null()).status();
        crate::support::started(status, "ssh-keygen", "apt-get install openssh-client")?;
        Some(Keys { dir: tempfile::tempdir().unwrap() })
    }

    /// A new key pair without passphrase: `ed25519` or `rsa`.
    fn make(&self, name: &str, kind: &str) -> PathBuf {
        let path = self.path(name);
        let status = Command::new("ssh-keygen")
            .args(["-q", "-t", kind, "-N", "", "-C", name, "-f"])
            .arg(&path)
            .args(if kind == "rsa" { &["-b", "2048"][..] } else { &[] })
            .status()
            .unwrap();
        assert!(status.success(), "ssh-keygen -t {kind} failed");
        path
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `TYPE BASE64` of a key's public half.
    fn public(&self, name: &str) -> String {
        let text = std::fs::read_to_string(self.path(&format!("{name}.pub"))).unwrap();
        text.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
    }

    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    fn fingerprint(&self, name: &str) -> String {
        let output = Command::new("ssh-keygen").arg("-lf").arg(self.path(&format!("{name}.pub"))).output().unwrap();
        String::from_utf8(output.stdout).unwrap().split_whitespace().nth(1).unwrap().to_string()
    }
}

/// An allowed signer: principal, key name in [`Keys`], person, roles.
type Signer<'a> = (&'a str, &'a str, &'a str, &'a str);

fn allow(engage: &Engage, keys: &Keys, signers: &[Signer]) {
    let mut text = String::from("# who may sign\n");
    for (principal, key, name, roles) in signers {
        text.push_str(&format!(
            "{principal} namespaces=\"engage-approval,engage-release\" {} name=\"{name}\" roles=\"{roles}\"\n",
            keys.public(key)
        ));
    }
    engage.write(".engage/allowed_signers", &text);
}

fn sign(engage: &Engage, id: &str, role: &str, name: &str, key: &Path) -> Run {
    let key = key.to_str().unwrap();
    engage.run(&["approve", id, "--role", role, "--name", name, "--date", TODAY, "--sign", key])
}

/// The 1-based number of the `nth` (from 0) line of `text` that is `line`.
fn line_number(text: &str, line: &str, nth: usize) -> usize {
    text.lines().enumerate().filter(|(_, l)| *l == line).nth(nth).unwrap_or_else(|| panic!("no {line:?}")).0 + 1
}

/// The findings of `check` of one rule, as (file, line, column, message).
fn findings(engage: &Engage, rule: &str) -> Vec<(String, u64, u64, String)> {
    let run = engage.run(&["check", "--today", TODAY, "--format", "json"]);
    let json = run.json();
    let all = json["findings"].as_array().unwrap().iter();
    let text = |f: &Value, k: &str| f[k].as_str().unwrap().to_string();
    all.filter(|f| f["rule"] == rule)
        .map(|f| (text(f, "file"), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap(), text(f, "message")))
        .collect()
}

/// The approval signed last in a file: from its `- role:` line to the end of its signature.
fn signed_block(text: &str, role: &str) -> String {
    let start = text.rfind(&format!("  - role: {role}\n")).unwrap();
    let end = text[start..].find("-----END SSH SIGNATURE-----\n").unwrap() + start;
    text[start..end + "-----END SSH SIGNATURE-----\n".len()].to_string()
}

fn last_value(text: &str, key: &str) -> String {
    text.lines().rev().find_map(|l| l.trim_start().strip_prefix(key)).unwrap().to_string()
}

/// A real `ssh-agent` on a socket in a temporary folder, killed when dropped.
struct Agent {
    child: Child,
    socket: PathBuf,
}

impl Agent {
    fn start(socket: PathBuf) -> Agent {
        let child = Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ssh-agent runs (apt-get install openssh-client)");
        let agent = Agent { child, socket };
        let started = Instant::now();
        while !agent.socket.exists() {
            assert!(started.elapsed() < Duration::from_secs(10), "ssh-agent did not open its socket in 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
        agent
    }

    fn add(&self, key: &Path) {
        let status =
            Command::new("ssh-add").arg(key).env("SSH_AUTH_SOCK", &self.socket).stderr(Stdio::null()).status().unwrap();
        assert!(status.success(), "ssh-add failed");
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// A signature engage makes, with an ed25519 key and with an RSA key, is one `ssh-keygen -Y verify`
// accepts for the statement `engage approve --statement` prints; `check` accepts it, and the
// documents show who signed, as what, meaning what, when and with which key.
#[test]
fn engage_signatures_verify_with_ssh_keygen() {
    let Some(keys) = Keys::new() else { return };
    let engage = Engage::samples();
    keys.make("eleanor", "ed25519");
    keys.make("rachel", "rsa");
    allow(
        &engage,
        &keys,
        &[
            ("eleanor@harbourfinch.example", "eleanor", "Eleanor Marsh", "Director"),
            ("rachel@harbourfinch.example", "rachel", "Rachel Adeyemi", "Contracts Manager, Legal"),
        ],
    );
    // The RSA key signs through ssh-agent (its public key file names it), the ed25519 key from its file.
    let agent = Agent::start(keys.path("agent.sock"));
    agent.add(&keys.path("rachel"));
    let env = [("SSH_AUTH_SOCK", agent.socket.as_path())];
    for (role, name, key, principal, kind) in [
        ("Director", "Eleanor Marsh", "eleanor", "eleanor@harbourfinch.example", "ED25519"),
        ("Contracts Manager", "Rachel Adeyemi", "rachel.pub", "rachel@harbourfinch.example", "RSA"),
    ] {
        let fingerprint = keys.fingerprint(key.trim_end_matches(".pub"));
        let file = keys.path(key);
        let args = ["approve", SOW, "--role", role, "--name", name, "--date", TODAY, "--sign", file.to_str().unwrap()];
        let run = engage.run_with(&args, &env);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        let text = engage.read(SOW_FILE);
        let signed_at = last_value(&text, "signed_at: ");
        assert!(
            run.stdout.ends_with(&format!("  signed at {signed_at} with key {fingerprint}: approved for issue\n")),
            "{}",
            run.stdout
        );
        let statement = engage.run(&["approve", SOW, "--role", role, "--name", name, "--statement"]);
        assert_eq!(
            statement.stdout,
            format!(
                "engage approval\ndocument: {SOW}\ncontent: {SOW_CONTENT}\nrole: {role}\nname: {name}\ndecision: approved\nmeaning: approved for issue\ndate: {TODAY}\nsigned-at: {signed_at}\n"
            )
        );
        let said = ssh_keygen_verify(&engage, &keys, SOW, role, name, principal);
        assert_eq!(said, format!("Good \"engage-approval\" signature for {principal} with {kind} key {fingerprint}\n"));
    }
    drop(agent);
    // An RSA key signs from its file too, with no agent.
    let from_file = sign(&engage, PROPOSAL, "Contracts Manager", "Rachel Adeyemi", &keys.path("rachel"));
    assert_eq!(from_file.code, 0, "{}{}", from_file.stdout, from_file.stderr);
    let said = ssh_keygen_verify(
        &engage,
        &keys,
        PROPOSAL,
        "Contracts Manager",
        "Rachel Adeyemi",
        "rachel@harbourfinch.example",
    );
    assert!(
        said.starts_with("Good \"engage-approval\" signature for rachel@harbourfinch.example with RSA key"),
        "{said}"
    );
    assert!(engage.read(SOW_FILE).contains("    signature: |\n      -----BEGIN SSH SIGNATURE-----\n"));
    let check = engage.run(&["check", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stdout);

    // Issued, so that no DRAFT watermark runs through the text.
    let release = crate::release::release(&engage, SOW, "First issue");
    assert_eq!(release.code, 0, "{}{}", release.stdout, release.stderr);
    let text = engage.read(SOW_FILE);
    // Each signature's own time: the two signings may fall in different seconds.
    let times: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("signed_at: "))
        .map(|at| at.replace('T', " ").replace('Z', " UTC"))
        .collect();
    let pdf: String = crate::pdf::pdf_text_in_drawing_order(&engage.path().join(format!("out/{SOW}.pdf")))
        .split_whitespace()
        .collect();
    let signers = [("EleanorMarsh", "Director", "eleanor"), ("RachelAdeyemi", "ContractsManager", "rachel")];
    assert_eq!(times.len(), signers.len(), "{text}");
    for ((name, role, key), at) in signers.into_iter().zip(&times) {
        let shown = format!("Signedby{name}as{role},meaningapprovedforissue,at{at}withkey{}", keys.fingerprint(key));
        assert!(pdf.contains(&shown.replace(' ', "")), "{shown} in {pdf}");
    }
    assert!(pdf.contains("Notsigned"), "the unsigned sample approvals say so: {pdf}");
    assert!(pdf.contains("ssh-keygen-Yverify-f.engage/allowed_signers-IPRINCIPAL-nengage-approval"), "{pdf}");
    let markdown = engage.read(&format!("out/{SOW}.md"));
    assert!(markdown.contains("| Role | Name | Decision | Date | Comment | Signature |"), "{markdown}");
}

// A signature made with `ssh-keygen -Y sign` over the statement engage prints is accepted by
// `engage check`; the same signature under another meaning is not.
#[test]
fn a_signature_made_by_ssh_keygen_is_accepted_by_check() {
    let Some(keys) = Keys::new() else { return };
    let engage = Engage::samples();
    keys.make("james", "ed25519");
    allow(&engage, &keys, &[("james@harbourfinch.example", "james", "James Whitcombe", "Director")]);
    let (role, name) = ("Director", "James Whitcombe");
    let run =
        engage.run(&["approve", PROPOSAL, "--role", role, "--name", name, "--date", TODAY, "--meaning", "reviewed"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bound = format!("    meaning: reviewed\n    content_hash: {PROPOSAL_CONTENT}\n");
    edit(&engage, PROPOSAL_FILE, &bound, &format!("{bound}    signed_at: 2026-12-01T09:15:00Z\n"));
    let statement = engage.run(&["approve", PROPOSAL, "--role", role, "--name", name, "--statement"]);
    assert_eq!(statement.code, 0, "{}", statement.stderr);
    std::fs::write(keys.path("statement"), &statement.stdout).unwrap();
    let status = Command::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", "engage-approval", "-f"])
        .arg(keys.path("james"))
        .arg(keys.path("statement"))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "ssh-keygen -Y sign failed");
    let signature = std::fs::read_to_string(keys.path("statement.sig")).unwrap();
    let block: String = signature.lines().map(|l| format!("      {l}\n")).collect();
    let signed = "    signed_at: 2026-12-01T09:15:00Z\n";
    edit(&engage, PROPOSAL_FILE, signed, &format!("{signed}    signature: |\n{block}"));
    let check = engage.run(&["check", "--today", TODAY]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert_eq!(check.stdout.lines().last().unwrap().split(" in ").next().unwrap(), "0 errors, 0 warnings");

    edit(&engage, PROPOSAL_FILE, "    meaning: reviewed\n", "    meaning: approved for issue\n");
    let text = engage.read(PROPOSAL_FILE);
    let found = findings(&engage, "SIG-005");
    let line = line_number(&text, "    signature: |", 0) as u64;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1, found[0].2), (PROPOSAL_FILE, line, 5));
}

// With a real ssh-agent: an approval signed with the one agent key allowed for the approver, a
// release signed with the author's key (named by its public key file), `verify` checking the
// signed entry, and failing once the entry is altered, even with its hash recomputed.
#[test]
fn ssh_agent_signs_approvals_and_releases_and_verify_checks_them() {
    let Some(keys) = Keys::new() else { return };
    let engage = Engage::samples();
    let eleanor = keys.make("eleanor", "ed25519");
    let priya = keys.make("priya", "rsa");
    allow(
        &engage,
        &keys,
        &[
            ("eleanor@harbourfinch.example", "eleanor", "Eleanor Marsh", "Director"),
            ("priya@harbourfinch.example", "priya", "Priya Raman", ""),
        ],
    );
    let agent = Agent::start(keys.path("agent.sock"));
    agent.add(&eleanor);
    agent.add(&priya);
    let env = [("SSH_AUTH_SOCK", agent.socket.as_path())];
    let args = ["approve", SOW, "--role", "Director", "--name", "Eleanor Marsh", "--date", TODAY, "--sign"];
    let run = engage.run_with(&args, &env);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(&format!(" with key {}: approved for issue\n", keys.fingerprint("eleanor"))));
    assert_eq!(engage.run(&["check", "--today", TODAY]).code, 0);

    let public = keys.path("priya.pub");
    let args = ["release", SOW, "--reason", "First issue", "--author", "Priya Raman", "--date", TODAY, "--sign"];
    let run = engage.run_with(&[&args[..], &[public.to_str().unwrap()]].concat(), &env);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let fingerprint = keys.fingerprint("priya");
    assert!(run.stdout.contains(&format!("\n  signed by Priya Raman with key {fingerprint}\n")), "{}", run.stdout);
    drop(agent);
    let verify = engage.run(&["verify"]);
    assert_eq!(verify.code, 0, "{}", verify.stdout);

    // An altered entry whose hash is recomputed keeps the chain, but not the signature.
    let register = engage.read("records/register.log");
    let tampered = register.replace("reason: First issue\n", "reason: First issue, approved by the board\n");
    let start = tampered.find("entry: 1\n").unwrap();
    let hash_at = tampered.find("\nhash: ").unwrap() + 1;
    let rehashed = format!("{}hash: {}\n", &tampered[..hash_at], Digest::of(&tampered.as_bytes()[start..hash_at]));
    engage.write("records/register.log", &rehashed);
    let verify = engage.run(&["verify"]);
    assert_eq!(verify.code, 1, "{}", verify.stdout);
    let line = line_number(&rehashed, "entry: 1", 0);
    assert_eq!(
        verify.stdout.lines().next().unwrap(),
        format!(
            "error: the signature of entry 1 ({SOW} revision 1, line {line}) does not hold: the signature by key {fingerprint} does not cover what it is attached to: it was made for another document, role, decision or content, or the entry was edited after signing"
        )
    );
    assert!(!verify.stdout.contains("was edited: its content no longer matches its hash"), "{}", verify.stdout);
}

// Each forgery is caught by its own rule, at the signature of the approval it concerns.
#[test]
fn each_forgery_is_caught_with_its_rule_at_the_approval() {
    let Some(keys) = Keys::new() else { return };
    let eleanor = keys.make("eleanor", "ed25519");
    let rachel = keys.make("rachel", "ed25519");
    let mallory = keys.make("mallory", "ed25519");
    let real: [Signer; 2] = [
        ("eleanor@harbourfinch.example", "eleanor", "Eleanor Marsh", "Director"),
        ("rachel@harbourfinch.example", "rachel", "Rachel Adeyemi", "Contracts Manager"),
    ];
    let workspace = || {
        let engage = Engage::samples();
        allow(&engage, &keys, &real);
        engage
    };
    let expect = |engage: &Engage, rule: &str, file: &str, nth: usize, message: String| {
        let line = line_number(&engage.read(file), "    signature: |", nth) as u64;
        let found = findings(engage, rule);
        assert_eq!(found, vec![(file.to_string(), line, 5, message)], "{rule}");
    };
    let eleanor_fp = keys.fingerprint("eleanor");

    // engage refuses to record a signature by a key nobody is known to hold
    let engage = workspace();
    let before = engage.read(SOW_FILE);
    let run = sign(&engage, SOW, "Director", "Eleanor Marsh", &mallory);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not in .engage/allowed_signers: nobody is known to hold it; nothing was recorded"),
        "{}",
        run.stderr
    );
    assert_eq!(engage.read(SOW_FILE), before);

    // a name forged with another key (one that was briefly listed under that name)
    allow(&engage, &keys, &[real[0], real[1], ("eve@elsewhere.example", "mallory", "Eleanor Marsh", "Director")]);
    assert_eq!(sign(&engage, SOW, "Director", "Eleanor Marsh", &mallory).code, 0);
    allow(&engage, &keys, &real);
    let message = format!(
        "Eleanor Marsh (Director): the key {} is not in .engage/allowed_signers: nobody is known to hold it",
        keys.fingerprint("mallory")
    );
    expect(&engage, "SIG-003", SOW_FILE, 0, message);

    // a key in the file, but another person's
    let engage = workspace();
    allow(&engage, &keys, &[real[0], real[1], ("rachel@harbourfinch.example", "rachel", "Eleanor Marsh", "Director")]);
    assert_eq!(sign(&engage, SOW, "Director", "Eleanor Marsh", &rachel).code, 0);
    allow(&engage, &keys, &real);
    let message = format!(
        "Eleanor Marsh (Director): the key {} belongs to Rachel Adeyemi, not to Eleanor Marsh",
        keys.fingerprint("rachel")
    );
    expect(&engage, "SIG-003", SOW_FILE, 0, message);

    // the right person, in a role their key is not allowed for
    let engage = workspace();
    allow(
        &engage,
        &keys,
        &[("eleanor@harbourfinch.example", "eleanor", "Eleanor Marsh", "Director, Contracts Manager")],
    );
    assert_eq!(sign(&engage, SOW, "Contracts Manager", "Eleanor Marsh", &eleanor).code, 0);
    allow(&engage, &keys, &real);
    let message = format!(
        "Eleanor Marsh (Contracts Manager): Eleanor Marsh's key {eleanor_fp} may sign as Director, not as Contracts Manager"
    );
    expect(&engage, "SIG-003", SOW_FILE, 0, message);

    let mismatch = |role: &str| {
        format!(
            "Eleanor Marsh ({role}): the signature by key {eleanor_fp} does not cover what it is attached to: it was made for another document, role, decision or content, or the entry was edited after signing"
        )
    };
    let signed = || {
        let engage = workspace();
        assert_eq!(sign(&engage, SOW, "Director", "Eleanor Marsh", &eleanor).code, 0);
        let block = signed_block(&engage.read(SOW_FILE), "Director");
        (engage, block)
    };

    // a signature copied onto another document
    let (engage, block) = signed();
    let text = engage.read(PROPOSAL_FILE);
    let after = format!("    content_hash: {PROPOSAL_CONTENT}\n");
    let at = text.rfind(&after).unwrap() + after.len();
    engage.write(PROPOSAL_FILE, &format!("{}{block}{}", &text[..at], &text[at..]));
    expect(&engage, "SIG-005", PROPOSAL_FILE, 0, mismatch("Director"));

    // copied onto another role
    let (engage, block) = signed();
    let copy = block.replace("  - role: Director\n", "  - role: Contracts Manager\n");
    edit(&engage, SOW_FILE, &block, &format!("{block}{copy}"));
    expect(&engage, "SIG-005", SOW_FILE, 1, mismatch("Contracts Manager"));

    // the decision changed after signing
    let (engage, block) = signed();
    edit(&engage, SOW_FILE, &block, &block.replace("    decision: approved\n", "    decision: rejected\n"));
    expect(&engage, "SIG-005", SOW_FILE, 0, mismatch("Director"));

    // the content changed after signing: the approval is stale, the signature still its own
    let (engage, _) = signed();
    edit(&engage, SOW_FILE, "    due: 2026-09-25", "    due: 2026-10-30");
    let text = engage.read(SOW_FILE);
    let stale = findings(&engage, "APR-003");
    let line = line_number(&text, &format!("    content_hash: {SOW_CONTENT}"), 3) as u64;
    assert!(stale.iter().any(|(f, l, c, m)| (f.as_str(), *l, *c) == (SOW_FILE, line, 5)
        && m == "the approval by Eleanor Marsh (Director) is for other content: the document has changed since it was approved"), "{stale:?}");
    for rule in ["SIG-002", "SIG-003", "SIG-004", "SIG-005"] {
        assert_eq!(findings(&engage, rule), vec![], "{rule}");
    }

    // a revoked key
    let (engage, _) = signed();
    engage.write(".engage/revoked_keys", &format!("{}\n", keys.public("eleanor")));
    let message = format!("Eleanor Marsh (Director): the key {eleanor_fp} is revoked (in .engage/revoked_keys)");
    expect(&engage, "SIG-004", SOW_FILE, 0, message);

    // a signature that is not one
    let (engage, block) = signed();
    let body = block.lines().nth(9).unwrap().to_string();
    edit(&engage, SOW_FILE, &format!("{body}\n"), "      AAAA\n");
    let found = findings(&engage, "SIG-002");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].3.starts_with(
            "the signature of Eleanor Marsh (Director) cannot be checked: it is not a readable SSH signature"
        ),
        "{found:?}"
    );
}

// The policy requires signed approvals per kind (SIG-001 at each unsigned decision) and signed
// releases (an unsigned release is refused, the records untouched).
#[test]
fn the_policy_requires_signatures_where_it_says() {
    let engage = Engage::samples();
    engage.append("engage.yaml", "policy:\n  signatures:\n    StatementOfWork: required\n    releases: required\n");
    let text = engage.read(SOW_FILE);
    let found = findings(&engage, "SIG-001");
    let expected: Vec<_> =
        [("Contracts Manager", "Rachel Adeyemi"), ("Director", "Eleanor Marsh"), ("Client Sponsor", "Helen Ashworth")]
            .iter()
            .map(|(role, name)| {
                let line = line_number(&text, &format!("  - role: {role}"), 0) as u64;
                let message =
                    format!("the decision of {name} ({role}) is not signed, and the policy requires signed approvals");
                (SOW_FILE.to_string(), line, 5, message)
            })
            .collect();
    assert_eq!(found.len(), 6, "both statements of work: {found:?}");
    let in_sow: Vec<_> = found.into_iter().filter(|f| f.0 == SOW_FILE).collect();
    assert_eq!(in_sow, expected);

    let run = crate::release::release(&engage, SOW, "First issue");
    assert_eq!(run.code, 1);
    assert!(run.stdout.ends_with("error: the policy requires signed releases (policy signatures:)\nSOW-NWL-2026-004 was not released: release it with --sign [KEY]\n"), "{}", run.stdout);
    assert!(!engage.path().join("records").exists());

    engage.write(
        "engage.yaml",
        &engage
            .read("engage.yaml")
            .replace("signatures:\n    StatementOfWork: required\n    releases: required\n", "signatures: sometimes\n"),
    );
    let check = engage.run(&["check"]);
    assert_eq!(check.code, 2, "{}", check.stdout);
}

// The firm's signatory signs a statement of work electronically by signing its approval: the
// signature block shows it, with the key, where the client's lines are still to be signed.
#[test]
fn a_signed_approval_by_the_signatory_signs_the_signature_block() {
    let Some(keys) = Keys::new() else { return };
    let engage = Engage::samples();
    keys.make("eleanor", "ed25519");
    allow(&engage, &keys, &[("eleanor@harbourfinch.example", "eleanor", "Eleanor Marsh", "Director")]);
    let signatory = "\nsignatures:\n  provider: {name: Eleanor Marsh, title: Managing Director}\n\napprovals:\n";
    edit(&engage, SOW_FILE, "\napprovals:\n", signatory);
    let run = sign(&engage, SOW, "Director", "Eleanor Marsh", &keys.path("eleanor"));
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let build = engage.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let fingerprint = keys.fingerprint("eleanor");
    let blank = "________________________";
    let markdown = engage.read(&format!("out/{SOW}.md"));
    for row in [
        format!("| Name | {blank} | Eleanor Marsh |"),
        format!("| Signature | {blank} | Signed electronically with key {fingerprint} |"),
        format!("| Date | {blank} | 1 December 2026 |"),
    ] {
        assert!(markdown.contains(&row), "{row}\nnot in\n{markdown}");
    }
    assert!(markdown.contains("Not yet signed by both parties."));
    let html = engage.read(&format!("out/{SOW}.html"));
    assert!(html.contains(&format!("<td>Signed electronically with key {fingerprint}</td>")), "{html}");
    let pdf = crate::pdf::pdf_text(&engage.path().join(format!("out/{SOW}.pdf")));
    assert!(pdf.contains("Signed electronically with key"), "{pdf}");
}

/// What `ssh-keygen -Y verify` says of the signature of an approval, over the statement
/// `engage approve --statement` prints; it must succeed.
fn ssh_keygen_verify(engage: &Engage, keys: &Keys, id: &str, role: &str, name: &str, principal: &str) -> String {
    let statement = engage.run(&["approve", id, "--role", role, "--name", name, "--statement"]);
    let signers = engage.path().join(".engage/allowed_signers");
    let signature = engage.run(&["approve", id, "--role", role, "--name", name, "--signature"]);
    assert!(signature.stdout.starts_with("-----BEGIN SSH SIGNATURE-----\n"), "{}", signature.stdout);
    std::fs::write(keys.path("approval.sig"), &signature.stdout).unwrap();
    let mut verify = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-n", "engage-approval", "-I", principal, "-f"])
        .arg(&signers)
        .arg("-s")
        .arg(keys.path("approval.sig"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    verify.stdin.take().unwrap().write_all(statement.stdout.as_bytes()).unwrap();
    let output = verify.wait_with_output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{said}");
    said
}
