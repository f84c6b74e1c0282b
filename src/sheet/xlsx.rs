//! A minimal .xlsx writer: a stored (uncompressed) zip of a few XML parts.
//!
//! Why not `rust_xlsxwriter`: built for wasm32 (feature `wasm`, release, `opt-level = "z"`,
//! LTO, wasm-bindgen + `wasm-opt -Oz`) a small program writing two sheets grows from
//! 22 KB to 255 KB gzip — about 232 KB, most of the app's 300 KB page budget — for
//! what is ~200 lines here: inline strings, numbers, a bold header, a money format,
//! column widths and a frozen header row. Stored zip entries need only a CRC-32.
//!
//! Cells are inline strings (`t="inlineStr"`), never formulas, so text that starts
//! with `=` stays text in Excel, WPS and LibreOffice without a `'` prefix.

use super::export::{explanations_sheet, results_sheet, Cell, Sheet};
use super::import::{column_letter, CellError, Problem, Table, MAX_COLUMNS, MAX_ROWS};
use crate::i18n::Lang;
use crate::model::Workbook;
use crate::results::PeriodResults;

/// The results and explanations of a period as an .xlsx file: sheet 1 the results
/// (see [`results_sheet`]), sheet 2 the explanations. Make a `Blob` of the bytes with
/// type `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`.
pub fn results_xlsx(wb: &Workbook, pr: &PeriodResults, lang: Lang) -> Vec<u8> {
    write_xlsx(&[results_sheet(wb, pr, lang), explanations_sheet(wb, pr, lang)])
}

