//! Spreadsheets in and out: import figures from CSV (and .xlsx), export results as
//! CSV and .xlsx. Plain Rust, no web types, no file system: the UI hands in bytes and
//! gets back bytes or text to put in a `Blob`.
//!
//! # Importing figures (the UI's side, in order)
//!
//! ```ignore
//! use scorecard::sheet::{self, Decoded};
//! // 1. Bytes → text. UTF-8 (± BOM) and UTF-16 are decoded here; GBK/GB18030 (Chinese
//! //    Excel's default) by the browser: `TextDecoder::new_with_label("gbk")`.
//! let table = if sheet::is_xlsx(&bytes) {
//!     sheet::read_xlsx(&bytes)?                                  // first sheet
//! } else {
//!     let text = match sheet::decode(&bytes) {
//!         Decoded::Text(t) => t,
//!         Decoded::NeedsGbk => gbk_text_decoder.decode(&bytes),  // JS TextDecoder('gbk')
//!     };
//!     sheet::Table::parse(&text)?                                // Err(CellError): show .message(lang)
//! };
//! // 2. The mapping: remembered for this workbook (in `store::UiState::view` under
//! //    sheet::MAPPING_VIEW_KEY), or guessed.
//! let remembered = view.get(sheet::MAPPING_VIEW_KEY).and_then(|j| sheet::ColumnMapping::from_json(j));
//! let mut mapping = sheet::guess(&wb, &table, remembered.as_ref());
//! // 3. The preview: table.header + table.sample() with one <select> per column;
//! //    options from sheet::targets(&wb, lang) (value = target.key()).
//! //    On change: mapping.set(col, sheet::Target::from_key(&value));
//! let check = sheet::preview(&wb, &period, &mapping, &table);   // Ok(summary) | Err(errors)
//! //    Ok: summary.message(lang); summary.new_agents → "Add these N agents?" checkbox.
//! //    Err: each error.message(lang) ("第 3 行，C 列（平均响应时间）：“abc” 不是数字").
//! // 4. Confirm: nothing changed until now.
//! let (new_wb, summary) = sheet::apply(&wb, &period, &mapping, &table, add_new_agents)?;
//! session.edit_workbook(|w| *w = new_wb);                        // one undoable step
//! view.insert(sheet::MAPPING_VIEW_KEY.into(), mapping.to_json()); // remember per workbook
//! ```
//!
//! # Exporting results
//!
//! ```ignore
//! let csv: String = sheet::results_csv(&wb, &period_results, lang);     // BOM included
//! let xlsx: Vec<u8> = sheet::results_xlsx(&wb, &period_results, lang);  // results + explanations
//! let name = sheet::file_name(&wb, &period, "csv");                      // safe download name
//! ```
//!
//! # Page weight
//!
//! Measured on wasm32 (release, `opt-level = "z"`, LTO, wasm-bindgen + `wasm-opt -Oz`,
//! gzip -9) as the growth of a program that already parses, scores, explains and
//! saves a workbook (227 KB gzip): import with CSV and .xlsx reading +39 KB (of which
//! inflate ≈ 6.5 KB), export to CSV and .xlsx +7.4 KB, [`crate::charts`] +13 KB; all
//! together +59 KB. Crates considered and not used: `csv` (+8 KB for the reader
//! alone), `rust_xlsxwriter` (+232 KB), `calamine` (zip + quick-xml + encoding_rs).
//!
//! Modules: [`csv`] (decode, delimiter, RFC 4180 split, quoting and formula-injection
//! guard), [`clean`] (one cell → a figure), [`import`] (table, mapping, preview,
//! apply), [`export`] (results and explanations as typed tables, CSV), [`xlsx`] (a
//! minimal .xlsx writer and reader).

pub mod clean;
pub mod csv;
pub mod export;
pub mod import;
pub mod xlsx;

pub use clean::{clean, Expect, NumberStyle, ValueError};
pub use csv::{decode, Decoded};
pub use export::{explanations_sheet, file_name, results_csv, results_sheet, Cell, Sheet};
pub use import::{apply, guess, preview, targets, CellError, Column, ColumnMapping, NewAgent, Problem, Row, Summary, Table, Target};
pub use xlsx::{is_xlsx, read_xlsx, read_xlsx_rows, results_xlsx, write_xlsx, XLSX_MIME};

/// Where the UI may remember a workbook's import mapping in `store::UiState::view`.
pub const MAPPING_VIEW_KEY: &str = "import.mapping";

/// The MIME type for a CSV download (the text carries its own BOM).
pub const CSV_MIME: &str = "text/csv;charset=utf-8";
