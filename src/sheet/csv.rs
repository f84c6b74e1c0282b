//! Reading and writing delimited text (RFC 4180 CSV and its tab/semicolon cousins).
//!
//! Hand-written rather than the `csv` crate: the crate adds about 8 KB gzip to the
//! wasm for what is ~150 lines here, and it reads an unclosed quote silently to the
//! end of the file, while this reader names the row where the quote was opened.
//!
//! Bytes → text is [`decode`]: UTF-8 (with or without BOM) and UTF-16 with a BOM are
//! decoded here; anything else is GBK/GB18030, the default of Chinese Excel, which the
//! browser decodes with `new TextDecoder('gbk')` (no tables shipped in the wasm).

/// Text of a file, or a request to decode it as GBK first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// The file's text (BOM removed).
    Text(String),
    /// Not UTF-8: decode the bytes with `new TextDecoder('gbk')` (which reads
    /// GB18030, a superset) and pass the text to [`crate::sheet::Table::parse`].
    NeedsGbk,
}

/// Decodes a file's bytes: UTF-8 with or without BOM, UTF-16 LE/BE with a BOM (Excel's
/// "Unicode text"); anything else needs the browser's GBK decoder.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return match std::str::from_utf8(rest) {
            Ok(t) => Decoded::Text(t.to_string()),
            // A BOM and then broken UTF-8: decode what is there, marking bad bytes.
            Err(_) => Decoded::Text(String::from_utf8_lossy(rest).into_owned()),
        };
    }
    for (bom, le) in [([0xffu8, 0xfe], true), ([0xfe, 0xff], false)] {
        if let Some(rest) = bytes.strip_prefix(&bom) {
            let units: Vec<u16> = rest.chunks_exact(2).map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) }).collect();
            return Decoded::Text(String::from_utf16_lossy(&units));
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => Decoded::Text(t.to_string()),
        Err(_) => Decoded::NeedsGbk,
    }
}

/// Why text could not be split into rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// A quoted field opened on this row (1-based record number) never closes.
    UnclosedQuote { row: usize, column: usize },
    /// Text after a closing quote, before the next delimiter (`"abc"def`).
    TextAfterQuote { row: usize, column: usize },
}

/// Guesses the delimiter from the first lines: the one of tab, comma and semicolon
/// that splits them into the same number (> 1) of fields most consistently. A first
/// line `sep=;` (Excel's hint) decides outright.
pub fn detect_delimiter(text: &str) -> char {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(first) = text.lines().next() {
        let f = first.trim();
        if let Some(d) = f.strip_prefix("sep=").and_then(|d| d.chars().next()) {
            return d;
        }
    }
    let sample: String = text.chars().take(16 * 1024).collect();
    let mut best = (',', 0usize, 0usize);
    for d in ['\t', ',', ';', '|'] {
        let rows = match split(&sample, d) {
            Ok(r) => r,
            Err(_) => split_lenient(&sample, d),
        };
        // Drop a partial last row cut by the sample, and blank lines.
        let rows: Vec<&Vec<String>> = rows.iter().take(rows.len().saturating_sub(1).max(1)).filter(|r| r.len() > 1 || r.first().is_some_and(|c| !c.is_empty())).take(30).collect();
        if rows.is_empty() {
            continue;
        }
        // The most common field count, and how many rows have it.
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for r in &rows {
            match counts.iter_mut().find(|(n, _)| *n == r.len()) {
                Some((_, k)) => *k += 1,
                None => counts.push((r.len(), 1)),
            }
        }
        let (fields, agree) = counts.iter().copied().max_by_key(|&(n, k)| (k, n)).unwrap_or((1, 0));
        if fields > 1 && (agree > best.2 || (agree == best.2 && fields > best.1)) {
            best = (d, fields, agree);
        }
    }
    best.0
}

/// Splits text into records of fields (RFC 4180): quoted fields may hold delimiters,
/// doubled quotes and line breaks; `\r\n`, `\n` and `\r` end a record; a final line
/// break does not make an empty record. Ragged records are kept as they are.
pub fn split(text: &str, delim: char) -> Result<Vec<Vec<String>>, SplitError> {
    split_inner(text, delim, false)
}

fn split_lenient(text: &str, delim: char) -> Vec<Vec<String>> {
    split_inner(text, delim, true).unwrap_or_default()
}

