//! Script folding: the Simplified "shadow" of a text, with an exact code-point offset map.
//!
//! Segmentation, theme matching and search all run on the shadow, so that `新質生產力`,
//! `新质生产力` and a search for either meet. Results are carried back to the folded text (the
//! reading view) with [`Shadow::source_span`].
//!
//! # What folding does, character by character
//!
//! 1. **Traditional → Simplified**, with OpenCC's own `t2s` data (`TSCharacters.txt` and
//!    `TSPhrases.txt`, Apache-2.0, shipped in `assets/opencc/`) and OpenCC's algorithm: at each
//!    position the longest phrase key wins, otherwise the character table applies (its first
//!    candidate). So `乾淨`→`干净` but `乾坤` stays, `反覆`→`反复` but `覆蓋`→`覆盖`, `藉助`→`借助`
//!    but `慰藉` stays, `瞭解`→`了解`. Every OpenCC `t2s` entry maps a key to a value of the same
//!    length; entries whose value is longer than their key are refused at load (they would
//!    make the map ambiguous), so folding never lengthens a text.
//! 2. **`著` → `着`** (pizhu's addition; OpenCC leaves `著` alone): Traditional texts write
//!    `隨著`, `著力`, `意味著` where mainland texts write `随着`, `着力`, `意味着`. `著` stays in
//!    the zhù words listed in [`ZHU_WORDS`] (`著名`, `显著`, `著作`, …), the only places a
//!    mainland text uses it, so Simplified text is not touched.
//! 3. **Full-width ASCII letters and digits** (`Ａ`–`Ｚ`, `ａ`–`ｚ`, `０`–`９`) become
//!    half-width, and **ASCII letters are lower-cased** (`５Ｇ`, `5g` and `5G` meet). Only these:
//!    each is one code point for one, whereas full Unicode lower-casing can lengthen a text
//!    (`İ` → `i̇`). Full-width punctuation is left as it is.
//! 4. **Invisible characters are dropped**: soft hyphen, zero-width space/joiners, word
//!    joiner, BOM, and variation selectors. Scraped pages leave them inside words, where they
//!    would split a search match or a word. This is the one step that changes the code-point
//!    count, and the reason the offset map exists.
//!
//! # Why not fast2s or ferrous-opencc
//!
//! Measured on the five fixtures repeated to ≈10 MB, release build, on a 2-core machine shared
//! with other builds (runs interleaved, best of five): this module ≈ 270 MB/s (230–320 in
//! thread CPU time, `bench_fold`), `fast2s::convert` ≈ 105 MB/s and ferrous-opencc `T2s`
//! ≈ 17 MB/s in the same run; plain `jieba-rs` `cut` ≈ 40–52 MB/s. ferrous-opencc is
//! phrase-aware but would take folding+segmentation below the project's goal (half the speed
//! of bare `cut`). fast2s is char-level and fast, but it rewrites valid Simplified characters
//! (`捍卫`→`扞卫`, `呵护`→`嗬护`, `彷徨`→`仿徨`, `磐石`→`盘石`) and misses phrases (`藉助`,
//! `反覆`). OpenCC's `t2s` data is small (4,113 characters, 277 phrases) and its phrases
//! start with 116 distinct characters (plus the zhù words), so a phrase lookup happens only
//! where one of those stands; a dense table does the rest. Output equals ferrous-opencc's `T2s` on the
//! Traditional fixtures except for steps 2–4.
//!
//! # The offset map
//!
//! Only where counts differ is anything stored: an `Edit` for each run of source code points
//! that became fewer shadow code points (a dropped invisible character, a merged run of
//! them). Between edits the map is the identity plus a constant shift; lookups bisect. For
//! every shadow offset `s`, `to_shadow(to_source(s)) == s`. A source offset inside a dropped run
//! maps to the shadow offset after it; [`Shadow::source_span`] never includes dropped
//! characters at the edges of a span, only between its characters.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::doc::Span;

/// OpenCC's Traditional→Simplified character table (Apache-2.0).
const TS_CHARACTERS: &str = include_str!("../../assets/opencc/TSCharacters.txt");
/// OpenCC's Traditional→Simplified phrase table (Apache-2.0).
const TS_PHRASES: &str = include_str!("../../assets/opencc/TSPhrases.txt");

