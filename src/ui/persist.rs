//! Saving the workbook in the browser: the UI side of [`crate::store`] over
//! [`crate::web_storage`], plus export and import.
//!
//! - [`open`] is called once at start-up: it opens the store (never fails) and gives
//!   back the stored workbook as a session, with the notices to show.
//! - [`changed`] is called after every edit (typing, paste, undo, template …). It only
//!   (re)starts a short timer (`store::SAVE_DEBOUNCE_MS`); when the person pauses, the
//!   workbook is saved. `pagehide` and the page becoming hidden save at once.
//! - When the address asked for a template or a benchmark workbook (`?preset=`,
//!   `?bench=`), the session is "detached": nothing is saved until a real edit, and then
//!   it is stored as a new workbook (the stored work is never overwritten).
//! - When another tab saved newer data (the `storage` event, or a refused save),
//!   autosave stops and a banner offers to reload.
//!
//! The [`Store`] is not `Send`: it lives in a thread-local, as does the previewed import.

use super::{part, t, web, Ctx, Dirty};
use crate::app::session::Session;
use crate::i18n::tr;
use crate::store::{self, Doc, External, ImportPreview, Notice, Saved, Snapshot, Store, StoreError, UiState};
use crate::web_storage;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Something shown in the notice area under the header.
#[derive(Debug, Clone, PartialEq)]
pub enum Banner {
    Notice(Notice),
    /// The last save failed (quota, …): shown until a save succeeds.
    Error(StoreError),
    /// Another tab saved newer data: autosave stopped, offer to reload.
    Newer,
}

struct State {
    store: Store,
    /// The stored workbook's id.
    id: String,
    /// The session is not the stored workbook (see the module docs).
    detached: bool,
    /// Edited since the last successful save.
    dirty: bool,
    /// Another tab saved newer data: no more autosaving.
    stopped: bool,
    asked_persistence: bool,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
    static TIMER: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
    static PREVIEW: RefCell<Option<ImportPreview>> = const { RefCell::new(None) };
    static INITIAL: RefCell<Vec<Banner>> = const { RefCell::new(Vec::new()) };
}

/// Opens the store. Returns the stored (or first-open) workbook as a session; the
/// notices are kept for [`take_initial_banners`]. `detached`: the address asked for
/// another workbook, which is saved as a new one after its first edit.
pub fn open(detached: bool) -> Session {
    let (store, opened) = Store::open(web_storage::local(), web_storage::now_ms());
    let mut banners: Vec<Banner> = opened.notices.into_iter().map(Banner::Notice).collect();
    if !store.is_persistent() && !banners.contains(&Banner::Notice(Notice::Unavailable)) {
        banners.insert(0, Banner::Notice(Notice::Unavailable));
    }
    INITIAL.with(|i| *i.borrow_mut() = banners);
    let doc = opened.doc;
    STATE.with(|s| *s.borrow_mut() = Some(State { store, id: doc.id.clone(), detached, dirty: false, stopped: false, asked_persistence: false }));
    let mut session = Session::new(doc.workbook);
    if let Some(p) = doc.ui.period {
        session.set_period(&p);
    }
    session.view = doc.ui.view;
    session
}

/// The notices found while opening (once).
pub fn take_initial_banners() -> Vec<Banner> {
    INITIAL.with(|i| std::mem::take(&mut *i.borrow_mut()))
}

fn add_banner(ctx: &Ctx, b: Banner) {
    if !ctx.banners.with_untracked(|v| v.contains(&b)) {
        ctx.banners.update(|v| v.push(b));
    }
}

fn cancel_timer() {
    TIMER.with(|t| {
        if let Some(h) = t.borrow_mut().take() {
            h.clear();
        }
    });
}

/// Saves now if there is anything to save.
pub(crate) fn flush(ctx: &Ctx) {
    cancel_timer();
    let mut add = Vec::new();
    let mut clear_errors = false;
    let mut set_error = None;
    let mut ask = false;
    STATE.with(|st| {
        let mut st = st.borrow_mut();
        let Some(st) = st.as_mut() else { return };
        if st.stopped || !st.dirty {
            return;
        }
        let Some(doc) = ctx.s.try_with_value(|s| Doc { id: st.id.clone(), workbook: s.wb.clone(), ui: UiState { period: Some(s.period.clone()), view: s.view.clone(), ..Default::default() } }) else { return };
        let now = web_storage::now_ms();
        let r = if st.detached {
            st.store.save_as_new(&doc, now).map(|d| {
                st.id = d.id;
                st.detached = false;
                Saved::Written
            })
        } else {
            st.store.save(&doc, now)
        };
        match r {
            Ok(saved) => {
                st.dirty = false;
                clear_errors = true;
                if saved == Saved::Written && !st.asked_persistence {
                    st.asked_persistence = true;
                    ask = true;
                }
            }
            Err(StoreError::NewerElsewhere { .. }) => {
                st.stopped = true;
                add.push(Banner::Newer);
            }
            Err(e) => set_error = Some(e),
        }
        add.extend(st.store.take_notices().into_iter().map(Banner::Notice));
    });
    if ask {
        web_storage::request_persistence();
    }
    if clear_errors {
        ctx.banners.update(|v| v.retain(|b| !matches!(b, Banner::Error(_) | Banner::Notice(Notice::QuotaExceeded))));
    }
    if let Some(e) = set_error {
        ctx.banners.update(|v| {
            v.retain(|b| !matches!(b, Banner::Error(_)));
            v.push(Banner::Error(e));
        });
    }
    for b in add {
        add_banner(ctx, b);
    }
}

