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
//! The [`Store`] is not `Send`: it lives in a thread-local. The import preview itself
//! (reading, migrating, checking and scoring the file) is in the on-demand module
//! (`ui::extras::import`); the choice comes back here, where the storing is done.

use super::{bump, part, t, web, Ctx, Dirty};
use crate::app::session::Session;
use crate::i18n::tr;
use crate::model::Workbook;
use crate::store::{self, Doc, External, Notice, Saved, Store, StoreError, UiState};
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
    session.restore_ui(&doc.ui);
    session
}

/// The notices found while opening (once).
pub fn take_initial_banners() -> Vec<Banner> {
    INITIAL.with(|i| std::mem::take(&mut *i.borrow_mut()))
}

/// The workbook in the page as stored under `id`: with the shown period and the pinned
/// baseline.
fn current_doc(ctx: &Ctx, id: &str) -> Option<Doc> {
    ctx.s.try_with_value(|s| Doc { id: id.to_string(), workbook: s.wb.clone(), ui: s.ui_state() })
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
        let Some(doc) = current_doc(ctx, &st.id) else { return };
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
        // The list shows the title and the time of the last change.
        bump(ctx.list.rev);
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
        let change = STATE.with(|st| {
            let mut st = st.borrow_mut();
            let st = st.as_mut()?;
            let id = st.id.clone();
            let change = st.store.external_change(key.as_deref(), &id);
            if st.detached && !matches!(change, Some(External::ListChanged)) {
                return None;
            }
            if matches!(change, Some(External::NewerElsewhere { .. })) {
                st.stopped = true;
            }
            change
        });
        match change {
            Some(External::NewerElsewhere { .. }) => {
                cancel_timer();
                add_banner(&ctx, Banner::Newer);
            }
            Some(External::ListChanged) => bump(ctx.list.rev),
            _ => {}
        }
    });
}

/// "Keep both" after another tab saved newer data: this page's version is stored as a
/// new workbook (the other tab's stays as it is) and autosave goes on with the new one.
fn keep_both(ctx: Ctx) {
    cancel_timer();
    let r = STATE.with(|st| {
        let mut st = st.borrow_mut();
        let Some(st) = st.as_mut() else { return Ok(()) };
        let Some(doc) = current_doc(&ctx, &st.id) else { return Ok(()) };
        let d = st.store.save_as_new(&doc, web_storage::now_ms())?;
        st.id = d.id;
        st.detached = false;
        st.stopped = false;
        st.dirty = false;
        Ok(())
    });
    match r {
        Ok(()) => {
            ctx.banners.update(|v| v.retain(|b| !matches!(b, Banner::Newer | Banner::Error(_))));
            ctx.status.set(tr(ctx.l(), "notice.kept_both").to_string());
            bump(ctx.list.rev);
        }
        Err(e) => add_banner(&ctx, Banner::Error(e)),
    }
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
                        Some(
                            view! {
                                <button type="button" class="small" data-action="reload" on:click=move |_| reload()>{tr(l, "notice.reload")}</button>
                                <button type="button" class="small" data-action="keep-both" on:click=move |_| keep_both(ctx)>{tr(l, "notice.keep_both")}</button>
                            }
                            .into_any(),
                        ),
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

/// Copies the workbook (the text Export saves) to the clipboard and says how it went.
fn copy(ctx: Ctx) {
    let Some(text) = ctx.s.try_with_value(|s| store::export_json(&s.wb, ctx.l())) else { return };
    let msg = ctx.import.copied;
    msg.set(None);
    leptos::task::spawn_local(async move {
        let key = match web::copy_text(&text).await {
            Ok(()) => "copy.done",
            Err(true) => "copy.refused",
            Err(false) => "copy.failed",
        };
        msg.set(Some(key));
    });
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
            <button type="button" id="copy-json" on:click=move |_| copy(ctx) title=t("copy.hint")>{t("copy.label")}</button>
            <label for="import-file" class="import-label">{t("import.label")}</label>
            <input type="file" id="import-file" accept=".json,application/json,.csv,.tsv,.txt,.xlsx,text/csv" on:change=move |ev| on_file(ctx, &ev)/>
        </div>
    }
}

/// Import messages shared between the file input and the panel under the toolbar.
#[derive(Clone, Copy)]
pub(crate) struct ImportState {
    error: RwSignal<Option<String>>,
    /// How the last copy to the clipboard went (a translation key: `copy.*`).
    copied: RwSignal<Option<&'static str>>,
}

