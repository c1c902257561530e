//! The built-in demo corpus (`assets/demo/`): short texts written for pizhu, embedded in the
//! binary and imported into a throwaway in-memory library by `pizhu --demo`.

use crate::import::{self, ImportOptions, Silent, Source};
use crate::store::{Store, StoreError};

/// The demo texts: file name and bytes.
pub const TEXTS: &[(&str, &[u8])] = &[
    (
        "01-xinzhi-shengchanli.zh-Hans",
        include_bytes!("../assets/demo/01-xinzhi-shengchanli.zh-Hans.txt"),
    ),
    (
        "02-dawanqu-chuangxin.zh-Hant",
        include_bytes!("../assets/demo/02-dawanqu-chuangxin.zh-Hant.txt"),
    ),
    (
        "03-chengguo-zhuanhua.zh-Hans",
        include_bytes!("../assets/demo/03-chengguo-zhuanhua.zh-Hans.txt"),
    ),
    (
        "04-jichu-yanjiu-faq.zh-Hans",
        include_bytes!("../assets/demo/04-jichu-yanjiu-faq.zh-Hans.txt"),
    ),
];

/// The demo texts as import sources.
pub fn sources() -> Vec<Source> {
    TEXTS
        .iter()
        .map(|(name, bytes)| Source::Embedded {
            name: (*name).to_string(),
            bytes,
        })
        .collect()
}

/// An in-memory library holding the demo corpus; nothing is written to disk.
pub fn open() -> Result<Store, StoreError> {
    let mut store = Store::open_in_memory()?;
    import::run(
        &mut store,
        &sources(),
        &ImportOptions::default(),
        &mut Silent,
    )?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Script;

    #[test]
    fn every_demo_text_imports_with_a_title_and_its_script() {
        let store = open().unwrap();
        let docs = store.list_documents().unwrap();
        assert_eq!(docs.len(), TEXTS.len());
        let scripts: Vec<Script> = docs.iter().map(|d| d.script).collect();
        assert_eq!(
            scripts,
            [
                Script::Simplified,
                Script::Traditional,
                Script::Simplified,
                Script::Simplified
            ]
        );
        for doc in &docs {
            assert!(doc.source.starts_with("demo:"), "{}", doc.source);
            assert!(!doc.title.contains("font-size"), "{}", doc.title);
            assert!(doc.chars > 500, "{} is a real text", doc.title);
        }
    }
}