/// The fetched template the address asked for replaced the session: not an edit.
pub(crate) fn not_an_edit() {
    cancel_timer();
    STATE.with(|st| {
        if let Some(st) = st.borrow_mut().as_mut() {
            st.dirty = false;
        }
    });
}

/// Called after every edit: saves once the edits pause.
pub(crate) fn changed(ctx: &Ctx) {
    let edited = ctx.s.try_with_value(|s| s.history.can_undo() || s.history.can_redo()).unwrap_or(false);
    let go = STATE.with(|st| {
        let mut st = st.borrow_mut();
        let Some(st) = st.as_mut() else { return false };
        // A detached session (?preset=, ?bench=) is stored only after a real edit.
        if st.detached && !edited {
            return false;
        }
        st.dirty = true;
        !st.stopped
    });
    if !go {
        return;
    }
    let c = *ctx;
    TIMER.with(|t| {
        if let Some(h) = t.borrow_mut().take() {
            h.clear();
        }
        let h = set_timeout_with_handle(move || flush(&c), Duration::from_millis(u64::from(store::SAVE_DEBOUNCE_MS))).ok();
        *t.borrow_mut() = h;
    });
}

/// Flush on `pagehide` and when the page is hidden; watch other tabs.
pub(crate) fn install(ctx: Ctx) {
    let handle = window_event_listener(leptos::ev::pagehide, move |_| flush(&ctx));
    // The listeners live as long as the page.
    std::mem::forget(handle);
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let d = doc.clone();
        let cb = Closure::<dyn Fn()>::new(move || {
            if d.visibility_state() == web_sys::VisibilityState::Hidden {
                flush(&ctx);
            }
        });
        if doc.add_event_listener_with_callback("visibilitychange", cb.as_ref().unchecked_ref()).is_ok() {
            cb.forget();
        }
    }
    web_storage::on_storage_change(move |key| {
        let newer = STATE.with(|st| {
            let mut st = st.borrow_mut();
            let Some(st) = st.as_mut() else { return false };
            if st.detached {
                return false;
            }
            let id = st.id.clone();
            if matches!(st.store.external_change(key.as_deref(), &id), Some(External::NewerElsewhere { .. })) {
                st.stopped = true;
                return true;
            }
            false
        });
        if newer {
            cancel_timer();
            add_banner(&ctx, Banner::Newer);
        }
    });
}

fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// The notice area under the header.
#[component]
pub(crate) fn Notices() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let items = part(move || {
        let l = ctx.lang.get();
        ctx.banners
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                let (role, class) = match &b {
                    Banner::Notice(Notice::Unavailable | Notice::IndexRebuilt | Notice::UiStateDropped { .. }) => ("status", "notice"),
                    _ => ("alert", "notice warn"),
                };
                let (text, action) = match &b {
                    Banner::Notice(n) => {
                        let action = n.download().map(|(name, raw)| {
                            let (name, raw) = (name, raw.to_string());
                            view! {
                                <button type="button" class="small" data-action="download-damaged" on:click=move |_| { web::download(&name, &raw); }>
                                    {tr(l, "notice.download")}
                                </button>
                            }
                            .into_any()
                        });
                        let mut text = n.message(l);
                        if matches!(n, Notice::Unavailable | Notice::QuotaExceeded) {
                            text = format!("{text} {}", tr(l, "notice.export_hint"));
                        }
                        (text, action)
                    }
                    Banner::Error(e) => (e.message(l), None),
                    Banner::Newer => (
                        StoreError::NewerElsewhere { counter: 0 }.message(l),
                        Some(view! { <button type="button" class="small" data-action="reload" on:click=move |_| reload()>{tr(l, "notice.reload")}</button> }.into_any()),
                    ),
                };
                let dismiss = if matches!(b, Banner::Newer) {
                    None
                } else {
                    Some(view! {
                        <button type="button" class="small" data-action="dismiss" on:click=move |_| ctx.banners.update(|v| { if i < v.len() { v.remove(i); } })>
                            {tr(l, "notice.dismiss")}
                        </button>
                    })
                };
                view! {
                    <div class=class role=role>
                        <span>{text}</span>
                        {action}
                        {dismiss}
                    </div>
                }
            })
            .collect_view()
            .into_any()
    });
    view! { <div class="notices" id="notices">{items}</div> }
}

