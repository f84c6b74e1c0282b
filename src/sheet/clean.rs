//! Cleaning one cell of a figure column: the text as a helpdesk export or a person
//! wrote it → a number, "missing", or a reason it is not a figure.
//!
//! | written | read as |
//! |---|---|
//! | `1,459` · `1 459` · `１，４５９` | 1459 |
//! | `92.5%` · `92.5 ％` | 92.5 (a percent stays the number people type) |
//! | `35s` · `35 秒` · `35 sec` | 35 (seconds) |
//! | `00:01:15` · `1:15` · `1分15秒` · `1m15s` | 75 (seconds) |
//! | `1.2万` · `1.2w` · `3k` · `2亿` | 12000 · 12000 · 3000 · 200000000 |
//! | `¥1,234.50` · `1234.5元` · `812件` | 1234.5 · 1234.5 · 812 |
//! | `(12)` · `−12` | −12 |
//! | `""` · `-` · `—` · `N/A` · `#N/A` · `无` · `/` | missing |
//! | `92,5` (only with [`NumberStyle::decimal_comma`], semicolon files) | 92.5 |
//!
//! Durations become seconds, or minutes/hours when the metric's unit says so
//! (`unit: "min"` reads `00:01:15` as 1.25). A metric's own unit written after the
//! number is dropped (`85分` for a metric in 分). Counts must be whole and not negative,
//! as validation requires.

use crate::model::Metric;

/// The largest figure accepted (validation allows up to 1e15).
pub const MAX_FIGURE: f64 = 1e15;

/// How numbers are written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberStyle {
    /// `92,5` means 92.5 and `1.459,5` means 1459.5 (European spreadsheets, which
    /// write semicolon-separated files).
    pub decimal_comma: bool,
}

/// What a metric expects, taken from the scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Expect<'a> {
    /// The metric's unit text (`s`, `%`, `件`, `min` …).
    pub unit: &'a str,
    /// A count: whole, not negative.
    pub count: bool,
}

impl<'a> Expect<'a> {
    pub fn of(m: &'a Metric) -> Expect<'a> {
        Expect { unit: m.unit.as_str(), count: m.count }
    }
}

/// Why a cell is not a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueError {
    /// Not a number (`abc`).
    NotANumber,
    /// Thousands separators in the wrong places (`1,45`).
    BadGrouping,
    /// A time that is not h:mm:ss or m:ss (`1:75`).
    BadTime,
    /// Above 1e15.
    TooLarge,
    /// An Excel error value such as `#DIV/0!` or `#VALUE!`.
    SpreadsheetError,
    /// A count with a fraction (`3.5` violations).
    NotWhole,
    /// A count below zero.
    Negative,
}

impl ValueError {
    /// The reason in words.
    pub fn text(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang::*;
        match (self, lang) {
            (ValueError::NotANumber, ZhCn) => "不是数字",
            (ValueError::NotANumber, En) => "is not a number",
            (ValueError::BadGrouping, ZhCn) => "千分位逗号位置不对",
            (ValueError::BadGrouping, En) => "has thousands separators in the wrong places",
            (ValueError::BadTime, ZhCn) => "不是有效的时长（应为 时:分:秒 或 分:秒）",
            (ValueError::BadTime, En) => "is not a valid duration (h:mm:ss or m:ss)",
            (ValueError::TooLarge, ZhCn) => "数值太大",
            (ValueError::TooLarge, En) => "is too large",
            (ValueError::SpreadsheetError, ZhCn) => "是表格的错误值，请先在表格中修正",
            (ValueError::SpreadsheetError, En) => "is a spreadsheet error value; fix it in the spreadsheet first",
            (ValueError::NotWhole, ZhCn) => "应为整数（这是计数指标）",
            (ValueError::NotWhole, En) => "must be a whole number (this metric is a count)",
            (ValueError::Negative, ZhCn) => "不能为负数（这是计数指标）",
            (ValueError::Negative, En) => "cannot be negative (this metric is a count)",
        }
    }
}

/// Full-width forms (Chinese input methods) to ASCII, and look-alike minus signs.
fn halfwidth(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{2212}' | '\u{2013}' | '\u{fe63}' => '-',
        '\u{3001}' => ',', // 、 is sometimes typed for a comma
        _ => c,
    }
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{a0}' | '\u{200b}' | '\u{feff}' | '\u{202f}')
}

