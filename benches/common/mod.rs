//! Text for the benchmarks, made from the test fixtures (shared by the bench targets).

/// The five fixtures of `tests/fixtures`.
const FIXTURES: &[&str] = &[
    include_str!("../../tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt"),
    include_str!("../../tests/fixtures/quanqiu-keji-xiezuo.zh-Hans.txt"),
    include_str!("../../tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt"),
    include_str!("../../tests/fixtures/shanghai-kechuang-zhongxin.zh-Hant.txt"),
    include_str!("../../tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt"),
];

/// About `megabytes` MB of fixture text.
pub fn corpus(megabytes: usize) -> String {
    let block: String = FIXTURES.concat();
    block.repeat((megabytes << 20) / block.len() + 1)
}