/// The MIME type of an .xlsx file.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Writes sheets as an .xlsx file (header row bold and frozen, money as `#,##0.00`).
pub fn write_xlsx(sheets: &[Sheet]) -> Vec<u8> {
    let mut zip = ZipWriter::default();
    let n = sheets.len();
    let mut types = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/>"#,
        r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
        r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
    ));
    for i in 1..=n {
        types += &format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#);
    }
    types += "</Types>";
    zip.add("[Content_Types].xml", types.as_bytes());
    zip.add(
        "_rels/.rels",
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
            "</Relationships>"
        )
        .as_bytes(),
    );
    let mut book = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#
    ));
    let mut rels = String::from(concat!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#, r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#));
    let mut used: Vec<String> = Vec::new();
    for (i, s) in sheets.iter().enumerate() {
        let k = i + 1;
        let name = sheet_name(&s.name, k, &used);
        book += &format!(r#"<sheet name="{}" sheetId="{k}" r:id="rId{k}"/>"#, escape(&name));
        used.push(name);
        rels += &format!(r#"<Relationship Id="rId{k}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{k}.xml"/>"#);
    }
    book += "</sheets></workbook>";
    rels += &format!(r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#, n + 1);
    rels += "</Relationships>";
    zip.add("xl/workbook.xml", book.as_bytes());
    zip.add("xl/_rels/workbook.xml.rels", rels.as_bytes());
    zip.add("xl/styles.xml", STYLES.as_bytes());
    for (i, s) in sheets.iter().enumerate() {
        zip.add(&format!("xl/worksheets/sheet{}.xml", i + 1), sheet_xml(s).as_bytes());
    }
    zip.finish()
}

/// Styles: 0 normal, 1 bold (header), 2 money `#,##0.00` (built-in format 4).
const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,
    r#"<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    "</styleSheet>"
);

/// A valid, unique sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str, k: usize, used: &[String]) -> String {
    let clean: String = name.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') && !c.is_control()).take(31).collect();
    let clean = clean.trim_matches('\'').to_string();
    if clean.is_empty() || used.iter().any(|u| u.to_ascii_lowercase() == clean.to_ascii_lowercase()) {
        format!("Sheet{k}")
    } else {
        clean
    }
}

/// XML text: escaped, and characters XML 1.0 cannot hold dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn text_cell(out: &mut String, r: &str, s: &str, style: u8) {
    let space = if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) { r#" xml:space="preserve""# } else { "" };
    let st = if style > 0 { format!(r#" s="{style}""#) } else { String::new() };
    out.push_str(&format!(r#"<c r="{r}" t="inlineStr"{st}><is><t{space}>{}</t></is></c>"#, escape(s)));
}

fn sheet_xml(s: &Sheet) -> String {
    let mut out = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        r#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#,
        r#"<sheetFormatPr defaultRowHeight="15"/>"#
    ));
    if !s.widths.is_empty() {
        out += "<cols>";
        for (i, w) in s.widths.iter().enumerate() {
            out += &format!(r#"<col min="{0}" max="{0}" width="{1:.1}" customWidth="1"/>"#, i + 1, w);
        }
        out += "</cols>";
    }
    out += "<sheetData>";
    out += r#"<row r="1">"#;
    for (c, h) in s.header.iter().enumerate() {
        text_cell(&mut out, &format!("{}1", column_letter(c)), h, 1);
    }
    out += "</row>";
    for (i, row) in s.rows.iter().enumerate() {
        let r = i + 2;
        out += &format!(r#"<row r="{r}">"#);
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{r}", column_letter(c));
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => text_cell(&mut out, &at, t, 0),
                Cell::Number(x) if x.is_finite() => out += &format!(r#"<c r="{at}"><v>{}</v></c>"#, if *x == 0.0 { 0.0 } else { *x }),
                Cell::Number(_) => {}
                Cell::Money(d) => out += &format!(r#"<c r="{at}" s="2"><v>{}</v></c>"#, d.normalize()),
            }
        }
        out += "</row>";
    }
    out += "</sheetData></worksheet>";
    out
}

// ---------------------------------------------------------------------------------
// Zip (stored entries) and CRC-32
// ---------------------------------------------------------------------------------

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

static CRC_TABLE: [u32; 256] = crc_table();

/// CRC-32 (IEEE), as zip uses.
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for &b in data {
        c = CRC_TABLE[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    c ^ 0xffff_ffff
}

/// A zip archive of stored (uncompressed) entries, dated 1980-01-01 (no clock needed).
#[derive(Default)]
struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    count: u16,
}

impl ZipWriter {
    fn add(&mut self, name: &str, data: &[u8]) {
        let offset = self.out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let name_len = name.len() as u16;
        const DATE: u16 = (1 << 5) | 1; // 1980-01-01
        // Local file header.
        put32(&mut self.out, 0x0403_4b50);
        put16(&mut self.out, 20); // version needed
        put16(&mut self.out, 0); // flags
        put16(&mut self.out, 0); // stored
        put16(&mut self.out, 0); // time
        put16(&mut self.out, DATE);
        put32(&mut self.out, crc);
        put32(&mut self.out, size);
        put32(&mut self.out, size);
        put16(&mut self.out, name_len);
        put16(&mut self.out, 0); // extra
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(data);
        // Central directory entry.
        let c = &mut self.central;
        put32(c, 0x0201_4b50);
        put16(c, 20); // made by
        put16(c, 20); // needed
        put16(c, 0);
        put16(c, 0);
        put16(c, 0);
        put16(c, DATE);
        put32(c, crc);
        put32(c, size);
        put32(c, size);
        put16(c, name_len);
        put16(c, 0); // extra
        put16(c, 0); // comment
        put16(c, 0); // disk
        put16(c, 0); // internal attributes
        put32(c, 0); // external attributes
        put32(c, offset);
        c.extend_from_slice(name.as_bytes());
        self.count += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        let cd_offset = self.out.len() as u32;
        let cd_size = self.central.len() as u32;
        self.out.extend_from_slice(&self.central);
        put32(&mut self.out, 0x0605_4b50);
        put16(&mut self.out, 0);
        put16(&mut self.out, 0);
        put16(&mut self.out, self.count);
        put16(&mut self.out, self.count);
        put32(&mut self.out, cd_size);
        put32(&mut self.out, cd_offset);
        put16(&mut self.out, 0);
        self.out
    }
}

fn put16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn put32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

// ---------------------------------------------------------------------------------
// Reading: the first sheet of an .xlsx file as rows of display text
// ---------------------------------------------------------------------------------

/// Whether the bytes look like a zip (an .xlsx file) rather than text.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The largest part of an .xlsx inflated (guards against zip bombs).
const MAX_PART: usize = 64 * 1024 * 1024;

/// Reads the first sheet of an .xlsx file as a [`Table`] (see [`read_xlsx_rows`]).
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, CellError> {
    let rows = read_xlsx_rows(bytes)?;
    Table::from_rows(rows)
}

/// The first sheet of an .xlsx file as rows of cells, each cell as the text a person
/// sees: shared and inline strings as written, a percent-formatted 0.925 as `92.5%`,
/// a time-formatted 0.000868 as `0:01:15`, a date as `2026-10-01`, an error as
/// `#DIV/0!`, other numbers in shortest form. Formulas give their cached value.
/// Row `k` of the result is row `k + 1` of the sheet (missing rows are empty).
pub fn read_xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, CellError> {
    let bad = || CellError::file(Problem::NotXlsx);
    let zip = ZipReader::new(bytes).ok_or_else(bad)?;
    let load = |name: &str| -> Result<Option<String>, CellError> {
        match zip.read(name) {
            None => Ok(None),
            Some(Err(Unzip::TooLarge)) => Err(CellError::file(Problem::FileTooLarge)),
            Some(Err(Unzip::Damaged)) => Err(bad()),
            Some(Ok(data)) => Ok(Some(String::from_utf8_lossy(&data).into_owned())),
        }
    };
    let book = load("xl/workbook.xml")?.ok_or_else(bad)?;
    // The first sheet's part, through the workbook's relationships.
    let mut rid = None;
    for ev in Xml::new(&book) {
        if let Ev::Open { name, attrs, .. } = ev {
            if local(name) == "sheet" {
                rid = attr_where(attrs, |k| k == "r:id" || k.ends_with(":id"));
                break;
            }
        }
    }
    let mut part = "xl/worksheets/sheet1.xml".to_string();
    if let (Some(rid), Some(rels)) = (rid, load("xl/_rels/workbook.xml.rels")?) {
        for ev in Xml::new(&rels) {
            if let Ev::Open { name, attrs, .. } = ev {
                if local(name) == "Relationship" && attr(attrs, "Id").as_deref() == Some(rid.as_str()) {
                    if let Some(t) = attr(attrs, "Target") {
                        part = match t.strip_prefix('/') {
                            Some(abs) => abs.to_string(),
                            None => format!("xl/{t}"),
                        };
                    }
                    break;
                }
            }
        }
    }
    let shared = match load("xl/sharedStrings.xml")? {
        Some(x) => shared_strings(&x),
        None => Vec::new(),
    };
    let formats = match load("xl/styles.xml")? {
        Some(x) => cell_formats(&x),
        None => Vec::new(),
    };
    let sheet = load(&part)?.ok_or_else(bad)?;
    sheet_rows(&sheet, &shared, &formats)
}

/// How a number is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Plain,
    Percent,
    Time,
    Date,
}

fn classify(code: &str) -> Shown {
    // Drop quoted text, escaped characters and [colour]/[$-locale] sections ([h] stays).
    let mut s = String::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for d in chars.by_ref() {
                    if d == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let mut inner = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    inner.push(d);
                }
                let l = inner.to_ascii_lowercase();
                if matches!(l.as_str(), "h" | "hh" | "m" | "mm" | "s" | "ss") {
                    s.push_str(&l);
                }
            }
            c => s.push(c.to_ascii_lowercase()),
        }
    }
    if s.contains('%') {
        Shown::Percent
    } else if s.contains('y') || s.contains('d') {
        Shown::Date
    } else if s.contains('h') || s.contains('s') {
        Shown::Time
    } else {
        Shown::Plain
    }
}

