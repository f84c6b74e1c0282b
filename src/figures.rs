//! One record's figures: metric id → number, kept as a sorted list in one allocation.
//!
//! A workbook can hold 100,000 records of 20 figures each. As a `BTreeMap<String, f64>`
//! every id sits in its own heap block and the entries spread over several tree nodes,
//! so walking them (validation does, for every record, on every edit) is mostly waiting
//! for memory. Here the entries sit side by side and ids of up to 23 bytes are stored
//! inline ([`SmolStr`]): a record's figures are a few neighbouring cache lines.
//!
//! The API is the part of `BTreeMap` the code uses. Entries are kept in id order (the
//! order of `str`), so iteration, `Debug` and the JSON are what the map gave.

use serde::Serialize;
use smol_str::SmolStr;

/// Metric id → figure, in id order; at most one entry per id.
#[derive(Clone, Default, PartialEq)]
pub struct Figures(Vec<(SmolStr, f64)>);

/// Iterator over `(id, figure)` in id order.
pub type Iter<'a> = std::iter::Map<std::slice::Iter<'a, (SmolStr, f64)>, fn(&'a (SmolStr, f64)) -> (&'a str, &'a f64)>;

impl Figures {
    pub fn new() -> Self {
        Figures(Vec::new())
    }

    /// Where `id` is, or where it would go.
    fn find(&self, id: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(id))
    }

    pub fn get(&self, id: &str) -> Option<&f64> {
        self.find(id).ok().map(|i| &self.0[i].1)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut f64> {
        self.find(id).ok().map(|i| &mut self.0[i].1)
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.find(id).is_ok()
    }

    /// Sets the figure for `id`; returns the one it replaces.
    pub fn insert(&mut self, id: impl Into<SmolStr>, value: f64) -> Option<f64> {
        let id = id.into();
        match self.find(&id) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (id, value));
                None
            }
        }
    }

    pub fn remove(&mut self, id: &str) -> Option<f64> {
        self.find(id).ok().map(|i| self.0.remove(i).1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> Iter<'_> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    pub fn values(&self) -> impl Iterator<Item = &f64> + '_ {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut f64> + '_ {
        self.0.iter_mut().map(|(_, v)| v)
    }

    /// Keeps the entries for which `keep` says yes.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut f64) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }
}

/// `figures["calls"]`: the figure, or a panic when there is none (as a map's index does;
/// for tests and code that has just checked).
impl std::ops::Index<&str> for Figures {
    type Output = f64;
    fn index(&self, id: &str) -> &f64 {
        match self.get(id) {
            Some(v) => v,
            None => panic!("no figure for {id:?}"),
        }
    }
}

impl<'a> IntoIterator for &'a Figures {
    type Item = (&'a str, &'a f64);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// As a map does: a later entry for the same id replaces the earlier one.
impl<K: Into<SmolStr>> FromIterator<(K, f64)> for Figures {
    fn from_iter<I: IntoIterator<Item = (K, f64)>>(iter: I) -> Self {
        let mut entries: Vec<(SmolStr, f64)> = iter.into_iter().map(|(k, v)| (k.into(), v)).collect();
        if entries.windows(2).all(|w| w[0].0 < w[1].0) {
            return Figures(entries);
        }
        // Stable: equal ids stay in input order, and the last of each run is kept.
        crate::sort::sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
        let mut out: Vec<(SmolStr, f64)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => out.push((k, v)),
            }
        }
        Figures(out)
    }
}

impl std::fmt::Debug for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Figures {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

// Read as a JSON object of numbers (`impl Read` in read.rs).

#[cfg(test)]
mod tests {
    use super::Figures;
    use std::collections::BTreeMap;

    #[test]
    fn behaves_like_the_map_it_replaces() {
        // A fixed pseudo-random sequence of inserts and removes, long and short ids.
        let ids = ["calls", "aht", "a", "b", "csat", "a_very_long_metric_identifier_over_23_bytes", "调用量", "z", "calls2"];
        let mut map = BTreeMap::new();
        let mut figures = Figures::new();
        let mut seed = 7u64;
        for step in 0..500 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let id = ids[(seed >> 33) as usize % ids.len()];
            if ((seed >> 20) & 3) == 0 {
                assert_eq!(figures.remove(id), map.remove(id), "step {step}");
            } else {
                assert_eq!(figures.insert(id, step as f64), map.insert(id.to_string(), step as f64), "step {step}");
            }
            assert_eq!(figures.len(), map.len());
            assert!(figures.iter().map(|(k, v)| (k.to_string(), *v)).eq(map.iter().map(|(k, v)| (k.clone(), *v))));
            for id in ids {
                assert_eq!(figures.get(id), map.get(id));
                assert_eq!(figures.contains_key(id), map.contains_key(id));
            }
        }
        assert_eq!(format!("{figures:?}"), format!("{map:?}"));
        assert_eq!(serde_json::to_string(&figures).unwrap(), serde_json::to_string(&map).unwrap());
    }

    #[test]
    fn from_iter_sorts_and_keeps_the_last_of_equal_ids() {
        let f: Figures = [("b", 1.0), ("a", 2.0), ("b", 3.0), ("c", 4.0), ("a", 5.0)].into_iter().collect();
        assert_eq!(f.iter().map(|(k, v)| (k, *v)).collect::<Vec<_>>(), vec![("a", 5.0), ("b", 3.0), ("c", 4.0)]);
        let mut f = f;
        f.retain(|k, v| {
            *v += 1.0;
            k != "b"
        });
        assert_eq!(f.iter().map(|(k, v)| (k, *v)).collect::<Vec<_>>(), vec![("a", 6.0), ("c", 5.0)]);
    }

    #[test]
    fn reads_what_it_writes() {
        let text = r#"{"aht":300.5,"calls":1120,"调用量":3}"#;
        let f: Figures = serde_json::from_str(text).unwrap();
        assert_eq!(f.get("calls"), Some(&1120.0));
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"aht":300.5,"calls":1120.0,"调用量":3.0}"#);
        assert!(serde_json::from_str::<Figures>(r#"{"a":"x"}"#).is_err());
    }
}
