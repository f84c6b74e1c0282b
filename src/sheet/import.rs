//! Importing figures from a table (CSV text, or the rows of an .xlsx sheet) into one
//! period: the table, the column mapping, the preview, and the all-or-nothing apply.
//!
//! ```text
//! bytes ─ decode ─▶ text ─ Table::parse ─▶ Table ─ guess ─▶ ColumnMapping (user edits)
//!                                           └────── preview / apply(wb, period, mapping, table)
//!                                                     ─▶ (new Workbook, Summary) | Vec<CellError>
//! ```
//!
//! Nothing is changed in place: [`apply`] returns a new workbook, which the UI hands
//! to the session only when the user confirms. A file with any bad cell is refused
//! whole, with every bad cell named by its row and column.

use super::clean::{self, Expect, NumberStyle, ValueError};
use super::csv::{self as csvtext, SplitError};
use crate::i18n::Lang;
use crate::model::{Agent, Workbook};
use serde::{Deserialize, Serialize};
// Fx hashing, as the engine uses: shares its code in the wasm (ids are not hostile keys).
use rustc_hash::FxHashMap as HashMap;

/// At most this many data rows (the engine is sized for 100,000 agents).
pub const MAX_ROWS: usize = 200_000;
/// At most this many columns.
pub const MAX_COLUMNS: usize = 1_000;
/// At most this many characters of text (about 64 MB of UTF-8 Chinese).
pub const MAX_CHARS: usize = 32 * 1024 * 1024;
/// At most this many errors are listed; the rest are counted.
pub const MAX_ERRORS: usize = 100;
/// How many rows the preview shows.
pub const PREVIEW_ROWS: usize = 10;

/// A table read from a file: the header row and the data rows under it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    /// The header's row number in the file (1-based, as a spreadsheet shows it).
    pub header_row: usize,
    /// The delimiter of a CSV file (`None` for a spreadsheet).
    pub delimiter: Option<char>,
}

/// One data row with its row number in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based, as a spreadsheet shows it (a record with a line break inside counts once).
    pub number: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell in column `c`, or "" past the end of a short row.
    pub fn cell(&self, c: usize) -> &str {
        self.cells.get(c).map_or("", |s| s.as_str())
    }
}

impl Table {
    /// Reads CSV text (comma, tab, semicolon or pipe, detected): see [`csvtext`].
    pub fn parse(text: &str) -> Result<Table, CellError> {
        if text.chars().count() > MAX_CHARS {
            return Err(CellError::file(Problem::FileTooLarge));
        }
        let delim = csvtext::detect_delimiter(text);
        let mut rows = csvtext::split(text, delim).map_err(|e| match e {
            SplitError::UnclosedQuote { row, column } => CellError::at(row, column, Problem::UnclosedQuote),
            SplitError::TextAfterQuote { row, column } => CellError::at(row, column, Problem::TextAfterQuote),
        })?;
        // Excel's `sep=;` hint line is not the header (an emptied row is skipped).
        if rows.first().is_some_and(|r| r.len() <= 2 && r.first().is_some_and(|c| c.trim().starts_with("sep="))) {
            rows[0].clear();
        }
        let mut t = Table::from_rows(rows)?;
        t.delimiter = Some(delim);
        Ok(t)
    }

    /// A table from rows of cells (an .xlsx sheet, a paste). The header is the first
    /// row with two or more filled cells (title lines above it are skipped); rows
    /// with no filled cell are dropped.
    pub fn from_rows(rows: Vec<Vec<String>>) -> Result<Table, CellError> {
        let filled = |r: &Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count();
        let first = rows.iter().position(|r| filled(r) > 0).ok_or_else(|| CellError::file(Problem::Empty))?;
        let header_at = rows.iter().enumerate().skip(first).take(10).find(|(_, r)| filled(r) >= 2).map_or(first, |(i, _)| i);
        let mut header: Vec<String> = rows[header_at].iter().map(|c| c.trim().to_string()).collect();
        while header.last().is_some_and(|h| h.is_empty()) {
            header.pop();
        }
        if header.len() > MAX_COLUMNS {
            return Err(CellError::file(Problem::TooManyColumns));
        }
        let mut data = Vec::new();
        for (i, cells) in rows.into_iter().enumerate().skip(header_at + 1) {
            if filled(&cells) == 0 {
                continue;
            }
            if data.len() >= MAX_ROWS {
                return Err(CellError::file(Problem::TooManyRows));
            }
            data.push(Row { number: i + 1, cells });
        }
        if data.is_empty() {
            return Err(CellError::file(Problem::NoRows));
        }
        // Columns without a header but with data get a name (`Column F`) so they can be mapped.
        let width = data.iter().map(|r| r.cells.len()).max().unwrap_or(0).min(MAX_COLUMNS);
        while header.len() < width {
            header.push(String::new());
        }
        Ok(Table { header, rows: data, header_row: header_at + 1, delimiter: None })
    }

