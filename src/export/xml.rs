//! Escaping for the XML exports: element text and attribute values, with the characters XML
//! 1.0 cannot hold (most C0 controls, lone surrogates cannot occur in Rust strings) written
//! as U+FFFD.

/// Characters XML 1.0 allows.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `s` as element text.
pub fn push_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

/// Appends `s` as an attribute value (to go between double quotes); line breaks and tabs
/// are written as references so they survive attribute normalisation.
pub fn push_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if allowed(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

/// Appends ` name="value"`.
pub fn push_attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_attr(out, value);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut out = String::new();
        push_text(&mut out, "a<b>&c\u{1}\r\n“引”");
        assert_eq!(out, "a&lt;b&gt;&amp;c\u{FFFD}&#13;\n“引”");
        let mut out = String::new();
        push_attribute(&mut out, "name", "\"x\"\n\ty");
        assert_eq!(out, " name=\"&quot;x&quot;&#10;&#9;y\"");
    }
}