/// Words and signs that mean "no figure".
fn is_missing(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "" | "-" | "--" | "—" | "——" | "–" | "/" | "n/a" | "na" | "#n/a" | "null" | "none" | "nil" | "无" | "空" | "暂无" | "不适用" | "缺" | "缺失"
    ) || lower.chars().all(|c| c == '-' || c == '—' || c == '_')
}

/// Reads one cell. `Ok(None)` is a missing figure.
pub fn clean(text: &str, expect: Expect<'_>, style: NumberStyle) -> Result<Option<f64>, ValueError> {
    let s: String = text.chars().map(halfwidth).filter(|c| !is_blank(*c)).collect();
    if is_missing(&s) {
        return Ok(None);
    }
    if s.starts_with('#') && (s.ends_with('!') || s.ends_with('?') || s.eq_ignore_ascii_case("#null")) {
        return Err(ValueError::SpreadsheetError);
    }
    let x = number(&s, expect.unit, style)?;
    if !x.is_finite() || x.abs() > MAX_FIGURE {
        return Err(ValueError::TooLarge);
    }
    let x = if x == 0.0 { 0.0 } else { x };
    if expect.count {
        if x < 0.0 {
            return Err(ValueError::Negative);
        }
        if x.fract() != 0.0 {
            return Err(ValueError::NotWhole);
        }
    }
    Ok(Some(x))
}

/// Units of time, as seconds.
fn time_unit(word: &str) -> Option<f64> {
    match word.to_ascii_lowercase().as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" | "秒" | "秒钟" => Some(1.0),
        "m" | "min" | "mins" | "minute" | "minutes" | "分" | "分钟" => Some(60.0),
        "h" | "hr" | "hrs" | "hour" | "hours" | "时" | "小时" => Some(3600.0),
        _ => None,
    }
}

/// The unit a metric's durations are kept in, as seconds (1 for seconds).
fn metric_time_scale(unit: &str) -> f64 {
    let u = unit.trim().to_ascii_lowercase();
    match u.as_str() {
        "min" | "mins" | "minute" | "minutes" | "分钟" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" | "小时" => 3600.0,
        _ => 1.0,
    }
}

/// Words for a count or money after a number, dropped: `812件`, `1234.5元`.
const COUNT_WORDS: &[&str] = &["件", "个", "次", "单", "通", "条", "人", "元", "天", "张", "笔", "rmb", "cny", "yuan"];

/// The number in an already half-width, space-free cell.
fn number(s: &str, unit: &str, style: NumberStyle) -> Result<f64, ValueError> {
    let mut s = s;
    // The metric's own unit written after the number (`85分` in a metric in 分).
    // (A time unit is left for `duration`: `1m5s` in a metric in s is 65, not "1m5".)
    let unit_clean: String = unit.chars().map(halfwidth).filter(|c| !is_blank(*c)).collect();
    let unit_is_time = unit_clean != "分" && unit_clean != "m" && time_unit(&unit_clean).is_some();
    if !unit_clean.is_empty() && unit_clean != "%" && !unit_is_time && s.len() > unit_clean.len() {
        if let Some(rest) = strip_suffix_ci(s, &unit_clean) {
            if rest.ends_with(|c: char| c.is_ascii_digit() || c == '.') {
                s = rest;
            }
        }
    }
    if s.contains(':') {
        return clock(s, unit, style);
    }
    // Durations with units: 35s, 35秒, 1分15秒, 1m15s, 2h.
    if let Some(secs) = duration(s, style)? {
        return Ok(secs / metric_time_scale(unit));
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        s = inner;
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest;
    }
    for sym in ['¥', '$', '€', '£'] {
        if let Some(rest) = s.strip_prefix(sym) {
            s = rest;
        }
    }
    // ￥ is U+FFE5, outside the range `halfwidth` maps.
    if let Some(rest) = s.strip_prefix('\u{ffe5}') {
        s = rest;
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest;
    }
    for w in COUNT_WORDS {
        if let Some(rest) = strip_suffix_ci(s, w) {
            s = rest;
            break;
        }
    }
    // Percent and per-mille stay the number written.
    s = s.strip_suffix('%').or_else(|| s.strip_suffix('‰')).unwrap_or(s);
    let mut scale = 1.0;
    for (suffix, factor) in [("万", 1e4), ("w", 1e4), ("W", 1e4), ("亿", 1e8), ("千", 1e3), ("k", 1e3), ("K", 1e3), ("百万", 1e6)] {
        if let Some(rest) = s.strip_suffix(suffix) {
            if rest.ends_with(|c: char| c.is_ascii_digit() || c == '.') {
                s = rest;
                scale = factor;
                break;
            }
        }
    }
    let x = plain(s, style)? * scale;
    Ok(if negative { -x } else { x })
}

