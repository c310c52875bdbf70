use crate::support::Engage;

// A generated workspace is valid, compliant and renders; the same seed gives the same files.
#[test]
fn generated_workspaces_are_compliant_and_deterministic() {
    let engage = Engage::empty();
    let run = engage.run(&["generate", "a", "--engagements", "12", "--seed", "7"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = engage.run(&["-C", "a", "check", "--today", "2026-11-23"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(check.stdout.starts_with("0 errors, 0 warnings in "), "{}", check.stdout);
    assert_eq!(engage.run(&["-C", "a", "build"]).code, 0);

    engage.run(&["generate", "b", "--engagements", "12", "--seed", "7"]);
    let diff = std::process::Command::new("diff")
        .args(["-r", "a/engagements", "b/engagements"])
        .current_dir(engage.path())
        .output()
        .unwrap();
    assert!(diff.status.success(), "{}", String::from_utf8_lossy(&diff.stdout));
}
