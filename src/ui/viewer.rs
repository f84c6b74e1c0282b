//! The results-first page: what the first load runs (src/main.rs built with the
//! `viewer` feature). It shows the stored workbook's results — header, period and
//! language choice, warnings, the ranked table with sorting and each agent's
//! explanation, the baseline's Δ — with the same components as the full app, and in
//! place of the editors (grid, scheme, toolbar buttons, My workbooks, templates,
//! charts …) stand-ins that look the same but do nothing themselves. The first use of
//! one (marked `data-edit`) loads the full app (`scorecard-app`), which takes the page
//! over and repeats that use (see [`super::handoff`]). So a first visit downloads the
//! scoring and the results, not the editors.
//!
//! The viewer never writes the workbook: it reads storage with [`Store::peek`]. Any page
//! it cannot show as is — storage refused, damaged or newer data, a workbook with
//! errors, `?bench=` or `?preset=` — starts the full app at once.

use super::{handoff, part, results, t, txt, web, Ctx};
use crate::app::history::get_cell;
use crate::app::session::Session;
use crate::i18n::tr;
use crate::store::{Peek, Store};
use leptos::prelude::*;
use std::any::Any;
use std::cell::RefCell;

thread_local! {
    /// The mounted viewer; dropping it unmounts it (when the full app takes over).
    static MOUNTED: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
}

/// Shows the results, or starts the full app when the viewer cannot show this page.
pub fn start() {
    let search = web::search();
    let asks = |k| crate::app::lang::query_param(&search, k).is_some();
    let peek = if asks("bench") || asks("preset") { None } else { Store::peek(&*crate::web_storage::local()) };
    let session = peek.map(|p| match p {
        Peek::Fresh => Session::default_session(),
        Peek::Doc(d) => {
            let mut s = Session::new(d.workbook);
            s.restore_ui(&d.ui);
            s
        }
    });
    match session.filter(|s| !s.stale && s.results.is_some()) {
        Some(s) => {
            let Some(body) = document().body() else { return };
            let handle = leptos::mount::mount_to(body, move || view! { <Viewer session=s/> });
            MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
        }
        None => wasm_bindgen_futures::spawn_local(async {
            if handoff::load_now().await.is_err() {
                leptos::mount::mount_to_body(LoadFailed);
            }
        }),
    }
}

/// The view state the full app takes over.
fn state(ctx: Ctx) -> handoff::State {
    let (col, dir) = ctx.table.sort.get_untracked();
    handoff::State {
        period: ctx.s.with_value(|s| s.period.clone()),
        lang: ctx.l().tag().to_string(),
        sort: col.id(),
        dir: if dir == crate::app::results_view::Dir::Desc { "desc" } else { "asc" }.to_string(),
        agent: ctx.table.selected.get_untracked().unwrap_or_default(),
        all: ctx.table.limit.get_untracked() == usize::MAX,
    }
}

#[component]
fn Viewer(session: Session) -> impl IntoView {
    let ctx = super::new_ctx(session, Vec::new());
    ctx.table.sync(&ctx);
    super::follow_lang(ctx);
    let failed = RwSignal::new(false);
    handoff::watch(
        move || state(ctx).encode(),
        || drop(MOUNTED.with(|m| m.borrow_mut().take())),
        move || failed.set(true),
    );
    Effect::new(move |_| {
        web::mark_app("viewer");
        web::mark_ready();
    });
    let loading = txt(move || tr(ctx.lang.get(), "app.loading").to_string());
    view! {
        <div class="app" data-loading-text=loading>
            <super::Header/>
            {part(move || if failed.get() { view! { <p class="notice error" role="alert">{t("app.load_failed")}</p> }.into_any() } else { ().into_any() })}
            <details class="workbooks" id="workbooks" data-edit="">
                <summary>{t("workbooks.title")}</summary>
            </details>
            <super::Templates/>
            <main class="layout">
                <results::ResultsPanel/>
                <section class="editors" aria-labelledby="editors-title" data-edit="">
                    <h2 id="editors-title" class="visually-hidden">{t("editors.title")}</h2>
                    <super::EditorTabs/>
                    <div id="panel-data" role="tabpanel" aria-labelledby="tab-data">
                        <DataStandIn/>
                    </div>
                    <div id="panel-scheme" role="tabpanel" aria-labelledby="tab-scheme" hidden=true></div>
                </section>
            </main>
        </div>
    }
}

/// When the full app could not be loaded and there is no viewer to fall back on.
#[component]
fn LoadFailed() -> impl IntoView {
    view! { <p class="notice error" role="alert">{tr(super::initial_lang(), "app.load_failed")}</p> }
}

