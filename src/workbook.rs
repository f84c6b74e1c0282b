//! Reading and writing the workbook file: header checks, limits, the migration chain
//! (`migrate(v → v+1)`), and the canonical JSON text.
//!
//! Reading is all-or-nothing: [`parse`] either returns a complete, migrated workbook
//! or a [`LoadError`] that says what is wrong and where; the caller's state is never
//! touched half-way. Semantic checks (unknown metrics, band gaps …) are
//! [`crate::validate`]'s job and run after a successful parse.

use crate::model::{Workbook, FORMAT, VERSION};
use crate::read::Read;
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

/// The top-level key under which an exported file carries the results as the sender
/// saw them (a [`crate::report::ResultsDoc`]). It is not part of the workbook: reading
/// sets it aside ([`read`] returns it, [`parse`] drops it), so an exported file opens
/// anywhere a workbook does.
pub const RESULTS_KEY: &str = "results";

/// What a workbook file holds: the workbook (migrated to [`VERSION`]), the version the
/// file was written in, and the results snapshot of an export, if any (unchecked JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct FileContents {
    pub workbook: Workbook,
    pub file_version: u64,
    pub results: Option<Value>,
}

/// Reads a workbook from JSON text: size and depth limits, header, migration, shape.
pub fn parse(text: &str) -> Result<Workbook, LoadError> {
    read(text).map(|f| f.workbook)
}

/// Like [`parse`], also returning the file's version and its results snapshot.
pub fn read(text: &str) -> Result<FileContents, LoadError> {
    if text.len() > MAX_BYTES {
        return Err(LoadError::TooLarge { bytes: text.len() });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if nesting_depth(text) > MAX_DEPTH {
        return Err(LoadError::TooDeep);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        if message.contains("recursion limit") {
            return LoadError::TooDeep;
        }
        // 1e400 (out of range) and NaN / Infinity (not JSON, but written by some tools,
        // e.g. Python's json module) are bad numbers: say where.
        let offset = byte_offset(text, e.line(), e.column());
        let at = text.get(offset..).unwrap_or("");
        let word = at.trim_start_matches(['-', '+']);
        let not_finite = ["NaN", "Infinity", "nan", "inf"].iter().any(|w| word.starts_with(w));
        if message.starts_with("number out of range") || not_finite {
            let place = path_at(text, offset);
            if !place.is_empty() {
                return LoadError::BadNumber { place };
            }
        }
        LoadError::NotJson { line: e.line(), column: e.column(), message }
    })?;
    read_value(value)
}

/// Reads a workbook from an already-parsed JSON value (a results snapshot is dropped).
pub fn from_value(value: Value) -> Result<Workbook, LoadError> {
    read_value(value).map(|f| f.workbook)
}

fn read_value(mut value: Value) -> Result<FileContents, LoadError> {
    let obj = value.as_object_mut().ok_or(LoadError::NotAnObject)?;
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
    let results = obj.remove(RESULTS_KEY);
    // serde would read a struct from an array by position (`"scheme": []`): refuse that
    // for the two top-level sections, where it can only be a mistake.
    for key in ["meta", "scheme"] {
        if obj.get(key).is_some_and(|v| !v.is_object()) {
            return Err(LoadError::Shape { place: key.into(), message: format!("`{key}` must be an object {{ … }}") });
        }
    }
    let mut v = version;
    while v < u64::from(VERSION) {
        value = migrate(v, value)?;
        v += 1;
    }
    if let Some(place) = find_huge_number(&value, String::new()) {
        return Err(LoadError::BadNumber { place });
    }
    let workbook = serde_path_to_error(&value)?;
    Ok(FileContents { workbook, file_version: version, results })
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
    write_json(wb, true)
}

