//! The data: agents (add, rename, remove with confirmation), periods (add, with the
//! last period's agents) and the grid of agents × input figures for the shown period.
//!
//! Typing in a cell rescores at once (one undo step per cell while it keeps focus);
//! arrow keys, Enter and Tab move; a tab-separated block pasted from Excel or WPS fills
//! the grid from the focused cell.

use super::{part, t, text_list, txt, web, Ctx, Dirty};
use crate::app::data;
use crate::app::grid::{paste_targets, step, Move};
use crate::app::history::{get_cell, CellKey, CellValue};
use crate::app::paste::{self, parse_figure, parse_ratings, Figure};
use crate::i18n::tr;
use crate::model::Rule;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use std::collections::HashMap;

/// A grid column: an input metric's figure or a rating indicator's scores.
#[derive(Clone)]
pub(crate) struct GridCol {
    pub key: CellKey,
    /// Stable id for the DOM (`csat`, `rating:quality`).
    pub dom: String,
    pub label: String,
    pub unit: String,
}

#[derive(Clone)]
pub(crate) struct GridRow {
    pub agent: String,
    pub name: String,
}

pub(crate) fn columns(wb: &crate::model::Workbook) -> Vec<GridCol> {
    let mut cols: Vec<GridCol> = wb
        .scheme
        .metrics
        .iter()
        .filter(|m| m.formula.is_none())
        .map(|m| GridCol { key: CellKey::Figure(m.id.clone()), dom: m.id.clone(), label: if m.name.is_empty() { m.id.clone() } else { m.name.clone() }, unit: m.unit.clone() })
        .collect();
    for ind in &wb.scheme.indicators {
        if matches!(ind.rule, Rule::Rating { .. }) {
            cols.push(GridCol {
                key: CellKey::Ratings(ind.id.clone()),
                dom: format!("rating:{}", ind.id),
                label: if ind.name.is_empty() { ind.id.clone() } else { ind.name.clone() },
                unit: String::new(),
            });
        }
    }
    cols
}

pub(crate) fn rows(s: &crate::app::session::Session) -> Vec<GridRow> {
    let mut ids = data::agents_in(&s.wb, &s.period);
    if ids.is_empty() {
        if let Some(r) = &s.results {
            ids = r.agents().map(|a| a.agent.to_string()).collect();
        }
    }
    ids.into_iter().map(|a| GridRow { name: data::agent_name(&s.wb, &a), agent: a }).collect()
}

pub(crate) fn cell_text(v: &CellValue) -> String {
    match v {
        CellValue::Empty => String::new(),
        CellValue::Figure(x) => paste::plain_number(*x),
        CellValue::Ratings(r) => paste::ratings_text(r),
    }
}

fn read_cell(key: &CellKey, text: &str) -> Result<CellValue, paste::NumberError> {
    match key {
        CellKey::Figure(_) => parse_figure(text).map(|f| match f {
            Figure::Blank => CellValue::Empty,
            Figure::Number(x) => CellValue::Figure(x),
        }),
        CellKey::Ratings(_) => parse_ratings(text).map(|v| if v.is_empty() { CellValue::Empty } else { CellValue::Ratings(v) }),
    }
}

fn field_id(agent: &str, dom: &str) -> String {
    format!("cell:{agent}:{dom}")
}

/// The grid's own state. Deliberately no signal that every cell subscribes to: with
/// 2,000 agents × 20 figures that would be 40,000 subscribers, and each re-run of one
/// of them costs time in proportion to all of them. Instead each row has its own
/// revision signal (paste and undo bump only the rows they changed), and the cells'
/// error marks (`aria-invalid`, `title`) are set directly on the few inputs concerned.
#[derive(Clone, Copy)]
pub(crate) struct GridState {
    /// Agent id → the row's revision (its cells re-read their values when it changes).
    rows: StoredValue<HashMap<String, RwSignal<u64>>>,
    /// Cell field id → DOM id of its input, for the grid on screen.
    dom: StoredValue<HashMap<String, String>>,
    /// Cell field id → the message its input shows now.
    shown: StoredValue<HashMap<String, String>>,
    /// The problems listed below the grid.
    pub errors: RwSignal<Vec<String>>,
    /// The page of rows shown (rows are shown [`PAGE`] at a time).
    pub page: RwSignal<usize>,
}

