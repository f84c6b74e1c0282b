//! The web UI (wasm32 only): Leptos 0.8 components over [`crate::app`].
//!
//! State lives in one [`Session`] (plain Rust, in a `StoredValue`); the UI reacts to a
//! few revision counters rather than to the session itself, so that an edit re-renders
//! only what it changed:
//! - `rev_results`: results, validation issues, history changed (after every edit);
//!   the results table diffs its rows and updates only the cells whose numbers changed;
//! - figures changed other than by typing (paste, undo): only the grid rows concerned
//!   re-read their values (one signal per row; see `grid::GridState`);
//! - `rev_shape`: agents, periods, metrics or the shown period changed: the grid and
//!   the period list are rebuilt;
//! - `rev_scheme`: the scheme changed other than by typing in its fields (undo, add a
//!   band, normalise): the scheme editor is rebuilt.
//!
//! User text (names, titles) is always rendered as text, never as HTML.

// The first-load build (`viewer`) leaves the editors' code unused on purpose.
#![cfg_attr(feature = "viewer", allow(dead_code))]

pub mod extras;
mod grid;
mod handoff;
mod on_demand;
pub mod persist;
mod results;
mod scheme;
#[cfg(feature = "viewer")]
mod viewer;
pub(crate) mod web;

use crate::app::history::Changed;
use crate::app::session::Session;
use crate::i18n::{tr, Lang};
use crate::presets;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Mounts the app on `<body>`: the results-first page in the first-load build (the
/// `viewer` feature), else the full app, which takes over from the viewer when the
/// viewer loaded it ([`handoff`]).
pub fn start() {
    console_error_panic_hook::set_once();
    #[cfg(feature = "viewer")]
    viewer::start();
    #[cfg(not(feature = "viewer"))]
    {
        let handed = handoff::take();
        leptos::mount::mount_to_body(move || App(AppProps { handed }));
    }
}

/// Which editor tab is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tab {
    Data,
    Scheme,
}

/// Everything the components share (all `Copy` handles).
#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    pub s: StoredValue<Session>,
    pub lang: RwSignal<Lang>,
    pub rev_results: RwSignal<u64>,
    pub rev_shape: RwSignal<u64>,
    pub rev_scheme: RwSignal<u64>,
    /// Fields whose text is not a valid value: field id → translation key of why.
    pub local_errors: RwSignal<BTreeMap<String, &'static str>>,
    pub table: results::Table,
    pub grid: grid::GridState,
    pub tab: RwSignal<Tab>,
    /// A short message after a paste, a template load … (read by screen readers).
    pub status: RwSignal<String>,
    /// The notices under the header (storage problems, another tab).
    pub banners: RwSignal<Vec<persist::Banner>>,
    /// The import's message or preview.
    pub import: persist::ImportState,
    /// The list of workbooks.
    pub list: persist::ListState,
}

/// What an edit changed besides the results (figures changed by paste or undo are
/// refreshed row by row: `grid.refresh`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Dirty {
    pub shape: bool,
    pub scheme: bool,
}

impl Dirty {
    pub const RESULTS: Dirty = Dirty { shape: false, scheme: false };
    pub const ALL: Dirty = Dirty { shape: true, scheme: true };
}

fn bump(sig: RwSignal<u64>) {
    sig.update(|x| *x = x.wrapping_add(1));
}

impl Ctx {
    /// The language now, without subscribing.
    pub fn l(&self) -> Lang {
        self.lang.get_untracked()
    }

    /// After the session changed: refresh what depends on it.
    pub fn after(&self, d: Dirty) {
        self.table.sync(self);
        #[cfg(not(feature = "viewer"))]
        self.grid.sync_errors(self);
        if d.shape {
            bump(self.rev_shape);
        }
        if d.scheme {
            bump(self.rev_scheme);
        }
        bump(self.rev_results);
        #[cfg(not(feature = "viewer"))]
        persist::changed(self);
        // Once the effects this edit started have run (they are queued as one batch of
        // microtasks), note the time: the latency benchmark reads it.
        queue_microtask(web::mark_updated);
    }

    /// Changes the scheme from an editor field (merged per field while typing).
    pub fn edit_scheme(&self, merge: String, f: impl FnOnce(&mut crate::model::Scheme)) {
        let mut changed = false;
        self.s.update_value(|s| changed = s.edit_scheme(Some(merge), f));
        if changed {
            self.after(Dirty::RESULTS);
        }
    }

