//! The sample corpus, as test data: five real Chinese web texts with very long lines.

pub const ALL: [(&str, &str); 5] = [
    (
        "keji-chanye-ronghe-dangke",
        include_str!("../../tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt"),
    ),
    (
        "quanqiu-keji-xiezuo",
        include_str!("../../tests/fixtures/quanqiu-keji-xiezuo.zh-Hans.txt"),
    ),
    (
        "ronghe-zhongguoshi-xiandaihua",
        include_str!("../../tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt"),
    ),
    (
        "shanghai-kechuang-zhongxin",
        include_str!("../../tests/fixtures/shanghai-kechuang-zhongxin.zh-Hant.txt"),
    ),
    (
        "wuda-chuangxin-zhanyi",
        include_str!("../../tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt"),
    ),
];

/// Every paragraph (line) of every fixture, with the fixture's name.
pub fn paragraphs() -> impl Iterator<Item = (&'static str, &'static str)> {
    ALL.iter()
        .flat_map(|&(name, text)| text.lines().map(move |p| (name, p)))
}