impl ImportState {
    pub fn new() -> ImportState {
        ImportState { error: RwSignal::new(None), copied: RwSignal::new(None) }
    }
}

fn on_file(ctx: Ctx, ev: &leptos::ev::Event) {
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    input.set_value("");
    read_file(ctx, file);
}

/// Reads a chosen (or dropped) file: a spreadsheet goes to the spreadsheet import, a
/// workbook to the import preview (both in the on-demand module). Nothing changes
/// until the person chooses.
pub(crate) fn read_file(ctx: Ctx, file: web_sys::File) {
    if super::on_demand::is_spreadsheet(&file) {
        return super::on_demand::import_sheet(ctx, file);
    }
    let st = ctx.import;
    let l = ctx.l();
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
        super::on_demand::import_json(ctx, text, move |choice: String, json: String| imported(ctx, &choice, &json));
    });
}

/// The person chose what to do with a previewed workbook file (`new` or `replace`);
/// `json` is the file's workbook, migrated, as the preview read it.
fn imported(ctx: Ctx, choice: &str, json: &str) {
    match crate::workbook::parse(json) {
        Ok(wb) if choice == "replace" => replace_current(ctx, wb),
        Ok(wb) => open_as_new(ctx, wb),
        Err(e) => ctx.import.error.set(Some(crate::explain::load_error(&e, ctx.l()))),
    }
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

fn open_as_new(ctx: Ctx, wb: Workbook) {
    let l = ctx.l();
    flush(&ctx);
    let r: Result<(), StoreError> = STATE.with(|st| {
        let mut st = st.borrow_mut();
        let Some(st) = st.as_mut() else { return Ok(()) };
        let doc = st.store.open_as_new(&wb, web_storage::now_ms())?;
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
    ctx.s.update_value(|s| s.open(wb));
    ctx.local_errors.set(BTreeMap::new());
    ctx.after(Dirty::ALL);
    ctx.status.set(tr(l, "import.opened").to_string());
}

fn replace_current(ctx: Ctx, wb: Workbook) {
    let l = ctx.l();
    flush(&ctx);
    let r = STATE.with(|st| {
        let mut st = st.borrow_mut();
        let Some(st) = st.as_mut() else { return Ok(()) };
        if st.detached || st.stopped {
            // Not the stored workbook (or another tab owns it now): replace in the page only.
            return Ok(());
        }
        let Some(current) = current_doc(&ctx, &st.id) else { return Ok(()) };
        st.store.replace_current(&current, &wb, web_storage::now_ms()).map(|_| ())
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
    ctx.s.update_value(|s| s.replace_workbook(wb));
    ctx.local_errors.set(BTreeMap::new());
    ctx.after(Dirty::ALL);
    ctx.status.set(tr(l, "import.replaced").to_string());
}

/// A message shown where it came from (`role="alert"`: it is news), with a button to
/// dismiss it. `class`: `import-error` for a problem, `notice` for good news.
fn message(id: &'static str, class: &'static str, text: Option<String>, dismiss: Box<dyn Fn()>) -> AnyView {
    match text {
        Some(text) => view! {
            <p class=class id=id role="alert">
                <span>{text}</span>
                <button type="button" class="small" on:click=move |_| dismiss()>{t("notice.dismiss")}</button>
            </p>
        }
        .into_any(),
        None => ().into_any(),
    }
}

/// The import's and the copy's messages (under the toolbar).
#[component]
pub(crate) fn ImportPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let st = ctx.import;
    let error = part(move || message("import-error", "import-error", st.error.get(), Box::new(move || st.error.set(None))));
    let copied = part(move || {
        let l = ctx.lang.get();
        let key = st.copied.get();
        // Success is news (a plain notice), a failure a warning.
        let class = if key == Some("copy.done") { "notice" } else { "import-error" };
        message("copy-message", class, key.map(|k| tr(l, k).to_string()), Box::new(move || st.copied.set(None)))
    });
    view! { <div class="import-panel">{copied}{error}</div> }
}

// ---------------------------------------------------------------------------------
// My workbooks: the list, switching, create, duplicate, rename, delete, restore
// ---------------------------------------------------------------------------------

/// The state of the list of workbooks.
#[derive(Clone, Copy)]
pub(crate) struct ListState {
    /// Bumped when the list is to be read again from the store.
    rev: RwSignal<u64>,
    /// Why the last action on the list did not happen.
    error: RwSignal<Option<String>>,
}

impl ListState {
    pub fn new() -> ListState {
        ListState { rev: RwSignal::new(0), error: RwSignal::new(None) }
    }
}

/// Shows a stored workbook in the page (after switching, creating, restoring …): its
/// own period and baseline, a fresh undo history; autosave goes on with it.
fn show(ctx: Ctx, doc: Doc) {
    STATE.with(|st| {
        if let Some(st) = st.borrow_mut().as_mut() {
            st.id = doc.id.clone();
            st.detached = false;
            st.stopped = false;
            st.dirty = false;
        }
    });
    ctx.banners.update(|v| v.retain(|b| !matches!(b, Banner::Newer)));
    ctx.s.update_value(|s| {
        s.open(doc.workbook);
        s.restore_ui(&doc.ui);
    });
    ctx.local_errors.set(BTreeMap::new());
    ctx.after(Dirty::ALL);
    not_an_edit();
}

/// An action on the list of workbooks (ids are storage ids; `New` stores a template).
enum Op {
    Open(String),
    Duplicate(String),
    Rename(String, String),
    Delete(String),
    Restore(String),
    New(Box<crate::model::Workbook>),
    Nothing,
}

/// Runs an action on the list after saving the open workbook; a returned workbook is
/// shown. `leaves`: the action shows another workbook, which is refused while the open
/// one has changes that could not be saved (storage full, another tab's newer data), so
/// that nothing is lost.
fn list_action(ctx: Ctx, leaves: bool, done: &'static str, op: Op) {
    flush(&ctx);
    let l = ctx.l();
    let r = STATE.with(|st| {
        let mut st = st.borrow_mut();
        let Some(st) = st.as_mut() else { return Ok(None) };
        if leaves && st.dirty {
            return Err(tr(l, "workbooks.unsaved").to_string());
        }
        let (s, now) = (&mut st.store, web_storage::now_ms());
        match op {
            Op::Open(id) => s.open_doc(&id).map(Some),
            Op::Duplicate(id) => s.duplicate(&id, l, now).map(Some),
            Op::Rename(id, title) => s.rename(&id, &title, now).map(|_| None),
            Op::Delete(id) => s.delete(&id, now),
            Op::Restore(id) => s.restore(&id, now).map(Some),
            Op::New(workbook) => s.save_as_new(&Doc { id: String::new(), workbook: *workbook, ui: UiState::default() }, now).map(Some),
            Op::Nothing => Ok(None),
        }
        .map_err(|e| e.message(l))
    });
    let ls = ctx.list;
    match r {
        Ok(doc) => {
            ls.error.set(None);
            if let Some(doc) = doc {
                show(ctx, doc);
            }
            ctx.status.set(tr(l, done).to_string());
        }
        Err(e) => ls.error.set(Some(e)),
    }
    bump(ls.rev);
}

/// One click handler for the whole list: each button names its action and the
/// workbook (or template) in `data-action` and `data-id`.
fn on_list_click(ctx: Ctx, ev: leptos::ev::MouseEvent) {
    let button = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("button[data-id]").ok().flatten());
    let Some(b) = button else { return };
    let (action, id) = (b.get_attribute("data-action").unwrap_or_default(), b.get_attribute("data-id").unwrap_or_default());
    let (current, title) = STATE.with(|st| {
        let mut st = st.borrow_mut();
        let Some(st) = st.as_mut() else { return (false, None) };
        (st.id == id, st.store.list().into_iter().find(|e| e.id == id).map(|e| e.title))
    });
    match action.as_str() {
        "open" => list_action(ctx, true, "workbooks.opened", Op::Open(id)),
        "duplicate" => list_action(ctx, true, "workbooks.opened", Op::Duplicate(id)),
        "delete" => list_action(ctx, current, "workbooks.deleted", Op::Delete(id)),
        "restore" => list_action(ctx, true, "workbooks.opened", Op::Restore(id)),
        "rename" => rename(ctx, id, current, &title.unwrap_or_default()),
        "new" => {
            if let Some(p) = crate::presets::find(&id) {
                create(ctx, p.id);
            }
        }
        _ => {}
    }
}

/// Asks for a new name (the browser's own dialog) and renames.
fn rename(ctx: Ctx, id: String, current: bool, title: &str) {
    let asked = web_sys::window().and_then(|w| w.prompt_with_message_and_default(tr(ctx.l(), "workbooks.new_name"), title).ok().flatten());
    let Some(title) = asked.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) else { return };
    if current {
        // The open workbook: an edit like any other (undoable), saved at once.
        ctx.edit_workbook(|wb| wb.meta.title = title);
        list_action(ctx, false, "workbooks.renamed", Op::Nothing);
    } else {
        list_action(ctx, false, "workbooks.renamed", Op::Rename(id, title));
    }
}

/// A new workbook from a template (fetched when it is not compiled in).
fn create(ctx: Ctx, id: &'static str) {
    leptos::task::spawn_local(async move {
        match super::template(id).await {
            Some(workbook) => list_action(ctx, true, "workbooks.opened", Op::New(Box::new(workbook))),
            None => ctx.list.error.set(Some(tr(ctx.l(), "templates.failed").to_string())),
        }
    });
}

/// A small button of the list: `text` to see, `label` for the ear (it names what it
/// acts on). Clicks are handled by [`on_list_click`].
fn button(text: &'static str, label: String, action: &'static str, id: String) -> AnyView {
    view! { <button type="button" class="small" data-action=action data-id=id aria-label=label>{text}</button> }.into_any()
}

/// A line of the list or of the trash.
fn line(id: String, title: String, hint: String, current: bool, buttons: Vec<AnyView>) -> AnyView {
    view! {
        <li data-id=id aria-current=current.then_some("true")>
            <span class="wb-name">{title}</span>
            " "
            <span class="hint">{hint}</span>
            " "
            {buttons}
        </li>
    }
    .into_any()
}

/// "My workbooks": the stored workbooks (title, last changed) with their actions, new
/// ones from the templates, and the recently deleted ones to restore.
#[component]
pub(crate) fn Workbooks() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ls = ctx.list;
    let body = part(move || {
        let l = ctx.lang.get();
        ls.rev.track();
        let Some((list, trash, open_id)) = STATE.with(|st| st.borrow_mut().as_mut().map(|st| (st.store.list(), st.store.trash(), st.id.clone()))) else {
            return ().into_any();
        };
        let offset = web_storage::utc_offset_minutes();
        let act = |key: &'static str, name: &str, id: &str| button(tr(l, key), format!("{}: {name}", tr(l, key)), key.trim_start_matches("workbooks."), id.to_string());
        let mut rows = Vec::new();
        for e in list {
            let current = e.id == open_id;
            let mut b = Vec::new();
            if !current {
                b.push(act("workbooks.open", &e.title, &e.id));
            }
            for key in ["workbooks.duplicate", "workbooks.rename", "workbooks.delete"] {
                b.push(act(key, &e.title, &e.id));
            }
            let hint = format!("{} {}", tr(l, "workbooks.changed"), store::local_date_time(e.changed_ms, offset));
            rows.push(line(e.id, e.title, hint, current, b));
        }
        let mut deleted = Vec::new();
        for e in trash {
            let restore = act("workbooks.restore", &e.title, &e.id);
            let what = if e.replaced.is_some() { tr(l, "workbooks.replaced") } else { "" };
            let hint = format!("{what}{} {}", tr(l, "workbooks.deleted_at"), store::local_date_time(e.deleted_ms, offset));
            deleted.push(line(e.id, e.title, hint, false, vec![restore]));
        }
        let new = crate::presets::PRESETS
            .iter()
            .map(|p| {
                let name = tr(l, p.name_key);
                button(name, format!("{} {name}", tr(l, "workbooks.new")), "new", p.id.to_string())
            })
            .collect::<Vec<_>>();
        view! {
            {message("workbooks-error", "import-error", ls.error.get(), Box::new(move || ls.error.set(None)))}
            <ul class="wb-list" id="workbook-list">{rows}</ul>
            <p class="group" id="workbook-new">{tr(l, "workbooks.new")} " " {new}</p>
            <h3>{tr(l, "workbooks.trash")}</h3>
            <ul class="wb-list" id="workbook-trash">{deleted}</ul>
        }
        .into_any()
    });
    view! {
        <details class="workbooks" id="workbooks" on:toggle=move |_| bump(ls.rev) on:click=move |ev| on_list_click(ctx, ev)>
            <summary>{t("workbooks.title")}</summary>
            {body}
        </details>
    }
}
