//! The results: warnings, the ranked table (sortable, team row, Δ against a baseline),
//! and the explanation of one agent's points.
//!
//! Speed: each cell's text is its own signal. After an edit [`Table::sync`] compares the
//! new rows with the old ones number by number and sets only the cells whose value
//! changed; rows are keyed by agent, so a change of rank moves rows instead of
//! rebuilding them.

use super::{flag, opt_attr, part, t, text_list, txt, Ctx, Dirty};
use crate::app::results_view::{self, cell_changed, cell_text, Column, Dir, Row, Team};
use crate::explain;
use crate::i18n::{tr, Lang};
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};

/// One agent's cells: the row's numbers and one text signal per column.
struct RowCells {
    row: Row,
    cells: Vec<RwSignal<String>>,
}

#[derive(Clone, Copy)]
pub(crate) struct Table {
    pub cols: RwSignal<Vec<Column>>,
    /// Agent ids in display order.
    pub order: RwSignal<Vec<String>>,
    cells: StoredValue<HashMap<String, RowCells>>,
    rows: StoredValue<Vec<Row>>,
    pub team: RwSignal<Team>,
    pub sort: RwSignal<(Column, Dir)>,
    /// The language and currency the cell texts are in.
    shown_as: StoredValue<(Lang, String)>,
    /// Owner of the cell signals (they outlive the event handler that creates them).
    owner: StoredValue<Owner>,
    pub selected: RwSignal<Option<String>>,
    /// How many rows are shown (the first [`ROWS`] unless "show all" was chosen).
    pub limit: RwSignal<usize>,
    /// Notifies only the two rows whose selection changes (not all 2,000).
    selector: StoredValue<Selector<Option<String>>>,
}

impl Table {
    pub fn new() -> Table {
        let selected = RwSignal::new(None);
        Table {
            cols: RwSignal::new(Vec::new()),
            order: RwSignal::new(Vec::new()),
            cells: StoredValue::new(HashMap::new()),
            rows: StoredValue::new(Vec::new()),
            team: RwSignal::new(Team::default()),
            sort: RwSignal::new((Column::Rank, Dir::Asc)),
            shown_as: StoredValue::new((Lang::ZhCn, String::new())),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            selected,
            limit: RwSignal::new(ROWS),
            selector: StoredValue::new(Selector::new(move || selected.get())),
        }
    }

    /// Brings the table in line with the session's results.
    pub fn sync(&self, ctx: &Ctx) {
        let lang = ctx.l();
        let (rows, cols, currency) = ctx.s.with_value(|s| {
            let rows = s.results.as_ref().map(|r| results_view::rows(r, s.baseline.as_ref())).unwrap_or_default();
            (rows, results_view::columns(&s.wb, s.has_baseline()), s.wb.meta.currency.clone())
        });
        let cols_changed = self.cols.with_untracked(|c| *c != cols);
        let relabel = self.shown_as.with_value(|(l, c)| *l != lang || *c != currency);
        if relabel {
            self.shown_as.set_value((lang, currency.clone()));
        }
        let owner = self.owner.get_value();
        let mut to_dispose: Vec<RwSignal<String>> = Vec::new();
        self.cells.update_value(|map| {
            if cols_changed {
                for (_, rc) in map.drain() {
                    to_dispose.extend(rc.cells);
                }
            }
            let keep: HashSet<&str> = rows.iter().map(|r| r.agent.as_str()).collect();
            map.retain(|agent, rc| {
                let k = keep.contains(agent.as_str());
                if !k {
                    to_dispose.extend(rc.cells.iter().copied());
                }
                k
            });
            for row in &rows {
                match map.get_mut(&row.agent) {
                    Some(rc) => {
                        for (k, col) in cols.iter().enumerate() {
                            if relabel || cell_changed(&rc.row, row, *col) {
                                if let Some(sig) = rc.cells.get(k) {
                                    sig.set(cell_text(row, *col, lang, &currency));
                                }
                            }
                        }
                        rc.row = row.clone();
                    }
                    None => {
                        let cells = owner.with(|| cols.iter().map(|c| RwSignal::new(cell_text(row, *c, lang, &currency))).collect());
                        map.insert(row.agent.clone(), RowCells { row: row.clone(), cells });
                    }
                }
            }
        });
        if cols_changed {
            // A sort by a column that is gone falls back to rank.
            let (c, _) = self.sort.get_untracked();
            if !cols.contains(&c) {
                self.sort.set((Column::Rank, Dir::Asc));
            }
            self.cols.set(cols);
        }
        let team = results_view::team(&rows);
        if self.team.with_untracked(|t| *t != team) {
            self.team.set(team);
        }
        self.rows.set_value(rows);
        self.reorder();
        for sig in to_dispose {
            sig.dispose();
        }
        let sel = self.selected.get_untracked();
        if sel.is_some_and(|a| !self.cells.with_value(|m| m.contains_key(&a))) {
            self.selected.set(None);
        }
    }