    /// The column's header, or its letter when the header cell is empty.
    pub fn column_name(&self, c: usize) -> String {
        match self.header.get(c) {
            Some(h) if !h.is_empty() => h.clone(),
            _ => column_letter(c),
        }
    }

    /// The first rows for the preview, padded to the header's width.
    pub fn sample(&self) -> Vec<Vec<String>> {
        self.rows.iter().take(PREVIEW_ROWS).map(|r| (0..self.header.len()).map(|c| r.cell(c).to_string()).collect()).collect()
    }
}

/// A spreadsheet column letter: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(c: usize) -> String {
    let mut n = c + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

// ---------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Target {
    /// Not imported.
    #[default]
    Ignore,
    AgentId,
    AgentName,
    /// An input metric's figures.
    Metric { metric: String },
}

impl Target {
    /// A key for a `<select>` option: `ignore`, `agent_id`, `agent_name`, `metric:calls`.
    pub fn key(&self) -> String {
        match self {
            Target::Ignore => "ignore".into(),
            Target::AgentId => "agent_id".into(),
            Target::AgentName => "agent_name".into(),
            Target::Metric { metric } => format!("metric:{metric}"),
        }
    }

    /// The target of a key made by [`Target::key`] (unknown keys → `Ignore`).
    pub fn from_key(key: &str) -> Target {
        match key {
            "agent_id" => Target::AgentId,
            "agent_name" => Target::AgentName,
            k => match k.strip_prefix("metric:") {
                Some(m) => Target::Metric { metric: m.to_string() },
                None => Target::Ignore,
            },
        }
    }
}

/// One column of the mapping: its header (to remember it by) and its target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub header: String,
    #[serde(flatten)]
    pub target: Target,
}

/// How a table's columns map to agents and metrics. Serde-serialisable so it can be
/// remembered per workbook (e.g. in `store::UiState::view` under a key of the UI's
/// choosing, via [`ColumnMapping::to_json`]) and offered again by [`guess`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// One per table column, in order.
    pub columns: Vec<Column>,
    /// Numbers are written `92,5` (semicolon files from European spreadsheets).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decimal_comma: bool,
}

impl ColumnMapping {
    /// The mapping as JSON, e.g. `{"columns":[{"header":"工号","to":"agent_id"}, …]}`
    /// (the same shape as its serde form).
    pub fn to_json(&self) -> String {
        // Built through `serde_json::Value`, which the app already uses, rather than
        // the derived serializer: keeps the wasm smaller.
        use serde_json::{Map, Value};
        let columns = self
            .columns
            .iter()
            .map(|c| {
                let mut o = Map::new();
                o.insert("header".into(), Value::String(c.header.clone()));
                let (to, metric) = match &c.target {
                    Target::Ignore => ("ignore", None),
                    Target::AgentId => ("agent_id", None),
                    Target::AgentName => ("agent_name", None),
                    Target::Metric { metric } => ("metric", Some(metric.clone())),
                };
                o.insert("to".into(), Value::String(to.into()));
                if let Some(m) = metric {
                    o.insert("metric".into(), Value::String(m));
                }
                Value::Object(o)
            })
            .collect();
        let mut o = Map::new();
        o.insert("columns".into(), Value::Array(columns));
        if self.decimal_comma {
            o.insert("decimal_comma".into(), Value::Bool(true));
        }
        Value::Object(o).to_string()
    }

    /// A remembered mapping; anything unreadable is `None` (then [`guess`] starts afresh).
    pub fn from_json(text: &str) -> Option<ColumnMapping> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let mut columns = Vec::new();
        for c in v.get("columns")?.as_array()? {
            let header = c.get("header")?.as_str()?.to_string();
            let target = match c.get("to")?.as_str()? {
                "ignore" => Target::Ignore,
                "agent_id" => Target::AgentId,
                "agent_name" => Target::AgentName,
                "metric" => Target::Metric { metric: c.get("metric")?.as_str()?.to_string() },
                _ => return None,
            };
            columns.push(Column { header, target });
        }
        let decimal_comma = v.get("decimal_comma").and_then(|d| d.as_bool()).unwrap_or(false);
        Some(ColumnMapping { columns, decimal_comma })
    }

    /// Sets column `c`'s target (from a `<select>` key). A metric or agent target
    /// taken by another column moves here: the other column becomes `Ignore`.
    pub fn set(&mut self, c: usize, target: Target) {
        if target != Target::Ignore {
            for (k, col) in self.columns.iter_mut().enumerate() {
                if k != c && col.target == target {
                    col.target = Target::Ignore;
                }
            }
        }
        if let Some(col) = self.columns.get_mut(c) {
            col.target = target;
        }
    }

    fn position(&self, t: &Target) -> Option<usize> {
        self.columns.iter().position(|c| &c.target == t)
    }
}

