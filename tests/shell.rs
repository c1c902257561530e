//! Shell completions and man pages through the real binary: generated from the command line's
//! definitions, so every subcommand is in them.

mod common;

use common::*;

/// Subcommands a user types often, and one with a dash.
const SUBCOMMANDS: [&str; 5] = ["import", "notes", "export", "import-notes", "completions"];

#[test]
fn completion_scripts_name_every_subcommand_and_bash_accepts_its_script() {
    let lib = Lib::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = lib.ok(&["completions", shell]);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completions lack {sub}");
        }
    }
    let path = lib.path("pizhu.bash");
    std::fs::write(&path, lib.ok(&["completions", "bash"])).unwrap();
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash runs");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let out = lib.cmd(&["completions", "tcsh"]).output().unwrap();
    assert!(!out.status.success(), "an unknown shell is refused");
}

#[test]
fn the_man_page_prints_and_every_subcommand_gets_a_page_of_its_own() {
    let lib = Lib::new();
    let page = lib.ok(&["man"]);
    assert!(
        page.contains(".TH pizhu 1"),
        "{}",
        &page[..page.len().min(300)]
    );
    for sub in SUBCOMMANDS {
        // Roff escapes dashes: pizhu\-import\-notes(1).
        let reference = format!("pizhu-{sub}(1)").replace('-', "\\-");
        assert!(page.contains(&reference), "the main page lists {reference}");
    }
    let dir = lib.path("man");
    let listed = lib.ok(&["man", "--dir", dir.to_str().unwrap()]);
    for name in [
        "pizhu",
        "pizhu-import",
        "pizhu-import-notes",
        "pizhu-annotate",
    ] {
        let file = dir.join(format!("{name}.1"));
        assert!(listed.contains(&file.display().to_string()), "{listed}");
        let roff = std::fs::read_to_string(&file).unwrap();
        assert!(
            roff.contains(".SH NAME") && roff.contains(name),
            "{name}: {roff}"
        );
    }
    let annotate = std::fs::read_to_string(dir.join("pizhu-annotate.1")).unwrap();
    assert!(
        annotate.contains("pizhu annotate"),
        "the synopsis names the command"
    );
}
