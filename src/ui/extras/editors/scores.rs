//! A rating indicator's raters' scores for the shown period: a grid of agents × raters
//! (add or remove a rater's column). An empty cell is N/A (that rater gave no score);
//! a score outside the rule's scale is flagged at its cell.

use super::{button, field_id, message, Ed};
use crate::app::paste::{parse_figure, plain_number, Figure};
use crate::app::scheme_more as more;
use crate::i18n::tx;
use crate::model::Rule;
use leptos::prelude::*;

pub(super) fn body(ed: Ed) -> AnyView {
    let lang = ed.lang;
    let i = ed.indicator;
    let period = ed.period.get_value();
    let Some((ind, ind_name, min, max)) = ed.with(|w| {
        w.scheme.indicators.get(i).and_then(|x| match &x.rule {
            Rule::Rating { min, max, .. } => Some((x.id.clone(), crate::explain::indicator_name(w, i), *min, *max)),
            _ => None,
        })
    }) else {
        return view! { <p class="error" role="alert">{tx(lang, "editors.not_rating")}</p> }.into_any();
    };
    let agents = ed.with(|w| more::period_agents(w, &period));
    let period_name = ed.with(|w| w.period(&period).map(crate::app::data::period_name).unwrap_or_else(|| period.clone()));
    let raters = ed.with(|w| more::raters(w, &period, &ind));
    let head = (0..raters)
        .map(|k| {
            let (p, ind) = (period.clone(), ind.clone());
            let remove = (raters > 1).then(|| {
                button("×".into(), Some(format!("{} {}", tx(lang, "editors.rater.remove"), k + 1)), format!("rater-remove-{k}"), "small danger-quiet", move || ed.rebuild(|w| more::remove_rater(w, &p, &ind, k)))
            });
            view! { <th scope="col">{format!("{} {}", tx(lang, "editors.rater"), k + 1)} " " {remove}</th> }
        })
        .collect_view();
    let rows = agents
        .iter()
        .map(|a| {
            let name = ed.with(|w| crate::app::data::agent_name(w, a));
            let (record, scores) = ed.with(|w| {
                let r = w.records.iter().position(|r| r.agent == *a && r.period == period).unwrap_or(usize::MAX);
                (r, w.records.get(r).and_then(|r| r.ratings.get(&ind)).cloned().unwrap_or_default())
            });
            let cells = (0..raters)
                .map(|k| {
                    let place = format!("records[{record}].ratings.{ind}[{k}]");
                    let id = field_id(&format!("score.{a}.{k}"));
                    let value = scores.get(k).copied().flatten().map(plain_number).unwrap_or_default();
                    let label = format!("{name} · {} {}", tx(lang, "editors.rater"), k + 1);
                    let (agent, ind, period, p) = (a.clone(), ind.clone(), period.clone(), place.clone());
                    let on_input = move |ev: leptos::ev::Event| {
                        let score = match parse_figure(&event_target_value(&ev)) {
                            Ok(Figure::Number(x)) => Some(x),
                            Ok(Figure::Blank) => None,
                            Err(e) => {
                                ed.set_local(&p, Some(e.key()));
                                return;
                            }
                        };
                        ed.set_local(&p, None);
                        ed.edit(|w| more::set_score(w, &period, &agent, &ind, k, score));
                    };
                    view! {
                        <td>
                            <input type="text" inputmode="decimal" autocomplete="off" class="num score" id=id data-rater=k.to_string()
                                aria-label=label value=value placeholder=tx(lang, "editors.na") on:input=on_input/>
                            {message(ed, place, false)}
                        </td>
                    }
                })
                .collect_view();
            view! { <tr data-agent=a.clone()><th scope="row">{name}</th>{cells}</tr> }
        })
        .collect_view();
    let (p, ind2) = (period.clone(), ind.clone());
    let add = button(tx(lang, "editors.rater.add").to_string(), None, "rater-add".into(), "", move || ed.rebuild(|w| more::add_rater(w, &p, &ind2)));
    let hint = format!("{} {}–{}. {}", tx(lang, "editors.scores.scale"), plain_number(min), plain_number(max), tx(lang, "editors.scores.hint"));
    view! {
        <h3>{ind_name}</h3>
        <p class="hint">{hint}</p>
        <div class="table-wrap">
            <table class="editor-grid" id="scores-grid">
                <caption>{format!("{} · {period_name}", tx(lang, "editors.scores.title"))}</caption>
                <thead><tr><th scope="col">{tx(lang, "editors.agent")}</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {add}
    }
    .into_any()
}
