//! The workbook's former serde-based reading, kept for tests only: the hand-written
//! reader ([`crate::read`]) must give the same values and the same messages and
//! places. Below is the reading code as it was before `read.rs` (model.rs's
//! `Deserialize` impls and figures.rs's), moved here verbatim but for imports and
//! visibility. What is not reading is shared with the real code, not copied: the rule
//! and bonus kinds and their fields (`model`), `read::kind_of`, and the walk that finds
//! an error's place (`workbook::locate`, here asking serde whether each part reads).
//! `tests` compares the two readers.

#![allow(dead_code)]

use crate::figures::Figures;
use crate::model::*;
use crate::workbook::LoadError;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

use crate::read::kind_of;
use crate::workbook::Part;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// An object's fields, taken one by one and read as the type asked for.
struct Fields(Map<String, Value>);

impl Fields {
    /// Takes `kind`, checks it is one of `kinds` and that every other key is one of its
    /// fields.
    fn open<E: serde::de::Error>(mut obj: Map<String, Value>, kinds: &'static [&'static str], fields: fn(&str) -> Option<&'static [&'static str]>) -> Result<(String, Fields), E> {
        let kind = match obj.remove("kind") {
            None => return Err(E::missing_field("kind")),
            Some(Value::String(s)) => s,
            Some(other) => return Err(E::custom(format!("invalid type: {}, expected a kind name", kind_of(&other)))),
        };
        let allowed = fields(&kind).ok_or_else(|| E::unknown_variant(&kind, kinds))?;
        Ok((kind, Fields::plain(obj, allowed)?))
    }

    /// A struct's fields: every key must be one of `allowed`.
    fn plain<E: serde::de::Error>(obj: Map<String, Value>, allowed: &'static [&'static str]) -> Result<Fields, E> {
        if let Some(k) = obj.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(E::unknown_field(k, allowed));
        }
        Ok(Fields(obj))
    }

    fn get<T: DeserializeOwned, E: serde::de::Error>(&mut self, name: &'static str) -> Result<Option<T>, E> {
        match self.0.remove(name) {
            None => Ok(None),
            Some(v) => serde_json::from_value(v).map(Some).map_err(E::custom),
        }
    }

    /// A field that must be there.
    fn need<T: DeserializeOwned, E: serde::de::Error>(&mut self, name: &'static str) -> Result<T, E> {
        self.get(name)?.ok_or_else(|| E::missing_field(name))
    }

    /// A field with a default (`null` is refused, as serde's derive does).
    fn or<T: DeserializeOwned, E: serde::de::Error>(&mut self, name: &'static str, default: T) -> Result<T, E> {
        Ok(self.get(name)?.unwrap_or(default))
    }

    /// An optional field (`null` = absent).
    fn opt<T: DeserializeOwned, E: serde::de::Error>(&mut self, name: &'static str) -> Result<Option<T>, E> {
        Ok(self.get::<Option<T>, E>(name)?.flatten())
    }
}


/// `impl Deserialize` for a plain struct: read as a `serde_json::Map`, unknown keys
/// refused (`unknown field …, expected one of …`, in declaration order), then each
/// field by how it is read: `need` (`missing field …` when absent), `or(default)`
/// (absent = the default; `null` refused, as serde's derive does) or `opt` (absent or
/// `null` = `None`). The generated code is a few calls per field; serde's derive
/// generates a field-name visitor and map and sequence readers per struct (about
/// 35 KB of the WebAssembly for these types, twiggy).
macro_rules! read_object {
    ($ty:ident { $($field:ident: $how:ident $(($default:expr))?),* $(,)? }) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                const FIELDS: &[&str] = &[$(stringify!($field)),*];
                let mut f = Fields::plain::<D::Error>(Map::deserialize(d)?, FIELDS)?;
                Ok($ty { $($field: read_object!(@read f, $field, $how $(, $default)?)),* })
            }
        }
    };
    (@read $f:ident, $field:ident, need) => { $f.need(stringify!($field))? };
    (@read $f:ident, $field:ident, opt) => { $f.opt(stringify!($field))? };
    (@read $f:ident, $field:ident, or, $default:expr) => { $f.or(stringify!($field), $default)? };
}