    /// A structural scheme change (rows, tables, normalise): the editor is rebuilt.
    pub fn edit_scheme_rebuild(&self, f: impl FnOnce(&mut crate::model::Scheme)) {
        let mut changed = false;
        self.s.update_value(|s| changed = s.edit_scheme(None, f));
        if changed {
            self.after(Dirty { shape: true, scheme: true });
        }
    }

    /// Any workbook change (agents, periods, rule kinds): everything is refreshed.
    pub fn edit_workbook(&self, f: impl FnOnce(&mut crate::model::Workbook)) {
        let mut changed = false;
        self.s.update_value(|s| changed = s.edit_workbook(f));
        if changed {
            self.after(Dirty::ALL);
        }
    }

    pub fn undo(&self) {
        let mut changed = None;
        self.s.update_value(|s| changed = s.undo());
        self.after_history(changed);
    }

    pub fn redo(&self) {
        let mut changed = None;
        self.s.update_value(|s| changed = s.redo());
        self.after_history(changed);
    }

    fn after_history(&self, changed: Option<Changed>) {
        let Some(changed) = changed else { return };
        self.local_errors.set(BTreeMap::new());
        let d = match changed {
            Changed::Cells => {
                let touched = self.s.with_value(|s| s.touched.clone());
                self.grid.refresh(&touched);
                Dirty::RESULTS
            }
            Changed::Scheme => Dirty { shape: true, scheme: true },
            Changed::Workbook => Dirty::ALL,
        };
        self.after(d);
    }

    /// Ends merging of keystrokes into one undo step.
    pub fn seal(&self) {
        self.s.update_value(|s| s.history.seal());
    }

    pub fn set_local_error(&self, field: &str, key: Option<&'static str>) {
        let differs = self.local_errors.with_untracked(|m| m.get(field).copied() != key);
        if differs {
            self.local_errors.update(|m| {
                match key {
                    Some(k) => m.insert(field.to_string(), k),
                    None => m.remove(field),
                };
            });
            if field.starts_with("cell:") {
                self.grid.sync_errors(self);
            }
        }
    }

    /// Results are out of date: the workbook has errors or a field holds text that is
    /// not a value.
    pub fn stale(&self) -> bool {
        self.rev_results.track();
        !self.local_errors.with(|m| m.is_empty()) || self.s.with_value(|s| s.stale)
    }
}

// Type-erased reactive pieces. Leptos renders every distinct closure type with its own
// copy of the rendering code; boxing the closures into these few types makes all the
// dynamic texts, flags and parts of the page share one copy each (a smaller download).

/// A text that follows the state.
pub(crate) type Txt = Box<dyn Fn() -> String + Send + Sync>;
/// An attribute that is there or not (`aria-invalid`, `aria-sort` …).
pub(crate) type OptAttr = Box<dyn Fn() -> Option<&'static str> + Send + Sync>;
/// A yes/no that follows the state (`disabled`, `hidden`, a class).
pub(crate) type Flag = Box<dyn Fn() -> bool + Send + Sync>;
/// A part of the page rebuilt when the state it reads changes.
pub(crate) type Part = Box<dyn Fn() -> AnyView + Send + Sync>;

pub(crate) fn txt(f: impl Fn() -> String + Send + Sync + 'static) -> Txt {
    Box::new(f)
}

pub(crate) fn opt_attr(f: impl Fn() -> Option<&'static str> + Send + Sync + 'static) -> OptAttr {
    Box::new(f)
}

pub(crate) fn flag(f: impl Fn() -> bool + Send + Sync + 'static) -> Flag {
    Box::new(f)
}

pub(crate) fn part(f: impl Fn() -> AnyView + Send + Sync + 'static) -> Part {
    Box::new(f)
}

