//! The README's screenshots stay drawable: `examples/screenshots.rs` (what
//! `scripts/screenshots.sh` runs) writes its three pictures into a temporary folder, and each
//! is an SVG document showing what it should.

#[path = "../examples/screenshots.rs"]
mod screenshots;

#[test]
fn the_three_screenshots_are_drawn() {
    let dir = tempfile::tempdir().expect("temp dir");
    let written = screenshots::shoot(dir.path()).expect("the screenshots");
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["reader.svg", "matrix.svg", "compare.svg"]);
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect(name);
    // A blank cell ends a `<text>`, so each word is looked for alone.
    for (name, shows) in [
        // Both titles in the title bar, suggested themes' chips in the gutter, the note's mark.
        (
            "reader.svg",
            &[
                "以新质生产力引领产业升级的几点思考",
                "粵港澳大灣區如何成為區域創新高地",
                "○",
                "✎",
            ][..],
        ),
        (
            "matrix.svg",
            &["Matrix:", "documents", "themes", "人才"][..],
        ),
        ("compare.svg", &["Compare:", "人才", "(Talent)"][..]),
    ] {
        let svg = read(name);
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{name}"
        );
        assert!(svg.trim_end().ends_with("</svg>"), "{name}");
        for text in shows {
            assert!(svg.contains(text), "{name} does not show {text:?}");
        }
    }
    // Well-formed XML, where xmllint is installed (.ci/run installs it).
    if let Ok(out) = std::process::Command::new("xmllint")
        .arg("--noout")
        .args(&written)
        .output()
    {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
