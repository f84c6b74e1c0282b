//! Reading and writing the workbook file: header checks, limits, the migration chain
//! (`migrate(v → v+1)`), and the canonical JSON text.
//!
//! Reading is all-or-nothing: [`parse`] either returns a complete, migrated workbook
//! or a [`LoadError`] that says what is wrong and where; the caller's state is never
//! touched half-way. Semantic checks (unknown metrics, band gaps …) are
//! [`crate::validate`]'s job and run after a successful parse.

use crate::model::{Workbook, FORMAT, VERSION};
use serde_json::Value;

/// Files larger than this are refused before reading (bytes).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Deepest nesting of arrays/objects accepted (the format needs about 8).
pub const MAX_DEPTH: usize = 64;

/// Why a file could not be opened.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    TooLarge { bytes: usize },
    /// Not JSON at all; line and column of the first problem.
    NotJson { line: usize, column: usize, message: String },
    TooDeep,
    NotAnObject,
    /// `format` is missing or not ours.
    WrongFormat { found: Option<String> },
    MissingVersion,
    /// Made by a newer version of the app.
    Newer { version: u64 },
    /// Version 0 or not a whole number.
    BadVersion,
    /// The JSON has the wrong shape: a missing field, a wrong type, an unknown rule kind …
    /// `place` is a path into the document when one can be found.
    Shape { place: String, message: String },
    /// A number that is not finite or too large for the engine.
    BadNumber { place: String },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::explain::load_error(self, crate::i18n::Lang::En).fmt(f)
    }
}

/// Reads a workbook from JSON text: size and depth limits, header, migration, shape.
pub fn parse(text: &str) -> Result<Workbook, LoadError> {
    if text.len() > MAX_BYTES {
        return Err(LoadError::TooLarge { bytes: text.len() });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if nesting_depth(text) > MAX_DEPTH {
        return Err(LoadError::TooDeep);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        if e.to_string().contains("recursion limit") {
            LoadError::TooDeep
        } else {
            LoadError::NotJson { line: e.line(), column: e.column(), message: e.to_string() }
        }
    })?;
    from_value(value)
}

/// Reads a workbook from an already-parsed JSON value.
pub fn from_value(mut value: Value) -> Result<Workbook, LoadError> {
    let obj = value.as_object().ok_or(LoadError::NotAnObject)?;
    match obj.get("format") {
        Some(Value::String(s)) if s == FORMAT => {}
        Some(Value::String(s)) => return Err(LoadError::WrongFormat { found: Some(s.clone()) }),
        _ => return Err(LoadError::WrongFormat { found: None }),
    }
    let version = match obj.get("version") {
        None => return Err(LoadError::MissingVersion),
        Some(v) => v.as_u64().ok_or(LoadError::BadVersion)?,
    };
    if version == 0 {
        return Err(LoadError::BadVersion);
    }
    if version > u64::from(VERSION) {
        return Err(LoadError::Newer { version });
    }
    let mut v = version;
    while v < u64::from(VERSION) {
        value = migrate(v, value)?;
        v += 1;
    }
    if let Some(place) = find_huge_number(&value, String::new()) {
        return Err(LoadError::BadNumber { place });
    }
    let wb: Workbook = serde_path_to_error(value)?;
    Ok(wb)
}

/// One step of the migration chain: a version-`from` document to version `from + 1`.
/// Version 1 is the first format, so no step exists yet. Each future format change
/// adds an arm here (`1 => v1_to_v2(value)`) and keeps `tests/fixtures/v1.json`
/// loading: the fixture test in `tests/workbook_file.rs` is what keeps the chain real.
pub fn migrate(from: u64, value: Value) -> Result<Value, LoadError> {
    #[allow(clippy::match_single_binding)]
    match from {
        _ => {
            let _ = value;
            Err(LoadError::Shape { place: "version".into(), message: format!("no migration from version {from}") })
        }
    }
}

/// The canonical text of a workbook: pretty JSON, fields in declaration order, maps
/// sorted. Export → import → export gives the same bytes.
pub fn to_json(wb: &Workbook) -> String {
    // Serialising plain data with string keys cannot fail.
    serde_json::to_string_pretty(wb).unwrap_or_default()
}

/// The workbook with rules only: no agents, no periods, no figures.
pub fn scheme_only(wb: &Workbook) -> Workbook {
    Workbook { agents: Vec::new(), periods: Vec::new(), records: Vec::new(), ..wb.clone() }
}

/// Deserialises with the path of the first problem, built by walking serde's error
/// against the document (serde_json reports line/column only for text).
fn serde_path_to_error(value: Value) -> Result<Workbook, LoadError> {
    // Try the whole thing; on failure, narrow the place down section by section so
    // the message points at e.g. `scheme.indicators[2].rule`.
    match serde_json::from_value::<Workbook>(value.clone()) {
        Ok(wb) => Ok(wb),
        Err(e) => {
            let message = e.to_string();
            let place = locate(&value, &message);
            Err(LoadError::Shape { place, message })
        }
    }
}