/// A list of texts (`<ul>`), rebuilt when the state it reads changes.
pub(crate) fn text_list(class: &'static str, f: impl Fn() -> Vec<String> + Send + Sync + 'static) -> AnyView {
    let f: Box<dyn Fn() -> Vec<String> + Send + Sync> = Box::new(f);
    view! { <ul class=class>{move || f().into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul> }.into_any()
}

/// A reactive interface string (follows the language).
pub(crate) fn t(key: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_context::<Ctx>().map(|c| c.lang);
    move || tr(lang.map_or(Lang::En, |l| l.get()), key)
}

/// Where the web app finds a template that is not compiled into it, relative to the
/// page (Trunk copies `presets/` next to index.html).
fn template_url(id: &str) -> String {
    format!("presets/{id}.json")
}

/// A template by id: compiled in, or fetched. `None` when it cannot be had.
async fn template(id: &str) -> Option<crate::model::Workbook> {
    if let Some(r) = presets::load(id) {
        return r.ok();
    }
    presets::find(id)?;
    let text = web::fetch_text(&template_url(id)).await?;
    crate::workbook::parse(&text).ok()
}

#[cfg(not(feature = "viewer"))]
/// Opens a template in place of the workbook (one undoable step).
fn open_template(ctx: Ctx, id: &'static str) {
    leptos::task::spawn_local(async move {
        let l = ctx.l();
        match template(id).await {
            Some(wb) => {
                ctx.s.update_value(|s| s.replace_workbook(wb));
                ctx.local_errors.set(BTreeMap::new());
                ctx.after(Dirty::ALL);
                ctx.status.set(tr(l, "templates.opened").to_string());
            }
            None => ctx.status.set(tr(l, "templates.failed").to_string()),
        }
    });
}

#[cfg(not(feature = "viewer"))]
/// The first session: `?bench=50x20` (a generated workbook for the benchmark),
/// `?preset=courier` (a template: returned as still to be fetched when it is not
/// compiled in), or the stored workbook (the default template on first open). The
/// store is opened in every case; with `?bench=`/`?preset=` the stored work is left
/// alone until an edit, which is then saved as a new workbook.
fn first_session() -> (Session, Option<&'static str>) {
    let search = web::search();
    let bench = crate::app::lang::query_param(&search, "bench").and_then(|b| crate::app::bench::parse_spec(&b));
    let preset = crate::app::lang::query_param(&search, "preset").and_then(|p| presets::find(&p));
    let stored = persist::open(bench.is_some() || preset.is_some());
    if let Some((a, i)) = bench {
        return (Session::new(crate::app::bench::generate(a, i)), None);
    }
    if let Some(p) = preset {
        match presets::load(p.id) {
            Some(Ok(wb)) => return (Session::new(wb), None),
            _ => return (Session::default_session(), Some(p.id)),
        }
    }
    (stored, None)
}

/// The language the page starts in: `?lang=`, else the remembered one, else the
/// browser's.
fn initial_lang() -> Lang {
    let search = web::search();
    crate::app::lang::choose(
        crate::app::lang::query_param(&search, "lang").as_deref(),
        web::storage_get(crate::app::lang::STORAGE_KEY).as_deref(),
        &web::browser_languages(),
    )
}

/// The shared handles over `session` (provided as context).
fn new_ctx(session: Session, banners: Vec<persist::Banner>) -> Ctx {
    let ctx = Ctx {
        s: StoredValue::new(session),
        lang: RwSignal::new(initial_lang()),
        rev_results: RwSignal::new(0),
        rev_shape: RwSignal::new(0),
        rev_scheme: RwSignal::new(0),
        local_errors: RwSignal::new(BTreeMap::new()),
        table: results::Table::new(),
        grid: grid::GridState::new(),
        tab: RwSignal::new(Tab::Data),
        status: RwSignal::new(String::new()),
        banners: RwSignal::new(banners),
        import: persist::ImportState::new(),
        list: persist::ListState::new(),
    };
    provide_context(ctx);
    ctx
}

/// The `<html lang>` and the page title follow the language.
fn follow_lang(ctx: Ctx) {
    Effect::new(move |_| {
        let l = ctx.lang.get();
        web::set_document_lang(l.tag(), tr(l, "app.title"));
    });
}

/// Puts back the view the results-first page handed over (see [`handoff`]).
#[cfg(not(feature = "viewer"))]
fn take_over(ctx: Ctx, st: handoff::State) {
    if let Some(l) = Lang::from_tag(&st.lang) {
        ctx.lang.set(l);
    }
    let mut changed = false;
    ctx.s.update_value(|s| changed = !st.period.is_empty() && s.period != st.period && s.set_period(&st.period));
    if changed {
        ctx.after(Dirty { shape: true, scheme: false });
    } else {
        ctx.table.sync(&ctx);
    }
    let col = ctx.table.cols.with_untracked(|cols| cols.iter().copied().find(|c| c.id() == st.sort));
    if let Some(col) = col {
        let dir = if st.dir == "desc" { crate::app::results_view::Dir::Desc } else { crate::app::results_view::Dir::Asc };
        ctx.table.sort.set((col, dir));
        ctx.table.reorder();
    }
    if !st.agent.is_empty() {
        ctx.table.selected.set(Some(st.agent));
    }
    if st.all {
        ctx.table.limit.set(usize::MAX);
    }
}

#[cfg(not(feature = "viewer"))]
#[component]
fn App(handed: Option<handoff::State>) -> impl IntoView {
    let (session, fetching) = first_session();
    let ctx = new_ctx(session, persist::take_initial_banners());
    ctx.table.sync(&ctx);
    persist::install(ctx);
    follow_lang(ctx);
    if let Some(st) = handed {
        take_over(ctx, st);
        request_animation_frame(handoff::replay);
    }

    // The DOM contract: once the first results are on screen (those of the template the
    // address asked for, when it has to be fetched first).
    match fetching {
        None => {
            Effect::new(move |_| {
                web::mark_app("full");
                web::mark_ready();
            });
        }
        Some(id) => leptos::task::spawn_local(async move {
            if let Some(wb) = template(id).await {
                ctx.s.update_value(|s| s.open(wb));
                ctx.after(Dirty::ALL);
                persist::not_an_edit();
            }
            queue_microtask(|| {
                web::mark_app("full");
                web::mark_ready();
            });
        }),
    }

    // Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y anywhere.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if !(ev.ctrl_key() || ev.meta_key()) || ev.alt_key() {
            return;
        }
        let key = ev.key().to_ascii_lowercase();
        if key == "z" && !ev.shift_key() {
            ev.prevent_default();
            ctx.undo();
        } else if (key == "z" && ev.shift_key()) || key == "y" {
            ev.prevent_default();
            ctx.redo();
        }
    });
    on_cleanup(move || handle.remove());

    view! {
        <div class="app" on:focusout=move |_| ctx.seal() on:dragover=persist::on_dragover on:drop=move |ev| persist::on_drop(ctx, ev)>
            <Header/>
            <persist::Notices/>
            <persist::ImportPanel/>
            <on_demand::Host/>
            <persist::Workbooks/>
            <Templates/>
            <main class="layout">
                <results::ResultsPanel/>
                <section class="editors" aria-labelledby="editors-title">
                    <h2 id="editors-title" class="visually-hidden">{t("editors.title")}</h2>
                    <EditorTabs/>
                    <div id="panel-data" role="tabpanel" aria-labelledby="tab-data" hidden=flag(move || ctx.tab.get() != Tab::Data)>
                        <grid::DataPanel/>
                    </div>
                    <div id="panel-scheme" role="tabpanel" aria-labelledby="tab-scheme" hidden=flag(move || ctx.tab.get() != Tab::Scheme)>
                        <scheme::SchemePanel/>
                    </div>
                </section>
            </main>
            <p class="visually-hidden" role="status" aria-live="polite">{txt(move || ctx.status.get())}</p>
        </div>
    }
}