/// JSON text of any value: pretty (files people open and share) or compact (the
/// browser's storage). Every JSON text the app writes goes through here, so each
/// type's serialising code exists once in the WebAssembly instead of once per layout.
/// (Serialising plain data with string keys cannot fail.)
pub fn write_json<T: serde::Serialize + ?Sized>(value: &T, pretty: bool) -> String {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Layout { pretty: serde_json::ser::PrettyFormatter::new(), on: pretty });
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's pretty layout when `on`, else its compact one (whose structural
/// methods are the trait's defaults).
struct Layout {
    pretty: serde_json::ser::PrettyFormatter<'static>,
    on: bool,
}

macro_rules! layout {
    ($($name:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(
            #[inline]
            fn $name<W: ?Sized + std::io::Write>(&mut self, writer: &mut W $(, $arg: $ty)*) -> std::io::Result<()> {
                if self.on {
                    self.pretty.$name(writer $(, $arg)*)
                } else {
                    serde_json::ser::CompactFormatter.$name(writer $(, $arg)*)
                }
            }
        )*
    };
}

impl serde_json::ser::Formatter for Layout {
    layout!(
        begin_array(),
        end_array(),
        begin_array_value(first: bool),
        end_array_value(),
        begin_object(),
        end_object(),
        begin_object_key(first: bool),
        end_object_key(),
        begin_object_value(),
        end_object_value(),
    );
}

/// The workbook with rules only: no agents, no periods, no figures.
pub fn scheme_only(wb: &Workbook) -> Workbook {
    Workbook { agents: Vec::new(), periods: Vec::new(), records: Vec::new(), ..wb.clone() }
}

/// Reads the workbook ([`crate::read`]) with the path of the first problem: on failure,
/// the place is found by reading the document's parts one by one.
pub(crate) fn serde_path_to_error(value: &Value) -> Result<Workbook, LoadError> {
    // Try the whole thing; on failure, narrow the place down section by section so
    // the message points at e.g. `scheme.indicators[2].rule`.
    Workbook::read(value).map_err(|e| {
        let message = e.to_string();
        let place = locate(value, &|part, v| part.fails(v));
        LoadError::Shape { place, message }
    })
}

/// The parts of a workbook that [`locate`] reads on their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Indicator,
    Rule,
    Metric,
    Category,
    Season,
    BonusRule,
    Scheme,
    TotalRule,
    Grades,
    Rounding,
    Agent,
    Period,
    Record,
    Meta,
}

impl Part {
    /// Whether `v` does not read as this part ([`crate::read`]).
    fn fails(self, v: &Value) -> bool {
        use crate::model::*;
        match self {
            Part::Indicator => Indicator::read(v).is_err(),
            Part::Rule => Rule::read(v).is_err(),
            Part::Metric => Metric::read(v).is_err(),
            Part::Category => Category::read(v).is_err(),
            Part::Season => Season::read(v).is_err(),
            Part::BonusRule => BonusRule::read(v).is_err(),
            Part::Scheme => Scheme::read(v).is_err(),
            Part::TotalRule => TotalRule::read(v).is_err(),
            Part::Grades => Grades::read(v).is_err(),
            Part::Rounding => Rounding::read(v).is_err(),
            Part::Agent => Agent::read(v).is_err(),
            Part::Period => Period::read(v).is_err(),
            Part::Record => Record::read(v).is_err(),
            Part::Meta => Meta::read(v).is_err(),
        }
    }
}