/// Per cell style index (`s`), how its number is shown.
fn cell_formats(xml: &str) -> Vec<Shown> {
    let mut custom: Vec<(u32, Shown)> = Vec::new();
    let mut out = Vec::new();
    let mut in_xfs = false;
    for ev in Xml::new(xml) {
        match ev {
            Ev::Open { name, attrs, closed } => match local(name) {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (attr(attrs, "numFmtId").and_then(|v| v.parse().ok()), attr(attrs, "formatCode")) {
                        custom.push((id, classify(&code)));
                    }
                }
                "cellXfs" => in_xfs = !closed,
                "xf" if in_xfs => {
                    let id: u32 = attr(attrs, "numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0);
                    let shown = match id {
                        9 | 10 => Shown::Percent,
                        14..=17 | 22 | 27..=36 | 50..=58 => Shown::Date,
                        18..=21 | 45..=47 => Shown::Time,
                        _ => custom.iter().find(|(k, _)| *k == id).map_or(Shown::Plain, |(_, s)| *s),
                    };
                    out.push(shown);
                }
                _ => {}
            },
            Ev::Close { name } if local(name) == "cellXfs" => in_xfs = false,
            _ => {}
        }
    }
    out
}

fn shared_strings(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut in_si, mut in_t, mut skip) = (false, false, 0u32);
    for ev in Xml::new(xml) {
        match ev {
            Ev::Open { name, closed, .. } => match local(name) {
                "si" if !closed => {
                    in_si = true;
                    cur.clear();
                }
                "si" => out.push(String::new()),
                "t" if !closed => in_t = true,
                "rPh" | "phoneticPr" if !closed => skip += 1,
                _ => {}
            },
            Ev::Close { name } => match local(name) {
                "si" => {
                    in_si = false;
                    out.push(std::mem::take(&mut cur));
                }
                "t" => in_t = false,
                "rPh" | "phoneticPr" => skip = skip.saturating_sub(1),
                _ => {}
            },
            Ev::Text(t) if in_si && in_t && skip == 0 => cur.push_str(&t),
            _ => {}
        }
    }
    out
}

