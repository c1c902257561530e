//! Rule ids, interned: a folded range holds four bytes for the rule that folded it (a 300 MB
//! page has millions of ranges), and the id's text is kept once for the whole process.
//!
//! Ids come from a short list — the cleaning rules, [`super::USER_RULE`], and ids read back
//! from a library (which may name a rule this pizhu no longer has) — so the table stays small.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

/// The id of the rule that folded a range; see [`RuleId::as_str`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(u32);

/// Every id interned so far: their texts, and the number of each.
#[derive(Default)]
struct Table {
    names: Vec<&'static str>,
    numbers: HashMap<&'static str, u32>,
}

static TABLE: LazyLock<Mutex<Table>> = LazyLock::new(Mutex::default);

impl RuleId {
    /// The id `name`, interned.
    pub fn new(name: &str) -> RuleId {
        let mut table = TABLE.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&n) = table.numbers.get(name) {
            return RuleId(n);
        }
        let name: &'static str = Box::leak(name.into());
        let n = table.names.len() as u32;
        table.names.push(name);
        table.numbers.insert(name, n);
        RuleId(n)
    }

    /// The id's text.
    pub fn as_str(self) -> &'static str {
        let table = TABLE.lock().unwrap_or_else(PoisonError::into_inner);
        table
            .names
            .get(self.0 as usize)
            .copied()
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(RuleId::new(&name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_interned_once_and_reads_back() {
        let a = RuleId::new("pinyin-reading");
        assert_eq!(RuleId::new("pinyin-reading"), a);
        assert_ne!(RuleId::new("css-style-prefix"), a);
        assert_eq!(a.as_str(), "pinyin-reading");
        assert_eq!(a, "pinyin-reading");
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "\"pinyin-reading\"");
        assert_eq!(serde_json::from_str::<RuleId>(&json).unwrap(), a);
        assert_eq!(std::mem::size_of::<super::super::NoiseRange>(), 24);
    }
}
