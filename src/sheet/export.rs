//! Results out as a spreadsheet: the results table and the explanations table as
//! typed cells ([`Sheet`]), written as CSV ([`results_csv`]) or .xlsx
//! ([`super::xlsx::results_xlsx`]).
//!
//! Results: one row per agent in rank order — rank, agent id, name, each indicator's
//! points, each category's subtotal, total, grade, bonus. Explanations: one row per
//! agent and item (indicator, category, total, bonus part) with the figure, the
//! points or amount, and the explanation line from [`crate::explain`].

use super::csv::{number_field, text_field};
use crate::explain;
use crate::i18n::Lang;
use crate::model::Workbook;
use crate::results::PeriodResults;
use rust_decimal::Decimal;

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// User or interface text (guarded against formula injection when written).
    Text(String),
    Number(f64),
    /// Money: written as a decimal string with 2 places in CSV, a number with a
    /// `0.00` format in .xlsx.
    Money(Decimal),
}

/// A table to export: a name (the .xlsx sheet name), a header row and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Suggested column widths in characters (for .xlsx).
    pub widths: Vec<f64>,
}

fn zh(lang: Lang) -> bool {
    lang == Lang::ZhCn
}

fn label(lang: Lang, zh_text: &str, en_text: &str) -> String {
    if zh(lang) { zh_text } else { en_text }.to_string()
}

fn display(name: &str, id: &str) -> String {
    if name.is_empty() {
        id.to_string()
    } else {
        name.to_string()
    }
}

/// Money as a plain decimal string with two places: `1234.50`, `-3.00`.
pub fn money_text(d: Decimal) -> String {
    let mut x = d;
    x.rescale(2);
    let s = x.to_string();
    if s == "-0.00" {
        "0.00".into()
    } else {
        s
    }
}

/// Width of text in "characters" as a spreadsheet counts them (CJK counts double).
fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if (c as u32) >= 0x2e80 { 2.0 } else { 1.0 }).sum()
}

fn fit_widths(sheet: &mut Sheet) {
    let mut w: Vec<f64> = sheet.header.iter().map(|h| text_width(h)).collect();
    for row in sheet.rows.iter().take(500) {
        for (c, cell) in row.iter().enumerate() {
            let n = match cell {
                Cell::Empty => 0.0,
                Cell::Text(s) => text_width(s),
                Cell::Number(x) => number_field(*x).len() as f64,
                Cell::Money(d) => money_text(*d).len() as f64,
            };
            if c >= w.len() {
                w.resize(c + 1, 0.0);
            }
            w[c] = w[c].max(n);
        }
    }
    sheet.widths = w.into_iter().map(|x| (x + 2.0).clamp(6.0, 80.0)).collect();
}

/// The results of a period as a table: rank, agent id, name, each indicator's points,
/// each category's subtotal, total, grade, bonus — one row per agent in rank order.
pub fn results_sheet(wb: &Workbook, pr: &PeriodResults, lang: Lang) -> Sheet {
    let s = &wb.scheme;
    let mut header = vec![label(lang, "排名", "Rank"), label(lang, "工号", "Agent id"), label(lang, "姓名", "Name")];
    header.extend((0..s.indicators.len()).map(|i| explain::indicator_name(wb, i)));
    header.extend(s.categories.iter().map(|c| {
        let n = display(&c.name, &c.id);
        if zh(lang) {
            format!("{n}小计")
        } else {
            format!("{n} subtotal")
        }
    }));
    header.extend([label(lang, "总分", "Total"), label(lang, "等级", "Grade"), label(lang, "奖金", "Bonus")]);
    let rows = pr
        .agents()
        .map(|a| {
            let mut row = vec![Cell::Number(a.rank as f64), Cell::Text(a.agent.to_string()), Cell::Text(a.name.to_string())];
            row.extend(a.indicators.iter().map(|r| Cell::Number(r.points)));
            row.extend(a.categories.iter().map(|c| Cell::Number(c.points)));
            row.push(Cell::Number(a.total));
            row.push(a.grade.map(String::from).map_or(Cell::Empty, Cell::Text));
            row.push(Cell::Money(a.bonus));
            row
        })
        .collect();
    let mut sheet = Sheet { name: label(lang, "结果", "Results"), header, rows, widths: Vec::new() };
    fit_widths(&mut sheet);
    sheet
}