/// Rows of the grid shown at once: a page of 2,000 agents × 20 figures would make
/// every layout of the page slow.
pub const PAGE: usize = 100;

impl GridState {
    pub fn new() -> GridState {
        GridState { rows: StoredValue::new(HashMap::new()), dom: StoredValue::new(HashMap::new()), shown: StoredValue::new(HashMap::new()), errors: RwSignal::new(Vec::new()), page: RwSignal::new(0) }
    }

    /// The cells of these agents re-read their values.
    pub fn refresh(&self, agents: &[String]) {
        let sigs: Vec<RwSignal<u64>> = self.rows.with_value(|m| agents.iter().filter_map(|a| m.get(a).copied()).collect());
        for s in sigs {
            s.try_update(|x| *x = x.wrapping_add(1));
        }
    }

    /// Marks the cells whose text cannot be read or whose figure validation refuses,
    /// and lists them below the grid. Touches only the inputs whose mark changes.
    pub fn sync_errors(&self, ctx: &Ctx) {
        let l = ctx.l();
        let mut now: HashMap<String, String> = ctx.local_errors.with_untracked(|m| m.iter().filter(|(k, _)| k.starts_with("cell:")).map(|(k, v)| (k.clone(), tr(l, v).to_string())).collect());
        ctx.s.with_value(|s| {
            for i in &s.issues {
                if let Some((agent, period, key)) = crate::app::fields::record_cell(&s.wb, &i.place) {
                    if period == s.period {
                        let dom = match key {
                            CellKey::Figure(x) => x,
                            CellKey::Ratings(x) => format!("rating:{x}"),
                        };
                        now.entry(field_id(&agent, &dom)).or_insert_with(|| crate::explain::problem(&i.problem, l));
                    }
                }
            }
        });
        let same = self.shown.with_value(|shown| *shown == now);
        if same {
            return;
        }
        self.dom.with_value(|dom| {
            self.shown.with_value(|shown| {
                for (fid, msg) in &now {
                    if shown.get(fid) != Some(msg) {
                        if let Some(id) = dom.get(fid) {
                            web::mark_invalid(id, Some(msg));
                        }
                    }
                }
                for fid in shown.keys().filter(|k| !now.contains_key(*k)) {
                    if let Some(id) = dom.get(fid) {
                        web::mark_invalid(id, None);
                    }
                }
            })
        });
        let mut list: Vec<String> = now.iter().map(|(k, msg)| format!("{}: {msg}", describe_cell(*ctx, k))).collect();
        list.sort();
        self.shown.set_value(now);
        if self.errors.with_untracked(|e| *e != list) {
            self.errors.set(list);
        }
    }
}

