//! The web app's state and logic, in plain Rust with no web types, so it compiles and
//! is tested natively (`cargo test`). The Leptos components in `crate::ui` (wasm32
//! only) are a thin layer that renders this state and turns events into calls here.
//!
//! - [`session`]: the workbook being edited, the period shown, validation, scoring,
//!   baseline; `to_json` / `from_json` for saving.
//! - [`history`]: edits with before/after, undo and redo (capped, merging keystrokes).
//! - [`results_view`]: rows of the results table, sorting, team row, Δ against a baseline.
//! - [`grid`] and [`paste`]: keyboard moves in the data grid; reading typed and pasted
//!   figures (tab-separated blocks from Excel/WPS).
//! - [`weights`]: the weights total and normalise.
//! - [`scheme_edit`], [`data`]: structural edits of the scheme, agents and periods.
//! - [`scheme_fields`]: the scheme editor's fields as data (label, place, read, write).
//! - [`scheme_more`]: the on-demand dialogs' edits (metrics, seasons, categories, grades,
//!   bonus details, checklist items, raters' scores) with their refusal rules.
//! - [`fields`]: validation places to grid cells.
//! - [`fmt`], [`lang`]: numbers and money for display; choosing the language.
//! - [`bench`]: generated workbooks for the latency benchmark.

pub mod bench;
pub mod data;
pub mod fields;
pub mod fmt;
pub mod grid;
pub mod history;
pub mod lang;
pub mod paste;
pub mod results_view;
pub mod scheme_edit;
pub mod scheme_fields;
pub mod scheme_more;
pub mod session;
pub mod weights;