/// Words in which `著` is zhù ("to write; marked") and stays `著`, in both scripts. Everywhere
/// else `著` folds to `着`. Keys are matched like OpenCC phrases (longest first).
pub const ZHU_WORDS: &[&str] = &[
    "著名", "著作", "著稱", "著称", "著述", "著者", "著錄", "著录", "著書", "著书", "著有", "著譯",
    "著译", "著文", "顯著", "显著", "名著", "專著", "专著", "論著", "论著", "編著", "编著", "原著",
    "土著", "巨著", "鉅著", "钜著", "卓著", "昭著", "遺著", "遗著", "譯著", "译著", "合著", "拙著",
    "新著", "撰著", "所著", "大著", "鴻著", "鸿著", "雜著", "杂著",
];

/// Table entry flag: the character is dropped from the shadow.
const DROP: u32 = 1 << 30;
/// Table entry flag: at least one phrase starts with this character.
const PHRASE: u32 = 1 << 31;
/// Table entry bits that hold the output character.
const CHAR_BITS: u32 = 0x1F_FFFF;

/// A phrase: the key after its first character, and the folded value of the whole key.
struct Phrase {
    tail: Box<str>,
    tail_chars: usize,
    value: Box<str>,
    value_chars: usize,
}

/// The folding table, built once from the data above.
struct Table {
    /// Entry for every BMP code point: output character, `DROP`, `PHRASE`.
    bmp: Box<[u32]>,
    /// Entries for code points above the BMP that fold or start a phrase.
    astral: HashMap<char, u32>,
    /// Phrases by first character, longest key first.
    phrases: HashMap<char, Vec<Phrase>>,
}

impl Table {
    fn get() -> &'static Table {
        static TABLE: OnceLock<Table> = OnceLock::new();
        TABLE.get_or_init(|| Table::build(TS_CHARACTERS, TS_PHRASES, ZHU_WORDS))
    }

    /// Builds a table from OpenCC-format character and phrase lists (`key<TAB>value [more]`,
    /// `#` comments) and the zhù words.
    fn build(characters: &str, phrases: &str, zhu_words: &[&str]) -> Table {
        let mut bmp: Box<[u32]> = (0..=0xFFFFu32).collect();
        let mut astral = HashMap::new();
        let mut set = |table: &mut Box<[u32]>, c: char, entry: u32| {
            if let Some(slot) = table.get_mut(c as usize) {
                *slot = entry;
            } else {
                astral.insert(c, entry);
            }
        };
        for c in ('Ａ'..='Ｚ').chain('ａ'..='ｚ').chain('０'..='９') {
            let ascii = (c as u32 - 0xFEE0) as u8;
            set(&mut bmp, c, u32::from(ascii.to_ascii_lowercase()));
        }
        for c in 'A'..='Z' {
            set(&mut bmp, c, u32::from(c.to_ascii_lowercase()));
        }
        let invisible = [
            '\u{AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
        ];
        let selectors = ('\u{FE00}'..='\u{FE0F}').chain('\u{E0100}'..='\u{E01EF}');
        for c in invisible.into_iter().chain(selectors) {
            set(&mut bmp, c, DROP | c as u32);
        }
        for (key, value) in entries(characters) {
            let mut k = key.chars();
            if let (Some(k), None, Some(v)) = (k.next(), k.next(), value.chars().next()) {
                set(&mut bmp, k, v as u32);
            }
        }
        set(&mut bmp, '著', '着' as u32);

        let mut table = Table {
            bmp,
            astral,
            phrases: HashMap::new(),
        };
        let zhu = zhu_words.iter().map(|w| {
            // The value keeps 著 and folds the other characters by the table.
            let value: String = w
                .chars()
                .map(|c| if c == '著' { c } else { table.fold_char(c) })
                .collect();
            (*w, value)
        });
        let phrase_list: Vec<(&str, String)> = entries(phrases)
            .map(|(k, v)| (k, v.to_string()))
            .chain(zhu)
            .collect();
        for (key, value) in phrase_list {
            table.add_phrase(key, &value);
        }
        for list in table.phrases.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.tail_chars));
        }
        table
    }

    /// Adds a phrase unless it would lengthen the text or is a single character.
    fn add_phrase(&mut self, key: &str, value: &str) {
        let mut chars = key.chars();
        let Some(first) = chars.next() else { return };
        let tail = chars.as_str();
        let tail_chars = tail.chars().count();
        let value_chars = value.chars().count();
        if tail_chars == 0 || value_chars > tail_chars + 1 {
            return;
        }
        match self.bmp.get_mut(first as usize) {
            Some(slot) => *slot |= PHRASE,
            None => {
                let entry = self.astral.entry(first).or_insert(first as u32);
                *entry |= PHRASE;
            }
        }
        self.phrases.entry(first).or_default().push(Phrase {
            tail: tail.into(),
            tail_chars,
            value: value.into(),
            value_chars,
        });
    }

    fn entry(&self, c: char) -> u32 {
        match self.bmp.get(c as usize) {
            Some(&e) => e,
            None => self.astral.get(&c).copied().unwrap_or(c as u32),
        }
    }

    /// The character-table fold of one character (no phrases, no dropping).
    fn fold_char(&self, c: char) -> char {
        char::from_u32(self.entry(c) & CHAR_BITS).unwrap_or(c)
    }

    /// The longest phrase starting with `first` whose tail begins `rest`.
    fn phrase(&self, first: char, rest: &str) -> Option<&Phrase> {
        self.phrases
            .get(&first)?
            .iter()
            .find(|p| rest.starts_with(&*p.tail))
    }
}