/// Finds the most specific place in the document that fails on its own; `fails` says
/// whether a part does not read (the reader's, or in tests the former serde reading's).
pub(crate) fn locate(value: &Value, fails: &dyn Fn(Part, &Value) -> bool) -> String {
    // `base[i]` for the first element of the array `v` that fails as a `part`.
    let first_bad = |base: &str, v: Option<&Value>, part: Part| -> Option<String> {
        let arr = v?.as_array()?;
        arr.iter().position(|x| fails(part, x)).map(|i| format!("{base}[{i}]"))
    };
    let Some(obj) = value.as_object() else { return String::new() };
    // Keys the workbook does not have, and top-level fields of the wrong JSON type.
    const TOP: [&str; 8] = ["format", "version", "app_version", "meta", "scheme", "agents", "periods", "records"];
    if let Some(k) = obj.keys().find(|k| !TOP.contains(&k.as_str())) {
        return k.clone();
    }
    for key in ["agents", "periods", "records"] {
        if obj.get(key).is_some_and(|v| !v.is_array()) {
            return key.into();
        }
    }
    for key in ["meta", "scheme"] {
        if obj.get(key).is_some_and(|v| !v.is_object()) {
            return key.into();
        }
    }
    if obj.get("app_version").is_some_and(|v| !v.is_string()) {
        return "app_version".into();
    }
    let Some(s) = obj.get("scheme") else { return "scheme".into() };
    const SCHEME: [&str; 8] = ["metrics", "indicators", "categories", "seasons", "total", "grades", "bonus", "rounding"];
    if let Some(k) = s.as_object().and_then(|o| o.keys().find(|k| !SCHEME.contains(&k.as_str()))) {
        return format!("scheme.{k}");
    }
    if let Some(p) = first_bad("scheme.indicators", s.get("indicators"), Part::Indicator) {
        let i: usize = p.trim_end_matches(']').rsplit('[').next().and_then(|x| x.parse().ok()).unwrap_or(0);
        if let Some(rule) = s.get("indicators").and_then(|x| x.get(i)).and_then(|x| x.get("rule")) {
            if fails(Part::Rule, rule) {
                return format!("{p}.rule");
            }
        }
        return p;
    }
    for (key, part) in [("metrics", Part::Metric), ("categories", Part::Category), ("seasons", Part::Season), ("bonus", Part::BonusRule)] {
        if let Some(p) = first_bad(&format!("scheme.{key}"), s.get(key), part) {
            return p;
        }
    }
    if fails(Part::Scheme, s) {
        for (key, part) in [("total", Part::TotalRule), ("grades", Part::Grades), ("rounding", Part::Rounding)] {
            if s.get(key).is_some_and(|v| fails(part, v)) {
                return format!("scheme.{key}");
            }
        }
        return "scheme".into();
    }
    for (key, part) in [("agents", Part::Agent), ("periods", Part::Period), ("records", Part::Record)] {
        if let Some(p) = first_bad(key, obj.get(key), part) {
            return p;
        }
    }
    if obj.get("meta").is_some_and(|v| fails(Part::Meta, v)) {
        return "meta".into();
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

/// The byte offset of serde_json's (1-based line, 1-based byte column), clamped.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0usize;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The path (`scheme.total.base`, `records[3].figures.calls`) of the value being read at
/// byte `offset`, found by a light scan of the text up to there (no full parse: the
/// text may be broken just after it).
fn path_at(text: &str, offset: usize) -> String {
    enum Frame {
        Object { key: Option<String>, expect_key: bool },
        Array { index: usize },
    }
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0usize;
    while i < end {
        match bytes[i] {
            b'"' => {
                // Find the closing quote, honouring escapes.
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let raw = text.get(start..j.min(bytes.len())).unwrap_or("");
                if let Some(Frame::Object { key, expect_key }) = stack.last_mut() {
                    if *expect_key {
                        *key = Some(serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_string()));
                        *expect_key = false;
                    }
                }
                i = j + 1;
                continue;
            }
            b'{' => stack.push(Frame::Object { key: None, expect_key: true }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut place = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(k), .. } => {
                if !place.is_empty() {
                    place.push('.');
                }
                place.push_str(k);
            }
            Frame::Object { key: None, .. } => {}
            Frame::Array { index } => place.push_str(&format!("[{index}]")),
        }
    }
    place
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
        assert_eq!(parse(r#"{"format":"kpi-scorecard","version":1,"scheme":{},"x":NaN}"#), Err(LoadError::BadNumber { place: "x".into() }));
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
    fn an_exported_results_snapshot_is_set_aside() {
        let text = r#"{"format":"kpi-scorecard","version":1,"scheme":{},"results":{"format":"kpi-scorecard-results","version":1,"periods":[],"x":1e300}}"#;
        let wb = parse(text).unwrap();
        assert_eq!(wb, parse(MINIMAL).unwrap());
        let file = read(text).unwrap();
        assert_eq!(file.file_version, 1);
        assert_eq!(file.results.unwrap()["format"], "kpi-scorecard-results");
        assert_eq!(read(MINIMAL).unwrap().results, None);
        // Only at the top level: a `results` key elsewhere is still unknown.
        assert!(matches!(parse(r#"{"format":"kpi-scorecard","version":1,"scheme":{"results":1}}"#), Err(LoadError::Shape { place, .. }) if place == "scheme.results"));
    }

    #[test]
    fn bad_numbers_in_the_text_say_where() {
        let nan = "{\"format\":\"kpi-scorecard\",\"version\":1,\"scheme\":{},\n\"records\":[{\"agent\":\"a\",\"period\":\"p\",\"figures\":{\"x\":1,\"y\":NaN}}]}";
        assert_eq!(parse(nan), Err(LoadError::BadNumber { place: "records[0].figures.y".into() }));
        let inf = r#"{"format":"kpi-scorecard","version":1,"scheme":{"total":{"min":-Infinity}}}"#;
        assert_eq!(parse(inf), Err(LoadError::BadNumber { place: "scheme.total.min".into() }));
        let big = r#"{"format":"kpi-scorecard","version":1,"scheme":{"total":{"max":1e309}}}"#;
        assert_eq!(parse(big), Err(LoadError::BadNumber { place: "scheme.total.max".into() }));
        // Keys and strings with quotes, brackets and commas do not confuse the scan.
        let tricky = r#"{"format":"kpi-scorecard","version":1,"meta":{"title":"a \"[,{\" b"},"scheme":{},"records":[{"agent":"x","period":"p","figures":{"k\"[":1}},{"agent":"y","period":"p","figures":{"k,":NaN}}]}"#;
        assert_eq!(parse(tricky), Err(LoadError::BadNumber { place: "records[1].figures.k,".into() }));
        // A bare NaN is not a workbook at all.
        assert!(matches!(parse("NaN"), Err(LoadError::NotJson { .. })));
    }

    #[test]
    fn unknown_keys_and_wrong_top_level_types_are_named() {
        let place = |t: &str| match parse(t) {
            Err(LoadError::Shape { place, .. }) => place,
            other => panic!("{other:?}"),
        };
        assert_eq!(place(r#"{"format":"kpi-scorecard","version":1,"scheme":{},"colour":1}"#), "colour");
        assert_eq!(place(r#"{"format":"kpi-scorecard","version":1,"scheme":{},"agents":"Anna"}"#), "agents");
        assert_eq!(place(r#"{"format":"kpi-scorecard","version":1,"scheme":[]}"#), "scheme");
        assert_eq!(place(r#"{"format":"kpi-scorecard","version":1,"scheme":{"weights":{}}}"#), "scheme.weights");
        assert_eq!(place(r#"{"format":"kpi-scorecard","version":1,"app_version":2,"scheme":{}}"#), "app_version");
    }

    #[test]
    fn html_in_text_is_kept_as_text() {
        let wb = parse(r#"{"format":"kpi-scorecard","version":1,"meta":{"title":"<script>alert(1)</script>"},"scheme":{}}"#).unwrap();
        assert_eq!(wb.meta.title, "<script>alert(1)</script>");
    }
}

#[cfg(test)]
mod write_tests {
    #[test]
    fn both_layouts_match_serde_json() {
        for p in crate::presets::PRESETS {
            let id = p.id;
            let Some(Ok(wb)) = crate::presets::load(id) else { panic!("preset {id} loads") };
            assert_eq!(super::write_json(&wb, true), serde_json::to_string_pretty(&wb).unwrap(), "{id} pretty");
            assert_eq!(super::write_json(&wb, false), serde_json::to_string(&wb).unwrap(), "{id} compact");
        }
    }
}
