//! The settings file through the real binary: `config path` and `config show`, unknown keys
//! warned about with their line, a broken file refused with a way out (`--default-config`).

mod common;

use common::*;

#[test]
fn config_path_show_warnings_and_the_way_out_of_a_broken_file() {
    let lib = Lib::new();
    let file = lib.path("config.toml");
    let out = lib
        .cmd(&["config", "path"])
        .env("PIZHU_CONFIG", &file)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        file.display().to_string()
    );

    std::fs::write(&file, "mouse = true\nmosue = 1\n\n[reading]\ncolour = 2\n").unwrap();
    let out = lib
        .cmd(&["config", "show"])
        .env("PIZHU_CONFIG", &file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("mouse = true") && shown.contains("ambiguous_width = \"narrow\""),
        "{shown}"
    );
    let warned = String::from_utf8_lossy(&out.stderr);
    assert!(
        warned.contains("config.toml:2: unknown setting \"mosue\""),
        "{warned}"
    );
    assert!(
        warned.contains("config.toml:5: unknown setting \"reading.colour\""),
        "{warned}"
    );

    std::fs::write(&file, "[reading\n").unwrap();
    let out = lib
        .cmd(&["--demo", "cat", "1"])
        .env("PIZHU_CONFIG", &file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("config.toml:1:") && error.contains("--default-config"),
        "{error}"
    );
    let out = lib
        .cmd(&["--demo", "--default-config", "cat", "1"])
        .env("PIZHU_CONFIG", &file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!out.stdout.is_empty());
}
