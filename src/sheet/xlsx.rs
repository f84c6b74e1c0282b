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
use super::import::column_letter;
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
    if clean.is_empty() || used.iter().any(|u| u.to_lowercase() == clean.to_lowercase()) {
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
}