/// The choices for a column's `<select>`, in display order, with labels in `lang`:
/// don't import, agent id, agent name, then every input metric (derived metrics are
/// computed, not imported).
pub fn targets(wb: &Workbook, lang: Lang) -> Vec<(Target, String)> {
    let zh = lang == Lang::ZhCn;
    let mut out = vec![
        (Target::Ignore, if zh { "不导入" } else { "Don't import" }.to_string()),
        (Target::AgentId, if zh { "工号（客服 ID）" } else { "Agent id" }.to_string()),
        (Target::AgentName, if zh { "姓名" } else { "Agent name" }.to_string()),
    ];
    for m in wb.scheme.metrics.iter().filter(|m| m.formula.is_none()) {
        let name = if m.name.is_empty() { m.id.clone() } else { m.name.clone() };
        let label = if m.unit.is_empty() { name } else { format!("{name} ({})", m.unit) };
        out.push((Target::Metric { metric: m.id.clone() }, label));
    }
    out
}

/// Full-width to ASCII, lower case, no spaces or punctuation, no bracketed unit:
/// `平均响应时间（秒）` → `平均响应时间`, `Agent ID` → `agentid`.
fn norm(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        };
        match c {
            '(' | '[' | '【' | '〔' | '<' => depth += 1,
            ')' | ']' | '】' | '〕' | '>' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            c if c.is_whitespace() || matches!(c, '_' | '-' | '.' | ':' | '/' | '·' | '\u{3000}' | '%' | '#' | '*') => {}
            c => out.push(c.to_ascii_lowercase()),
        }
    }
    out
}

const ID_WORDS: &[&str] = &[
    "id", "agentid", "staffid", "employeeid", "userid", "code", "no", "工号", "员工编号", "员工工号", "编号", "客服id", "客服工号", "客服编号", "坐席号", "坐席工号", "坐席id", "坐席编号", "账号", "客服账号", "员工id", "人员编号",
];
const NAME_WORDS: &[&str] = &[
    "name", "agent", "agentname", "staff", "staffname", "employee", "employeename", "姓名", "名字", "客服", "客服姓名", "客服名称", "员工", "员工姓名", "坐席", "坐席姓名", "人员", "人员姓名", "客服人员",
];

/// Rows whose agent cell says this are a table's totals, not an agent.
const TOTAL_WORDS: &[&str] = &["合计", "总计", "小计", "平均", "平均值", "汇总", "total", "totals", "sum", "average", "avg", "mean"];

/// Guesses each column's target: a remembered mapping first (matched by header),
/// then agent id/name words (`工号`, `姓名`, `ID`, `Name` …), then metric ids, metric
/// names and the names of the indicators that read them (case-insensitive, brackets
/// and spaces ignored). Each target is given to one column at most.
pub fn guess(wb: &Workbook, table: &Table, remembered: Option<&ColumnMapping>) -> ColumnMapping {
    let inputs: Vec<&crate::model::Metric> = wb.scheme.metrics.iter().filter(|m| m.formula.is_none()).collect();
    let valid = |t: &Target| match t {
        Target::Metric { metric } => inputs.iter().any(|m| &m.id == metric),
        _ => true,
    };
    // Decimal commas go with the file (semicolon-separated), not with the memory.
    let mut mapping = ColumnMapping { columns: Vec::new(), decimal_comma: table.delimiter == Some(';') };
    let mut taken: Vec<Target> = Vec::new();
    let headers: Vec<String> = table.header.iter().map(|h| norm(h)).collect();
    let mut chosen: Vec<Option<Target>> = vec![None; headers.len()];

    // 1. Remembered columns, by header.
    if let Some(r) = remembered {
        for (c, h) in headers.iter().enumerate() {
            if h.is_empty() {
                continue;
            }
            if let Some(col) = r.columns.iter().find(|col| norm(&col.header) == *h) {
                if valid(&col.target) && (col.target == Target::Ignore || !taken.contains(&col.target)) {
                    if col.target != Target::Ignore {
                        taken.push(col.target.clone());
                    }
                    chosen[c] = Some(col.target.clone());
                }
            }
        }
    }
    // 2. Exact matches.
    let names_of = |m: &crate::model::Metric| -> Vec<String> {
        let mut v = vec![norm(&m.id), norm(&m.name)];
        for ind in wb.scheme.indicators.iter().filter(|i| i.metric.as_deref() == Some(m.id.as_str())) {
            v.push(norm(&ind.name));
            v.push(norm(&ind.id));
        }
        v.retain(|s| !s.is_empty());
        v
    };
    for (c, h) in headers.iter().enumerate() {
        if chosen[c].is_some() || h.is_empty() {
            continue;
        }
        let t = if ID_WORDS.contains(&h.as_str()) {
            Some(Target::AgentId)
        } else if NAME_WORDS.contains(&h.as_str()) {
            Some(Target::AgentName)
        } else {
            inputs.iter().find(|m| names_of(m).contains(h)).map(|m| Target::Metric { metric: m.id.clone() })
        };
        if let Some(t) = t.filter(|t| !taken.contains(t)) {
            taken.push(t.clone());
            chosen[c] = Some(t);
        }
    }
    // 3. A header containing a metric's name, or contained in it (2+ characters).
    for (c, h) in headers.iter().enumerate() {
        if chosen[c].is_some() || h.chars().count() < 2 {
            continue;
        }
        let best = inputs
            .iter()
            .filter(|m| !taken.contains(&Target::Metric { metric: m.id.clone() }))
            .flat_map(|m| names_of(m).into_iter().map(move |n| (m, n)))
            .filter(|(_, n)| n.chars().count() >= 2 && (h.contains(n.as_str()) || n.contains(h.as_str())))
            .max_by_key(|(_, n)| n.chars().count());
        if let Some((m, _)) = best {
            let t = Target::Metric { metric: m.id.clone() };
            taken.push(t.clone());
            chosen[c] = Some(t);
        }
    }
    mapping.columns = table.header.iter().zip(chosen).map(|(h, t)| Column { header: h.clone(), target: t.unwrap_or_default() }).collect();
    mapping
}