read_object!(Workbook { format: need, version: need, app_version: or(String::new()), meta: or(Meta::default()), scheme: need, agents: or(Vec::new()), periods: or(Vec::new()), records: or(Vec::new()) });
read_object!(Meta { title: or(String::new()), currency: or(default_currency()), notes: or(String::new()) });
read_object!(Scheme { metrics: or(Vec::new()), indicators: or(Vec::new()), categories: or(Vec::new()), seasons: or(Vec::new()), total: or(TotalRule::default()), grades: or(Grades::default()), bonus: or(Vec::new()), rounding: or(Rounding::default()) });
read_object!(Metric { id: need, name: or(String::new()), unit: or(String::new()), better: or(Better::default()), count: or(false), formula: opt });
read_object!(Indicator { id: need, name: or(String::new()), metric: opt, weight: opt, category: opt, rule: need, rollup: or(Rollup::default()), applies_to: or(AppliesTo::default()) });
read_object!(Anchor { value: need, points: need });
read_object!(BandTable { season: opt, bands: need });
read_object!(Band { min: opt, min_inclusive: or(true), max: opt, max_inclusive: or(false), points: need });
read_object!(ChecklistItem { id: need, text: or(String::new()), weight: or(1.0) });
read_object!(TenureStep { months: need, points: need });
read_object!(Category { id: need, name: or(String::new()), full: opt, cap: opt, floor: opt });
read_object!(Season { id: need, name: or(String::new()), months: need });
read_object!(TotalRule { method: or(TotalMethod::default()), base: or(0.0), min: opt, max: opt, round_up: opt, decimals: or(2) });
read_object!(RoundUp { from: need, to: need });
read_object!(Grades { bands: or(Vec::new()), quotas: or(Vec::new()) });
read_object!(GradeBand { grade: need, min: need, coefficient: opt });
read_object!(GradeQuota { grade: need, max_percent: opt, min_percent: opt });
read_object!(CommissionTier { from: need, rate: need });
read_object!(Factor { metric: opt, value: opt });
read_object!(TenureAmount { months: need, amount: need });
read_object!(Agent { id: need, name: or(String::new()), team: or(String::new()), hire_date: opt, base_pay: opt });
read_object!(Period { id: need, name: or(String::new()), start: opt, end: opt, parent: opt });
read_object!(Record { agent: need, period: need, figures: or(Figures::new()), ratings: or(BTreeMap::new()), checks: or(BTreeMap::new()) });


/// `impl Deserialize` for an enum of plain names (`"higher"`, `"half_up"` …): read as a
/// string; anything else is `unknown variant …, expected one of …`, as serde says.
macro_rules! read_name {
    ($ty:ident { $($text:literal => $variant:ident),* $(,)? }) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                const NAMES: &[&str] = &[$($text),*];
                let text = String::deserialize(d)?;
                match text.as_str() {
                    $($text => Ok($ty::$variant),)*
                    _ => Err(serde::de::Error::unknown_variant(&text, NAMES)),
                }
            }
        }
    };
}

read_name!(Better { "higher" => Higher, "lower" => Lower });
read_name!(AppliesTo { "all" => All, "top" => Top, "sub" => Sub });
read_name!(Rollup { "own" => Own, "sum" => Sum, "average" => Average });
read_name!(TiePolicy { "competition" => Competition, "dense" => Dense });
read_name!(RankScope { "team" => Team, "all" => All });
read_name!(CriticalScope { "category" => Category, "total" => Total });
read_name!(TotalMethod { "weighted" => Weighted, "sum" => Sum });
read_name!(Rounding { "half_up" => HalfUp, "half_even" => HalfEven, "down" => Down });
read_name!(CommissionMode { "whole_at_tier_reached" => WholeAtTierReached, "each_slice_at_its_rate" => EachSliceAtItsRate });
read_name!(Check { "yes" => Yes, "no" => No, "na" => Na });

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Rule, D::Error> {
        let (kind, mut f) = Fields::open::<D::Error>(Map::deserialize(d)?, RULE_KINDS, rule_fields)?;
        Ok(match kind.as_str() {
            "target" => Rule::Target { target: f.need("target")?, cap: f.or("cap", 1.0)? },
            "linear" => Rule::Linear { from: f.need("from")?, to: f.need("to")?, below: f.or("below", 0.0)? },
            "bands" => Rule::Bands { tables: f.need("tables")?, gap_points: f.or("gap_points", 0.0)? },
            "per_occurrence" => Rule::PerOccurrence { each: f.need("each")?, cap: f.opt("cap")?, none_bonus: f.or("none_bonus", 0.0)? },
            "rank" => Rule::Rank { places: f.need("places")?, ties: f.or("ties", TiePolicy::default())?, below_average: f.opt("below_average")?, scope: f.or("scope", RankScope::default())? },
            "rating" => Rule::Rating { min: f.or("min", 0.0)?, max: f.need("max")?, drop_extremes: f.or("drop_extremes", false)? },
            "checklist" => Rule::Checklist { items: f.need("items")? },
            "critical" => Rule::Critical { when: f.need("when")?, zeroes: f.or("zeroes", CriticalScope::default())? },
            "formula" => Rule::Formula { expr: f.need("expr")?, min: f.opt("min")?, max: f.opt("max")? },
            _ => Rule::Tenure { steps: f.need("steps")? },
        })
    }
}