#[component]
pub(crate) fn DataPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let confirm: RwSignal<Option<String>> = RwSignal::new(None);
    let asking = StoredValue::new(Selector::new(move || confirm.get()));
    let state = ctx.grid;

    let grid = part(move || {
        ctx.rev_shape.track();
        let (cols, all_rows, caption_period) = ctx.s.with_value(|s| {
            let p = s.wb.period(&s.period).map(data::period_name).unwrap_or_else(|| s.period.clone());
            (columns(&s.wb), rows(s), p)
        });
        let total = all_rows.len();
        let pages = total.div_ceil(PAGE).max(1);
        let page = state.page.get().min(pages - 1);
        let offset = page * PAGE;
        let rows: Vec<GridRow> = all_rows.into_iter().skip(offset).take(PAGE).collect();
        let nrows = rows.len();
        let ncols = cols.len();
        let cols_shared = std::sync::Arc::new(cols);
        // A fresh grid: new row signals (owned by this render), no marks shown yet.
        let mut row_sigs = HashMap::with_capacity(nrows);
        let mut dom_ids = HashMap::with_capacity(nrows * ncols);
        for (r, row) in rows.iter().enumerate() {
            row_sigs.insert(row.agent.clone(), RwSignal::new(0u64));
            for (c, col) in cols_shared.iter().enumerate() {
                dom_ids.insert(field_id(&row.agent, &col.dom), format!("g-{r}-{c}"));
            }
        }
        state.rows.set_value(row_sigs);
        state.dom.set_value(dom_ids);
        state.shown.set_value(HashMap::new());
        request_animation_frame(move || state.sync_errors(&ctx));
        let body = rows
            .into_iter()
            .enumerate()
            .map(|(r, row)| {
                let rev = state.rows.with_value(|m| m.get(&row.agent).copied()).unwrap_or_else(|| RwSignal::new(0));
                let cells = cols_shared
                    .iter()
                    .enumerate()
                    .map(|(c, col)| grid_cell(ctx, rev, &row, col.clone(), (r, c), (nrows, ncols), offset, cols_shared.clone()))
                    .collect_view();
                let agent = row.agent.clone();
                let name = row.name.clone();
                let name_field = agent_name_field(ctx, agent.clone(), name.clone());
                let remove = remove_agent(ctx, confirm, asking.get_value(), agent.clone(), name);
                view! {
                    <tr data-agent=agent>
                        <th scope="row">{name_field}</th>
                        {cells}
                        <td class="actions">{remove}</td>
                    </tr>
                }
            })
            .collect_view();
        let pager = (total > PAGE).then(|| {
            let text = txt(move || format!("{} {}–{} / {total}", tr(ctx.lang.get(), "grid.rows"), offset + 1, offset + nrows));
            view! {
                <div class="pager">
                    <span id="grid-page">{text}</span>
                    <button type="button" class="small" disabled=page == 0 on:click=move |_| state.page.set(page.saturating_sub(1))>{t("grid.previous")}</button>
                    <button type="button" class="small" disabled=page + 1 >= pages on:click=move |_| state.page.set(page + 1)>{t("grid.next")}</button>
                </div>
            }
        });
        view! {
            {pager}
            {table(ctx, &cols_shared, caption_period, body.into_any())}
        }
        .into_any()
    });


    view! {
        <div class="data-panel">
            <p class="hint">{t("grid.help")}</p>
            <AgentsAndPeriods/>
            {grid}
            {text_list("field-errors", move || state.errors.get())}
        </div>
    }
}