// ---------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------

/// A problem with the file, a row or a cell, with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct CellError {
    /// The row number in the file (1-based), if the problem is in a row.
    pub row: Option<usize>,
    /// The column (0-based), if the problem is in a column.
    pub column: Option<usize>,
    /// The column's header (empty if none).
    pub header: String,
    /// The cell's text (trimmed, at most 40 characters).
    pub text: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A cell that is not a figure.
    Value(ValueError),
    /// The file holds nothing.
    Empty,
    /// A header and no data rows.
    NoRows,
    FileTooLarge,
    TooManyRows,
    TooManyColumns,
    /// A quoted field never closes (the row where it opened).
    UnclosedQuote,
    /// Text after a closing quote.
    TextAfterQuote,
    /// No column is mapped to the agent id or name.
    NoAgentColumn,
    /// No column is mapped to a metric.
    NoMetricColumn,
    /// The period to import into does not exist.
    UnknownPeriod { id: String },
    /// The mapping names a metric the scheme does not have.
    UnknownMetric { id: String },
    /// The mapping names a derived metric (computed by its formula).
    DerivedMetric { id: String },
    /// The same agent on two rows.
    DuplicateAgent { first_row: usize },
    /// A row with figures but no agent id or name.
    NoAgent,
    /// A name shared by several agents, and no id column.
    AmbiguousName { ids: Vec<String> },
    /// More errors than are listed.
    More { count: usize },
    /// A zip that is not a readable .xlsx (damaged, encrypted, or another format).
    NotXlsx,
}

impl CellError {
    pub(crate) fn file(problem: Problem) -> CellError {
        CellError { row: None, column: None, header: String::new(), text: String::new(), problem }
    }

    fn at(row: usize, column: usize, problem: Problem) -> CellError {
        CellError { row: Some(row), column: Some(column.saturating_sub(1)), header: String::new(), text: String::new(), problem }
    }

    fn cell(table: &Table, row: &Row, c: usize, problem: Problem) -> CellError {
        let text: String = row.cell(c).trim().chars().take(40).collect();
        CellError { row: Some(row.number), column: Some(c), header: table.header.get(c).cloned().unwrap_or_default(), text, problem }
    }

