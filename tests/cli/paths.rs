//! Paths: nothing in the data, the settings or the templates reads or writes outside the
//! workspace and its output folder.

use crate::support::{Engage, MINIMAL_ENGAGEMENT};
use std::os::unix::fs::symlink;

const FILE: &str = "engagements/test/engagement.yaml";

/// A folder outside the workspace, and a file in it that must stay untouched.
fn outside() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "SECRET-CONTENT").unwrap();
    (dir, secret)
}

#[test]
fn document_ids_cannot_name_paths_or_reserved_devices() {
    for id in ["../../escape", "/etc/passwd", "ENG-TST/../../X", "CON", "NUL", "eng-tst-2026", "ENG-TST-2026.md"] {
        let engage = Engage::minimal();
        engage.write(FILE, &MINIMAL_ENGAGEMENT.replace("id: ENG-TST-2026", &format!("id: \"{id}\"")));
        let run = engage.run(&["validate", "--format", "json"]);
        assert_eq!(run.code, 1, "{id}: {}{}", run.stdout, run.stderr);
        let finding = &run.json()["findings"][0];
        assert_eq!((finding["field"].as_str(), finding["line"].as_u64()), (Some("id"), Some(2)), "{id}: {finding:#}");
        assert_eq!(finding["message"].as_str().unwrap(), format!("`{id}` does not have the required form"));
        let build = engage.run(&["build", "--no-pdf"]);
        assert_eq!(build.code, 1, "{id}");
        assert!(!engage.path().join("out").exists(), "{id}: nothing was written");
    }
}

#[test]
fn settings_paths_stay_inside_the_workspace() {
    let (_dir, secret) = outside();
    let cases = [
        ("output: ../published", "`output` must name a path inside the workspace: `../published` climbs out with `..`"),
        ("output: /tmp/published", "`output` must name a path inside the workspace: `/tmp/published` is absolute"),
        (
            &format!("logo: {}", secret.display()),
            &format!("`logo` must name a path inside the workspace: `{}` is absolute", secret.display()),
        ),
        (
            "logo: assets/../../secret.png",
            "`logo` must name a path inside the workspace: `assets/../../secret.png` climbs out with `..`",
        ),
    ];
    for (setting, message) in cases {
        let engage = Engage::minimal();
        engage.write("engage.yaml", &format!("organisation:\n  name: Test Consulting\n{setting}\n"));
        let run = engage.run(&["build"]);
        assert_eq!(run.code, 2, "{setting}: {}", run.stderr);
        let expected = format!(
            "error: {}:3:{}: {message}",
            engage.path().join("engage.yaml").display(),
            setting.find(' ').unwrap() + 2
        );
        assert_eq!(run.stderr.lines().next(), Some(expected.as_str()), "{setting}");
    }
}

#[test]
fn symbolic_links_pointing_out_are_not_followed() {
    let (dir, secret) = outside();
    // An output folder that is a link to elsewhere.
    let engage = Engage::minimal();
    symlink(dir.path(), engage.path().join("out")).unwrap();
    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let expected = format!(
        "error: {}:1:1: `output` must name a path inside the workspace: `out` is a symbolic link",
        engage.path().join("engage.yaml").display()
    );
    assert_eq!(run.stderr.lines().next(), Some(expected.as_str()), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "nothing was written outside");

    // A logo that is a link to a file outside.
    let engage = Engage::minimal();
    engage.append("engage.yaml", "logo: logo.png\n");
    symlink(&secret, engage.path().join("logo.png")).unwrap();
    let run = engage.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`logo` must name a path inside the workspace: `logo.png` is a symbolic link"),
        "{}",
        run.stderr
    );

    // A data file that is a link is not read; a template folder or file that is one is refused.
    let engage = Engage::minimal();
    symlink(&secret, engage.path().join("engagements/test/linked.yaml")).unwrap();
    let run = engage.run(&["validate"]);
    assert!(run.stdout.starts_with("0 errors, 0 warnings in 1 file"), "{}", run.stdout);
    symlink(dir.path(), engage.path().join("templates")).unwrap();
    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let expected = format!("error: {} is a symbolic link", engage.path().join("templates").display());
    assert_eq!(run.stderr.lines().next(), Some(expected.as_str()));
    std::fs::remove_file(engage.path().join("templates")).unwrap();
    std::fs::create_dir(engage.path().join("templates")).unwrap();
    symlink(&secret, engage.path().join("templates/engagement.md")).unwrap();
    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("templates/engagement.md is a symbolic link"), "{}", run.stderr);

    // An output replaced by a link to a file outside: the build replaces the link, not the file.
    let engage = Engage::minimal();
    std::fs::create_dir(engage.path().join("out")).unwrap();
    symlink(&secret, engage.path().join("out/ENG-TST-2026.md")).unwrap();
    assert_eq!(engage.run(&["build", "--no-pdf"]).code, 0);
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "SECRET-CONTENT");
    assert!(!engage.path().join("out/ENG-TST-2026.md").is_symlink());
    assert!(engage.read("out/ENG-TST-2026.md").starts_with("# Test engagement\n"));
}

#[test]
fn templates_and_themes_read_only_workspace_templates() {
    let (_dir, secret) = outside();
    let engage = Engage::minimal();
    let include = format!(
        "{{% extends \"base.md\" %}}{{% block body %}}{{% include \"{}\" %}}{{% endblock body %}}",
        secret.display()
    );
    engage.write("templates/engagement.md", &include);
    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("error[TPL-001]") && run.stdout.contains("templates/engagement.md"), "{}", run.stdout);
    assert!(!run.stdout.contains("SECRET-CONTENT"), "{}", run.stdout);

    for call in [
        format!("#read(\"{}\")", secret.display()),
        "#read(\"../../../../etc/hostname\")".to_string(),
        "#image(\"/etc/passwd\")".to_string(),
    ] {
        let engage = Engage::minimal();
        engage.write("templates/document.typ", &format!("#let theme(meta, body) = [{call} #body]\n"));
        let run = engage.run(&["build"]);
        assert_eq!(run.code, 1, "{call}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("templates/document.typ:1:"), "{call}: {}", run.stdout);
        assert!(!engage.path().join("out/ENG-TST-2026.pdf").exists());
    }
}

// An output replaced by a link to a file elsewhere is replaced by the output again, never
// written through, whether the file it points to holds other bytes or the very same ones.
#[test]
fn an_output_replaced_by_a_link_is_replaced_not_written_through() {
    let engage = Engage::minimal();
    assert_eq!(engage.run(&["build", "--no-pdf"]).code, 0);
    let (dir, secret) = outside();
    let markdown = engage.path().join("out/ENG-TST-2026.md");
    let html = engage.path().join("out/ENG-TST-2026.html");
    let built = (std::fs::read(&markdown).unwrap(), std::fs::read(&html).unwrap());
    let copy = dir.path().join("copy.html");
    std::fs::write(&copy, &built.1).unwrap();
    for (output, target) in [(&markdown, &secret), (&html, &copy)] {
        std::fs::remove_file(output).unwrap();
        symlink(target, output).unwrap();
    }
    let run = engage.run(&["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 created, 2 updated"), "{}", run.stdout);
    for output in [&markdown, &html] {
        assert!(!std::fs::symlink_metadata(output).unwrap().file_type().is_symlink(), "{}", output.display());
    }
    assert_eq!((std::fs::read(&markdown).unwrap(), std::fs::read(&html).unwrap()), built);
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "SECRET-CONTENT");
    assert_eq!(std::fs::read(&copy).unwrap(), built.1);
}