/// The grid's table around its rows: the caption (grid · period) and the column heads
/// (agent, one per column with its unit, actions). Also the viewer's stand-in.
pub(crate) fn table(ctx: Ctx, cols: &[GridCol], caption_period: String, body: AnyView) -> AnyView {
    let head = cols
        .iter()
        .map(|c| {
            let unit = (!c.unit.is_empty()).then(|| view! { <span class="unit">{format!(" ({})", c.unit)}</span> });
            let hint = matches!(c.key, CellKey::Ratings(_)).then(|| view! { <span class="unit">" " {t("grid.ratings_hint")}</span> });
            view! { <th scope="col" data-key=c.dom.clone()>{c.label.clone()}{unit}{hint}</th> }
        })
        .collect_view();
    view! {
        <div class="table-wrap grid-wrap">
            <table id="grid" class="grid">
                <caption>{txt(move || format!("{} · {}", tr(ctx.lang.get(), "grid.caption"), caption_period.clone()))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("col.agent")}</th>
                        {head}
                        <th scope="col"><span class="visually-hidden">{t("grid.actions")}</span></th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// "Agent name · figure name" for a cell's field id.
fn describe_cell(ctx: Ctx, field: &str) -> String {
    let mut parts = field.splitn(3, ':');
    let (_, agent, dom) = (parts.next(), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    ctx.s.with_value(|s| {
        let col = columns(&s.wb).into_iter().find(|c| c.dom == dom).map(|c| c.label).unwrap_or_else(|| dom.to_string());
        format!("{} · {col}", data::agent_name(&s.wb, agent))
    })
}

#[allow(clippy::too_many_arguments)]
/// One input of the grid: at (`r`, `c`) of a page of `size` rows × columns whose first
/// row is row `offset` of all.
fn grid_cell(ctx: Ctx, rev: RwSignal<u64>, row: &GridRow, col: GridCol, (r, c): (usize, usize), (nrows, ncols): (usize, usize), offset: usize, cols: std::sync::Arc<Vec<GridCol>>) -> impl IntoView {
    let agent = row.agent.clone();
    let fid = field_id(&agent, &col.dom);
    let dom_id = format!("g-{r}-{c}");
    let label = format!("{} · {}", row.name, col.label);
    let key = col.key.clone();
    let value = {
        let (agent, key) = (agent.clone(), key.clone());
        move || {
            rev.track();
            ctx.s.with_value(|s| cell_text(&get_cell(&s.wb, &agent, &s.period, &key)))
        }
    };
    let on_input = {
        let (agent, key, fid) = (agent.clone(), key.clone(), fid.clone());
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            match read_cell(&key, &text) {
                Ok(v) => {
                    ctx.set_local_error(&fid, None);
                    let mut changed = false;
                    let merge = fid.clone();
                    ctx.s.update_value(|s| changed = s.set_cells(vec![(agent.clone(), key.clone(), v)], Some(merge)));
                    if changed {
                        ctx.after(Dirty::RESULTS);
                    }
                }
                Err(e) => ctx.set_local_error(&fid, Some(e.key())),
            }
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let (start, end) = web::caret_edges(&input);
        let Some(m) = Move::from_key(&ev.key(), ev.shift_key(), start, end) else { return };
        if ev.ctrl_key() || ev.alt_key() || ev.meta_key() {
            return;
        }
        match step((r, c), m, nrows, ncols) {
            Some((r2, c2)) => {
                ev.prevent_default();
                ctx.seal();
                web::focus(&format!("g-{r2}-{c2}"));
            }
            None if matches!(m, Move::Enter | Move::ShiftEnter) => ev.prevent_default(),
            None => {}
        }
    };
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let Some(text) = web::pasted_text(&ev) else { return };
        if !paste::is_block(&text) {
            return; // one value: the browser pastes it and `input` handles it
        }
        ev.prevent_default();
        let block = paste::parse_block(&text);
        // Rows below this page are filled too (they are there, just not shown).
        let row_agents: Vec<String> = ctx.s.with_value(|s| rows(s).into_iter().map(|x| x.agent).collect());
        let (targets, outside) = paste_targets((offset + r, c), &block, row_agents.len(), ncols);
        let mut cells = Vec::new();
        let mut unreadable = 0;
        for ((rr, cc), text) in targets {
            let (Some(agent), Some(col)) = (row_agents.get(rr), cols.get(cc)) else { continue };
            match read_cell(&col.key, &text) {
                Ok(v) => {
                    ctx.set_local_error(&field_id(agent, &col.dom), None);
                    cells.push((agent.clone(), col.key.clone(), v));
                }
                Err(_) => unreadable += 1,
            }
        }
        let n = cells.len();
        let mut agents: Vec<String> = cells.iter().map(|c| c.0.clone()).collect();
        agents.dedup();
        let mut changed = false;
        ctx.s.update_value(|s| changed = s.set_cells(cells, None));
        if changed {
            ctx.grid.refresh(&agents);
            ctx.after(Dirty::RESULTS);
        }
        let l = ctx.l();
        let mut msg = format!("{} {n}", tr(l, "paste.done"));
        if unreadable > 0 {
            msg += &format!(" · {} {unreadable}", tr(l, "paste.unreadable"));
        }
        if outside > 0 {
            msg += &format!(" · {} {outside}", tr(l, "paste.outside"));
        }
        ctx.status.set(msg);
    };
    let on_change = move |_| ctx.seal();
    view! {
        <td>
            <input
                type="text"
                inputmode="decimal"
                autocomplete="off"
                spellcheck="false"
                id=dom_id
                class="cell"
                data-agent=agent
                data-key=col.dom
                aria-label=label
                prop:value=value
                on:input=on_input
                on:keydown=on_keydown
                on:paste=on_paste
                on:change=on_change
            />
        </td>
    }
}

fn agent_name_field(ctx: Ctx, agent: String, name: String) -> impl IntoView {
    let label = {
        let agent = agent.clone();
        txt(move || format!("{} {}", tr(ctx.lang.get(), "agent.name_of"), agent))
    };
    let on_change = move |ev: leptos::ev::Event| {
        let new = event_target_value(&ev).trim().to_string();
        let agent = agent.clone();
        ctx.edit_workbook(move |wb| {
            data::rename_agent(wb, &agent, &new);
        });
    };
    view! { <input type="text" class="agent-name" value=name aria-label=label on:change=on_change/> }
}

/// "Remove" for one agent, asking for confirmation in place. `asking` notifies only the
/// row whose confirmation opens or closes.
fn remove_agent(ctx: Ctx, confirm: RwSignal<Option<String>>, asking: Selector<Option<String>>, agent: String, name: String) -> AnyView {
    let key = Some(agent.clone());
    part(move || {
        let (a, name) = (agent.clone(), name.clone());
        if !asking.selected(&key) {
            let label = txt(move || format!("{} {name}", tr(ctx.lang.get(), "agent.remove")));
            return view! {
                <button type="button" class="small danger-quiet" aria-label=label on:click=move |_| {
                    confirm.set(Some(a.clone()));
                    let id = format!("confirm-{a}");
                    request_animation_frame(move || {
                        web::focus(&id);
                    });
                }>
                    {t("agent.remove_short")}
                </button>
            }
            .into_any();
        }
        let question = txt(move || format!("{} {name}?", tr(ctx.lang.get(), "agent.remove_confirm")));
        let id = format!("confirm-{a}");
        let remove = move |_| {
            confirm.set(None);
            let a = a.clone();
            ctx.edit_workbook(move |wb| {
                data::remove_agent(wb, &a);
            });
            let l = ctx.l();
            ctx.status.set(tr(l, "agent.removed").to_string());
        };
        view! {
            <span class="confirm" role="group">
                <span>{question}</span>
                <button type="button" class="small danger" id=id on:click=remove>{t("agent.remove_yes")}</button>
                <button type="button" class="small" on:click=move |_| confirm.set(None)>{t("action.cancel")}</button>
            </span>
        }
        .into_any()
    })
    .into_any()
}

#[component]
fn AgentsAndPeriods() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let new_name = RwSignal::new(String::new());
    let add_agent = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = new_name.get_untracked();
        let name = if name.trim().is_empty() { tr(ctx.l(), "agent.new_name").to_string() } else { name };
        let period = ctx.s.with_value(|s| s.period.clone());
        ctx.edit_workbook(move |wb| {
            data::add_agent(wb, &name, &period);
        });
        new_name.set(String::new());
        let l = ctx.l();
        ctx.status.set(tr(l, "agent.added").to_string());
    };
    let add_period = move |_| {
        let mut changed = false;
        ctx.s.update_value(|s| {
            let mut id = String::new();
            if s.edit_workbook(|wb| id = data::add_period(wb)) {
                s.set_period(&id);
                changed = true;
            }
        });
        if changed {
            ctx.after(Dirty::ALL);
            let l = ctx.l();
            ctx.status.set(tr(l, "period.added").to_string());
        }
    };
    view! {
        <div class="data-tools">
            <form class="add-agent" on:submit=add_agent>
                <label for="new-agent">{t("agent.add_label")}</label>
                <input id="new-agent" type="text" autocomplete="off" prop:value=txt(move || new_name.get()) on:input=move |ev| new_name.set(event_target_value(&ev))/>
                <button type="submit" id="add-agent">{t("agent.add")}</button>
            </form>
            <button type="button" id="add-period" on:click=add_period title=t("period.add.hint")>{t("period.add")}</button>
        </div>
    }
}