    /// The message, e.g. "第 3 行，C 列（平均响应时间）：“abc” 不是数字" or
    /// "Row 3, column C (Response time): “abc” is not a number".
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let mut place = String::new();
        match (self.row, self.column) {
            (Some(r), Some(c)) => place = if zh { format!("第 {r} 行，{} 列", column_letter(c)) } else { format!("Row {r}, column {}", column_letter(c)) },
            (Some(r), None) => place = if zh { format!("第 {r} 行") } else { format!("Row {r}") },
            (None, Some(c)) => place = if zh { format!("{} 列", column_letter(c)) } else { format!("Column {}", column_letter(c)) },
            (None, None) => {}
        }
        if !self.header.is_empty() && self.column.is_some() {
            place += &if zh { format!("（{}）", self.header) } else { format!(" ({})", self.header) };
        }
        let what = match &self.problem {
            Problem::Value(v) => {
                let shown = if self.text.is_empty() { if zh { "空白" } else { "blank" }.to_string() } else { format!("“{}”", self.text) };
                format!("{shown} {}", v.text(lang))
            }
            Problem::Empty => if zh { "文件是空的" } else { "The file is empty" }.to_string(),
            Problem::NoRows => if zh { "只有表头，没有数据行" } else { "There is a header but no rows of data" }.to_string(),
            Problem::FileTooLarge => if zh { "文件太大" } else { "The file is too large" }.to_string(),
            Problem::TooManyRows => if zh { format!("行数超过 {MAX_ROWS}") } else { format!("More than {MAX_ROWS} rows") },
            Problem::TooManyColumns => if zh { format!("列数超过 {MAX_COLUMNS}") } else { format!("More than {MAX_COLUMNS} columns") },
            Problem::UnclosedQuote => if zh { "引号没有闭合（文件可能已损坏或不是 CSV）" } else { "a quote opened here never closes (the file may be damaged or not CSV)" }.to_string(),
            Problem::TextAfterQuote => if zh { "引号闭合后还有文字" } else { "there is text after a closing quote" }.to_string(),
            Problem::NoAgentColumn => if zh { "请指定哪一列是工号或姓名" } else { "Choose the column that holds the agent id or name" }.to_string(),
            Problem::NoMetricColumn => if zh { "请至少指定一列数据（指标）" } else { "Choose at least one column of figures (a metric)" }.to_string(),
            Problem::UnknownPeriod { id } => if zh { format!("没有期间“{id}”") } else { format!("There is no period “{id}”") },
            Problem::UnknownMetric { id } => if zh { format!("方案中没有数据项“{id}”") } else { format!("The scheme has no metric “{id}”") },
            Problem::DerivedMetric { id } => if zh { format!("“{id}”由公式计算，不能导入") } else { format!("“{id}” is computed by its formula and cannot be imported") },
            Problem::DuplicateAgent { first_row } => {
                if zh {
                    format!("“{}”已在第 {first_row} 行出现过", self.text)
                } else {
                    format!("“{}” already appears on row {first_row}", self.text)
                }
            }
            Problem::NoAgent => if zh { "有数据但没有工号或姓名" } else { "has figures but no agent id or name" }.to_string(),
            Problem::AmbiguousName { ids } => {
                if zh {
                    format!("有多名客服叫“{}”（{}），请加上工号列", self.text, ids.join("、"))
                } else {
                    format!("several agents are called “{}” ({}); add an agent id column", self.text, ids.join(", "))
                }
            }
            Problem::More { count } => if zh { format!("另有 {count} 处错误未列出") } else { format!("{count} more errors not listed") },
            Problem::NotXlsx => if zh { "无法读取这个 .xlsx 文件（文件损坏、加密或不是 Excel 文件）；可在 Excel 中另存为 CSV 再导入" } else { "This .xlsx file cannot be read (damaged, encrypted or not an Excel file); save it as CSV in Excel and import that" }.to_string(),
        };
        if place.is_empty() {
            what
        } else if zh {
            format!("{place}：{what}")
        } else {
            format!("{place}: {what}")
        }
    }
}

// ---------------------------------------------------------------------------------
// Plan, preview and apply
// ---------------------------------------------------------------------------------

/// An agent in the file who is not in the workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgent {
    /// The row they are on.
    pub row: usize,
    /// The id they get (the file's id, or a new `a…` id).
    pub id: String,
    pub name: String,
}

/// What an import did (or, in a preview, would do).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub period: String,
    /// Data rows read.
    pub rows: usize,
    /// Agents whose figures were written.
    pub agents: usize,
    /// Agents in the file but not in the workbook: added when `add_unknown` was
    /// given, otherwise their rows were skipped.
    pub new_agents: Vec<NewAgent>,
    pub added_new_agents: bool,
    /// The metrics imported (ids, in column order).
    pub metrics: Vec<String>,
    /// Figures given a new value.
    pub set: usize,
    /// Figures the file left blank and that were cleared.
    pub cleared: usize,
    /// Figures already equal to the file's.
    pub unchanged: usize,
    /// Rows skipped as totals or averages (`合计`, `Total` …).
    pub total_rows: Vec<usize>,
    /// Agents with a record in the period who are not in the file (left as they were).
    pub not_in_file: Vec<String>,
}

