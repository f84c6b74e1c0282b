//! The on-demand module's UI: charts, printable appraisal sheets, spreadsheet import
//! and export, and the scheme editor's dialogs ([`editors`]: metrics, seasons,
//! categories and grades, bonus details, checklist items, raters' scores). It is compiled into `scorecard-extras` (src/bin/scorecard-extras.rs), a
//! second WebAssembly module that the page loads with `import()` the first time one of
//! these is opened (the page's side is [`super::on_demand`]; the build is
//! scripts/build-extras.sh). The main app never calls into this module's code, so none
//! of it is in the first page load.
//!
//! The page hands over plain data — the workbook as its JSON text, the shown period, the
//! chosen agent, the pinned baseline (JSON) and the language — and gets back plain data:
//! a changed workbook's JSON text after a confirmed import. Each view is a dialog
//! mounted into the page's `#extras` element; closing it unmounts it and calls the
//! page back. The dialog is modal: the page cannot change underneath it.

mod charts;
mod editors;
mod import;
mod print;
mod sheet;

use crate::engine;
use crate::explain;
use crate::i18n::{tx, Lang};
use crate::model::Workbook;
use crate::results::{PeriodResults, Results};
use crate::store::Baseline;
use crate::workbook;
use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};
use std::cell::RefCell;
use web_sys::js_sys::Function;

pub use sheet::export as export_sheet;

/// What the page handed over, read and scored.
pub struct Input {
    pub wb: Workbook,
    /// The shown period's id.
    pub period: String,
    /// The agent the person was looking at, if any.
    pub agent: Option<String>,
    pub baseline: Option<Baseline>,
    pub lang: Lang,
    /// Every period's results.
    pub results: Results,
}

impl Input {
    /// Reads the page's data. A workbook with errors cannot be scored: the message
    /// says what is wrong, as the page's own validation does.
    pub fn read(workbook_json: &str, period: &str, agent: &str, baseline_json: &str, lang: &str) -> Result<Input, String> {
        let lang = Lang::from_tag(lang).unwrap_or_default();
        let wb = workbook::parse(workbook_json).map_err(|e| explain::load_error(&e, lang))?;
        let results = engine::score(&wb).map_err(|issues| {
            let first = issues.first().map(|i| explain::issue(i, lang)).unwrap_or_default();
            format!("{} {first}", tx(lang, "extras.invalid"))
        })?;
        let baseline = if baseline_json.is_empty() { None } else { serde_json::from_str::<serde_json::Value>(baseline_json).ok().and_then(|v| crate::read::Read::read(&v).ok()) };
        let agent = (!agent.is_empty()).then(|| agent.to_string());
        Ok(Input { wb, period: period.to_string(), agent, baseline, lang, results })
    }

    /// The shown period's results (empty when it has none).
    pub fn shown(&self) -> PeriodResults {
        self.results.period(&self.period).cloned().unwrap_or_else(|| PeriodResults { period: self.period.clone(), ..PeriodResults::default() })
    }

    /// The shown period's name.
    pub fn period_name(&self) -> String {
        self.wb.period(&self.period).map(crate::app::data::period_name).unwrap_or_else(|| self.period.clone())
    }
}

thread_local! {
    static OPEN: RefCell<Option<UnmountHandle<AnyViewState>>> = const { RefCell::new(None) };
    static ON_CLOSE: RefCell<Option<Function>> = const { RefCell::new(None) };
    static KEYS: RefCell<Option<Closure<dyn Fn(web_sys::KeyboardEvent)>>> = const { RefCell::new(None) };
}

/// Opens one of the dialogs: `charts` or `print`. An unreadable workbook opens a
/// dialog that says why.
pub fn show(host: web_sys::HtmlElement, which: &str, input: Result<Input, String>, lang: &str, on_close: Function) {
    let lang = Lang::from_tag(lang).unwrap_or_default();
    let which = which.to_string();
    mount(host, on_close, move || match input {
        Err(message) => dialog(lang, tx(lang, "extras.error.title"), "extras-error", view! { <p class="error" role="alert">{message}</p> }.into_any()),
        Ok(input) => match which.as_str() {
            "print" => print::sheets(input),
            _ => charts::dialog(input),
        },
    });
}

/// Opens the spreadsheet import preview for a file's bytes. `remembered`: the column
/// mapping this workbook used last time (JSON, or empty). `on_apply(workbook_json,
/// mapping_json)` is called when the person confirms.
#[allow(clippy::too_many_arguments)]
pub fn import_sheet(host: web_sys::HtmlElement, input: Result<Input, String>, lang: &str, remembered: String, file_name: String, bytes: Vec<u8>, on_apply: Function, on_close: Function) {
    let lang = Lang::from_tag(lang).unwrap_or_default();
    mount(host, on_close, move || match input {
        Err(message) => dialog(lang, tx(lang, "extras.error.title"), "extras-error", view! { <p class="error" role="alert">{message}</p> }.into_any()),
        Ok(input) => sheet::import_dialog(input, remembered, file_name, bytes, on_apply),
    });
}