    /// Recomputes the display order for the current sort.
    pub fn reorder(&self) {
        let (col, dir) = self.sort.get_untracked();
        let order: Vec<String> = self.rows.with_value(|rows| results_view::order(rows, col, dir).into_iter().map(|i| rows[i].agent.clone()).collect());
        if self.order.with_untracked(|o| *o != order) {
            self.order.set(order);
        }
    }

    fn cells_of(&self, agent: &str) -> Vec<RwSignal<String>> {
        self.cells.with_value(|m| m.get(agent).map(|rc| rc.cells.clone()).unwrap_or_default())
    }
}

/// Rows of the results table shown at first: the whole team up to this size; above it
/// the best of the chosen order, with a button to show all (laying out thousands of
/// rows after every keystroke would make typing slow).
pub const ROWS: usize = 100;

/// The text of a cell signal (empty once disposed).
fn text(sig: RwSignal<String>) -> super::Txt {
    txt(move || sig.try_get().unwrap_or_default())
}

fn col_class(c: Column) -> &'static str {
    match c {
        Column::Agent => "agent",
        Column::Grade => "grade",
        Column::Total => "num total",
        Column::DeltaTotal | Column::DeltaRank | Column::DeltaBonus => "num delta",
        _ => "num",
    }
}

/// The header label of a column (indicator and category names are the user's own).
fn col_label(ctx: &Ctx, c: Column) -> String {
    let l = ctx.lang.get();
    ctx.rev_results.track();
    match c {
        Column::Indicator(i) => ctx.s.with_value(|s| explain::indicator_name(&s.wb, i)),
        Column::Category(k) => ctx.s.with_value(|s| s.wb.scheme.categories.get(k).map(|x| if x.name.is_empty() { x.id.clone() } else { x.name.clone() }).unwrap_or_default()),
        Column::Rank => tr(l, "col.rank").into(),
        Column::Agent => tr(l, "col.agent").into(),
        Column::Total => tr(l, "col.total").into(),
        Column::Grade => tr(l, "col.grade").into(),
        Column::Bonus => tr(l, "col.bonus").into(),
        Column::DeltaTotal => tr(l, "col.delta_total").into(),
        Column::DeltaRank => tr(l, "col.delta_rank").into(),
        Column::DeltaBonus => tr(l, "col.delta_bonus").into(),
    }
}

fn header_cell(ctx: Ctx, c: Column) -> AnyView {
    let table = ctx.table;
    let aria = opt_attr(move || {
        let (col, dir) = table.sort.get();
        Some(if col == c { dir.aria() } else { "none" })
    });
    let on_click = move |_| {
        table.sort.update(|s| *s = results_view::click_sort(*s, c));
        table.reorder();
    };
    let hint = t(match c {
        Column::DeltaRank => "col.delta_rank.hint",
        Column::Category(_) => "col.category.hint",
        _ => "col.sort.hint",
    });
    let mark = txt(move || {
        match table.sort.get() {
            (col, Dir::Asc) if col == c => "▲",
            (col, Dir::Desc) if col == c => "▼",
            _ => "",
        }
        .to_string()
    });
    view! {
        <th scope="col" class=col_class(c) data-col=c.id() aria-sort=aria>
            <button type="button" class="sort" on:click=on_click title=hint>
                {txt(move || col_label(&ctx, c))}
                <span class="sort-mark" aria-hidden="true">{mark}</span>
            </button>
        </th>
    }
    .into_any()
}

