//! A checklist's dialog: its items (id, statement, weight; add; remove, with their
//! ticks) and, for the shown period, each agent's ticks (ticked, not ticked, or N/A —
//! N/A leaves the item out of the agent's share).

use super::{button, message, number_field, text_field, Ed};
use crate::app::scheme_more as more;
use crate::i18n::tx;
use crate::model::{Check, Rule};
use leptos::prelude::*;

pub(super) fn body(ed: Ed) -> AnyView {
    let lang = ed.lang;
    let i = ed.indicator;
    let Some((ind_id, ind_name, items)) = ed.with(|w| {
        w.scheme.indicators.get(i).and_then(|ind| match &ind.rule {
            Rule::Checklist { items } => Some((ind.id.clone(), crate::explain::indicator_name(w, i), items.clone())),
            _ => None,
        })
    }) else {
        return view! { <p class="error" role="alert">{tx(lang, "editors.not_checklist")}</p> }.into_any();
    };
    let n = items.len();
    let rows = items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let p = |f: &str| format!("scheme.indicators[{i}].rule.items[{k}].{f}");
            let id = text_field(ed, tx(lang, "editors.item.id").to_string(), p("id"), item.id.clone(), "mono", Box::new(move |w, t| more::rename_item(w, i, k, t)));
            let text = text_field(
                ed,
                tx(lang, "editors.item.text").to_string(),
                p("text"),
                item.text.clone(),
                "",
                Box::new(move |w, t| {
                    if let Some(x) = more::items_mut(&mut w.scheme, i).and_then(|v| v.get_mut(k)) {
                        x.text = t.to_string();
                    }
                    Ok(())
                }),
            );
            let weight = number_field(ed, tx(lang, "editors.item.weight").to_string(), p("weight"), Some(item.weight), false, move |w, x| {
                if let (Some(it), Some(x)) = (more::items_mut(&mut w.scheme, i).and_then(|v| v.get_mut(k)), x) {
                    it.weight = x;
                }
            });
            let remove = (n > 1).then(|| button(tx(lang, "editors.remove").to_string(), Some(format!("{} {}", tx(lang, "editors.item.remove"), item.id)), format!("item-remove-{k}"), "small danger-quiet", move || ed.rebuild(|w| more::remove_item(w, i, k))));
            view! { <div class="row editor-row" data-item=item.id.clone()>{id}{text}{weight}{remove}</div> }
        })
        .collect_view();
    let add = button(tx(lang, "editors.item.add").to_string(), None, "item-add".into(), "", move || ed.rebuild(|w| {
        more::add_item(&mut w.scheme, i);
    }));
    view! {
        <h3>{ind_name}</h3>
        <div class="editor-list">{rows}</div>
        {message(ed, format!("scheme.indicators[{i}].rule.items"), false)}
        {add}
        {ticks(ed, &ind_id, &items)}
    }
    .into_any()
}

fn ticks(ed: Ed, ind: &str, items: &[crate::model::ChecklistItem]) -> AnyView {
    let lang = ed.lang;
    let period = ed.period.get_value();
    let agents = ed.with(|w| more::period_agents(w, &period));
    let period_name = ed.with(|w| w.period(&period).map(crate::app::data::period_name).unwrap_or_else(|| period.clone()));
    if agents.is_empty() {
        return view! { <p class="hint">{tx(lang, "editors.no_agents")}</p> }.into_any();
    }
    let i = ed.indicator;
    // An item's name as it is now (its id and text may have been edited above).
    let item_name = move |k: usize| ed.wb.with(|w| w.scheme.indicators.get(i).and_then(|x| match &x.rule {
        Rule::Checklist { items } => items.get(k).map(|it| super::named(&it.text, &it.id)),
        _ => None,
    }).unwrap_or_default());
    let head = (0..items.len()).map(|k| view! { <th scope="col">{move || item_name(k)}</th> }).collect_view();
    let rows = agents
        .iter()
        .map(|a| {
            let name = ed.with(|w| crate::app::data::agent_name(w, a));
            let cells = items
                .iter()
                .enumerate()
                .map(|(k, it)| {
                    let current = ed.with(|w| w.record(a, &period).and_then(|r| r.checks.get(ind)).and_then(|c| c.get(&it.id)).copied());
                    let value = match current {
                        Some(Check::Yes) => "yes",
                        Some(Check::Na) => "na",
                        _ => "no",
                    };
                    let options = [("yes", tx(lang, "editors.tick.yes")), ("no", tx(lang, "editors.tick.no")), ("na", tx(lang, "editors.tick.na"))]
                        .into_iter()
                        .map(|(v, l)| view! { <option value=v selected=v == value>{l}</option> })
                        .collect_view();
                    let who = name.clone();
                    let label = move || format!("{who} · {}", item_name(k));
                    let (agent, ind, period) = (a.clone(), ind.to_string(), period.clone());
                    let id = format!("tick-{a}-{k}");
                    view! {
                        <td>
                            <select id=id aria-label=label on:change=move |ev| {
                                let tick = match event_target_value(&ev).as_str() {
                                    "yes" => Check::Yes,
                                    "na" => Check::Na,
                                    _ => Check::No,
                                };
                                // The item by its place (its id may have been changed above).
                                ed.edit(|w| {
                                    if let Some(item) = more::items_mut(&mut w.scheme, i).and_then(|v| v.get(k)).map(|x| x.id.clone()) {
                                        more::set_tick(w, &period, &agent, &ind, &item, Some(tick));
                                    }
                                });
                            }>{options}</select>
                        </td>
                    }
                })
                .collect_view();
            view! { <tr data-agent=a.clone()><th scope="row">{name}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="editor-grid" id="ticks-grid">
                <caption>{format!("{} · {period_name}", tx(lang, "editors.ticks"))}</caption>
                <thead><tr><th scope="col">{tx(lang, "editors.agent")}</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