/// Opens one of the scheme editor's dialogs (`metrics`, `seasons`, `grades`, `bonus`,
/// `items`, `scores`) on a copy of the workbook. `indicator`: the checklist or rating
/// indicator for `items` and `scores`. `on_apply(workbook_json)` gets the changed
/// workbook when the person applies. The workbook need not be free of errors: the
/// dialog only refuses to apply errors it introduced.
#[allow(clippy::too_many_arguments)]
pub fn edit(host: web_sys::HtmlElement, which: &str, workbook_json: &str, period: &str, lang: &str, indicator: usize, on_apply: Function, on_close: Function) {
    let lang = Lang::from_tag(lang).unwrap_or_default();
    let read = workbook::parse(workbook_json).map_err(|e| explain::load_error(&e, lang));
    let (which, period) = (which.to_string(), period.to_string());
    mount(host, on_close, move || match read {
        Err(message) => dialog(lang, tx(lang, "extras.error.title"), "extras-error", view! { <p class="error" role="alert">{message}</p> }.into_any()),
        Ok(wb) => editors::open(wb, &which, period, lang, indicator, on_apply),
    });
}

/// Focuses an element once the current update has been rendered; when it is gone,
/// the dialog's first "add" button (or its first button).
pub(crate) fn focus_later(id: String) {
    set_timeout(
        move || {
            let doc = web_sys::window().and_then(|w| w.document());
            let el = doc
                .as_ref()
                .and_then(|d| d.get_element_by_id(&id).or_else(|| d.query_selector("#extras button[id*='-add'], #extras button").ok().flatten()))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(el) = el {
                let _ = el.focus();
            }
        },
        std::time::Duration::ZERO,
    );
}

fn mount(host: web_sys::HtmlElement, on_close: Function, f: impl FnOnce() -> AnyView + 'static) {
    close_now();
    let handle = leptos::mount::mount_to(host, f);
    OPEN.with(|o| *o.borrow_mut() = Some(handle));
    ON_CLOSE.with(|c| *c.borrow_mut() = Some(on_close));
    listen_keys();
    // Focus the dialog's first control (Escape and the close button lead back).
    focus_first();
}

/// Unmounts the open dialog (if any) without calling the page back.
fn close_now() {
    let old = OPEN.with(|o| o.borrow_mut().take());
    drop(old);
    if let Some(listener) = KEYS.with(|k| k.borrow_mut().take()) {
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback_and_bool("keydown", listener.as_ref().unchecked_ref(), true);
        }
    }
}

/// While a dialog is open, keys are the dialog's wherever the focus is (a modal): Escape
/// closes it; Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y go no further than the field they are
/// typed in (its own undo still works), so the page's undo cannot change the workbook
/// under an open dialog. A listener on the window in the capture phase runs before the
/// page's own (bubbling) shortcuts.
fn listen_keys() {
    let Some(w) = web_sys::window() else { return };
    let listener = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(|ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if key == "Escape" {
            ev.prevent_default();
            ev.stop_propagation();
            close();
        } else if (ev.ctrl_key() || ev.meta_key()) && matches!(key.as_str(), "z" | "Z" | "y" | "Y") {
            ev.stop_propagation();
        }
    });
    if w.add_event_listener_with_callback_and_bool("keydown", listener.as_ref().unchecked_ref(), true).is_ok() {
        KEYS.with(|k| *k.borrow_mut() = Some(listener));
    }
}

/// Closes the open dialog and tells the page (after the current event has finished:
/// the dialog's own handlers may still be running).
pub fn close() {
    set_timeout(
        || {
            close_now();
            if let Some(f) = ON_CLOSE.with(|c| c.borrow_mut().take()) {
                let _ = f.call0(&JsValue::NULL);
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Focuses the dialog's `data-autofocus` control, else its first button (Close).
fn focus_first() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let el = ["#extras [data-autofocus]", "#extras button"]
        .iter()
        .find_map(|sel| doc.query_selector(sel).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// A modal dialog with a heading and a close button; Escape closes it too (keys: see
/// [`listen_keys`]).
pub(crate) fn dialog(lang: Lang, title: &'static str, id: &'static str, body: AnyView) -> AnyView {
    view! {
        <div class="extras-backdrop">
            <div class="extras-dialog" id=id role="dialog" aria-modal="true" aria-labelledby="extras-title">
                <header class="extras-head no-print">
                    <h2 id="extras-title">{title}</h2>
                    <button type="button" class="extras-close" id="extras-close" on:click=move |_| close()>{tx(lang, "extras.close")}</button>
                </header>
                {body}
            </div>
        </div>
    }
    .into_any()
}


/// Opens the import preview for a workbook file's text (see [`import`]).
pub fn import_json(host: web_sys::HtmlElement, text: String, lang: &str, on_choice: Function, on_close: Function) {
    let lang = Lang::from_tag(lang).unwrap_or_default();
    mount(host, on_close, move || import::dialog_for(text, lang, on_choice));
}