fn row_view(ctx: Ctx, agent: String) -> AnyView {
    let table = ctx.table;
    let cols = table.cols.get_untracked();
    let cells = table.cells_of(&agent);
    let key = Some(agent.clone());
    let selector = table.selector.get_value();
    let selected = move || selector.selected(&key);
    let tds = cols
        .iter()
        .zip(cells)
        .map(|(c, sig)| {
            let c = *c;
            if c == Column::Agent {
                let a = agent.clone();
                let sel = selected.clone();
                view! {
                    <th scope="row" class="agent">
                        <button
                            type="button"
                            class="agent-link"
                            aria-expanded=opt_attr(move || Some(if sel() { "true" } else { "false" }))
                            aria-controls="explain"
                            on:click=move |_| {
                                let now = table.selected.get_untracked();
                                table.selected.set(if now.as_deref() == Some(a.as_str()) { None } else { Some(a.clone()) });
                            }
                        >
                            {text(sig)}
                        </button>
                    </th>
                }
                .into_any()
            } else {
                view! { <td class=col_class(c) data-col=c.id()>{text(sig)}</td> }.into_any()
            }
        })
        .collect_view();
    view! {
        <tr data-agent=agent.clone() class:selected=flag(selected)>
            {tds}
        </tr>
    }
    .into_any()
}

fn team_row(ctx: Ctx, median: bool) -> AnyView {
    let table = ctx.table;
    let cols = table.cols.get_untracked();
    let cells = cols
        .into_iter()
        .map(move |c| {
            let value = txt(move || {
                let l = ctx.lang.get();
                let cur = ctx.s.with_value(|s| s.wb.meta.currency.clone());
                table.team.with(|t| {
                    let pick = |m: &results_view::MeanMedian| crate::app::fmt::number(if median { m.median } else { m.mean }, l);
                    match c {
                        Column::Indicator(i) => t.points.get(i).map(pick).unwrap_or_default(),
                        Column::Category(k) => t.categories.get(k).map(pick).unwrap_or_default(),
                        Column::Total => pick(&t.total),
                        Column::Bonus => crate::app::fmt::money(if median { t.bonus.1 } else { t.bonus.0 }, &cur, l),
                        _ => String::new(),
                    }
                })
            });
            match c {
                Column::Agent => view! { <th scope="row" class="agent">{t(if median { "team.median" } else { "team.mean" })}</th> }.into_any(),
                _ => view! { <td class=col_class(c) data-col=c.id()>{value}</td> }.into_any(),
            }
        })
        .collect_view();
    view! { <tr class="team" data-team=if median { "median" } else { "mean" }>{cells}</tr> }.into_any()
}

#[component]
pub(crate) fn ResultsPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let table = ctx.table;
    let caption = txt(move || {
        let l = ctx.lang.get();
        ctx.rev_results.track();
        let (period, n) = ctx.s.with_value(|s| {
            let p = s.wb.period(&s.period).map(crate::app::data::period_name).unwrap_or_else(|| s.period.clone());
            (p, s.results.as_ref().map_or(0, |r| r.len()))
        });
        format!("{} · {period} · {n} {}", tr(l, "results.caption"), tr(l, "results.agents"))
    });
    let body = part(move || {
        table.cols.track();
        view! {
            <For
                each=move || {
                    let limit = table.limit.get();
                    table.order.with(|o| o.iter().take(limit).cloned().collect::<Vec<_>>())
                }
                key=|id: &String| id.clone()
                children=move |id: String| row_view(ctx, id)
            />
        }
        .into_any()
    });
    let head = part(move || table.cols.get().into_iter().map(|c| header_cell(ctx, c)).collect_view().into_any());
    let foot = part(move || {
        table.cols.track();
        vec![team_row(ctx, false), team_row(ctx, true)].into_any()
    });
    let more = part(move || {
        let n = table.order.with(|o| o.len());
        let limit = table.limit.get();
        if n <= ROWS {
            return ().into_any();
        }
        let all = limit >= n;
        let label = txt(move || {
            let l = ctx.lang.get();
            if all {
                format!("{} {ROWS}", tr(l, "results.show_first"))
            } else {
                format!("{} ({n})", tr(l, "results.show_all"))
            }
        });
        view! {
            <p class="more">
                <button type="button" id="show-all" on:click=move |_| table.limit.set(if all { ROWS } else { usize::MAX })>{label}</button>
            </p>
        }
        .into_any()
    });
    let empty = part(move || if table.order.with(|o| o.is_empty()) { view! { <p class="empty">{t("results.empty")}</p> }.into_any() } else { ().into_any() });
    view! {
        <section class="results" class:stale=flag(move || ctx.stale()) aria-labelledby="results-title">
            <h2 id="results-title">{t("results.title")}</h2>
            {tools()}
            {stale_banner(ctx)}
            {warnings(ctx)}
            {baseline_summary(ctx)}
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="results-title">
                <table id="results" aria-describedby="results-help">
                    <caption>{caption}</caption>
                    <thead><tr>{head}</tr></thead>
                    <tbody>{body}</tbody>
                    <tfoot>{foot}</tfoot>
                </table>
            </div>
            <p id="results-help" class="hint">{t("results.help")}</p>
            {more}
            {empty}
            {explanation(ctx)}
        </section>
    }
}