/// What the import preview shows.
#[derive(Debug, Clone, PartialEq)]
struct Summary {
    title: String,
    agents: usize,
    periods: usize,
    version: u64,
    warnings: usize,
    differences: Option<usize>,
}

fn summary(p: &ImportPreview) -> Summary {
    Summary {
        title: p.title.clone(),
        agents: p.agents,
        periods: p.periods.len(),
        version: p.file_version,
        warnings: p.issues.len(),
        differences: match &p.snapshot {
            Snapshot::Differs(d) => Some(d.len()),
            Snapshot::Same => Some(0),
            _ => None,
        },
    }
}

fn export(ctx: Ctx, scheme_only: bool) {
    let l = ctx.l();
    let Some((name, text)) = ctx.s.try_with_value(|s| {
        let now = web_storage::now_ms();
        let date = store::local_date(now, web_storage::utc_offset_minutes());
        let name = store::export_file_name(&s.wb.meta.title, &date, scheme_only);
        let text = if scheme_only { store::export_scheme_json(&s.wb) } else { store::export_json(&s.wb, l) };
        (name, text)
    }) else {
        return;
    };
    if web::download(&name, &text) {
        ctx.status.set(tr(l, "export.done").to_string());
    }
}

/// Export and import (a group in the toolbar) with the import preview under it.
#[component]
pub(crate) fn FileGroup() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <div class="group file-group" role="group" aria-label=t("file.label")>
            <button type="button" id="export" on:click=move |_| export(ctx, false) title=t("export.hint")>{t("export.label")}</button>
            <button type="button" id="export-scheme" on:click=move |_| export(ctx, true) title=t("export_scheme.hint")>{t("export_scheme.label")}</button>
            <label for="import-file" class="import-label">{t("import.label")}</label>
            <input type="file" id="import-file" accept=".json,application/json,.csv,.tsv,.txt,.xlsx,text/csv" on:change=move |ev| on_file(ctx, &ev)/>
        </div>
    }
}

/// Import state shared between the file input and the preview panel.
#[derive(Clone, Copy)]
pub(crate) struct ImportState {
    preview: RwSignal<Option<Summary>>,
    error: RwSignal<Option<String>>,
}

impl ImportState {
    pub fn new() -> ImportState {
        ImportState { preview: RwSignal::new(None), error: RwSignal::new(None) }
    }
}

fn on_file(ctx: Ctx, ev: &leptos::ev::Event) {
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    input.set_value("");
    read_file(ctx, file);
}

/// Reads a chosen (or dropped) file into the import preview.
pub(crate) fn read_file(ctx: Ctx, file: web_sys::File) {
    if super::on_demand::is_spreadsheet(&file) {
        return super::on_demand::import_sheet(ctx, file);
    }
    let st = ctx.import;
    let l = ctx.l();
    st.preview.set(None);
    PREVIEW.with(|p| *p.borrow_mut() = None);
    if let Err(e) = store::check_file_size(file.size()) {
        st.error.set(Some(crate::explain::load_error(&e, l)));
        return;
    }
    st.error.set(None);
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
        let Some(text) = text else {
            st.error.set(Some(tr(l, "import.unreadable").to_string()));
            return;
        };
        match store::preview(&text) {
            Err(e) => st.error.set(Some(crate::explain::load_error(&e, l))),
            Ok(p) => {
                st.preview.set(Some(summary(&p)));
                PREVIEW.with(|x| *x.borrow_mut() = Some(p));
                web::focus("import-open-new");
            }
        }
    });
}

/// Whether a drag carries files (text dragged into a field is left alone).
fn has_files(ev: &leptos::ev::DragEvent) -> bool {
    ev.data_transfer().is_some_and(|dt| dt.types().iter().any(|t| t.as_string().as_deref() == Some("Files")))
}

/// Lets a file be dropped anywhere on the page.
pub(crate) fn on_dragover(ev: leptos::ev::DragEvent) {
    if has_files(&ev) {
        ev.prevent_default();
    }
}

