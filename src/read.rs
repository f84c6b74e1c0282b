//! Reading the workbook from a parsed JSON value, by hand.
//!
//! [`Read`] turns a `serde_json::Value` into a model value. It is implemented here for
//! the primitive and container types the model uses, and for each model type in
//! `model.rs` through [`read_object!`] (structs), [`read_name!`] (enums of plain names)
//! and two hand-written readers (the tagged unions `Rule` and `BonusRule`).
//!
//! Why not serde's `Deserialize`: through `serde_json::Value`'s deserializer every field
//! type instantiates serde's visitors and access types. Measured on the web app's
//! first load (release, wasm-opt, gzip): reading the workbook (with locating the
//! problem) cost 19.1 KB with serde's `Deserialize`, 12.3 KB with these readers.
//!
//! The messages are serde's, byte for byte, because the user sees them (`invalid type:
//! string "1100", expected f64`, `missing field \`id\``, `unknown field …, expected one
//! of …`, `unknown variant …`): they are built with serde_json's own error constructors,
//! with the `Unexpected` serde_json's `Value` deserializer would pick and the `expected`
//! text of serde's primitive visitors. A test keeps the former serde-based reading
//! (`serde_reading.rs`) and checks both agree on the presets, the fixtures and thousands
//! of mutations of them.

use rust_decimal::Decimal;
use serde::de::{Error as _, Unexpected};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A reading error: its text is what serde would have said.
pub type Error = serde_json::Error;

/// A value that can be read from JSON.
pub trait Read: Sized {
    fn read(v: &Value) -> Result<Self, Error>;
}

/// What serde_json's `Value` deserializer names a value in a type error.
fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// `invalid type: <v>, expected <what>`.
#[cold]
pub fn invalid_type(v: &Value, what: &str) -> Error {
    Error::invalid_type(unexpected(v), &what)
}

impl Read for f64 {
    fn read(v: &Value) -> Result<f64, Error> {
        v.as_f64().ok_or_else(|| invalid_type(v, "f64"))
    }
}

impl Read for u32 {
    fn read(v: &Value) -> Result<u32, Error> {
        match unexpected(v) {
            Unexpected::Unsigned(u) => u32::try_from(u).map_err(|_| Error::invalid_value(Unexpected::Unsigned(u), &"u32")),
            Unexpected::Signed(i) => Err(Error::invalid_value(Unexpected::Signed(i), &"u32")),
            _ => Err(invalid_type(v, "u32")),
        }
    }
}

impl Read for u64 {
    fn read(v: &Value) -> Result<u64, Error> {
        match unexpected(v) {
            Unexpected::Unsigned(u) => Ok(u),
            Unexpected::Signed(i) => Err(Error::invalid_value(Unexpected::Signed(i), &"u64")),
            _ => Err(invalid_type(v, "u64")),
        }
    }
}

impl Read for i64 {
    fn read(v: &Value) -> Result<i64, Error> {
        match unexpected(v) {
            Unexpected::Unsigned(u) => i64::try_from(u).map_err(|_| Error::invalid_value(Unexpected::Unsigned(u), &"i64")),
            Unexpected::Signed(i) => Ok(i),
            _ => Err(invalid_type(v, "i64")),
        }
    }
}

/// Any JSON, kept as it is (read later, or by another reader).
impl Read for Value {
    fn read(v: &Value) -> Result<Value, Error> {
        Ok(v.clone())
    }
}

impl Read for bool {
    fn read(v: &Value) -> Result<bool, Error> {
        v.as_bool().ok_or_else(|| invalid_type(v, "a boolean"))
    }
}

impl Read for String {
    fn read(v: &Value) -> Result<String, Error> {
        v.as_str().map(str::to_string).ok_or_else(|| invalid_type(v, "a string"))
    }
}

/// rust_decimal's `serde-str` reading: a string in plain or scientific notation.
impl Read for Decimal {
    fn read(v: &Value) -> Result<Decimal, Error> {
        const WHAT: &str = "a Decimal type representing a fixed-point number";
        let s = v.as_str().ok_or_else(|| invalid_type(v, WHAT))?;
        s.parse::<Decimal>().or_else(|_| Decimal::from_scientific(s)).map_err(|_| Error::invalid_value(Unexpected::Str(s), &WHAT))
    }
}

