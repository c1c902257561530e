//! The sample corpus, as test data: five real Chinese web texts with very long lines.

pub const KEJI: &str = include_str!("../../tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt");
pub const QUANQIU: &str = include_str!("../../tests/fixtures/quanqiu-keji-xiezuo.zh-Hans.txt");
pub const RONGHE: &str =
    include_str!("../../tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt");
pub const SHANGHAI: &str =
    include_str!("../../tests/fixtures/shanghai-kechuang-zhongxin.zh-Hant.txt");
pub const WUDA: &str = include_str!("../../tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt");

pub const ALL: [(&str, &str); 5] = [
    ("keji-chanye-ronghe-dangke", KEJI),
    ("quanqiu-keji-xiezuo", QUANQIU),
    ("ronghe-zhongguoshi-xiandaihua", RONGHE),
    ("shanghai-kechuang-zhongxin", SHANGHAI),
    ("wuda-chuangxin-zhanyi", WUDA),
];

/// Every paragraph (line) of every fixture, with the fixture's name.
pub fn paragraphs() -> impl Iterator<Item = (&'static str, &'static str)> {
    ALL.iter()
        .flat_map(|&(name, text)| text.lines().map(move |p| (name, p)))
}