/// A dropped file goes to the import preview, as if chosen with the import button.
pub(crate) fn on_drop(ctx: Ctx, ev: leptos::ev::DragEvent) {
    if !has_files(&ev) {
        return;
    }
    ev.prevent_default();
    if let Some(file) = ev.data_transfer().and_then(|dt| dt.files()).and_then(|f| f.get(0)) {
        read_file(ctx, file);
    }
}

fn take_preview(ctx: &Ctx) -> Option<ImportPreview> {
    ctx.import.preview.set(None);
    PREVIEW.with(|p| p.borrow_mut().take())
}

fn open_as_new(ctx: Ctx) {
    let Some(p) = take_preview(&ctx) else { return };
    let l = ctx.l();
    flush(&ctx);
    let r: Result<(), StoreError> = STATE.with(|st| {
        let mut st = st.borrow_mut();
        let Some(st) = st.as_mut() else { return Ok(()) };
        let doc = st.store.open_as_new(&p, web_storage::now_ms())?;
        st.id = doc.id;
        st.detached = false;
        st.stopped = false;
        Ok(())
    });
    if let Err(e) = r {
        ctx.import.error.set(Some(e.message(l)));
        return;
    }
    ctx.banners.update(|v| v.retain(|b| !matches!(b, Banner::Newer)));
    ctx.s.update_value(|s| s.open(p.workbook));
    ctx.local_errors.set(BTreeMap::new());
    ctx.after(Dirty::ALL);
    ctx.status.set(tr(l, "import.opened").to_string());
}

fn replace_current(ctx: Ctx) {
    let Some(p) = take_preview(&ctx) else { return };
    let l = ctx.l();
    flush(&ctx);
    let r = STATE.with(|st| {
        let mut st = st.borrow_mut();
        let Some(st) = st.as_mut() else { return Ok(()) };
        if st.detached || st.stopped {
            // Not the stored workbook (or another tab owns it now): replace in the page only.
            return Ok(());
        }
        let current = ctx.s.try_with_value(|s| Doc { id: st.id.clone(), workbook: s.wb.clone(), ui: UiState { period: Some(s.period.clone()), view: s.view.clone(), ..Default::default() } });
        let Some(current) = current else { return Ok(()) };
        st.store.replace_current(&current, &p, web_storage::now_ms()).map(|_| ())
    });
    match r {
        Ok(()) => {}
        Err(StoreError::NewerElsewhere { .. }) => {
            STATE.with(|st| {
                if let Some(st) = st.borrow_mut().as_mut() {
                    st.stopped = true;
                }
            });
            add_banner(&ctx, Banner::Newer);
            return;
        }
        Err(e) => {
            ctx.import.error.set(Some(e.message(l)));
            return;
        }
    }
    ctx.s.update_value(|s| s.replace_workbook(p.workbook));
    ctx.local_errors.set(BTreeMap::new());
    ctx.after(Dirty::ALL);
    ctx.status.set(tr(l, "import.replaced").to_string());
}

/// The import message or preview (under the toolbar).
#[component]
pub(crate) fn ImportPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let st = ctx.import;
    let error = part(move || match st.error.get() {
        Some(e) => view! {
            <p class="import-error" id="import-error" role="alert">
                <span>{e}</span>
                <button type="button" class="small" on:click=move |_| st.error.set(None)>{t("notice.dismiss")}</button>
            </p>
        }
        .into_any(),
        None => ().into_any(),
    });
    let preview = part(move || match st.preview.get() {
        Some(s) => {
            let l = ctx.lang.get();
            let diffs = match s.differences {
                Some(n) => n.to_string(),
                None => tr(l, "import.no_snapshot").to_string(),
            };
            let row = |k: &'static str, v: String| view! { <dt>{tr(l, k)}</dt><dd>{v}</dd> };
            view! {
                <section class="import-preview" id="import-preview" aria-labelledby="import-preview-title">
                    <h2 id="import-preview-title">{tr(l, "import.preview")}</h2>
                    <dl>
                        {row("import.title", s.title.clone())}
                        {row("import.agents", s.agents.to_string())}
                        {row("import.periods", s.periods.to_string())}
                        {row("import.version", s.version.to_string())}
                        {row("import.warnings", s.warnings.to_string())}
                        {row("import.differences", diffs)}
                    </dl>
                    <div class="group">
                        <button type="button" id="import-open-new" on:click=move |_| open_as_new(ctx)>{tr(l, "import.open_new")}</button>
                        <button type="button" id="import-replace" on:click=move |_| replace_current(ctx)>{tr(l, "import.replace")}</button>
                        <button type="button" id="import-cancel" on:click=move |_| { take_preview(&ctx); }>{tr(l, "import.cancel")}</button>
                    </div>
                </section>
            }
            .into_any()
        }
        None => ().into_any(),
    });
    view! { <div class="import-panel">{error}{preview}</div> }
}