#[component]
fn Header() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let title = txt(move || {
        ctx.rev_results.track();
        ctx.s.with_value(|s| s.wb.meta.title.clone())
    });
    let on_lang = move |ev: leptos::ev::Event| {
        if let Some(l) = Lang::from_tag(&event_target_value(&ev)) {
            ctx.lang.set(l);
            web::storage_set(crate::app::lang::STORAGE_KEY, l.tag());
            ctx.table.sync(&ctx);
            #[cfg(not(feature = "viewer"))]
            ctx.grid.sync_errors(&ctx);
        }
    };
    let periods = move || {
        ctx.rev_shape.track();
        ctx.s.with_value(|s| s.wb.periods.iter().map(|p| (p.id.clone(), crate::app::data::period_name(p))).collect::<Vec<_>>())
    };
    let shown = move || {
        ctx.rev_shape.track();
        ctx.s.with_value(|s| s.period.clone())
    };
    let on_period = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        let mut changed = false;
        ctx.s.update_value(|s| changed = s.set_period(&id));
        if changed {
            ctx.local_errors.set(BTreeMap::new());
            ctx.after(Dirty { shape: true, scheme: false });
        }
    };
    view! {
        <header class="top">
            <div class="brand">
                <h1>{t("app.title")}</h1>
                <p class="wb-title">{title}</p>
            </div>
            <div class="lang-switch">
                <label for="lang">{t("lang.label")}</label>
                <select id="lang" on:change=on_lang prop:value=txt(move || ctx.lang.get().tag().to_string())>
                    <option value="zh-CN" lang="zh-CN">{t("lang.zh")}</option>
                    <option value="en" lang="en">{t("lang.en")}</option>
                </select>
            </div>
        </header>
        <nav class="toolbar" aria-label=t("toolbar.label")>
            <div class="field inline">
                <label for="period">{t("period.label")}</label>
                <select id="period" on:change=on_period prop:value=txt(shown)>
                    {part(move || {
                        let sel = shown();
                        periods()
                            .into_iter()
                            .map(|(id, name)| {
                                let selected = id == sel;
                                view! { <option value=id selected=selected>{name}</option> }
                            })
                            .collect_view()
                            .into_any()
                    })}
                </select>
            </div>
            {edit_buttons()}
        </nav>
    }
}

