//! Picks a document's title: its first meaningful line, shortened when it is a whole
//! paragraph, else the file name.

/// Titles longer than this many characters are shortened.
const MAX_TITLE_CHARS: usize = 60;
/// Where no sentence or clause end helps, cut here and add an ellipsis.
const CUT_AT: usize = 40;

/// The title for a text whose candidate lines are `lines` (in order), or `fallback`.
pub fn pick<'a>(lines: impl IntoIterator<Item = &'a str>, fallback: &str) -> String {
    lines
        .into_iter()
        .map(strip_css_prefix)
        .map(str::trim)
        .find(|line| is_meaningful(line))
        .map(shorten)
        .unwrap_or_else(|| fallback.to_string())
}

/// A leftover HTML attribute glued to the first sentence (`…font-size: 16pt;"> 新質…`) is cut
/// off; a line that is nothing but such a fragment becomes empty.
fn strip_css_prefix(line: &str) -> &str {
    match line.find("\">") {
        Some(at) if looks_like_css(&line[..at]) => &line[at + 2..],
        _ if looks_like_css(line) && !has_han(line) => "",
        _ => line,
    }
}

fn looks_like_css(fragment: &str) -> bool {
    fragment.contains(':') && fragment.contains(';') || fragment.contains("style=")
}

/// Not empty, some letters, and not a spam line: a long run of short comma- or bar-separated
/// items with no sentence in it.
fn is_meaningful(line: &str) -> bool {
    if !line.chars().any(char::is_alphanumeric) {
        return false;
    }
    let items: Vec<&str> = line
        .split([',', '，', '|', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let is_list = items.len() >= 6
        && items.iter().all(|item| item.chars().count() <= 16)
        && !line.contains('。');
    !is_list
}

fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// Shortens a paragraph-long line: to its first sentence if that is short enough, else to
/// [`CUT_AT`] characters and an ellipsis.
fn shorten(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_TITLE_CHARS {
        return line.to_string();
    }
    if let Some(end) = chars[..MAX_TITLE_CHARS]
        .iter()
        .position(|c| matches!(c, '。' | '！' | '？'))
    {
        return chars[..end].iter().collect();
    }
    let mut cut: String = chars[..CUT_AT].iter().collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_non_empty_line() {
        assert_eq!(
            pick(["", "  ", "推动全球科技创新协作", "正文"], "f"),
            "推动全球科技创新协作"
        );
    }

    #[test]
    fn fallback_when_nothing_is_meaningful() {
        assert_eq!(pick(["", "---", "  "], "notes"), "notes");
    }

    #[test]
    fn spam_keyword_line_is_skipped() {
        let spam = "999精品在线视频,手机成人午夜在线视频,久久不卡国产精品无码,中日无码在线观看,成人av手机在线观看,日韩精品亚洲一区中文字幕,亚洲av无码人妻,四虎国产在线观看 ?";
        assert_eq!(
            pick(
                [spam, "", "上海科創中心建設應堅定不移“拉長板”“補短板”"],
                "f"
            ),
            "上海科創中心建設應堅定不移“拉長板”“補短板”"
        );
    }

    #[test]
    fn css_prefix_is_cut_and_a_long_line_shortened() {
        let line = "-top: 0px; margin-bottom: 0px; text-align: justify; line-height: 2; font-family: 微軟雅黑; font-size: 16pt;\"> 新質生產力是創新起主導作用,擺脫傳統經濟增長方式、生產力發展路徑,具有高科技、高效能、高質量特征,符合新發展理念的先進生產力質態。習近平";
        let title = pick([line], "f");
        assert!(title.starts_with("新質生產力是創新起主導作用"), "{title}");
        assert!(title.chars().count() <= CUT_AT + 1, "{title}");
        assert!(title.ends_with('…'));
    }

    #[test]
    fn a_short_first_sentence_is_the_title() {
        let line = format!("科技创新是核心。{}", "后文".repeat(40));
        assert_eq!(pick([line.as_str()], "f"), "科技创新是核心");
    }

    #[test]
    fn a_pure_css_line_is_skipped() {
        assert_eq!(pick(["color: red; margin: 0;", "标题"], "f"), "标题");
    }
}
