//! The charts dialog: totals by rank with the grade bands behind, one agent's points by
//! category and total across periods, and — with a baseline pinned — the slope from
//! the baseline to now. Geometry comes from [`crate::charts`]; this only turns marks
//! into SVG elements (text as text, never HTML) and adds a data table for screen
//! readers.

use super::Input;
use crate::app::data::agent_name;
use crate::charts::{self, Chart, Mark};
use crate::i18n::tx;
use leptos::prelude::*;
use std::sync::Arc;

/// The dialog's content.
pub fn dialog_view(input: Input) -> AnyView {
    let lang = input.lang;
    let input = Arc::new(input);
    let shown = Arc::new(input.shown());
    let first = input.agent.clone().filter(|a| shown.agent(a).is_some()).or_else(|| shown.agent_at(0).map(|a| a.agent.to_string()));
    let agent = RwSignal::new(first.unwrap_or_default());
    let ranked = svg(&charts::ranked_bars(&input.wb, &shown, lang), "chart-ranked");
    let slope = input.baseline.as_ref().filter(|b| b.period == input.period).map(|b| svg(&charts::slope(&input.wb, b, &shown, lang), "chart-slope"));
    let options = shown.agents().map(|a| (a.agent.to_string(), agent_name(&input.wb, a.agent))).collect::<Vec<_>>();
    let per_agent = {
        let input = input.clone();
        let shown = shown.clone();
        move || {
            let id = agent.get();
            let by_category = charts::agent_categories(&input.wb, &shown, &id, lang).map(|c| svg(&c, "chart-categories"));
            let history = charts::agent_history(&input.wb, &input.results, &id, lang).map(|c| svg(&c, "chart-history"));
            view! { <div class="chart-pair">{by_category}{history}</div> }.into_any()
        }
    };
    let empty = shown.is_empty().then(|| view! { <p class="empty">{tx(lang, "results.empty")}</p> });
    view! {
        <div class="extras-body charts">
            <p class="extras-sub">{input.period_name()}</p>
            {empty}
            {ranked}
            <div class="chart-agent no-print">
                <label for="chart-agent">{tx(lang, "charts.agent")}</label>
                <select id="chart-agent" data-autofocus="" on:change=move |ev| agent.set(event_target_value(&ev))>
                    {options.into_iter().map(|(id, name)| {
                        let selected = agent.get_untracked() == id;
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            {per_agent}
            {slope}
        </div>
    }
    .into_any()
}

/// The charts dialog.
pub fn dialog(input: Input) -> AnyView {
    let lang = input.lang;
    super::dialog(lang, tx(lang, "charts.title"), "charts-dialog", dialog_view(input))
}

/// One chart as an `<svg>` with its title and description, and the data behind it as
/// a visually hidden table.
pub fn svg(chart: &Chart, id: &'static str) -> AnyView {
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled = format!("{title_id} {desc_id}");
    let marks = chart.marks.iter().map(mark).collect_view();
    let rows = chart
        .items
        .iter()
        .map(|it| {
            let other = it.other.map(charts::fmt_value).unwrap_or_default();
            view! { <tr><th scope="row">{it.label.clone()}</th><td>{charts::fmt_value(it.value)}</td><td>{other}</td><td>{it.note.clone()}</td></tr> }
        })
        .collect_view();
    view! {
        <figure class="chart-figure" id=id>
            <svg class="chart" viewBox=chart.view_box() role="img" aria-labelledby=labelled width=charts::fmt_value(chart.width)>
                <title id=title_id>{chart.title.clone()}</title>
                <desc id=desc_id>{chart.desc.clone()}</desc>
                {marks}
            </svg>
            <table class="visually-hidden">
                <caption>{chart.title.clone()}</caption>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
    .into_any()
}

fn mark(m: &Mark) -> AnyView {
    let f = charts::fmt_value;
    match m {
        Mark::Rect { x, y, w, h, class, tip, key } => {
            view! { <rect x=f(*x) y=f(*y) width=f(*w) height=f(*h) class=class.clone() data-key=key.clone()><title>{tip.clone()}</title></rect> }.into_any()
        }
        Mark::Line { x1, y1, x2, y2, class } => view! { <line x1=f(*x1) y1=f(*y1) x2=f(*x2) y2=f(*y2) class=class.clone()/> }.into_any(),
        Mark::Polyline { points, class } => view! { <polyline points=charts::points_attr(points) class=class.clone()/> }.into_any(),
        Mark::Circle { cx, cy, r, class, tip, key } => {
            view! { <circle cx=f(*cx) cy=f(*cy) r=f(*r) class=class.clone() data-key=key.clone()><title>{tip.clone()}</title></circle> }.into_any()
        }
        Mark::Text { x, y, text, anchor, class, transform } => {
            let transform = (!transform.is_empty()).then(|| transform.clone());
            view! { <text x=f(*x) y=f(*y) text-anchor=anchor.as_str() transform=transform class=class.clone()>{text.clone()}</text> }.into_any()
        }
    }
}