/// `B12` → (column 1, row 12).
fn cell_ref(r: &str) -> Option<(usize, usize)> {
    let letters = r.chars().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut col = 0usize;
    for c in r[..letters].chars() {
        col = col * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1);
    }
    let row: usize = r[letters..].parse().ok()?;
    Some((col - 1, row))
}

fn sheet_rows(xml: &str, shared: &[String], formats: &[Shown]) -> Result<Vec<Vec<String>>, CellError> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row_no = 0usize;
    let mut col = 0usize;
    // The open cell: type, style, value text.
    let mut cell: Option<(String, usize, String)> = None;
    let mut in_value = false;
    for ev in Xml::new(xml) {
        match ev {
            Ev::Open { name, attrs, closed } => match local(name) {
                "row" => {
                    row_no = attr(attrs, "r").and_then(|v| v.parse().ok()).unwrap_or(row_no + 1);
                    col = 0;
                    if row_no > MAX_ROWS + 1_000 {
                        return Err(CellError::file(Problem::TooManyRows));
                    }
                }
                "c" => {
                    if let Some((c, r)) = attr(attrs, "r").as_deref().and_then(cell_ref) {
                        col = c;
                        row_no = r.max(1);
                    }
                    if col >= MAX_COLUMNS {
                        return Err(CellError::file(Problem::TooManyColumns));
                    }
                    if row_no > MAX_ROWS + 1_000 {
                        return Err(CellError::file(Problem::TooManyRows));
                    }
                    let t = attr(attrs, "t").unwrap_or_default();
                    let s = attr(attrs, "s").and_then(|v| v.parse().ok()).unwrap_or(0);
                    if closed {
                        col += 1;
                    } else {
                        cell = Some((t, s, String::new()));
                    }
                }
                "v" | "t" if cell.is_some() && !closed => in_value = true,
                _ => {}
            },
            Ev::Close { name } => match local(name) {
                "v" | "t" => in_value = false,
                "c" => {
                    if let Some((t, s, v)) = cell.take() {
                        let text = cell_text(&t, &v, formats.get(s).copied().unwrap_or(Shown::Plain), shared);
                        if !text.is_empty() && row_no >= 1 {
                            if rows.len() < row_no {
                                rows.resize(row_no, Vec::new());
                            }
                            let r = &mut rows[row_no - 1];
                            if r.len() <= col {
                                r.resize(col + 1, String::new());
                            }
                            r[col] = text;
                        }
                    }
                    col += 1;
                }
                _ => {}
            },
            Ev::Text(t) if in_value => {
                if let Some((_, _, v)) = cell.as_mut() {
                    v.push_str(&t);
                }
            }
            _ => {}
        }
    }
    Ok(rows)
}

