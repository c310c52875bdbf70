use crate::support::Engage;

// `engage init DIR` writes a valid workspace with schemas for editors, and refuses to overwrite one.
#[test]
fn init_writes_a_valid_workspace() {
    let engage = Engage::empty();
    let run = engage.run(&["init", "new"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let proposal = engage.read("new/engagements/ostara-energie/proposal.yaml");
    assert!(proposal.starts_with("# yaml-language-server: $schema=../../.engage/schemas/proposal.schema.json\n"));
    assert!(engage.path().join("new/.engage/schemas/common.schema.json").is_file());
    let settings = engage.read("new/engage.yaml");
    assert!(settings.starts_with("# yaml-language-server: $schema=.engage/schemas/settings.schema.json\n"));

    let run = engage.run(&["-C", "new", "validate"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let run = engage.run(&["-C", "new", "build"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(engage.path().join("new/out/PRO-OST-2026-001.html").is_file());

    let again = engage.run(&["init", "new"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already holds a workspace"), "{}", again.stderr);
}
