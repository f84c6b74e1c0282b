//! The page's side of the on-demand module ([`super::extras`], built as
//! `scorecard-extras`): charts, appraisal sheets, spreadsheet import and export, and the
//! scheme editor's dialogs (metrics, seasons, grades, bonus details, items, scores) live in
//! a second WebAssembly module that is fetched with `import()` the first time one of
//! them is opened, so the first page load does not carry them.
//!
//! The page hands over plain data (the workbook's JSON text, the shown period, the
//! selected agent, the pinned baseline, the language) and gets back plain data (a
//! changed workbook after a confirmed spreadsheet import or an applied editor dialog,
//! applied as one undoable edit). The module's dialogs mount into `#extras`, which this file renders.
//! Where to find the module: `<meta name="scorecard-extras">`, written into the built
//! index.html by scripts/build-extras.sh (its path has a content hash).

use super::{t, txt, Ctx, Dirty};
use crate::i18n::tr;
use leptos::prelude::*;
use leptos::wasm_bindgen::{closure::Closure, prelude::*, JsCast};
use std::cell::Cell;
use web_sys::js_sys::{Array, Function, Reflect, Uint8Array};

#[wasm_bindgen(inline_js = "
const loading = new Map();
export function load_extras() {
  const meta = document.querySelector('meta[name=\"scorecard-extras\"]');
  if (!meta) return Promise.reject(new Error('no <meta name=scorecard-extras> in the page'));
  const url = new URL(meta.content, document.baseURI).href;
  let p = loading.get(url);
  if (!p) {
    p = import(url).then(async (m) => { await m.default(); return m; });
    p.catch(() => loading.delete(url));
    loading.set(url, p);
  }
  return p;
}")]
extern "C" {
    /// The module, loaded once (a failed load is tried again next time).
    #[wasm_bindgen(catch)]
    async fn load_extras() -> Result<JsValue, JsValue>;
}

/// Spreadsheets larger than this are refused before reading (the figures of 100,000
/// agents fit in a few MB).
const MAX_SHEET_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

thread_local! {
    static ERROR: Cell<Option<RwSignal<Option<String>>>> = const { Cell::new(None) };
    static BUSY: Cell<Option<RwSignal<bool>>> = const { Cell::new(None) };
}

fn set_error(message: Option<String>) {
    if let Some(sig) = ERROR.with(Cell::get) {
        sig.set(message);
    }
}

fn set_busy(busy: bool) {
    if let Some(sig) = BUSY.with(Cell::get) {
        sig.set(busy);
    }
}

/// Calls one of the module's functions, loading the module first if needed.
async fn call(ctx: Ctx, name: &str, args: Vec<JsValue>) -> Result<JsValue, String> {
    set_error(None);
    set_busy(true);
    let result = match load_extras().await {
        Err(_) => Err(tr(ctx.l(), "extras.load_failed").to_string()),
        Ok(module) => match Reflect::get(&module, &JsValue::from_str(name)).ok().and_then(|f| f.dyn_into::<Function>().ok()) {
            None => Err(tr(ctx.l(), "extras.load_failed").to_string()),
            Some(f) => f.apply(&JsValue::NULL, &args.into_iter().collect::<Array>()).map_err(|_| tr(ctx.l(), "extras.failed").to_string()),
        },
    };
    set_busy(false);
    if let Err(e) = &result {
        set_error(Some(e.clone()));
    }
    result
}

/// The workbook as JSON and the shown period.
fn snapshot(ctx: &Ctx) -> (String, String) {
    ctx.s.with_value(|s| (crate::workbook::to_json(&s.wb), s.period.clone()))
}

fn host() -> Option<web_sys::HtmlElement> {
    web_sys::window()?.document()?.get_element_by_id("extras")?.dyn_into().ok()
}

/// A callback for when a dialog closes: focus goes back to the button that opened it.
fn on_close(return_to: String) -> Function {
    Closure::once_into_js(move || super::web::focus(&return_to)).unchecked_into()
}

/// Opens the `charts` or `print` dialog. `from`: the id of the button that opened it.
fn open(ctx: Ctx, which: &'static str, from: &'static str) {
    let Some(host) = host() else { return };
    let (wb, period) = snapshot(&ctx);
    let agent = ctx.table.selected.get_untracked().unwrap_or_default();
    let baseline = ctx.s.with_value(|s| s.baseline.as_ref().map(|b| crate::workbook::write_json(&b.to_stored(), false)).unwrap_or_default());
    let args = vec![host.into(), which.into(), wb.into(), period.into(), agent.into(), baseline.into(), ctx.l().tag().into(), on_close(from.to_string()).into()];
    run(ctx, "show", args);
}

/// Calls one of the module's functions that opens a dialog.
fn run(ctx: Ctx, name: &'static str, args: Vec<JsValue>) {
    leptos::task::spawn_local(async move {
        let _ = call(ctx, name, args).await;
    });
}

/// Downloads the shown period's results as `csv` or `xlsx`.
fn export(ctx: Ctx, kind: &'static str) {
    let (wb, period) = snapshot(&ctx);
    let args = vec![wb.into(), period.into(), ctx.l().tag().into(), kind.into()];
    leptos::task::spawn_local(async move {
        if let Ok(message) = call(ctx, "export_sheet", args).await {
            if let Some(m) = message.as_string().filter(|m| !m.is_empty()) {
                set_error(Some(m));
            }
        }
    });
}