fn cell_text(t: &str, v: &str, shown: Shown, shared: &[String]) -> String {
    match t {
        "s" => v.trim().parse::<usize>().ok().and_then(|i| shared.get(i)).cloned().unwrap_or_default(),
        "inlineStr" | "str" | "e" | "d" => v.to_string(),
        "b" => if v.trim() == "1" { "TRUE" } else { "FALSE" }.to_string(),
        _ => {
            let Ok(x) = v.trim().parse::<f64>() else { return v.trim().to_string() };
            match shown {
                Shown::Plain => short(x),
                Shown::Percent => format!("{}%", short(x * 100.0)),
                // Up to about 31,000 years of hours; beyond, the plain number.
                Shown::Time if !(x.abs() < 1e7) => short(x),
                Shown::Time => {
                    let total = (x * 86_400.0 * 1000.0).round() / 1000.0;
                    let neg = total < 0.0;
                    let t = total.abs();
                    let h = (t / 3600.0).floor();
                    let m = ((t - h * 3600.0) / 60.0).floor();
                    let s = t - h * 3600.0 - m * 60.0;
                    let secs = if s.fract() == 0.0 { format!("{:02}", s as u64) } else { format!("{:06.3}", s).trim_end_matches('0').to_string() };
                    format!("{}{}:{:02}:{secs}", if neg { "-" } else { "" }, h as u64, m as u64)
                }
                // Serial dates from 1900 to 9999.
                Shown::Date if !(1.0..2_958_466.0).contains(&x) => short(x),
                Shown::Date => {
                    let (y, m, d) = civil(x.floor() as i64 - 25_569);
                    format!("{y:04}-{m:02}-{d:02}")
                }
            }
        }
    }
}

/// A number in its shortest form, floating noise trimmed (0.925 × 100 → 92.5).
fn short(x: f64) -> String {
    let r = if x.abs() < 1e15 { (x * 1e9).round() / 1e9 } else { x };
    let s = format!("{r}");
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// Days since 1970-01-01 → (year, month, day) (proleptic Gregorian).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

// A zip reader: the central directory, stored and deflated entries.

enum Unzip {
    Damaged,
    TooLarge,
}

struct ZipReader<'a> {
    bytes: &'a [u8],
    /// (name, method, compressed size, size, local header offset, crc)
    entries: Vec<(String, u16, usize, usize, usize, u32)>,
}

fn get16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn get32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