fn strip_suffix_ci<'s>(s: &'s str, suffix: &str) -> Option<&'s str> {
    let n = s.len().checked_sub(suffix.len())?;
    if s.is_char_boundary(n) && s[n..].eq_ignore_ascii_case(suffix) {
        Some(&s[..n])
    } else {
        None
    }
}

/// A plain decimal number with optional grouping: `1,459.5`, `.5`, `1e3`.
fn plain(s: &str, style: NumberStyle) -> Result<f64, ValueError> {
    if s.is_empty() {
        return Err(ValueError::NotANumber);
    }
    let (group, point) = if style.decimal_comma { ('.', ',') } else { (',', '.') };
    let (int, frac) = match s.split_once(point) {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| f.contains(group) || f.contains(point)) {
        return Err(if frac.is_some_and(|f| f.contains(group)) { ValueError::BadGrouping } else { ValueError::NotANumber });
    }
    let int = if int.contains(group) {
        let groups: Vec<&str> = int.split(group).collect();
        let first_ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()));
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(ValueError::BadGrouping);
        }
        groups.concat()
    } else {
        int.to_string()
    };
    let mut text = int;
    if let Some(f) = frac {
        text.push('.');
        text.push_str(f);
    }
    let ok_chars = text.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    if !ok_chars || !text.starts_with(|c: char| c.is_ascii_digit() || c == '.') || text == "." {
        return Err(ValueError::NotANumber);
    }
    text.parse::<f64>().map_err(|_| ValueError::NotANumber)
}

/// `h:mm:ss`, `m:ss`, with optional fractional seconds; in the metric's time unit.
fn clock(s: &str, unit: &str, style: NumberStyle) -> Result<f64, ValueError> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let parts: Vec<&str> = body.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(ValueError::BadTime);
    }
    let mut secs = 0.0;
    for (k, p) in parts.iter().enumerate() {
        let last = k + 1 == parts.len();
        if p.is_empty() || (!last && !p.chars().all(|c| c.is_ascii_digit())) {
            return Err(ValueError::BadTime);
        }
        let v = if last { plain(p, style).map_err(|_| ValueError::BadTime)? } else { p.parse::<f64>().map_err(|_| ValueError::BadTime)? };
        // Every part after the first is below 60.
        if k > 0 && v >= 60.0 {
            return Err(ValueError::BadTime);
        }
        secs = secs * 60.0 + v;
    }
    let secs = if negative { -secs } else { secs };
    Ok(secs / metric_time_scale(unit))
}