/// Charts, appraisal sheets, spreadsheet export (stand-ins in the viewer).
#[cfg(not(feature = "viewer"))]
fn tools() -> AnyView {
    view! { <super::on_demand::ResultsTools/> }.into_any()
}

#[cfg(feature = "viewer")]
use super::viewer::results_tools_stand_in as tools;

fn stale_banner(ctx: Ctx) -> AnyView {
    part(move || {
        if !ctx.stale() {
            return ().into_any();
        }
        let errors = text_list("", move || {
            let l = ctx.lang.get();
            ctx.rev_results.track();
            let mut lines: Vec<String> = ctx.s.with_value(|s| s.issues.iter().filter(|i| i.is_error()).take(20).map(|i| explain::issue(i, l)).collect());
            let local = ctx.local_errors.with(|m| m.len());
            if local > 0 {
                lines.insert(0, format!("{} ({local})", tr(l, "stale.local")));
            }
            lines
        });
        view! {
            <div class="banner stale-banner" role="alert" id="stale">
                <p><strong>{t("stale.title")}</strong> " " {t("stale.body")}</p>
                {errors}
            </div>
        }
        .into_any()
    })
    .into_any()
}

/// Most warnings shown at once (the rest are counted).
const MAX_WARNINGS: usize = 30;

/// The validation warnings and the period's warnings (band gaps, quotas, formulas),
/// the first [`MAX_WARNINGS`] of them.
fn warning_lines(ctx: Ctx) -> (Vec<String>, usize) {
    let l = ctx.lang.get();
    ctx.rev_results.track();
    ctx.s.with_value(|s| {
        let mut out: Vec<String> = Vec::new();
        let mut total = 0;
        for i in s.issues.iter().filter(|i| !i.is_error()) {
            total += 1;
            if out.len() < MAX_WARNINGS {
                out.push(explain::issue(i, l));
            }
        }
        if let Some(r) = s.results.as_ref().filter(|r| r.period == s.period) {
            for w in &r.warnings {
                total += 1;
                if out.len() < MAX_WARNINGS {
                    out.push(explain::warning(&s.wb, w, l));
                }
            }
        }
        (out, total)
    })
}