impl<'a> ZipReader<'a> {
    fn new(bytes: &'a [u8]) -> Option<ZipReader<'a>> {
        if bytes.len() < 22 {
            return None;
        }
        let lowest = bytes.len().saturating_sub(22 + 65_535);
        let eocd = (lowest..=bytes.len() - 22).rev().find(|&i| get32(bytes, i) == Some(0x0605_4b50))?;
        let count = get16(bytes, eocd + 10)? as usize;
        let mut at = get32(bytes, eocd + 16)? as usize;
        let mut entries = Vec::with_capacity(count.min(1024));
        for _ in 0..count {
            if get32(bytes, at)? != 0x0201_4b50 {
                return None;
            }
            let method = get16(bytes, at + 10)?;
            let crc = get32(bytes, at + 16)?;
            let csize = get32(bytes, at + 20)? as usize;
            let size = get32(bytes, at + 24)? as usize;
            let n = get16(bytes, at + 28)? as usize;
            let e = get16(bytes, at + 30)? as usize;
            let c = get16(bytes, at + 32)? as usize;
            let offset = get32(bytes, at + 42)? as usize;
            let name = String::from_utf8_lossy(bytes.get(at + 46..at + 46 + n)?).into_owned();
            entries.push((name, method, csize, size, offset, crc));
            at += 46 + n + e + c;
        }
        Some(ZipReader { bytes, entries })
    }

    /// An entry's contents (names compared case-insensitively, `\` as `/`).
    fn read(&self, name: &str) -> Option<Result<Vec<u8>, Unzip>> {
        let &(_, method, csize, size, offset, crc) = self.entries.iter().find(|e| e.0.replace('\\', "/").eq_ignore_ascii_case(name))?;
        Some(self.inflate(method, csize, size, offset, crc))
    }

    fn inflate(&self, method: u16, csize: usize, size: usize, offset: usize, crc: u32) -> Result<Vec<u8>, Unzip> {
        let b = self.bytes;
        if get32(b, offset) != Some(0x0403_4b50) {
            return Err(Unzip::Damaged);
        }
        let n = get16(b, offset + 26).ok_or(Unzip::Damaged)? as usize;
        let e = get16(b, offset + 28).ok_or(Unzip::Damaged)? as usize;
        let start = offset + 30 + n + e;
        let data = b.get(start..start.checked_add(csize).ok_or(Unzip::Damaged)?).ok_or(Unzip::Damaged)?;
        if size > MAX_PART {
            return Err(Unzip::TooLarge);
        }
        let out = match method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, MAX_PART).map_err(|e| match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => Unzip::TooLarge,
                _ => Unzip::Damaged,
            })?,
            _ => return Err(Unzip::Damaged),
        };
        if crc32(&out) != crc {
            return Err(Unzip::Damaged);
        }
        Ok(out)
    }
}

// A small XML tokenizer: enough for the parts of an .xlsx (no DTDs, no namespaces
// beyond prefixes, which are compared by local name).

#[derive(Debug, PartialEq)]
enum Ev<'a> {
    Open { name: &'a str, attrs: &'a str, closed: bool },
    Close { name: &'a str },
    Text(String),
}

struct Xml<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Xml<'a> {
    fn new(s: &'a str) -> Xml<'a> {
        Xml { s, at: 0 }
    }
}

impl<'a> Iterator for Xml<'a> {
    type Item = Ev<'a>;

    fn next(&mut self) -> Option<Ev<'a>> {
        loop {
            let rest = self.s.get(self.at..)?;
            if rest.is_empty() {
                return None;
            }
            if let Some(body) = rest.strip_prefix("<![CDATA[") {
                let end = body.find("]]>").unwrap_or(body.len());
                self.at += 9 + end + 3;
                return Some(Ev::Text(body[..end].to_string()));
            }
            if rest.starts_with("<!--") {
                self.at += rest.find("-->").map_or(rest.len(), |e| e + 3);
                continue;
            }
            if rest.starts_with("<?") || rest.starts_with("<!") {
                self.at += rest.find('>').map_or(rest.len(), |e| e + 1);
                continue;
            }
            if let Some(tag) = rest.strip_prefix('<') {
                // The tag ends at the first '>' outside quotes.
                let mut quote = None;
                let mut end = None;
                for (i, c) in tag.char_indices() {
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, '"' | '\'') => quote = Some(c),
                        (None, '>') => {
                            end = Some(i);
                            break;
                        }
                        _ => {}
                    }
                }
                let end = end.unwrap_or(tag.len());
                self.at += 1 + end + 1;
                let inner = &tag[..end];
                if let Some(name) = inner.strip_prefix('/') {
                    return Some(Ev::Close { name: name.trim() });
                }
                let (inner, closed) = match inner.strip_suffix('/') {
                    Some(i) => (i, true),
                    None => (inner, false),
                };
                let split = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
                return Some(Ev::Open { name: &inner[..split], attrs: &inner[split..], closed });
            }
            let end = rest.find('<').unwrap_or(rest.len());
            self.at += end;
            return Some(Ev::Text(unescape(&rest[..end])));
        }
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn attr(attrs: &str, key: &str) -> Option<String> {
    attr_where(attrs, |k| k == key)
}