impl Summary {
    /// One or two sentences for the confirmation and the notice afterwards.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let mut s = if zh {
            format!("{} 名客服、{} 项数据：更新 {} 个数值，清空 {} 个，{} 个不变", self.agents, self.metrics.len(), self.set, self.cleared, self.unchanged)
        } else {
            format!("{} agents, {} metrics: {} figures updated, {} cleared, {} unchanged", self.agents, self.metrics.len(), self.set, self.cleared, self.unchanged)
        };
        if !self.new_agents.is_empty() {
            let names = self.new_agents.iter().take(5).map(|a| if a.name.is_empty() { a.id.as_str() } else { a.name.as_str() }).collect::<Vec<_>>();
            let more = if self.new_agents.len() > 5 { if zh { " 等" } else { " …" } } else { "" };
            s += &match (zh, self.added_new_agents) {
                (true, true) => format!("；新增客服 {} 名：{}{more}", self.new_agents.len(), names.join("、")),
                (true, false) => format!("；{} 名客服不在本工作簿中，未导入：{}{more}", self.new_agents.len(), names.join("、")),
                (false, true) => format!("; {} new agents added: {}{more}", self.new_agents.len(), names.join(", ")),
                (false, false) => format!("; {} agents not in this workbook were skipped: {}{more}", self.new_agents.len(), names.join(", ")),
            };
        }
        if !self.not_in_file.is_empty() {
            s += &if zh { format!("；{} 名客服不在文件中，保持不变", self.not_in_file.len()) } else { format!("; {} agents not in the file were left as they were", self.not_in_file.len()) };
        }
        s
    }
}

/// Who a row is about.
#[derive(Debug, Clone, PartialEq)]
enum Who {
    Known(usize),
    New(usize),
}

/// A checked import, ready to write.
struct Plan {
    metrics: Vec<(usize, String)>,
    /// Per row: who, and per imported metric its value (None = clear).
    rows: Vec<(Who, Vec<Option<f64>>)>,
    new_agents: Vec<NewAgent>,
    total_rows: Vec<usize>,
    rows_read: usize,
}

