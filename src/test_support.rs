//! Helpers shared by the unit tests.

/// Cases for a property test: `default` in the regular run, `PROPTEST_CASES` for a long one
/// (`PROPTEST_CASES=20000 cargo test --release --lib`; docs/reliability.md).
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