/// Splits OpenCC dictionary lines into (key, first value).
fn entries(data: &str) -> impl Iterator<Item = (&str, &str)> {
    data.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .filter_map(|(key, values)| Some((key, values.split(' ').next()?)))
}

/// A run of source code points that became fewer shadow code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edit {
    src: usize,
    src_len: usize,
    sh: usize,
    sh_len: usize,
}

/// The Simplified shadow of a text, with an exact code-point offset map to the text it folds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shadow {
    text: String,
    source_chars: usize,
    shadow_chars: usize,
    /// Sorted, disjoint, never adjacent; `sh_len < src_len` for each.
    edits: Vec<Edit>,
}

impl Shadow {
    /// Folds `text` (see the module documentation).
    pub fn new(text: &str) -> Shadow {
        fold_with(Table::get(), text)
    }

    /// The shadow text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length of the shadow in code points.
    pub fn len(&self) -> usize {
        self.shadow_chars
    }

    pub fn is_empty(&self) -> bool {
        self.shadow_chars == 0
    }

    /// Length of the folded text in code points.
    pub fn source_len(&self) -> usize {
        self.source_chars
    }

    /// Whether shadow and source have the same length, so offsets are equal both ways.
    pub fn is_identity_map(&self) -> bool {
        self.edits.is_empty()
    }

    /// The source offset of shadow offset `shadow_offset` (clamped to the shadow's length).
    /// Where characters were dropped before it, the offset after them.
    pub fn to_source(&self, shadow_offset: usize) -> usize {
        let s = shadow_offset.min(self.shadow_chars);
        let i = self.edits.partition_point(|e| e.sh <= s);
        match i.checked_sub(1).map(|i| self.edits[i]) {
            None => s,
            Some(e) if s < e.sh + e.sh_len => e.src + (s - e.sh),
            Some(e) => e.src + e.src_len + (s - e.sh - e.sh_len),
        }
    }

    /// The shadow offset of source offset `source_offset` (clamped to the source's length).
    /// A dropped character maps to the shadow offset after it.
    pub fn to_shadow(&self, source_offset: usize) -> usize {
        let p = source_offset.min(self.source_chars);
        let i = self.edits.partition_point(|e| e.src <= p);
        match i.checked_sub(1).map(|i| self.edits[i]) {
            None => p,
            Some(e) if p < e.src + e.src_len => e.sh + (p - e.src).min(e.sh_len),
            Some(e) => e.sh + e.sh_len + (p - e.src - e.src_len),
        }
    }