/// `35s`, `35秒`, `1分15秒`, `1m15s`, `2h`, `1小时30分`: seconds, or `None` when the
/// text has no time unit.
fn duration(s: &str, style: NumberStyle) -> Result<Option<f64>, ValueError> {
    let mut total = 0.0;
    let mut rest = s;
    let mut any = false;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(rest.len());
        if num_len == 0 {
            return if any { Err(ValueError::NotANumber) } else { Ok(None) };
        }
        let (num, after) = rest.split_at(num_len);
        let unit_len = after.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after.len());
        let (word, next) = after.split_at(unit_len);
        let Some(factor) = time_unit(word) else {
            return if any { Err(ValueError::NotANumber) } else { Ok(None) };
        };
        total += plain(num, style)? * factor;
        any = true;
        rest = next;
    }
    Ok(if any { Some(total) } else { None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> Result<Option<f64>, ValueError> {
        clean(text, Expect::default(), NumberStyle::default())
    }

    #[test]
    fn messy_values() {
        assert_eq!(c("1,459"), Ok(Some(1459.0)));
        assert_eq!(c("1 459"), Ok(Some(1459.0)));
        assert_eq!(c("１，４５９"), Ok(Some(1459.0)));
        assert_eq!(c("１２３．５"), Ok(Some(123.5)));
        assert_eq!(c("92.5%"), Ok(Some(92.5)));
        assert_eq!(c("92.5 ％"), Ok(Some(92.5)));
        assert_eq!(c("35s"), Ok(Some(35.0)));
        assert_eq!(c("35 秒"), Ok(Some(35.0)));
        assert_eq!(c("35 sec"), Ok(Some(35.0)));
        assert_eq!(c("00:01:15"), Ok(Some(75.0)));
        assert_eq!(c("1:15"), Ok(Some(75.0)));
        assert_eq!(c("1:02:03.5"), Ok(Some(3723.5)));
        assert_eq!(c("1分15秒"), Ok(Some(75.0)));
        assert_eq!(c("1m15s"), Ok(Some(75.0)));
        assert_eq!(c("1小时30分"), Ok(Some(5400.0)));
        assert_eq!(c("1.2万"), Ok(Some(12000.0)));
        assert_eq!(c("1.2w"), Ok(Some(12000.0)));
        assert_eq!(c("3k"), Ok(Some(3000.0)));
        assert_eq!(c("2亿"), Ok(Some(2e8)));
        assert_eq!(c("¥1,234.50"), Ok(Some(1234.5)));
        assert_eq!(c("￥-12"), Ok(Some(-12.0)));
        assert_eq!(c("1234.5元"), Ok(Some(1234.5)));
        assert_eq!(c("812件"), Ok(Some(812.0)));
        assert_eq!(c("(12)"), Ok(Some(-12.0)));
        assert_eq!(c("−3"), Ok(Some(-3.0)));
        assert_eq!(c("-0"), Ok(Some(0.0)));
        assert_eq!(c("1e3"), Ok(Some(1000.0)));
        assert_eq!(c(".5"), Ok(Some(0.5)));
        for missing in ["", "  ", "-", "—", "——", "–", "N/A", "n/a", "#N/A", "无", "/", "---", "\u{3000}"] {
            assert_eq!(c(missing), Ok(None), "{missing:?}");
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(c("abc"), Err(ValueError::NotANumber));
        assert_eq!(c("1,45"), Err(ValueError::BadGrouping));
        assert_eq!(c("1.2.3"), Err(ValueError::NotANumber));
        assert_eq!(c("1:75"), Err(ValueError::BadTime));
        assert_eq!(c("1:2:3:4"), Err(ValueError::BadTime));
        assert_eq!(c("#DIV/0!"), Err(ValueError::SpreadsheetError));
        assert_eq!(c("#VALUE!"), Err(ValueError::SpreadsheetError));
        assert_eq!(c("#NAME?"), Err(ValueError::SpreadsheetError));
        assert_eq!(c("2e15"), Err(ValueError::TooLarge));
        assert_eq!(c("1e400"), Err(ValueError::TooLarge));
        assert_eq!(c("NaN"), Err(ValueError::NotANumber));
        assert_eq!(c("inf"), Err(ValueError::NotANumber));
        assert_eq!(c("%"), Err(ValueError::NotANumber));
        assert_eq!(c("5s3"), Err(ValueError::NotANumber));
        assert_eq!(c("万"), Err(ValueError::NotANumber));
    }

    #[test]
    fn counts_and_units() {
        let count = Expect { unit: "件", count: true };
        let st = NumberStyle::default();
        assert_eq!(clean("3", count, st), Ok(Some(3.0)));
        assert_eq!(clean("3.5", count, st), Err(ValueError::NotWhole));
        assert_eq!(clean("-1", count, st), Err(ValueError::Negative));
        assert_eq!(clean("812 件", count, st), Ok(Some(812.0)));
        // A metric in 分 (points): 分 is its unit, not minutes.
        assert_eq!(clean("85分", Expect { unit: "分", count: false }, st), Ok(Some(85.0)));
        // A metric in minutes reads durations as minutes.
        let minutes = Expect { unit: "min", count: false };
        assert_eq!(clean("00:01:15", minutes, st), Ok(Some(1.25)));
        assert_eq!(clean("90s", minutes, st), Ok(Some(1.5)));
        assert_eq!(clean("2.5", minutes, st), Ok(Some(2.5)));
        let secs = Expect { unit: "s", count: false };
        assert_eq!(clean("35s", secs, st), Ok(Some(35.0)));
        assert_eq!(clean("2min", secs, st), Ok(Some(120.0)));
        assert_eq!(clean("1m5s", secs, st), Ok(Some(65.0)));
        assert_eq!(clean("2min", minutes, st), Ok(Some(2.0)));
    }

    #[test]
    fn decimal_comma_files() {
        let eu = NumberStyle { decimal_comma: true };
        let e = Expect::default();
        assert_eq!(clean("92,5", e, eu), Ok(Some(92.5)));
        assert_eq!(clean("1.459,5", e, eu), Ok(Some(1459.5)));
        assert_eq!(clean("92,5%", e, eu), Ok(Some(92.5)));
        assert_eq!(clean("1.45", e, eu), Err(ValueError::BadGrouping));
    }
}