fn plan(wb: &Workbook, period: &str, mapping: &ColumnMapping, table: &Table) -> Result<Plan, Vec<CellError>> {
    let mut errors: Vec<CellError> = Vec::new();
    if wb.period(period).is_none() {
        errors.push(CellError::file(Problem::UnknownPeriod { id: period.to_string() }));
    }
    let id_col = mapping.position(&Target::AgentId);
    let name_col = mapping.position(&Target::AgentName);
    if id_col.is_none() && name_col.is_none() {
        errors.push(CellError::file(Problem::NoAgentColumn));
    }
    let mut metrics: Vec<(usize, String)> = Vec::new();
    for (c, col) in mapping.columns.iter().enumerate() {
        if let Target::Metric { metric } = &col.target {
            match wb.scheme.metric(metric) {
                None => errors.push(CellError { column: Some(c), header: col.header.clone(), ..CellError::file(Problem::UnknownMetric { id: metric.clone() }) }),
                Some(m) if m.formula.is_some() => errors.push(CellError { column: Some(c), header: col.header.clone(), ..CellError::file(Problem::DerivedMetric { id: metric.clone() }) }),
                Some(_) if metrics.iter().any(|(_, id)| id == metric) => {}
                Some(_) => metrics.push((c, metric.clone())),
            }
        }
    }
    if metrics.is_empty() && errors.iter().all(|e| !matches!(e.problem, Problem::UnknownMetric { .. } | Problem::DerivedMetric { .. })) {
        errors.push(CellError::file(Problem::NoMetricColumn));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let style = NumberStyle { decimal_comma: mapping.decimal_comma };
    let expects: Vec<Expect> = metrics.iter().map(|(_, id)| wb.scheme.metric(id).map(Expect::of).unwrap_or_default()).collect();

    // Every look-up is an `FxHashMap<&str, usize>`, the engine's own map type: one
    // copy of the hash table code in the wasm.
    let by_id: HashMap<&str, usize> = wb.agents.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
    let lower_ids: Vec<String> = wb.agents.iter().map(|a| a.id.to_ascii_lowercase()).collect();
    let by_id_lower: HashMap<&str, usize> = lower_ids.iter().enumerate().rev().map(|(i, a)| (a.as_str(), i)).collect();
    let name_keys: Vec<String> = wb.agents.iter().map(|a| name_key(&a.name)).collect();
    let mut by_name: HashMap<&str, usize> = HashMap::default();
    // Agents sharing a name with another: found by name only with an error.
    let mut shared_name = vec![false; wb.agents.len()];
    for (i, n) in name_keys.iter().enumerate().filter(|(_, n)| !n.is_empty()) {
        if let Some(&first) = by_name.get(n.as_str()) {
            shared_name[first] = true;
            shared_name[i] = true;
        } else {
            by_name.insert(n.as_str(), i);
        }
    }
    // Each row's key for an agent not in the workbook, and the ids the file uses.
    let row_keys: Vec<String> = table
        .rows
        .iter()
        .map(|row| {
            let id = id_col.map(|c| row.cell(c).trim()).unwrap_or("");
            let name = name_col.map(|c| row.cell(c).trim()).unwrap_or("");
            if !id.is_empty() {
                format!("id:{}", id.to_ascii_lowercase())
            } else {
                format!("name:{}", name_key(name))
            }
        })
        .collect();
    let file_ids: HashMap<&str, usize> = row_keys.iter().enumerate().filter_map(|(i, k)| k.strip_prefix("id:").map(|id| (id, i))).collect();
    let mut next_id = 1usize;

    let mut out = Plan { metrics: metrics.clone(), rows: Vec::new(), new_agents: Vec::new(), total_rows: Vec::new(), rows_read: table.rows.len() };
    // The row each agent was first seen on (0 = not yet).
    let mut seen_known = vec![0usize; wb.agents.len()];
    let mut seen_new: HashMap<&str, usize> = HashMap::default();
    let mut more = 0usize;
    let mut push = |errors: &mut Vec<CellError>, e: CellError| {
        if errors.len() < MAX_ERRORS {
            errors.push(e);
        } else {
            more += 1;
        }
    };

    for (r, row) in table.rows.iter().enumerate() {
        let id = id_col.map(|c| row.cell(c).trim()).unwrap_or("");
        let name = name_col.map(|c| row.cell(c).trim()).unwrap_or("");
        let label_col = if !id.is_empty() { id_col } else { name_col };
        if TOTAL_WORDS.contains(&norm(if id.is_empty() { name } else { id }).as_str()) {
            out.total_rows.push(row.number);
            continue;
        }
        // Values first, so a bad cell is reported even on an unknown agent's row.
        let mut values = Vec::with_capacity(metrics.len());
        let mut any_value = false;
        for ((c, _), ex) in metrics.iter().zip(&expects) {
            match clean::clean(row.cell(*c), *ex, style) {
                Ok(v) => {
                    any_value |= v.is_some();
                    values.push(v);
                }
                Err(e) => {
                    push(&mut errors, CellError::cell(table, row, *c, Problem::Value(e)));
                    values.push(None);
                }
            }
        }
        if id.is_empty() && name.is_empty() {
            if any_value {
                let c = id_col.or(name_col).unwrap_or(0);
                push(&mut errors, CellError::cell(table, row, c, Problem::NoAgent));
            }
            continue;
        }
        let found = if !id.is_empty() {
            by_id.get(id).or_else(|| by_id_lower.get(id.to_ascii_lowercase().as_str())).copied().map(Ok)
        } else {
            let key = name_key(name);
            match by_name.get(key.as_str()) {
                Some(&i) if shared_name[i] => Some(Err(name_keys.iter().zip(&wb.agents).filter(|(n, _)| **n == key).map(|(_, a)| a.id.clone()).collect::<Vec<_>>())),
                Some(&i) => Some(Ok(i)),
                None => None,
            }
        };
        let who = match found {
            Some(Ok(i)) => {
                if seen_known[i] > 0 {
                    push(&mut errors, CellError::cell(table, row, label_col.unwrap_or(0), Problem::DuplicateAgent { first_row: seen_known[i] }));
                    continue;
                }
                seen_known[i] = row.number;
                Who::Known(i)
            }
            Some(Err(ids)) => {
                push(&mut errors, CellError::cell(table, row, label_col.unwrap_or(0), Problem::AmbiguousName { ids }));
                continue;
            }
            None => {
                let key = row_keys[r].as_str();
                if let Some(&first) = seen_new.get(key) {
                    push(&mut errors, CellError::cell(table, row, label_col.unwrap_or(0), Problem::DuplicateAgent { first_row: first }));
                    continue;
                }
                let new_id = if !id.is_empty() {
                    id.to_string()
                } else {
                    // A new id used neither by the workbook nor by the file.
                    loop {
                        let candidate = format!("a{next_id}");
                        next_id += 1;
                        if !by_id_lower.contains_key(candidate.as_str()) && !file_ids.contains_key(candidate.as_str()) {
                            break candidate;
                        }
                    }
                };
                let k = out.new_agents.len();
                out.new_agents.push(NewAgent { row: row.number, id: new_id, name: name.to_string() });
                seen_new.insert(key, row.number);
                Who::New(k)
            }
        };
        out.rows.push((who, values));
    }
    if more > 0 {
        errors.push(CellError::file(Problem::More { count: more }));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Agent id → index of their record in `period`.
fn record_index<'a>(wb: &'a Workbook, period: &str) -> HashMap<&'a str, usize> {
    wb.records.iter().enumerate().filter(|(_, r)| r.period == period).map(|(i, r)| (r.agent.as_str(), i)).collect()
}

/// Names compared without spaces and case: `林 晓雯` = `林晓雯`.
fn name_key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect()
}

