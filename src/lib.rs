//! KPI Scorecard (客服绩效计分卡): the library behind the web app and the CLI.
//!
//! The engine and everything it needs is plain Rust with no web types and is tested
//! natively. The web UI (`ui`, wasm32 only) is a thin layer over it. See ARCHITECTURE.md.

pub mod engine;
pub mod figures;
pub mod formula;
pub mod i18n;
pub mod model;
pub mod read;
#[cfg(test)]
mod serde_reading;
pub mod period;
pub mod results;
pub mod validate;
pub mod explain;
pub mod workbook;
pub mod presets;
pub mod report;
pub mod sort;
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod store;
pub mod sheet;
pub mod charts;
#[cfg(target_arch = "wasm32")]
pub mod web_storage;