fn split_inner(text: &str, delim: char, lenient: bool) -> Result<Vec<Vec<String>>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut at_start = true; // at the start of a field
    let mut quoted = false; // inside quotes
    let mut closed = false; // after a closing quote
    let mut opened_at = (0, 0);
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                    closed = true;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        if c == delim {
            row.push(std::mem::take(&mut cell));
            at_start = true;
            closed = false;
            continue;
        }
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                at_start = true;
                closed = false;
            }
            '"' if at_start => {
                quoted = true;
                at_start = false;
                opened_at = (rows.len() + 1, row.len() + 1);
            }
            ' ' | '\t' if closed => {} // spaces after a closing quote are dropped
            _ if closed => {
                if !lenient {
                    return Err(SplitError::TextAfterQuote { row: rows.len() + 1, column: row.len() + 1 });
                }
                cell.push(c);
            }
            _ => {
                cell.push(c);
                at_start = false;
            }
        }
    }
    if quoted && !lenient {
        return Err(SplitError::UnclosedQuote { row: opened_at.0, column: opened_at.1 });
    }
    if !cell.is_empty() || !row.is_empty() || !at_start {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows)
}

/// Whether a text cell would be read as a formula by a spreadsheet (OWASP CSV
/// injection): it starts with `=`, `+`, `-`, `@`, a tab or a carriage return.
pub fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell made safe to open in a spreadsheet: a leading `'` when it could be read
/// as a formula. (Numbers are written with [`number_field`] and never prefixed.)
pub fn guard(s: &str) -> String {
    if looks_like_formula(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A field quoted when needed: it holds the delimiter, a quote, a line break, or
/// leading/trailing spaces.
pub fn quote(s: &str, delim: char) -> String {
    if s.contains([delim, '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A text cell for a CSV file: guarded against formula injection, then quoted.
pub fn text_field(s: &str) -> String {
    quote(&guard(s), ',')
}

/// A number for a CSV file: plain digits, ASCII minus, no grouping, at most 6
/// decimals without trailing zeros (`-3`, `92.5`, `14.4231`). Not finite → empty.
pub fn number_field(x: f64) -> String {
    plain_number((x * 1e6).round() / 1e6)
}

/// A number as plain editable text: no grouping, no trailing zeros, ASCII minus
/// (`1459`, `92.5`, `-3`). Keeps every digit (up to f64 precision). Not finite → empty.
pub fn plain_number(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    // Rust's shortest round-trip formatting: 92.5 → "92.5", 1459.0 → "1459".
    let s = format!("{x}");
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn rfc4180() {
        assert_eq!(split("a,b\r\n1,2\r\n", ','), Ok(rows(&[&["a", "b"], &["1", "2"]])));
        assert_eq!(split("a,\"b,c\"\n\"x \"\"y\"\"\",\"line\nbreak\"", ','), Ok(rows(&[&["a", "b,c"], &["x \"y\"", "line\nbreak"]])));
        assert_eq!(split("a,,\n,b", ','), Ok(rows(&[&["a", "", ""], &["", "b"]])));
        assert_eq!(split("\u{feff}a;b", ';'), Ok(rows(&[&["a", "b"]])));
        assert_eq!(split("", ','), Ok(vec![]));
        assert_eq!(split("a,\"\"", ','), Ok(rows(&[&["a", ""]])));
        // A quote inside an unquoted field is kept as text.
        assert_eq!(split("5\" screen,1", ','), Ok(rows(&[&["5\" screen", "1"]])));
        assert_eq!(split("a,\"b\n2,3", ','), Err(SplitError::UnclosedQuote { row: 1, column: 2 }));
        assert_eq!(split("x\n\"ab\"c,1", ','), Err(SplitError::TextAfterQuote { row: 2, column: 1 }));
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("id,name,calls\na1,Lin,\"1,459\"\n"), ',');
        assert_eq!(detect_delimiter("id\tname\tcalls\na1\tLin\t1,459\n"), '\t');
        assert_eq!(detect_delimiter("id;name;calls\na1;Lin;92,5\na2;Chen;80,1\n"), ';');
        assert_eq!(detect_delimiter("sep=;\nid;name\n"), ';');
        assert_eq!(detect_delimiter("just one column\nvalue\n"), ',');
    }

    #[test]
    fn decoding() {
        assert_eq!(decode("工号,姓名".as_bytes()), Decoded::Text("工号,姓名".into()));
        assert_eq!(decode(b"\xef\xbb\xbfid"), Decoded::Text("id".into()));
        assert_eq!(decode(&[0xff, 0xfe, b'i', 0, b'd', 0]), Decoded::Text("id".into()));
        // "工号" in GBK.
        assert_eq!(decode(&[0xb9, 0xa4, 0xba, 0xc5]), Decoded::NeedsGbk);
    }

    #[test]
    fn writing() {
        assert_eq!(text_field("=1+2"), "'=1+2");
        assert_eq!(text_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_field("-x"), "'-x");
        assert_eq!(text_field("a,b"), "\"a,b\"");
        assert_eq!(text_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text_field("林晓雯"), "林晓雯");
        assert_eq!(number_field(-3.0), "-3");
        assert_eq!(number_field(0.1 + 0.2), "0.3");
        assert_eq!(number_field(-0.0), "0");
        assert_eq!(number_field(f64::NAN), "");
    }
}