/// `null` is `None`.
impl<T: Read> Read for Option<T> {
    fn read(v: &Value) -> Result<Option<T>, Error> {
        if v.is_null() {
            Ok(None)
        } else {
            T::read(v).map(Some)
        }
    }
}

/// The elements of a JSON array.
pub fn array(v: &Value) -> Result<&[Value], Error> {
    v.as_array().map(Vec::as_slice).ok_or_else(|| invalid_type(v, "a sequence"))
}

/// The entries of a JSON object.
pub fn object(v: &Value) -> Result<&Map<String, Value>, Error> {
    v.as_object().ok_or_else(|| invalid_type(v, "a map"))
}

// The containers are filled by plain loops: `collect()` into a `Result` or a
// `BTreeMap` instantiates an adapter and a sort per element type (~10 KB of the
// WebAssembly here).

impl<T: Read> Read for Vec<T> {
    fn read(v: &Value) -> Result<Vec<T>, Error> {
        let items = array(v)?;
        let mut out = Vec::with_capacity(items.len());
        for x in items {
            out.push(T::read(x)?);
        }
        Ok(out)
    }
}

impl<T: Read> Read for BTreeMap<String, T> {
    fn read(v: &Value) -> Result<BTreeMap<String, T>, Error> {
        let mut out = BTreeMap::new();
        for (k, x) in object(v)? {
            out.insert(k.clone(), T::read(x)?);
        }
        Ok(out)
    }
}

/// An object of numbers (what `BTreeMap<String, f64>` reads).
impl Read for crate::figures::Figures {
    fn read(v: &Value) -> Result<Self, Error> {
        let mut out = Self::new();
        for (k, x) in object(v)? {
            out.insert(k.as_str(), f64::read(x)?);
        }
        Ok(out)
    }
}

/// Which of `names` the string is: `invalid type: …, expected a string` for anything
/// but a string, `unknown variant …, expected one of …` for another name.
pub fn name(v: &Value, names: &'static [&'static str]) -> Result<usize, Error> {
    let s = v.as_str().ok_or_else(|| invalid_type(v, "a string"))?;
    names.iter().position(|n| *n == s).ok_or_else(|| Error::unknown_variant(s, names))
}