/// Checks an import without changing anything: what [`apply`] would do (with unknown
/// agents not added, so the preview can list them and offer to add them), or every
/// problem with the file and the mapping.
pub fn preview(wb: &Workbook, period: &str, mapping: &ColumnMapping, table: &Table) -> Result<Summary, Vec<CellError>> {
    let p = plan(wb, period, mapping, table)?;
    Ok(summarise(wb, period, &p, false))
}

fn summarise(wb: &Workbook, period: &str, p: &Plan, add_unknown: bool) -> Summary {
    let mut s = Summary {
        period: period.to_string(),
        rows: p.rows_read,
        new_agents: p.new_agents.clone(),
        added_new_agents: add_unknown,
        metrics: p.metrics.iter().map(|(_, m)| m.clone()).collect(),
        total_rows: p.total_rows.clone(),
        ..Summary::default()
    };
    let records: HashMap<&str, usize> = record_index(wb, period);
    let mut in_file = vec![false; wb.agents.len()];
    for (who, values) in &p.rows {
        let old = match who {
            Who::Known(i) => {
                in_file[*i] = true;
                records.get(wb.agents[*i].id.as_str()).map(|&r| &wb.records[r].figures)
            }
            Who::New(_) if !add_unknown => continue,
            Who::New(_) => None,
        };
        s.agents += 1;
        for ((_, m), v) in p.metrics.iter().zip(values) {
            let before = old.and_then(|f| f.get(m)).copied();
            match (before, v) {
                (b, Some(x)) if b == Some(*x) => s.unchanged += 1,
                (_, Some(_)) => s.set += 1,
                (Some(_), None) => s.cleared += 1,
                (None, None) => s.unchanged += 1,
            }
        }
    }
    s.not_in_file = wb.agents.iter().zip(&in_file).filter(|(a, seen)| !**seen && records.contains_key(a.id.as_str())).map(|(a, _)| a.id.clone()).collect();
    s
}

/// Imports the table's figures into `period` of a copy of the workbook. Unknown agents
/// are added (with the last agent's team, like adding one by hand) when `add_unknown`,
/// otherwise their rows are skipped. A blank or missing cell (`—`, `N/A`) clears the
/// figure. Any bad cell refuses the whole file: the errors name each row and column.
pub fn apply(wb: &Workbook, period: &str, mapping: &ColumnMapping, table: &Table, add_unknown: bool) -> Result<(Workbook, Summary), Vec<CellError>> {
    let p = plan(wb, period, mapping, table)?;
    let summary = summarise(wb, period, &p, add_unknown);
    let mut out = wb.clone();
    let team = wb.agents.last().map(|a| a.team.clone()).unwrap_or_default();
    if add_unknown {
        for a in &p.new_agents {
            out.agents.push(Agent { id: a.id.clone(), name: a.name.clone(), team: team.clone(), hire_date: None, base_pay: None });
        }
    }
    // Record positions for this period, by agent id (the copy has the same records).
    let at: HashMap<&str, usize> = record_index(wb, period);
    for (who, values) in &p.rows {
        let existing = match who {
            Who::Known(i) => at.get(wb.agents[*i].id.as_str()).copied(),
            Who::New(_) if add_unknown => None,
            Who::New(_) => continue,
        };
        let idx = match existing {
            Some(i) => i,
            None => {
                let agent = match who {
                    Who::Known(i) => wb.agents[*i].id.clone(),
                    Who::New(k) => p.new_agents[*k].id.clone(),
                };
                out.records.push(crate::model::Record { agent, period: period.to_string(), ..Default::default() });
                out.records.len() - 1
            }
        };
        let figures = &mut out.records[idx].figures;
        // Cleared figures are removed.
        figures.retain(|k, _| !p.metrics.iter().zip(values).any(|((_, m), v)| v.is_none() && m == k));
        for ((_, m), v) in p.metrics.iter().zip(values) {
            if let Some(x) = v {
                figures.insert(m.clone(), *x);
            }
        }
    }
    Ok((out, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn header_words() {
        assert_eq!(norm("平均响应时间（秒）"), "平均响应时间");
        assert_eq!(norm("Agent ID"), "agentid");
        assert_eq!(norm("CSAT (%)"), "csat");
        assert_eq!(norm("ＩＤ"), "id");
    }

    #[test]
    fn target_keys() {
        for t in [Target::Ignore, Target::AgentId, Target::AgentName, Target::Metric { metric: "calls".into() }] {
            assert_eq!(Target::from_key(&t.key()), t);
        }
        assert_eq!(Target::from_key("nonsense"), Target::Ignore);
    }
}