impl<'de> Deserialize<'de> for BonusRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<BonusRule, D::Error> {
        let (kind, mut f) = Fields::open::<D::Error>(Map::deserialize(d)?, BONUS_KINDS, bonus_fields)?;
        let id = f.need("id")?;
        let name = f.or("name", String::new())?;
        let applies_to = f.or("applies_to", AppliesTo::All)?;
        let kind = match kind.as_str() {
            "pool_by_score" => BonusKind::PoolByScore { pool: f.need("pool")?, divisor: f.or("divisor", Decimal::ONE_HUNDRED)? },
            "pool_split" => BonusKind::PoolSplit { pool: f.need("pool")? },
            "grade_coefficient" => BonusKind::GradeCoefficient { base: f.opt("base")? },
            "commission" => BonusKind::Commission { sales: f.need("sales")?, completion: f.need("completion")?, tiers: f.need("tiers")?, mode: f.or("mode", CommissionMode::default())? },
            "product" => BonusKind::Product { factors: f.need("factors")? },
            "tenure" => BonusKind::Tenure { steps: f.need("steps")? },
            _ => BonusKind::Formula { expr: f.need("expr")? },
        };
        Ok(BonusRule { id, name, applies_to, kind })
    }
}


/// Read as a JSON object of numbers (serde's messages for a map of numbers).
impl<'de> Deserialize<'de> for Figures {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(BTreeMap::<String, f64>::deserialize(d)?.into_iter().collect())
    }
}

/// Deserialises with the path of the first problem, built by walking serde's error
/// against the document (serde_json reports line/column only for text).
pub fn serde_path_to_error(value: Value) -> Result<Workbook, LoadError> {
    // Try the whole thing; on failure, narrow the place down section by section so
    // the message points at e.g. `scheme.indicators[2].rule`.
    match serde_json::from_value::<Workbook>(value.clone()) {
        Ok(wb) => Ok(wb),
        Err(e) => {
            let message = e.to_string();
            let place = locate(&value);
            Err(LoadError::Shape { place, message })
        }
    }
}

/// Finds the most specific place in the document that fails on its own: the walk of
/// [`crate::workbook`], each part read with serde as before.
fn locate(value: &Value) -> String {
    fn fails<T: DeserializeOwned>(v: &Value) -> bool {
        serde_json::from_value::<T>(v.clone()).is_err()
    }
    crate::workbook::locate(value, &|part, v| match part {
        Part::Indicator => fails::<Indicator>(v),
        Part::Rule => fails::<Rule>(v),
        Part::Metric => fails::<Metric>(v),
        Part::Category => fails::<Category>(v),
        Part::Season => fails::<Season>(v),
        Part::BonusRule => fails::<BonusRule>(v),
        Part::Scheme => fails::<Scheme>(v),
        Part::TotalRule => fails::<TotalRule>(v),
        Part::Grades => fails::<Grades>(v),
        Part::Rounding => fails::<Rounding>(v),
        Part::Agent => fails::<Agent>(v),
        Part::Period => fails::<Period>(v),
        Part::Record => fails::<Record>(v),
        Part::Meta => fails::<Meta>(v),
    })
}

#[cfg(test)]
mod tests {
    //! The differential test: the hand-written reader against the serde-based one above,
    //! on every preset and fixture and thousands of mutations of them.

