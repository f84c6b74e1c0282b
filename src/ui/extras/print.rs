//! Printable appraisal sheets (考核表), one A4 page per agent: the scheme, the period,
//! every indicator with its figure, rule, points and explanation, category subtotals,
//! total, rank, grade, bonus, a comments box, and signature and date lines for the
//! agent and the appraiser — as the paper forms in the source documents end.
//! "Print" prints what the dialog shows (style/main.css has the print rules: only the
//! sheets are printed, each on its own page).

use super::{dialog, Input};
use crate::app::data::agent_name;
use crate::app::scheme_edit::kind_key;
use crate::explain;
use crate::i18n::{tx, Lang};
use crate::results::{AgentResult, PeriodResults};
use leptos::prelude::*;
use std::sync::Arc;

/// The appraisal sheets dialog: a choice of agent (or all) and the sheets.
pub fn sheets(input: Input) -> AnyView {
    let lang = input.lang;
    let shown = Arc::new(input.shown());
    let input = Arc::new(input);
    // "" = every agent.
    let only = RwSignal::new(input.agent.clone().filter(|a| shown.agent(a).is_some()).unwrap_or_default());
    let options = shown.agents().map(|a| (a.agent.to_string(), agent_name(&input.wb, a.agent))).collect::<Vec<_>>();
    let pages = {
        let input = input.clone();
        let shown = shown.clone();
        move || {
            let only = only.get();
            shown.agents().filter(|a| only.is_empty() || a.agent == only).map(|a| sheet(&input, &shown, &a)).collect_view().into_any()
        }
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let empty = shown.is_empty().then(|| view! { <p class="empty">{tx(lang, "results.empty")}</p> });
    let body = view! {
        <div class="extras-body print-view">
            <div class="print-controls no-print">
                <label for="print-agent">{tx(lang, "print.agent")}</label>
                <select id="print-agent" data-autofocus="" on:change=move |ev| only.set(event_target_value(&ev))>
                    <option value="" selected=only.get_untracked().is_empty()>{tx(lang, "print.all")}</option>
                    {options.into_iter().map(|(id, name)| {
                        let selected = only.get_untracked() == id;
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
                <button type="button" id="print-now" class="primary" on:click=print>{tx(lang, "print.print")}</button>
                <span class="hint">{tx(lang, "print.hint")}</span>
            </div>
            {empty}
            <div class="sheets">{pages}</div>
        </div>
    }
    .into_any();
    dialog(lang, tx(lang, "print.title"), "print-dialog", body)
}

/// One agent's sheet.
fn sheet(input: &Input, pr: &PeriodResults, a: &AgentResult) -> AnyView {
    let lang = input.lang;
    let wb = &input.wb;
    let agent = wb.agent(a.agent);
    let team = agent.map(|x| x.team.clone()).unwrap_or_default();
    let rows = wb
        .scheme
        .indicators
        .iter()
        .enumerate()
        .filter_map(|(i, ind)| {
            let r = a.indicators.get(i)?;
            let figure = r.value.map(explain::num).unwrap_or_else(|| "—".into());
            let rule = tx(lang, kind_key(ind.rule.kind()));
            let explanation = explain::indicator(wb, i, r, lang);
            Some(view! {
                <tr>
                    <th scope="row">{explain::indicator_name(wb, i)}</th>
                    <td class="num">{figure}</td>
                    <td>{rule}</td>
                    <td class="num">{explain::num(r.points)}</td>
                    <td class="why">{explanation}</td>
                </tr>
            })
        })
        .collect_view();
    let categories: Vec<String> = a.categories.iter().enumerate().map(|(c, r)| explain::category(wb, c, r.points, &r.why, lang)).collect();
    let steps = explain::total(wb, a, lang);
    let bonus_lines: Vec<String> = a.bonus_parts.iter().map(|b| explain::bonus(wb, a, b, lang)).collect();
    let list = |items: Vec<String>| (!items.is_empty()).then(|| view! { <ul class="sheet-lines">{items.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul> });
    let grade = a.grade.map(String::from).unwrap_or_else(|| "—".into());
    let n = pr.len();
    let title = if wb.meta.title.trim().is_empty() { tx(lang, "print.sheet") } else { wb.meta.title.as_str() };
    view! {
        <article class="sheet" data-agent=a.agent.to_string()>
            <header class="sheet-head">
                <h3>{title.to_string()}<span class="sheet-kind">{" · "}{tx(lang, "print.sheet")}</span></h3>
                <dl class="sheet-facts">
                    <div><dt>{tx(lang, "print.period")}</dt><dd>{input.period_name()}</dd></div>
                    <div><dt>{tx(lang, "print.agent_name")}</dt><dd>{agent_name(wb, a.agent)}</dd></div>
                    <div><dt>{tx(lang, "print.agent_id")}</dt><dd>{a.agent.to_string()}</dd></div>
                    <div><dt>{tx(lang, "print.team")}</dt><dd>{team}</dd></div>
                </dl>
            </header>
            <table class="sheet-table">
                <thead>
                    <tr>
                        <th scope="col">{tx(lang, "print.indicator")}</th>
                        <th scope="col">{tx(lang, "print.figure")}</th>
                        <th scope="col">{tx(lang, "print.rule")}</th>
                        <th scope="col">{tx(lang, "print.points")}</th>
                        <th scope="col">{tx(lang, "print.explanation")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {list(categories)}
            {list(steps)}
            <dl class="sheet-result">
                <div><dt>{tx(lang, "print.total")}</dt><dd class="sheet-total">{explain::num(a.total)}</dd></div>
                <div><dt>{tx(lang, "print.rank")}</dt><dd>{format!("{} / {n}", a.rank)}</dd></div>
                <div><dt>{tx(lang, "print.grade")}</dt><dd>{grade}</dd></div>
                <div><dt>{tx(lang, "print.bonus")}</dt><dd>{explain::money(a.bonus, &wb.meta.currency, lang)}</dd></div>
            </dl>
            {list(bonus_lines)}
            <section class="sheet-comments">
                <h4>{tx(lang, "print.comments")}</h4>
                <div class="comments-box"></div>
            </section>
            <footer class="sheet-signatures">
                {signature(lang, tx(lang, "print.sign.agent"))}
                {signature(lang, tx(lang, "print.sign.appraiser"))}
            </footer>
        </article>
    }
    .into_any()
}

fn signature(lang: Lang, who: &'static str) -> impl IntoView {
    view! {
        <div class="signature">
            <span class="signature-who">{who}</span>
            <span class="signature-line" aria-hidden="true"></span>
            <span class="signature-who">{tx(lang, "print.date")}</span>
            <span class="signature-line short" aria-hidden="true"></span>
        </div>
    }
}