/// The toolbar's undo/redo, baseline and file buttons (the same look as the full app's).
pub(crate) fn toolbar_stand_ins() -> AnyView {
    let ctx = expect_context::<Ctx>();
    let has = move || ctx.s.with_value(|s| s.has_baseline());
    view! {
        <div class="group" data-edit="">
            <button type="button" id="undo" disabled=true title=t("undo.hint")>{t("undo.label")}</button>
            <button type="button" id="redo" disabled=true title=t("redo.hint")>{t("redo.label")}</button>
        </div>
        <div class="group" data-edit="">
            <button type="button" id="pin-baseline" title=t("baseline.pin.hint")>
                {txt(move || if has() { t("baseline.repin")() } else { t("baseline.pin")() }.to_string())}
            </button>
            {has().then(|| view! { <button type="button" id="clear-baseline">{t("baseline.clear")}</button> })}
        </div>
        <div class="group file-group" role="group" aria-label=t("file.label") data-edit="">
            <button type="button" id="export" title=t("export.hint")>{t("export.label")}</button>
            <button type="button" id="export-scheme" title=t("export_scheme.hint")>{t("export_scheme.label")}</button>
            <button type="button" id="copy-json" title=t("copy.hint")>{t("copy.label")}</button>
            <label for="import-file" class="import-label">{t("import.label")}</label>
            <input type="file" id="import-file" accept=".json,application/json,.csv,.tsv,.txt,.xlsx,text/csv"/>
        </div>
    }
    .into_any()
}

/// The results' charts, appraisal sheets and spreadsheet buttons.
pub(crate) fn results_tools_stand_in() -> AnyView {
    view! {
        <div class="group results-tools" role="group" aria-label=t("extras.tools") data-edit="">
            <button type="button" id="open-charts">{t("charts.open")}</button>
            <button type="button" id="open-print" title=t("print.open.hint")>{t("print.open")}</button>
            <button type="button" id="export-csv" title=t("sheet.csv.hint")>{t("sheet.csv")}</button>
            <button type="button" id="export-xlsx" title=t("sheet.xlsx.hint")>{t("sheet.xlsx")}</button>
        </div>
    }
    .into_any()
}

/// The data tab as the full app first shows it: the add-agent row and the first page of
/// the grid, with the same ids, so the cell that is clicked is the one focused.
#[component]
fn DataStandIn() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let grid = part(move || {
        ctx.rev_shape.track();
        let (cols, rows, values, caption_period) = ctx.s.with_value(|s| {
            let cols = super::grid::columns(&s.wb);
            let rows: Vec<_> = super::grid::rows(s).into_iter().take(super::grid::PAGE).collect();
            let values: Vec<Vec<String>> = rows.iter().map(|r| cols.iter().map(|c| super::grid::cell_text(&get_cell(&s.wb, &r.agent, &s.period, &c.key))).collect()).collect();
            let p = s.wb.period(&s.period).map(crate::app::data::period_name).unwrap_or_else(|| s.period.clone());
            (cols, rows, values, p)
        });
        let body = rows
            .into_iter()
            .zip(values)
            .enumerate()
            .map(|(r, (row, values))| {
                let cells = values
                    .into_iter()
                    .enumerate()
                    .map(|(c, v)| view! { <td><input type="text" inputmode="decimal" autocomplete="off" spellcheck="false" id=format!("g-{r}-{c}") class="cell" value=v/></td> })
                    .collect_view();
                let remove = txt({
                    let name = row.name.clone();
                    move || format!("{} {name}", tr(ctx.lang.get(), "agent.remove"))
                });
                view! {
                    <tr data-agent=row.agent>
                        <th scope="row"><input type="text" class="agent-name" value=row.name/></th>
                        {cells}
                        <td class="actions"><button type="button" class="small danger-quiet" aria-label=remove>{t("agent.remove_short")}</button></td>
                    </tr>
                }
            })
            .collect_view();
        super::grid::table(ctx, &cols, caption_period, body.into_any())
    });
    view! {
        <div class="data-panel">
            <p class="hint">{t("grid.help")}</p>
            <div class="data-tools">
                <form class="add-agent">
                    <label for="new-agent">{t("agent.add_label")}</label>
                    <input id="new-agent" type="text" autocomplete="off"/>
                    <button type="submit" id="add-agent">{t("agent.add")}</button>
                </form>
                <button type="button" id="add-period" title=t("period.add.hint")>{t("period.add")}</button>
            </div>
            {grid}
        </div>
    }
}
