//! Writing to standard output: text lines, JSON, and tables that line up with Chinese text.
//! A closed pipe (`pizhu cat 1 | head`) ends the output quietly instead of panicking.

use crate::text::sanitize::sanitize_line;
use serde::Serialize;
use std::io::{self, IsTerminal, Write};
use unicode_width::UnicodeWidthStr;

/// Standard output, or a buffer in tests.
pub struct Output {
    sink: Box<dyn Write>,
    terminal: bool,
}

impl Output {
    pub fn stdout() -> Output {
        Output {
            terminal: io::stdout().is_terminal(),
            sink: Box::new(io::BufWriter::new(io::stdout())),
        }
    }

    /// Whether the output goes to a terminal (people) rather than a pipe or file.
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    pub fn line(&mut self, text: &str) -> io::Result<()> {
        self.write(text.as_bytes())?;
        self.write(b"\n")
    }

    /// Writes text as it is, without a newline of its own.
    pub fn text(&mut self, text: &str) -> io::Result<()> {
        self.write(text.as_bytes())
    }

    pub fn json<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        self.line(&text)
    }

    /// Writes element `index` of a JSON array as [`Output::json`] would print it within the
    /// whole array, so a long array is printed as it is made; element 0 opens the array and
    /// [`Output::json_array_end`] closes it.
    pub fn json_array_item<T: Serialize>(&mut self, index: usize, value: &T) -> io::Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        self.write(if index == 0 { b"[\n" } else { b",\n" })?;
        for (i, line) in text.lines().enumerate() {
            self.write(if i == 0 { b"  " } else { b"\n  " })?;
            self.write(line.as_bytes())?;
        }
        Ok(())
    }

    /// Closes a JSON array of `items` elements written by [`Output::json_array_item`].
    pub fn json_array_end(&mut self, items: usize) -> io::Result<()> {
        self.line(if items == 0 { "[]" } else { "\n]" })
    }

    /// Writes bytes as they are (an export: CSV, a zip).
    pub fn bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write(bytes)
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self.sink.write_all(bytes) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
            other => other,
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // A closed pipe at the end is not an error worth reporting.
        let _ = self.sink.flush();
    }
}

/// Pads `text` with spaces to `width` terminal columns, cutting it (with `…`) when longer;
/// control characters in it are shown as symbols.
pub fn fit(text: &str, width: usize) -> String {
    let text = sanitize_line(text);
    let text = text.as_str();
    let mut out = String::new();
    let mut used = 0;
    let total = text.width();
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if total > width && used + w + 1 > width {
            out.push('…');
            used += 1;
            break;
        }
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// Formats a count with thousands separators: `12,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output that writes into a shared buffer.
    fn buffer() -> (Output, std::rc::Rc<std::cell::RefCell<Vec<u8>>>) {
        struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
                self.0.borrow_mut().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let buf = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let out = Output {
            sink: Box::new(Shared(buf.clone())),
            terminal: false,
        };
        (out, buf)
    }

    #[test]
    fn a_json_array_written_by_items_is_printed_as_a_whole() {
        #[derive(Serialize)]
        struct Item {
            n: usize,
            text: &'static str,
            list: Vec<u8>,
        }
        for count in 0..3 {
            let items: Vec<Item> = (0..count)
                .map(|n| Item {
                    n,
                    text: "一\n二",
                    list: vec![1, 2],
                })
                .collect();
            let (mut whole, whole_buf) = buffer();
            whole.json(&items).unwrap();
            let (mut parts, parts_buf) = buffer();
            for (i, item) in items.iter().enumerate() {
                parts.json_array_item(i, item).unwrap();
            }
            parts.json_array_end(items.len()).unwrap();
            drop((whole, parts));
            assert_eq!(*parts_buf.borrow(), *whole_buf.borrow(), "{count} items");
        }
    }

    #[test]
    fn fit_pads_and_cuts_by_columns() {
        assert_eq!(fit("科技", 6), "科技  ");
        assert_eq!(fit("科技创新政策", 7), "科技创…");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("科技创新", 5).width(), 5);
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