    use super::*;
    use crate::read::Read;
    use std::collections::BTreeSet;
    use std::fmt::Debug;

    /// xorshift64: a fixed sequence, so a failure repeats.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Where a node is: object keys and array indices from the root.
    type Path = Vec<Result<String, usize>>;

    fn paths(v: &Value, here: &mut Path, out: &mut Vec<Path>) {
        out.push(here.clone());
        match v {
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    here.push(Err(i));
                    paths(x, here, out);
                    here.pop();
                }
            }
            Value::Object(o) => {
                for (k, x) in o {
                    here.push(Ok(k.clone()));
                    paths(x, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }

    fn get<'a>(v: &'a Value, path: &Path) -> &'a Value {
        path.iter().fold(v, |v, step| match step {
            Ok(k) => &v[k.as_str()],
            Err(i) => &v[*i],
        })
    }

    fn at<'a>(v: &'a mut Value, path: &Path) -> &'a mut Value {
        path.iter().fold(v, |v, step| match step {
            Ok(k) => &mut v[k.as_str()],
            Err(i) => &mut v[*i],
        })
    }

    /// Values put in place of others: every JSON type, numbers at the edges of u32,
    /// i64, u64, f64 and Decimal, decimal strings, names of enum variants.
    fn replacements() -> Vec<Value> {
        let texts = [
            "null", "true", "false", "0", "-1", "2", "1.5", "2.0", "-0.0", "4294967295", "4294967296", "-3000000000", "18446744073709551615",
            "-9223372036854775808", "1e300", "-1e20", "1e15", "\"\"", "\"x\"", "\"lots\"", "\"1100\"", "\"5000.00\"", "\"1e3\"", "\"-2.5E-3\"",
            "\"1e400\"", "\"79228162514264337593543950336\"", "\"0.0000000000000000000000000001\"", "\" 1\"", "\"higher\"", "\"dense\"",
            "\"all\"", "\"yes\"", "\"na\"", "\"target\"", "\"pool_split\"", "\"half_even\"", "[]", "[1, \"a\"]", "[null]", "[1.5, 2]",
            "{}", "{\"kind\": \"rank\"}", "{\"kind\": 3}", "{\"kind\": null}", "{\"a\": 1}", "{\"x\": \"y\"}", "{\"id\": \"q\"}",
        ];
        texts.iter().map(|t| serde_json::from_str(t).unwrap()).collect()
    }

    /// One random change somewhere in the tree.
    fn mutate(v: &mut Value, rng: &mut Rng, with: &[Value]) {
        let mut all = Vec::new();
        paths(v, &mut Vec::new(), &mut all);
        let path = &all[rng.below(all.len())];
        let objects: Vec<Path> = all.iter().filter(|p| get(v, p).is_object()).cloned().collect();
        if objects.is_empty() {
            return;
        }
        match rng.below(10) {
            0..=4 => *at(v, path) = with[rng.below(with.len())].clone(),
            5 => {
                // A copy of another node of the same document (plausible, misplaced).
                let other = get(v, &all[rng.below(all.len())]).clone();
                *at(v, path) = other;
            }
            6 | 7 => {
                let p = &objects[rng.below(objects.len())];
                if let Value::Object(o) = at(v, p) {
                    if let Some(k) = o.keys().nth(rng.below(o.len())).cloned() {
                        o.remove(&k);
                    }
                }
            }
            _ => {
                let p = &objects[rng.below(objects.len())];
                let key = ["colour", "kind", "", "id", "min", "zz"][rng.below(6)];
                let x = with[rng.below(with.len())].clone();
                if let Value::Object(o) = at(v, p) {
                    o.insert(key.to_string(), x);
                }
            }
        }
    }

    /// The two readers on one value, for one type.
    fn same<T: Read + serde::de::DeserializeOwned + PartialEq + Debug + serde::Serialize>(v: &Value) -> Result<(), String> {
        let new = T::read(v).map_err(|e| e.to_string());
        let old = serde_json::from_value::<T>(v.clone()).map_err(|e| e.to_string());
        let json = |r: &Result<T, String>| r.as_ref().map(|x| serde_json::to_string(x).unwrap()).ok();
        if new == old && json(&new) == json(&old) {
            Ok(())
        } else {
            Err(format!("{}: new {new:?}, old {old:?}", std::any::type_name::<T>()))
        }
    }

    /// Every type the model reads, on one value.
    fn every_type(v: &Value) -> Result<(), String> {
        same::<f64>(v)?;
        same::<u32>(v)?;
        same::<bool>(v)?;
        same::<String>(v)?;
        same::<Decimal>(v)?;
        same::<Option<f64>>(v)?;
        same::<Option<Decimal>>(v)?;
        same::<Vec<f64>>(v)?;
        same::<Vec<u32>>(v)?;
        same::<Vec<Option<f64>>>(v)?;
        same::<Figures>(v)?;
        same::<BTreeMap<String, BTreeMap<String, Check>>>(v)?;
        same::<BTreeMap<String, Vec<Option<f64>>>>(v)?;
        same::<Check>(v)?;
        same::<TiePolicy>(v)?;
        same::<Rule>(v)?;
        same::<BonusRule>(v)?;
        same::<Indicator>(v)?;
        same::<Band>(v)?;
        same::<TotalRule>(v)?;
        same::<Record>(v)?;
        same::<Agent>(v)?;
        same::<Scheme>(v)?;
        same::<Meta>(v)?;
        Ok(())
    }

    /// The whole workbook, with the place of the problem: the same value or the same
    /// message and place. Returns the message, if any.
    fn same_workbook(v: &Value) -> Result<Option<String>, String> {
        let new = crate::workbook::serde_path_to_error(v);
        let old = serde_path_to_error(v.clone());
        let json = |r: &Result<Workbook, LoadError>| r.as_ref().map(crate::workbook::to_json).ok();
        if new != old || json(&new) != json(&old) {
            return Err(format!("workbook: new {new:?}, old {old:?}"));
        }
        Ok(match new {
            Ok(_) => None,
            Err(LoadError::Shape { message, .. }) => Some(message),
            Err(e) => Some(format!("{e:?}")),
        })
    }

    fn documents() -> Vec<(String, Value)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["presets", "tests/fixtures", "tests/fixtures/bad"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "json") {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
            .into_iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(&p).unwrap();
                let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
                Some((p.file_name().unwrap().to_string_lossy().into_owned(), v))
            })
            .collect()
    }

    #[test]
    fn the_hand_written_reader_says_what_serde_said() {
        let docs = documents();
        assert!(docs.len() >= 20, "presets and fixtures found: {}", docs.len());
        let with = replacements();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut ok, mut failed, mut compared) = (0, 0, 0);
        let mut messages = BTreeSet::new();
        for (name, doc) in &docs {
            // The document as it is, then mutations of it: 1 to 3 changes each.
            let rounds = if doc.to_string().len() > 3000 { 500 } else { 120 };
            for round in 0..=rounds {
                let mut v = doc.clone();
                if round > 0 {
                    for _ in 0..=rng.below(3) {
                        mutate(&mut v, &mut rng, &with);
                    }
                }
                match same_workbook(&v) {
                    Ok(None) => ok += 1,
                    Ok(Some(m)) => {
                        failed += 1;
                        messages.insert(m);
                    }
                    Err(e) => panic!("{name}, round {round}: {e}\n{v}"),
                }
                // Every type on a few of its nodes.
                let mut all = Vec::new();
                paths(&v, &mut Vec::new(), &mut all);
                for _ in 0..3 {
                    let node = get(&v, &all[rng.below(all.len())]);
                    if let Err(e) = every_type(node) {
                        panic!("{name}, round {round}: {e}\n{node}");
                    }
                    compared += 1;
                }
            }
        }
        for v in &with {
            every_type(v).unwrap();
        }
        // Not passing by accident: many documents of both outcomes, and every kind of
        // message among the failures.
        eprintln!("read {ok}, refused {failed}, {} messages, {compared} nodes × every type", messages.len());
        assert!(ok >= 300 && failed >= 2000, "read {ok}, refused {failed}");
        assert!(compared >= 5000);
        for kind in ["invalid type: ", "invalid value: ", "missing field ", "unknown field ", "unknown variant ", "expected a Decimal", "expected u32"] {
            assert!(messages.iter().any(|m| m.contains(kind)), "no `{kind}` among {} messages", messages.len());
        }
        assert!(messages.len() >= 200, "{} different messages", messages.len());
    }
}