    /// The source text a shadow span was folded from: from the source of its first character
    /// to the source of its last (dropped characters between them included, none at the
    /// edges). An empty span maps to an empty span.
    pub fn source_span(&self, s: Span) -> Span {
        let (start, end) = (s.start.min(self.shadow_chars), s.end.min(self.shadow_chars));
        if start >= end {
            let at = self.to_source(start);
            return Span::new(at, at);
        }
        Span::new(self.source_of(start).start, self.source_of(end - 1).end)
    }

    /// The shadow of a source span: the shadow characters its characters folded into.
    pub fn shadow_span(&self, s: Span) -> Span {
        let (start, end) = (s.start.min(self.source_chars), s.end.min(self.source_chars));
        if start >= end {
            let at = self.to_shadow(start);
            return Span::new(at, at);
        }
        Span::new(self.shadow_of(start).start, self.shadow_of(end - 1).end)
    }

    /// The source code points that shadow character `s` (< len) came from.
    fn source_of(&self, s: usize) -> Span {
        let i = self.edits.partition_point(|e| e.sh <= s);
        match i.checked_sub(1).map(|i| self.edits[i]) {
            Some(e) if s < e.sh + e.sh_len => Span::new(e.src, e.src + e.src_len),
            _ => {
                let p = self.to_source(s);
                Span::new(p, p + 1)
            }
        }
    }

    /// The shadow code points that source character `p` (< source length) folded into.
    fn shadow_of(&self, p: usize) -> Span {
        let i = self.edits.partition_point(|e| e.src <= p);
        match i.checked_sub(1).map(|i| self.edits[i]) {
            Some(e) if p < e.src + e.src_len => Span::new(e.sh, e.sh + e.sh_len),
            _ => {
                let s = self.to_shadow(p);
                Span::new(s, s + 1)
            }
        }
    }
}

/// Folds a short string (a search query, a keyword) the same way as documents.
pub fn fold_str(s: &str) -> String {
    Shadow::new(s).text
}

/// Every character whose fold can give `c`: the characters the table folds to it and the
/// first characters of phrases whose folded value holds it. A text whose shadow holds `c`
/// holds one of them, so a search can look for them before it folds anything.
pub fn sources_of(c: char) -> Vec<char> {
    let table = Table::get();
    let gives = |entry: u32| entry & DROP == 0 && entry & CHAR_BITS == c as u32;
    let mut out: Vec<char> = (0..=0xFFFFu32)
        .filter(|&k| gives(table.bmp[k as usize]))
        .filter_map(char::from_u32)
        .collect();
    out.extend(
        table
            .astral
            .iter()
            .filter(|&(_, &entry)| gives(entry))
            .map(|(&k, _)| k),
    );
    if u32::from(c) > 0xFFFF && !table.astral.contains_key(&c) {
        out.push(c);
    }
    out.extend(
        table
            .phrases
            .iter()
            .filter(|(_, list)| list.iter().any(|p| p.value.contains(c)))
            .map(|(&first, _)| first),
    );
    out.sort_unstable();
    out.dedup();
    out
}

