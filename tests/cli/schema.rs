use crate::support::Engage;

// `engage schema KIND` prints the built-in schema, by YAML name or file stem; unknown kinds exit 2.
#[test]
fn prints_schemas() {
    let engage = Engage::empty();
    let run = engage.run(&["schema", "StatementOfWork"]);
    assert_eq!(run.code, 0);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["$id"], "https://engage.example/schemas/v1/statement-of-work.schema.json");
    assert_eq!(engage.run(&["schema", "statement-of-work"]).stdout, run.stdout);

    let list = engage.run(&["schema"]);
    assert_eq!(list.stdout.lines().count(), 8, "{}", list.stdout);

    let run = engage.run(&["schema", "Sow"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown kind `Sow`") && run.stderr.contains("StatementOfWork"), "{}", run.stderr);
}
