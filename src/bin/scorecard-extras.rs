//! The on-demand module (wasm32): charts, printable appraisal sheets, spreadsheet import
//! and export, the scheme editor's dialogs. Built by scripts/build-extras.sh (a Trunk
//! hook) and loaded by the page with `import()` the first time one of these is opened; see `scorecard::ui::extras`
//! for what each entry point does and `scorecard::ui::on_demand` for the caller.
//! Natively this binary does nothing.
//!
//! Every entry point takes plain data (the workbook's JSON text, ids, the language tag)
//! and never throws: problems are shown in the dialog or returned as a message.

#[cfg(target_arch = "wasm32")]
mod entry {
    use scorecard::ui::extras::{self, Input};
    use wasm_bindgen::prelude::*;
    use web_sys::js_sys::Function;

    /// Opens the `charts` or `print` dialog in `host`; `on_close()` when it closes.
    #[wasm_bindgen]
    pub fn show(host: web_sys::HtmlElement, which: &str, workbook: &str, period: &str, agent: &str, baseline: &str, lang: &str, on_close: Function) {
        extras::show(host, which, Input::read(workbook, period, agent, baseline, lang), lang, on_close);
    }

    /// Opens the spreadsheet import preview for a file's bytes.
    #[wasm_bindgen]
    #[allow(clippy::too_many_arguments)]
    pub fn import_sheet(host: web_sys::HtmlElement, workbook: &str, period: &str, lang: &str, remembered: String, file_name: String, bytes: Vec<u8>, on_apply: Function, on_close: Function) {
        extras::import_sheet(host, Input::read(workbook, period, "", "", lang), lang, remembered, file_name, bytes, on_apply, on_close);
    }

    /// Opens the import preview for a workbook file's text; `on_choice(choice, workbook_json)`.
    #[wasm_bindgen]
    pub fn import_json(host: web_sys::HtmlElement, text: String, lang: &str, on_choice: Function, on_close: Function) {
        extras::import_json(host, text, lang, on_choice, on_close);
    }

    /// Opens a scheme editor dialog (`metrics`, `seasons`, `grades`, `bonus`, `items`,
    /// `scores`) on a copy of the workbook; `on_apply(workbook_json, "")` when applied.
    #[wasm_bindgen]
    #[allow(clippy::too_many_arguments)]
    pub fn edit(host: web_sys::HtmlElement, which: &str, workbook: &str, period: &str, lang: &str, indicator: &str, on_apply: Function, on_close: Function) {
        extras::edit(host, which, workbook, period, lang, indicator.parse().unwrap_or(usize::MAX), on_apply, on_close);
    }

    /// Downloads the period's results as `csv` or `xlsx`. Returns "" or the message to show.
    #[wasm_bindgen]
    pub fn export_sheet(workbook: &str, period: &str, lang: &str, kind: &str) -> String {
        extras::export_sheet(Input::read(workbook, period, "", "", lang), kind).err().unwrap_or_default()
    }
}

/// Runs once when the page loads the module.
fn main() {
    #[cfg(target_arch = "wasm32")]
    console_error_panic_hook::set_once();
}