/// The folding loop. Hot: one table load per character, a phrase lookup only where a phrase
/// can start, an edit only where a character is dropped.
fn fold_with(table: &Table, text: &str) -> Shadow {
    let mut out = String::with_capacity(text.len());
    let mut edits: Vec<Edit> = Vec::new();
    let (mut src, mut sh) = (0usize, 0usize);
    let mut record = |src: usize, src_len: usize, sh: usize, sh_len: usize| {
        if let Some(last) = edits.last_mut()
            && last.src + last.src_len == src
            && last.sh + last.sh_len == sh
        {
            last.src_len += src_len;
            last.sh_len += sh_len;
            return;
        }
        edits.push(Edit {
            src,
            src_len,
            sh,
            sh_len,
        });
    };
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            src += 1;
            sh += 1;
            rest = after;
            continue;
        }
        let entry = table.entry(c);
        if entry & PHRASE != 0
            && let Some(p) = table.phrase(c, after)
        {
            out.push_str(&p.value);
            let src_len = p.tail_chars + 1;
            if p.value_chars != src_len {
                record(src, src_len, sh, p.value_chars);
            }
            src += src_len;
            sh += p.value_chars;
            rest = &after[p.tail.len()..];
            continue;
        }
        if entry & DROP != 0 {
            record(src, 1, sh, 0);
        } else {
            out.push(char::from_u32(entry & CHAR_BITS).unwrap_or(c));
            sh += 1;
        }
        src += 1;
        rest = after;
    }
    Shadow {
        text: out,
        source_chars: src,
        shadow_chars: sh,
        edits,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::text::fixtures::{KEJI, QUANQIU, RONGHE, SHANGHAI, WUDA};

    #[test]
    fn sources_of_a_character_are_every_character_that_folds_to_it() {
        let of = sources_of('发');
        for c in ['发', '發', '髮'] {
            assert!(of.contains(&c), "{c} missing from {of:?}");
        }
        assert!(sources_of('着').contains(&'著'));
        assert_eq!(sources_of('a'), vec!['A', 'a', 'Ａ', 'ａ']);
        assert!(!sources_of('a').contains(&'b'));
        // A character no phrase or table entry gives has only itself.
        assert_eq!(sources_of('𠀀'), vec!['𠀀']);
    }

    #[test]
    fn every_shadow_character_comes_from_a_source_in_the_same_line() {
        let mut known: HashMap<char, Vec<char>> = HashMap::new();
        for text in [KEJI, QUANQIU, RONGHE, SHANGHAI, WUDA] {
            for line in text.lines() {
                for c in Shadow::new(line).text().chars() {
                    let sources = known.entry(c).or_insert_with(|| sources_of(c));
                    assert!(
                        line.chars().any(|l| sources.contains(&l)),
                        "{c} in the shadow of {line:?}, none of {sources:?} in it"
                    );
                }
            }
        }
    }

    /// `text` without `(pinyin)` readings after characters, as the reading view shows it.
    pub(crate) fn strip_readings(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('(') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find(')') {
                Some(close)
                    if close > 0
                        && after[..close].chars().all(|c| {
                            c.is_alphabetic() && !c.is_ascii_uppercase() && c < '\u{2E80}'
                        }) =>
                {
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('(');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Seconds this thread has run on a CPU (Linux), so that benchmarks on a shared machine
    /// do not count the time other processes had the CPU; wall-clock time elsewhere.
    pub(crate) fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
        fn cpu_ns() -> Option<u64> {
            let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
            stat.split_whitespace().next()?.parse().ok()
        }
        let (cpu, wall) = (cpu_ns(), std::time::Instant::now());
        let out = f();
        let secs = match (cpu, cpu_ns()) {
            (Some(a), Some(b)) if b > a => (b - a) as f64 / 1e9,
            _ => wall.elapsed().as_secs_f64(),
        };
        (out, secs)
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn new_quality_productive_forces_meet() {
        assert_eq!(fold_str("新質生產力"), fold_str("新质生产力"));
        assert_eq!(fold_str("新質生產力"), "新质生产力");
    }

    #[test]
    fn policy_phrase_pairs_fold_equal() {
        let pairs = [
            ("科技創新", "科技创新"),
            ("產業鏈", "产业链"),
            ("供應鏈", "供应链"),
            ("關鍵核心技術", "关键核心技术"),
            ("粵港澳大灣區", "粤港澳大湾区"),
            ("體制機制", "体制机制"),
            ("國際合作", "国际合作"),
            ("人才", "人才"),
            ("著力", "着力"),
            ("隨著", "随着"),
            ("意味著", "意味着"),
            ("圍繞著", "围绕着"),
            ("乾淨", "干净"),
            ("乾旱", "干旱"),
            ("乾坤", "乾坤"),
            ("乾隆", "乾隆"),
            ("發展", "发展"),
            ("頭髮", "头发"),
            ("後來", "后来"),
            ("以後", "以后"),
            ("裡面", "里面"),
            ("這裡", "这里"),
            ("數字經濟", "数字经济"),
            ("高質量發展", "高质量发展"),
            ("現代化產業體系", "现代化产业体系"),
            ("國家實驗室", "国家实验室"),
            ("基礎研究", "基础研究"),
            ("營商環境", "营商环境"),
            ("長三角一體化", "长三角一体化"),
            ("科創中心", "科创中心"),
            ("戰略性新興產業", "战略性新兴产业"),
            ("人工智慧", "人工智慧"),
            ("知識產權", "知识产权"),
            ("藉助", "借助"),
            ("藉此", "借此"),
            ("反覆", "反复"),
            ("覆蓋", "覆盖"),
            ("瞭解", "了解"),
            ("於是", "于是"),
            ("關係", "关系"),
            ("聯繫", "联系"),
            ("餘額", "余额"),
            ("臺灣", "台湾"),
            ("徵求意見", "征求意见"),
            ("著名", "著名"),
            ("顯著", "显著"),
            ("著作權", "著作权"),
            ("５Ｇ網絡", "5g网络"),
            ("ＡＩ賦能", "ai赋能"),
        ];
        assert!(pairs.len() >= 30);
        for (hant, hans) in pairs {
            assert_eq!(fold_str(hant), fold_str(hans), "{hant} / {hans}");
            assert_eq!(fold_str(hant), hans.to_lowercase(), "{hant}");
        }
    }

    #[test]
    fn traditional_fixtures_fold_to_simplified_words() {
        let wuda = Shadow::new(&strip_readings(WUDA));
        for word in ["新质生产力", "科技创新", "高质量发展", "产业", "创新"] {
            assert!(wuda.text().contains(word), "wuda lacks {word}");
        }
        let shanghai = Shadow::new(SHANGHAI);
        for word in ["科技创新中心", "高质量发展", "产学研", "国家"] {
            assert!(shanghai.text().contains(word), "shanghai lacks {word}");
        }
        // Neither keeps a character that the table would still fold.
        let table = Table::get();
        for shadow in [&wuda, &shanghai] {
            let left: String = shadow
                .text()
                .chars()
                .filter(|&c| table.fold_char(c) != c && c != '著')
                .collect();
            assert_eq!(left, "");
        }
    }

    /// Characters that folding changes in `text`, with counts, most frequent first.
    fn changes(text: &str) -> Vec<(String, usize)> {
        let shadow = Shadow::new(text);
        assert!(shadow.is_identity_map());
        let mut counts: HashMap<String, usize> = HashMap::new();
        for (a, b) in text.chars().zip(shadow.text().chars()) {
            if a != b && !a.is_ascii() {
                *counts.entry(format!("{a}→{b}")).or_default() += 1;
            }
        }
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts
    }

    #[test]
    fn simplified_fixtures_are_left_unchanged() {
        // Only ASCII letters change (lower-casing); no Chinese character does.
        for (name, text) in [("keji", KEJI), ("quanqiu", QUANQIU), ("ronghe", RONGHE)] {
            assert_eq!(changes(text), vec![], "{name}");
        }
    }

    #[test]
    fn invisible_characters_are_dropped_and_mapped() {
        let source = "新\u{200B}质生\u{FEFF}\u{AD}产力";
        let shadow = Shadow::new(source);
        assert_eq!(shadow.text(), "新质生产力");
        assert_eq!(shadow.source_len(), 8);
        assert_eq!(shadow.len(), 5);
        // The whole word covers everything; its edges are visible characters.
        assert_eq!(shadow.source_span(Span::new(0, 5)), Span::new(0, 8));
        // 质 alone: just the 质, not the dropped space before it.
        assert_eq!(shadow.source_span(Span::new(1, 2)), Span::new(2, 3));
        // 新 alone: not the dropped space after it.
        assert_eq!(shadow.source_span(Span::new(0, 1)), Span::new(0, 1));
        assert_eq!(shadow.source_span(Span::new(3, 5)), Span::new(6, 8));
        assert_eq!(shadow.to_shadow(1), 1);
        assert_eq!(shadow.to_shadow(4), 3);
        assert_eq!(shadow.to_shadow(5), 3);
        assert_eq!(shadow.shadow_span(Span::new(1, 2)), Span::new(1, 1));
        assert_eq!(shadow.shadow_span(Span::new(0, 8)), Span::new(0, 5));
        assert_eq!(shadow.to_source(99), 8);
        assert_eq!(shadow.to_shadow(99), 5);
    }

    #[test]
    fn a_shortening_phrase_maps_as_a_whole() {
        // No OpenCC t2s phrase changes length; a table made for the test does.
        let table = Table::build("乾\t干\n", "#c\n三個字\t二字\n長長長\t長長長長\n", &[]);
        let shadow = fold_with(&table, "a三個字b長長長乾");
        assert_eq!(shadow.text(), "a二字b長長長干");
        assert_eq!(shadow.source_span(Span::new(1, 2)), Span::new(1, 4));
        assert_eq!(shadow.source_span(Span::new(2, 4)), Span::new(1, 5));
        assert_eq!(shadow.shadow_span(Span::new(3, 4)), Span::new(1, 3));
        assert_eq!(shadow.to_source(4), 5);
        for s in 0..=shadow.len() {
            assert_eq!(shadow.to_shadow(shadow.to_source(s)), s);
        }
    }

    #[test]
    fn searches_map_back_to_exact_source_text() {
        let source = strip_readings(WUDA).replace("生產力", "生\u{200B}產力");
        let shadow = Shadow::new(&source);
        let source_chars = chars(&source);
        let shadow_chars = chars(shadow.text());
        let query = chars(&fold_str("新質生產力"));
        let mut found = 0;
        for start in 0..shadow_chars.len().saturating_sub(query.len()) {
            if shadow_chars[start..start + query.len()] == query[..] {
                found += 1;
                let span = shadow.source_span(Span::new(start, start + query.len()));
                let text: String = source_chars[span.start..span.end].iter().collect();
                assert_eq!(text, "新質生\u{200B}產力");
            }
        }
        assert!(found >= 3, "found {found}");
    }

    fn sample_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "新",
            "質",
            "质",
            "乾",
            "坤",
            "乾坤",
            "淨",
            "覆",
            "反覆",
            "藉",
            "助",
            "著",
            "名",
            "隨著",
            "顯著",
            "\u{200B}",
            "\u{FEFF}",
            "\u{AD}",
            "\u{FE0F}",
            "\u{E0100}",
            "Ａ",
            "z",
            "Q",
            "5",
            "，",
            " ",
            "\n",
            "𠁞",
            "𡻕",
            "é",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn offsets_round_trip(text in sample_text()) {
            let shadow = Shadow::new(&text);
            prop_assert_eq!(shadow.len(), shadow.text().chars().count());
            prop_assert_eq!(shadow.source_len(), text.chars().count());
            for s in 0..=shadow.len() {
                prop_assert_eq!(shadow.to_shadow(shadow.to_source(s)), s);
            }
            let mut last = 0;
            for p in 0..=shadow.source_len() {
                let s = shadow.to_shadow(p);
                prop_assert!(s >= last && s <= shadow.len());
                last = s;
            }
        }

        #[test]
        fn spans_round_trip_and_have_visible_edges(text in sample_text(), a in 0usize..60, b in 0usize..60) {
            let shadow = Shadow::new(&text);
            let (a, b) = (a.min(b).min(shadow.len()), a.max(b).min(shadow.len()));
            let span = Span::new(a, b);
            let source = shadow.source_span(span);
            prop_assert_eq!(shadow.shadow_span(source), span);
            if !span.is_empty() {
                let src: Vec<char> = text.chars().collect();
                let piece: String = src[source.start..source.end].iter().collect();
                // Dropping is context-free, so the piece folds to the same characters up to
                // phrase choices at its edges: compare lengths and the visible edges.
                prop_assert_eq!(Shadow::new(&piece).len(), span.len());
                let table = Table::get();
                prop_assert!(table.entry(src[source.start]) & DROP == 0);
                prop_assert!(table.entry(src[source.end - 1]) & DROP == 0);
            }
        }
    }

    #[test]
    #[ignore = "benchmark: cargo test --release -- --ignored --nocapture"]
    fn bench_fold() {
        let corpus = [WUDA, SHANGHAI, KEJI, QUANQIU, RONGHE].concat();
        let big = corpus.repeat(10_000_000 / corpus.len() + 1);
        let mb = big.len() as f64 / 1e6;
        let _ = Shadow::new("預熱");
        let (shadow, secs) = (0..3)
            .map(|_| time(|| Shadow::new(&big)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("three runs");
        println!(
            "Shadow::new: {mb:.1} MB in {secs:.3} s CPU = {:.0} MB/s ({} edits)",
            mb / secs,
            shadow.edits.len()
        );
    }
}