/// Whether a chosen or dropped file is a spreadsheet (CSV, TSV, text, .xlsx) rather
/// than a workbook (.json).
pub(crate) fn is_spreadsheet(file: &web_sys::File) -> bool {
    let name = file.name().to_ascii_lowercase();
    [".csv", ".tsv", ".txt", ".xlsx"].iter().any(|ext| name.ends_with(ext))
}

/// Reads a spreadsheet and opens the import preview; a confirmed import replaces the
/// workbook as one undoable edit and remembers the column mapping for this workbook.
pub(crate) fn import_sheet(ctx: Ctx, file: web_sys::File) {
    let l = ctx.l();
    if file.size() > MAX_SHEET_BYTES {
        set_error(Some(tr(l, "sheet.too_big").to_string()));
        return;
    }
    let Some(host) = host() else { return };
    let name = file.name();
    leptos::task::spawn_local(async move {
        let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await else {
            set_error(Some(tr(l, "import.unreadable").to_string()));
            return;
        };
        let bytes = Uint8Array::new(&buffer);
        let (wb, period) = snapshot(&ctx);
        let remembered = ctx.s.with_value(|s| s.view.get(crate::sheet::MAPPING_VIEW_KEY).cloned().unwrap_or_default());
        let apply = on_apply(ctx);
        let args = vec![host.into(), wb.into(), period.into(), l.tag().into(), remembered.into(), name.into(), bytes.into(), apply.into(), on_close("import-file".into()).into()];
        let _ = call(ctx, "import_sheet", args).await;
    });
}

/// The callback a dialog calls with the changed workbook (JSON) and, after a
/// spreadsheet import, the column mapping to remember (else "").
fn on_apply(ctx: Ctx) -> Function {
    let apply = Closure::<dyn FnMut(String, String)>::new(move |text: String, mapping: String| replace(ctx, &text, mapping));
    apply.into_js_value().unchecked_into()
}

/// Replaces the workbook with a dialog's result (JSON) as one undoable edit.
fn replace(ctx: Ctx, text: &str, mapping: String) {
    let l = ctx.l();
    let done = if mapping.is_empty() { tr(l, "editors.applied") } else { tr(l, "sheet.imported") };
    match crate::workbook::parse(text) {
        Ok(wb) => {
            let mut changed = false;
            ctx.s.update_value(|s| {
                changed = s.edit_workbook(|w| *w = wb);
                if !mapping.is_empty() {
                    s.view.insert(crate::sheet::MAPPING_VIEW_KEY.to_string(), mapping);
                }
            });
            if changed {
                ctx.after(Dirty::ALL);
            }
            ctx.status.set(done.to_string());
        }
        Err(e) => set_error(Some(crate::explain::load_error(&e, ctx.l()))),
    }
}

/// Opens one of the scheme editor's dialogs (`metrics`, `seasons`, `grades`, `bonus`;
/// `items` or `scores` of indicator `i`) on a copy of the workbook; Apply replaces the
/// workbook as one undoable edit. `from`: the button to focus again afterwards.
pub(crate) fn open_editor(ctx: Ctx, which: &'static str, i: usize, from: String) {
    let Some(host) = host() else { return };
    let (wb, period) = snapshot(&ctx);
    let args = vec![host.into(), which.into(), wb.into(), period.into(), ctx.l().tag().into(), i.to_string().into(), on_apply(ctx).into(), on_close(from).into()];
    run(ctx, "edit", args);
}

/// The buttons above the results: charts, appraisal sheets, CSV and Excel downloads.
#[component]
pub(crate) fn ResultsTools() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let busy = RwSignal::new(false);
    BUSY.with(|b| b.set(Some(busy)));
    view! {
        <div class="group results-tools" role="group" aria-label=t("extras.tools") aria-busy=move || if busy.get() { "true" } else { "false" }>
            <button type="button" id="open-charts" on:click=move |_| open(ctx, "charts", "open-charts")>{t("charts.open")}</button>
            <button type="button" id="open-print" on:click=move |_| open(ctx, "print", "open-print") title=t("print.open.hint")>{t("print.open")}</button>
            <button type="button" id="export-csv" on:click=move |_| export(ctx, "csv") title=t("sheet.csv.hint")>{t("sheet.csv")}</button>
            <button type="button" id="export-xlsx" on:click=move |_| export(ctx, "xlsx") title=t("sheet.xlsx.hint")>{t("sheet.xlsx")}</button>
        </div>
    }
}

/// Where the module's dialogs are mounted, and the message when it could not load.
#[component]
pub(crate) fn Host() -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    ERROR.with(|e| e.set(Some(error)));
    let message = txt(move || error.get().unwrap_or_default());
    view! {
        <p class="notice error extras-error" role="alert" hidden=move || error.with(|e| e.is_none())>
            {message}
            <button type="button" class="link" on:click=move |_| error.set(None)>{t("extras.dismiss")}</button>
        </p>
        <div id="extras"></div>
    }
}

/// Opens the import preview for a workbook file's text; `on_choice(choice, json)` when
/// the person picks "open as new" (`new`) or "replace current" (`replace`).
pub(crate) fn import_json(ctx: Ctx, text: String, on_choice: impl Fn(String, String) + 'static) {
    let Some(host) = host() else { return };
    let choice = Closure::<dyn Fn(String, String)>::new(on_choice);
    let choice: Function = choice.into_js_value().unchecked_into();
    let args = vec![host.into(), text.into(), ctx.l().tag().into(), choice.into(), on_close("import-file".into()).into()];
    run(ctx, "import_json", args);
}