/// An object's fields, looked up by name and read as the type asked for.
pub struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    /// A tagged object: reads `kind`, checks it is one of `kinds` and that every other
    /// key is one of that kind's fields. Returns the kind's index in `kinds`.
    pub fn open(v: &'a Value, kinds: &'static [&'static str], fields: fn(&str) -> Option<&'static [&'static str]>) -> Result<(usize, Fields<'a>), Error> {
        let obj = object(v)?;
        let kind = match obj.get("kind") {
            None => return Err(Error::missing_field("kind")),
            Some(Value::String(s)) => s,
            Some(other) => return Err(Error::custom(format!("invalid type: {}, expected a kind name", kind_of(other)))),
        };
        let (Some(i), Some(allowed)) = (kinds.iter().position(|k| k == kind), fields(kind)) else {
            return Err(Error::unknown_variant(kind, kinds));
        };
        Ok((i, Fields::check(obj, allowed, Some("kind"))?))
    }

    /// A struct's fields, other keys ignored (what serde's derive does without
    /// `deny_unknown_fields`: the stored envelopes may gain fields).
    pub fn any(v: &'a Value) -> Result<Fields<'a>, Error> {
        object(v).map(Fields)
    }

    /// A struct's fields: every key must be one of `allowed`.
    pub fn plain(v: &'a Value, allowed: &'static [&'static str]) -> Result<Fields<'a>, Error> {
        Fields::check(object(v)?, allowed, None)
    }

    fn check(obj: &'a Map<String, Value>, allowed: &'static [&'static str], tag: Option<&str>) -> Result<Fields<'a>, Error> {
        if let Some(k) = obj.keys().find(|k| Some(k.as_str()) != tag && !allowed.contains(&k.as_str())) {
            return Err(Error::unknown_field(k, allowed));
        }
        Ok(Fields(obj))
    }

    /// The value of a field, if present.
    #[inline(never)]
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.0.get(name)
    }

    /// The value of a field that must be there (`missing field …`).
    #[inline(never)]
    pub fn value(&self, name: &'static str) -> Result<&'a Value, Error> {
        self.0.get(name).ok_or_else(|| Error::missing_field(name))
    }

    /// A field that must be there.
    pub fn need<T: Read>(&self, name: &'static str) -> Result<T, Error> {
        T::read(self.value(name)?)
    }

    /// A field with a default (`null` is refused, as serde's derive does).
    pub fn or<T: Read>(&self, name: &'static str, default: T) -> Result<T, Error> {
        match self.get(name) {
            Some(v) => T::read(v),
            None => Ok(default),
        }
    }

    /// An optional field (`null` = absent).
    pub fn opt<T: Read>(&self, name: &'static str) -> Result<Option<T>, Error> {
        match self.get(name) {
            Some(v) => Option::<T>::read(v),
            None => Ok(None),
        }
    }

    /// Reads a field that must be there into `slot`. (Filling a struct in place costs
    /// less WebAssembly than returning each field: one shared function per field type.)
    #[inline(never)]
    pub fn need_into<T: Read>(&self, name: &'static str, slot: &mut T) -> Result<(), Error> {
        *slot = T::read(self.value(name)?)?;
        Ok(())
    }

    /// Reads a field into `slot` if it is there (`slot` holds the default).
    #[inline(never)]
    pub fn or_into<T: Read>(&self, name: &'static str, slot: &mut T) -> Result<(), Error> {
        if let Some(v) = self.get(name) {
            *slot = T::read(v)?;
        }
        Ok(())
    }
}

/// `null`, `boolean`, … for the message about a `kind` that is not a string.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "sequence",
        Value::Object(_) => "map",
    }
}

/// `impl Read` for a plain struct: unknown keys refused (`unknown field …, expected one
/// of …`, in declaration order), then each field, in the order given, by how it is
/// read: `need` (`missing field …` when absent; `need(placeholder)` for a type without
/// `Default`: what the field holds until it is read), `or(default)` (absent = the
/// default; `null` refused, as serde's derive does) or `opt` (absent or `null` = `None`).
/// The struct is built with the defaults first and filled in place.
/// `read_object!(lenient Type { … })`: the same, with unknown keys ignored.
macro_rules! read_object {
    ($ty:ident { $($field:ident: $how:ident $(($default:expr))?),* $(,)? }) => {
        impl $crate::read::Read for $ty {
            fn read(v: &serde_json::Value) -> Result<$ty, $crate::read::Error> {
                const FIELDS: &[&str] = &[$(stringify!($field)),*];
                let f = $crate::read::Fields::plain(v, FIELDS)?;
                let mut out = $ty { $($field: read_object!(@start $how $(, $default)?)),* };
                $(read_object!(@read f, out, $field, $how);)*
                Ok(out)
            }
        }
    };
    (lenient $ty:ident { $($field:ident: $how:ident $(($default:expr))?),* $(,)? }) => {
        impl $crate::read::Read for $ty {
            fn read(v: &serde_json::Value) -> Result<$ty, $crate::read::Error> {
                let f = $crate::read::Fields::any(v)?;
                let mut out = $ty { $($field: read_object!(@start $how $(, $default)?)),* };
                $(read_object!(@read f, out, $field, $how);)*
                Ok(out)
            }
        }
    };
    // What the field holds before it is read: its default, or a placeholder.
    (@start need) => { Default::default() };
    (@start need, $placeholder:expr) => { $placeholder };
    (@start opt) => { None };
    (@start or, $default:expr) => { $default };
    (@read $f:ident, $out:ident, $field:ident, need) => { $f.need_into(stringify!($field), &mut $out.$field)? };
    // `opt` is `or` over an `Option` (absent = the `None` already there, `null` = `None`).
    (@read $f:ident, $out:ident, $field:ident, $how:ident) => { $f.or_into(stringify!($field), &mut $out.$field)? };
}

/// `impl Read` for an enum of plain names (`"higher"`, `"half_up"` …): a string, one
/// of the names (`unknown variant …, expected one of …` otherwise).
macro_rules! read_name {
    ($ty:ident { $($text:literal => $variant:ident),* $(,)? }) => {
        impl $crate::read::Read for $ty {
            fn read(v: &serde_json::Value) -> Result<$ty, $crate::read::Error> {
                const NAMES: &[&str] = &[$($text),*];
                let i = $crate::read::name(v, NAMES)?;
                // `i` is an index into NAMES, so always one of these.
                let all = [$($ty::$variant),*];
                Ok(all.get(i).copied().unwrap_or(all[0]))
            }
        }
    };
}

pub(crate) use {read_name, read_object};