fn warnings(ctx: Ctx) -> AnyView {
    part(move || {
        let (lines, total) = warning_lines(ctx);
        if total == 0 {
            return ().into_any();
        }
        let more = (total > MAX_WARNINGS).then(|| {
            let l = ctx.lang.get();
            view! { <p class="hint">{format!("{} {}", total - MAX_WARNINGS, tr(l, "warnings.more"))}</p> }
        });
        view! {
            <div class="warnings" id="warnings">
                <h3>{t("warnings.title")}</h3>
                <ul>{lines.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                {more}
            </div>
        }
        .into_any()
    })
    .into_any()
}

#[component]
pub(crate) fn BaselineButtons() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let has = move || {
        ctx.rev_results.track();
        ctx.s.with_value(|s| s.has_baseline())
    };
    let pin = move |_| {
        let mut ok = false;
        ctx.s.update_value(|s| ok = s.pin_baseline());
        if ok {
            ctx.after(Dirty::RESULTS);
            let l = ctx.l();
            ctx.status.set(tr(l, "baseline.pinned").to_string());
        }
    };
    let clear = part(move || {
        if !has() {
            return ().into_any();
        }
        let on_clear = move |_| {
            ctx.s.update_value(|s| s.clear_baseline());
            ctx.after(Dirty::RESULTS);
        };
        view! { <button type="button" id="clear-baseline" on:click=on_clear>{t("baseline.clear")}</button> }.into_any()
    });
    view! {
        <div class="group">
            <button type="button" id="pin-baseline" on:click=pin disabled=flag(move || ctx.stale()) title=t("baseline.pin.hint")>
                {txt(move || if has() { t("baseline.repin")() } else { t("baseline.pin")() }.to_string())}
            </button>
            {clear}
        </div>
    }
}

fn baseline_summary(ctx: Ctx) -> AnyView {
    part(move || {
        let l = ctx.lang.get();
        ctx.rev_results.track();
        let found = ctx.s.with_value(|s| {
            let b = s.baseline.as_ref().filter(|b| b.period == s.period)?;
            let r = s.results.as_ref()?;
            Some(b.grade_changes(r))
        });
        match found {
            Some(n) => view! {
                <p class="baseline-summary" id="grade-changes" data-count=n.to_string()>
                    {format!("{} {n} {}", tr(l, "baseline.summary"), tr(l, "baseline.grade_changed"))}
                </p>
            }
            .into_any(),
            None => ().into_any(),
        }
    })
    .into_any()
}

/// An explanation: its heading, and titled groups of lines.
type Explained = (String, [(&'static str, Vec<String>); 4]);

/// The explanation lines behind every point of the selected agent.
fn explanation_lines(ctx: Ctx) -> Option<Explained> {
    let l = ctx.lang.get();
    ctx.rev_results.track();
    let agent = ctx.table.selected.get()?;
    ctx.s.with_value(|s| {
        let r = s.results.as_ref()?;
        let ar = r.agent(&agent)?;
        let wb = &s.wb;
        let ind: Vec<String> = ar.indicators.iter().enumerate().map(|(i, x)| explain::indicator(wb, i, x, l)).collect();
        let cats: Vec<String> = ar.categories.iter().enumerate().map(|(c, x)| explain::category(wb, c, x.points, &x.why, l)).collect();
        let total = explain::total(wb, &ar, l);
        let money: Vec<String> = ar.bonus_parts.iter().map(|p| explain::bonus(wb, &ar, p, l)).collect();
        let head = format!(
            "{} · {} {} · {} {} · {} {}",
            if ar.name.is_empty() { ar.agent.to_string() } else { ar.name.to_string() },
            tr(l, "col.rank"),
            ar.rank,
            tr(l, "col.total"),
            explain::num(ar.total),
            tr(l, "col.bonus"),
            explain::money(ar.bonus, &wb.meta.currency, l)
        );
        Some((head, [("explain.indicators", ind), ("explain.categories", cats), ("explain.total", total), ("explain.bonus", money)]))
    })
}

fn explanation(ctx: Ctx) -> AnyView {
    let table = ctx.table;
    let content = part(move || {
        let Some((head, sections)) = explanation_lines(ctx) else { return ().into_any() };
        let sections: Vec<AnyView> = sections
            .into_iter()
            .filter(|(_, lines)| !lines.is_empty())
            .map(|(title, lines)| view! { <h4>{t(title)}</h4> <ul>{lines.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul> }.into_any())
            .collect();
        view! {
            <div class="explain-box">
                <div class="explain-head">
                    <h3>{head}</h3>
                    <button type="button" class="close" on:click=move |_| table.selected.set(None)>{t("explain.close")}</button>
                </div>
                {sections}
            </div>
        }
        .into_any()
    });
    view! { <div id="explain" class="explain" aria-live="polite">{content}</div> }.into_any()
}