/// The explanations of a period as a table: per agent (rank order), one row per
/// indicator, category, total and bonus part, with the figure, the points (or the
/// amount) and the explanation line.
pub fn explanations_sheet(wb: &Workbook, pr: &PeriodResults, lang: Lang) -> Sheet {
    let s = &wb.scheme;
    let header = vec![
        label(lang, "排名", "Rank"),
        label(lang, "工号", "Agent id"),
        label(lang, "姓名", "Name"),
        label(lang, "项目", "Item"),
        label(lang, "数据", "Figure"),
        label(lang, "得分/金额", "Points / amount"),
        label(lang, "说明", "Explanation"),
    ];
    let sep = if zh(lang) { "；" } else { "; " };
    let mut rows = Vec::new();
    for a in pr.agents() {
        let head = || vec![Cell::Number(a.rank as f64), Cell::Text(a.agent.to_string()), Cell::Text(a.name.to_string())];
        for (i, r) in a.indicators.iter().enumerate() {
            let mut row = head();
            row.push(Cell::Text(explain::indicator_name(wb, i)));
            row.push(r.value.filter(|v| v.is_finite()).map_or(Cell::Empty, Cell::Number));
            row.push(Cell::Number(r.points));
            row.push(Cell::Text(explain::indicator(wb, i, r, lang)));
            rows.push(row);
        }
        for (c, r) in a.categories.iter().enumerate() {
            let name = s.categories.get(c).map_or_else(String::new, |x| display(&x.name, &x.id));
            let mut row = head();
            row.push(Cell::Text(if zh(lang) { format!("{name}小计") } else { format!("{name} subtotal") }));
            row.push(Cell::Empty);
            row.push(Cell::Number(r.points));
            row.push(Cell::Text(explain::category(wb, c, r.points, &r.why, lang)));
            rows.push(row);
        }
        let mut row = head();
        row.push(Cell::Text(label(lang, "总分", "Total")));
        row.push(Cell::Empty);
        row.push(Cell::Number(a.total));
        let mut lines = explain::total(wb, &a, lang);
        if let Some(g) = &a.grade {
            lines.push(if zh(lang) { format!("等级 {g}") } else { format!("grade {g}") });
        }
        row.push(Cell::Text(lines.join(sep)));
        rows.push(row);
        for part in a.bonus_parts {
            let mut row = head();
            let name = s.bonus.get(part.rule).map_or_else(String::new, |b| display(&b.name, &b.id));
            row.push(Cell::Text(name));
            row.push(Cell::Empty);
            row.push(Cell::Money(part.amount));
            row.push(Cell::Text(explain::bonus(wb, &a, part, lang)));
            rows.push(row);
        }
    }
    let mut sheet = Sheet { name: label(lang, "说明", "Explanations"), header, rows, widths: Vec::new() };
    fit_widths(&mut sheet);
    if let Some(w) = sheet.widths.last_mut() {
        *w = w.min(100.0);
    }
    sheet
}

/// A sheet as CSV text: UTF-8 **with a BOM** (so Excel shows Chinese correctly),
/// comma-separated, CRLF line ends, fields quoted when needed, text cells that look
/// like formulas prefixed with `'` (numbers stay numbers, `-3` included).
pub fn sheet_csv(sheet: &Sheet) -> String {
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out += &line(sheet.header.iter().map(|h| text_field(h)).collect());
    for row in &sheet.rows {
        out += &line(
            row.iter()
                .map(|c| match c {
                    Cell::Empty => String::new(),
                    Cell::Text(s) => text_field(s),
                    Cell::Number(x) => number_field(*x),
                    Cell::Money(d) => money_text(*d),
                })
                .collect(),
        );
    }
    out
}

/// The results of a period as CSV (see [`results_sheet`] and [`sheet_csv`]). Make a
/// `Blob` of the string with type `text/csv;charset=utf-8` (the BOM is in the string).
pub fn results_csv(wb: &Workbook, pr: &PeriodResults, lang: Lang) -> String {
    sheet_csv(&results_sheet(wb, pr, lang))
}

/// A safe download name: `<title>-<period>-results.csv` / `.xlsx` (the title cleaned
/// like the workbook export's).
pub fn file_name(wb: &Workbook, period: &str, ext: &str) -> String {
    let stem = crate::store::sanitize_file_stem(&wb.meta.title);
    let stem = if stem.is_empty() { "scorecard".to_string() } else { stem };
    let p = crate::store::sanitize_file_stem(period);
    if p.is_empty() {
        format!("{stem}-results.{ext}")
    } else {
        format!("{stem}-{p}-results.{ext}")
    }
}
