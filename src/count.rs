//! Counts in messages: `1 document`, `2 documents` (every noun pizhu counts takes an `-s`).

/// `n` with `noun`, plural unless `n` is 1: `count(1, "document")` is `1 document`,
/// `count(0, "document")` is `0 documents`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_the_rest_plural() {
        assert_eq!(count(1, "annotation"), "1 annotation");
        assert_eq!(count(0, "annotation"), "0 annotations");
        assert_eq!(count(12, "passage"), "12 passages");
    }
}