/// The value of the first attribute whose name passes `want`.
fn attr_where(attrs: &str, want: impl Fn(&str) -> bool) -> Option<String> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start();
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let q = after.chars().next()?;
        if q != '"' && q != '\'' {
            return None;
        }
        let close = after[1..].find(q)? + 1;
        if want(key) {
            return Some(unescape(&after[1..close]));
        }
        rest = &after[close + 1..];
    }
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(semi) = tail.find(';').filter(|&k| k <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let ent = &tail[1..semi];
        let c = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e => e
                .strip_prefix("#x")
                .or_else(|| e.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| e.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn names_and_escapes() {
        assert_eq!(sheet_name("结果", 1, &[]), "结果");
        assert_eq!(sheet_name("a/b:c*d?[e]", 1, &[]), "abcde");
        assert_eq!(sheet_name("x", 2, &["X".into()]), "Sheet2");
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn xml_bits() {
        assert_eq!(unescape("a &amp; b &lt;c&gt; &#36;&#x4e2d; &bogus"), "a & b <c> $中 &bogus");
        assert_eq!(attr(r#" r="B3" t='s' s="2""#, "t").as_deref(), Some("s"));
        assert_eq!(attr_where(r#" name="x" sheetId="1" r:id="rId7""#, |k| k.ends_with(":id")).as_deref(), Some("rId7"));
        assert_eq!(cell_ref("AB12"), Some((27, 12)));
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_727), (2026, 10, 1));
        assert_eq!(classify("0.0%"), Shown::Percent);
        assert_eq!(classify("[h]:mm:ss"), Shown::Time);
        assert_eq!(classify("mm:ss"), Shown::Time);
        assert_eq!(classify("yyyy/m/d"), Shown::Date);
        assert_eq!(classify("#,##0.00\"元\""), Shown::Plain);
        assert_eq!(classify("0.00_);[Red](0.00)"), Shown::Plain);
        assert_eq!(cell_text("", "0.925", Shown::Percent, &[]), "92.5%");
        assert_eq!(cell_text("", "8.6805555555555551E-4", Shown::Time, &[]), "0:01:15");
        assert_eq!(cell_text("", "46296", Shown::Date, &[]), "2026-10-01");
        assert_eq!(cell_text("s", "1", Shown::Plain, &["a".into(), "b".into()]), "b");
        assert_eq!(cell_text("e", "#DIV/0!", Shown::Plain, &[]), "#DIV/0!");
    }

    proptest::proptest! {
        #[test]
        fn any_xml_reads_without_panic(xml in "[<>/=\"' a-zA-Z0-9:&;#x]{0,300}") {
            let _ = sheet_rows(&xml, &["x".into()], &[Shown::Time, Shown::Date, Shown::Percent]);
            let _ = shared_strings(&xml);
            let _ = cell_formats(&xml);
            let _ = unescape(&xml);
        }
    }

    #[test]
    fn hostile_cells() {
        // A far-away cell is refused, not allocated.
        let xml = r#"<sheetData><row><c r="A4000000000"><v>1</v></c></row></sheetData>"#;
        assert!(sheet_rows(xml, &[], &[]).is_err());
        assert!(cell_text("", "1e300", Shown::Date, &[]).starts_with("1000000"));
        assert!(cell_text("", "-1e300", Shown::Time, &[]).starts_with("-1000000"));
        assert_eq!(cell_text("", "1.5", Shown::Time, &[]), "36:00:00");
    }

    #[test]
    fn written_file_reads_back() {
        let sheet = Sheet {
            name: "T".into(),
            header: vec!["工号".into(), "值".into()],
            rows: vec![vec![Cell::Text("a1 & <b>".into()), Cell::Number(92.5)], vec![Cell::Text(" =x ".into()), Cell::Money(rust_decimal::Decimal::new(123450, 2))]],
            widths: vec![],
        };
        let rows = read_xlsx_rows(&write_xlsx(&[sheet])).map_err(|e| e.message(Lang::En)).unwrap();
        assert_eq!(rows, vec![vec!["工号", "值"], vec!["a1 & <b>", "92.5"], vec![" =x ", "1234.5"]]);
        assert!(read_xlsx_rows(b"PK\x03\x04 not really").is_err());
    }
}