/// The toolbar's undo/redo, baseline and file buttons.
#[cfg(not(feature = "viewer"))]
fn edit_buttons() -> AnyView {
    let ctx = expect_context::<Ctx>();
    let can_undo = move || {
        ctx.rev_results.track();
        ctx.s.with_value(|s| s.history.can_undo())
    };
    let can_redo = move || {
        ctx.rev_results.track();
        ctx.s.with_value(|s| s.history.can_redo())
    };
    view! {
        <div class="group">
            <button type="button" id="undo" on:click=move |_| ctx.undo() disabled=flag(move || !can_undo()) title=t("undo.hint")>
                {t("undo.label")}
            </button>
            <button type="button" id="redo" on:click=move |_| ctx.redo() disabled=flag(move || !can_redo()) title=t("redo.hint")>
                {t("redo.label")}
            </button>
        </div>
        <results::BaselineButtons/>
        <persist::FileGroup/>
    }
    .into_any()
}

#[cfg(feature = "viewer")]
use viewer::toolbar_stand_ins as edit_buttons;

#[component]
fn Templates() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // In the viewer a template's button is a stand-in (`data-edit`): the full app opens it.
    #[cfg(not(feature = "viewer"))]
    let open = move |id: &'static str| open_template(ctx, id);
    #[cfg(feature = "viewer")]
    let open = |_: &'static str| ();
    let items = presets::PRESETS
        .iter()
        .map(|p| {
            let id = p.id;
            let name = txt(move || tr(ctx.lang.get(), p.name_key).to_string());
            let summary = txt(move || tr(ctx.lang.get(), p.summary_key).to_string());
            view! {
                <li>
                    <button type="button" class="template" data-preset=id on:click=move |_| open(id)>
                        <span class="template-name">{name}</span>
                        <span class="template-summary">{summary}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <details class="templates" open=true>
            <summary>{t("templates.title")}</summary>
            <p class="hint">{t("templates.hint")}</p>
            <ul class="template-list" data-edit="">{items}</ul>
        </details>
    }
}

#[component]
fn EditorTabs() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tab = move |which: Tab, id: &'static str, panel: &'static str, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                id=id
                aria-controls=panel
                aria-selected=opt_attr(move || Some(if ctx.tab.get() == which { "true" } else { "false" }))
                tabindex=opt_attr(move || Some(if ctx.tab.get() == which { "0" } else { "-1" }))
                on:click=move |_| ctx.tab.set(which)
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    let k = ev.key();
                    if k == "ArrowRight" || k == "ArrowLeft" {
                        let next = if ctx.tab.get_untracked() == Tab::Data { Tab::Scheme } else { Tab::Data };
                        ctx.tab.set(next);
                        web::focus(if next == Tab::Data { "tab-data" } else { "tab-scheme" });
                    }
                }
            >
                {t(label)}
            </button>
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label=t("editors.title")>
            {tab(Tab::Data, "tab-data", "panel-data", "tab.data")}
            {tab(Tab::Scheme, "tab-scheme", "panel-scheme", "tab.scheme")}
        </div>
    }
}