/// Finds the most specific place in the document that fails on its own.
fn locate(value: &Value, _message: &str) -> String {
    use crate::model::*;
    fn fails<T: serde::de::DeserializeOwned>(v: &Value) -> bool {
        serde_json::from_value::<T>(v.clone()).is_err()
    }
    fn first_bad<T: serde::de::DeserializeOwned>(base: &str, v: Option<&Value>) -> Option<String> {
        let arr = v?.as_array()?;
        arr.iter().position(fails::<T>).map(|i| format!("{base}[{i}]"))
    }
    let Some(obj) = value.as_object() else { return String::new() };
    if let Some(s) = obj.get("scheme") {
        if let Some(p) = first_bad::<Indicator>("scheme.indicators", s.get("indicators")) {
            let i: usize = p.trim_end_matches(']').rsplit('[').next().and_then(|x| x.parse().ok()).unwrap_or(0);
            if let Some(rule) = s.get("indicators").and_then(|x| x.get(i)).and_then(|x| x.get("rule")) {
                if fails::<Rule>(rule) {
                    return format!("{p}.rule");
                }
            }
            return p;
        }
        for (name, bad) in [
            ("metrics", first_bad::<Metric>("scheme.metrics", s.get("metrics"))),
            ("categories", first_bad::<Category>("scheme.categories", s.get("categories"))),
            ("seasons", first_bad::<Season>("scheme.seasons", s.get("seasons"))),
            ("bonus", first_bad::<BonusRule>("scheme.bonus", s.get("bonus"))),
        ] {
            let _ = name;
            if let Some(p) = bad {
                return p;
            }
        }
        if fails::<Scheme>(s) {
            for key in ["total", "grades", "rounding"] {
                if let Some(v) = s.get(key) {
                    let bad = match key {
                        "total" => fails::<TotalRule>(v),
                        "grades" => fails::<Grades>(v),
                        _ => fails::<Rounding>(v),
                    };
                    if bad {
                        return format!("scheme.{key}");
                    }
                }
            }
            return "scheme".into();
        }
    } else {
        return "scheme".into();
    }
    if let Some(p) = first_bad::<Agent>("agents", obj.get("agents")) {
        return p;
    }
    if let Some(p) = first_bad::<Period>("periods", obj.get("periods")) {
        return p;
    }
    if let Some(p) = first_bad::<Record>("records", obj.get("records")) {
        return p;
    }
    if let Some(m) = obj.get("meta") {
        if fails::<Meta>(m) {
            return "meta".into();
        }
    }
    String::new()
}

/// The deepest nesting of `[`/`{` outside strings, counted without parsing.
fn nesting_depth(text: &str) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The place of a number too large for the engine (|x| > 1e15), if any.
/// (JSON has no NaN or Infinity; serde_json refuses them as text.)
fn find_huge_number(v: &Value, place: String) -> Option<String> {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.is_finite() && x.abs() <= 1e15 => None,
            _ => Some(place),
        },
        Value::Array(a) => a.iter().enumerate().find_map(|(i, x)| find_huge_number(x, format!("{place}[{i}]"))),
        Value::Object(o) => o.iter().find_map(|(k, x)| find_huge_number(x, if place.is_empty() { k.clone() } else { format!("{place}.{k}") })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"format":"kpi-scorecard","version":1,"scheme":{}}"#;

    #[test]
    fn reads_a_minimal_workbook_and_writes_it_back_stably() {
        let wb = parse(MINIMAL).unwrap();
        assert_eq!(wb.meta.currency, "CNY");
        let text = to_json(&wb);
        assert_eq!(to_json(&parse(&text).unwrap()), text);
    }

    #[test]
    fn refuses_bad_files_with_reasons() {
        assert!(matches!(parse("not json"), Err(LoadError::NotJson { line: 1, .. })));
        assert_eq!(parse("[1,2]"), Err(LoadError::NotAnObject));
        assert_eq!(parse(r#"{"format":"excel","version":1,"scheme":{}}"#), Err(LoadError::WrongFormat { found: Some("excel".into()) }));
        assert_eq!(parse(r#"{"version":1,"scheme":{}}"#), Err(LoadError::WrongFormat { found: None }));
        assert_eq!(parse(r#"{"format":"kpi-scorecard","scheme":{}}"#), Err(LoadError::MissingVersion));
        assert_eq!(parse(r#"{"format":"kpi-scorecard","version":2,"scheme":{}}"#), Err(LoadError::Newer { version: 2 }));
        assert_eq!(parse(r#"{"format":"kpi-scorecard","version":1.5,"scheme":{}}"#), Err(LoadError::BadVersion));
        assert_eq!(parse(r#"{"format":"kpi-scorecard","version":1}"#).map(|_| ()).unwrap_err(), LoadError::Shape { place: "scheme".into(), message: "missing field `scheme`".into() });
        assert!(matches!(parse(&format!("{}{}", "[".repeat(100), "]".repeat(100))), Err(LoadError::TooDeep)));
        assert!(matches!(parse(&" ".repeat(MAX_BYTES + 1)), Err(LoadError::TooLarge { .. })));
        assert!(matches!(parse(r#"{"format":"kpi-scorecard","version":1,"scheme":{},"x":NaN}"#), Err(LoadError::NotJson { .. })));
        assert_eq!(
            parse(r#"{"format":"kpi-scorecard","version":1,"scheme":{"indicators":[{"id":"a","rule":{"kind":"magic"}}]}}"#).map(|_| ()).unwrap_err(),
            LoadError::Shape { place: "scheme.indicators[0].rule".into(), message: parse_msg(r#"{"format":"kpi-scorecard","version":1,"scheme":{"indicators":[{"id":"a","rule":{"kind":"magic"}}]}}"#) }
        );
        assert_eq!(parse(r#"{"format":"kpi-scorecard","version":1,"scheme":{"total":{"base":1e300}}}"#), Err(LoadError::BadNumber { place: "scheme.total.base".into() }));
    }

    fn parse_msg(text: &str) -> String {
        match parse(text) {
            Err(LoadError::Shape { message, .. }) => message,
            other => panic!("expected a shape error, got {other:?}"),
        }
    }

    #[test]
    fn html_in_text_is_kept_as_text() {
        let wb = parse(r#"{"format":"kpi-scorecard","version":1,"meta":{"title":"<script>alert(1)</script>"},"scheme":{}}"#).unwrap();
        assert_eq!(wb.meta.title, "<script>alert(1)</script>");
    }
}
