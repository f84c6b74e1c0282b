//! The bonus details dialog: a commission's tiers (from what completion %, at what
//! rate ‰ of sales) and how they apply; a product's factors (a metric or a constant);
//! tenure amounts (from how many months of service, how much). Amounts and rates are
//! exact decimals, typed and shown as text.

use super::{button, choice_field, decimal_field, message, metric_options, text_field, Ed};
use crate::app::scheme_more as more;
use crate::i18n::tx;
use crate::model::{BonusKind, CommissionMode};
use leptos::prelude::*;

pub(super) fn body(ed: Ed) -> AnyView {
    let lang = ed.lang;
    let rules: Vec<(usize, String, BonusKind)> = ed.with(|w| {
        w.scheme
            .bonus
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b.kind, BonusKind::Commission { .. } | BonusKind::Product { .. } | BonusKind::Tenure { .. }))
            .map(|(k, b)| (k, super::named(&b.name, &b.id), b.kind.clone()))
            .collect()
    });
    if rules.is_empty() {
        return view! { <p class="hint" id="bonus-none">{tx(lang, "editors.bonus.none")}</p> }.into_any();
    }
    rules
        .into_iter()
        .map(|(b, name, kind)| {
            let (kind_name, rows) = match &kind {
                BonusKind::Commission { sales, completion, tiers, mode } => (tx(lang, "editors.bonus.commission"), commission(ed, b, sales, completion, tiers.len(), *mode)),
                BonusKind::Product { factors } => (tx(lang, "editors.bonus.product"), product(ed, b, factors.len())),
                BonusKind::Tenure { steps } => (tx(lang, "editors.bonus.tenure"), tenure(ed, b, steps.len())),
                _ => ("", ().into_any()),
            };
            let hid = format!("bonus-{b}-h");
            let hid2 = hid.clone();
            view! {
                <section class="editor-item" data-bonus=b.to_string() aria-labelledby=hid2>
                    <h3 id=hid>{format!("{name} · {kind_name}")}</h3>
                    {rows}
                </section>
            }
        })
        .collect_view()
        .into_any()
}

fn commission(ed: Ed, b: usize, sales: &str, completion: &str, n: usize, mode: CommissionMode) -> AnyView {
    let lang = ed.lang;
    let metrics = ed.with(metric_options);
    let p = |f: &str| format!("scheme.bonus[{b}].{f}");
    let sales = choice_field(ed, tx(lang, "editors.commission.sales").to_string(), p("sales"), metrics.clone(), sales.to_string(), move |w, v| {
        if let Some(BonusKind::Commission { sales, .. }) = w.scheme.bonus.get_mut(b).map(|x| &mut x.kind) {
            *sales = v.to_string();
        }
    }, false);
    let completion = choice_field(ed, tx(lang, "editors.commission.completion").to_string(), p("completion"), metrics, completion.to_string(), move |w, v| {
        if let Some(BonusKind::Commission { completion, .. }) = w.scheme.bonus.get_mut(b).map(|x| &mut x.kind) {
            *completion = v.to_string();
        }
    }, false);
    let modes = vec![
        ("whole_at_tier_reached".to_string(), tx(lang, "editors.commission.whole").to_string()),
        ("each_slice_at_its_rate".to_string(), tx(lang, "editors.commission.slices").to_string()),
    ];
    let current = if mode == CommissionMode::EachSliceAtItsRate { "each_slice_at_its_rate" } else { "whole_at_tier_reached" };
    let mode = choice_field(ed, tx(lang, "editors.commission.mode").to_string(), p("mode"), modes, current.to_string(), move |w, v| {
        if let Some(BonusKind::Commission { mode, .. }) = w.scheme.bonus.get_mut(b).map(|x| &mut x.kind) {
            *mode = if v == "each_slice_at_its_rate" { CommissionMode::EachSliceAtItsRate } else { CommissionMode::WholeAtTierReached };
        }
    }, false);
    let tiers = ed.with(|w| match w.scheme.bonus.get(b).map(|x| &x.kind) {
        Some(BonusKind::Commission { tiers, .. }) => tiers.clone(),
        _ => Vec::new(),
    });
    let rows = tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| {
            let from = decimal_field(ed, tx(lang, "editors.commission.from").to_string(), format!("scheme.bonus[{b}].tiers[{t}].from"), Some(tier.from), false, move |w, d| {
                if let (Some(BonusKind::Commission { tiers, .. }), Some(d)) = (w.scheme.bonus.get_mut(b).map(|x| &mut x.kind), d) {
                    if let Some(x) = tiers.get_mut(t) {
                        x.from = d;
                    }
                }
            });
            let rate = decimal_field(ed, tx(lang, "editors.commission.rate").to_string(), format!("scheme.bonus[{b}].tiers[{t}].rate"), Some(tier.rate), false, move |w, d| {
                if let (Some(BonusKind::Commission { tiers, .. }), Some(d)) = (w.scheme.bonus.get_mut(b).map(|x| &mut x.kind), d) {
                    if let Some(x) = tiers.get_mut(t) {
                        x.rate = d;
                    }
                }
            });
            let remove = (n > 1).then(|| button(tx(lang, "editors.remove").to_string(), Some(format!("{} {}", tx(lang, "editors.commission.remove"), t + 1)), format!("tier-remove-{b}-{t}"), "small danger-quiet", move || ed.rebuild(|w| more::remove_tier(&mut w.scheme, b, t))));
            view! { <div class="row editor-row" data-tier=t.to_string()>{from}{rate}{remove}</div> }
        })
        .collect_view();
    let add = button(tx(lang, "editors.commission.add").to_string(), None, format!("tier-add-{b}"), "small", move || ed.rebuild(|w| more::add_tier(&mut w.scheme, b)));
    view! {
        <div class="row">{sales}{completion}{mode}</div>
        <p class="hint">{tx(lang, "editors.commission.hint")}</p>
        {rows}
        {message(ed, p("tiers"), false)}
        {add}
    }
    .into_any()
}

const CONSTANT: &str = "\u{1}constant";

fn product(ed: Ed, b: usize, n: usize) -> AnyView {
    let lang = ed.lang;
    let factors = ed.with(|w| match w.scheme.bonus.get(b).map(|x| &x.kind) {
        Some(BonusKind::Product { factors }) => factors.clone(),
        _ => Vec::new(),
    });
    let mut options = vec![(CONSTANT.to_string(), tx(lang, "editors.factor.constant").to_string())];
    options.extend(ed.with(metric_options));
    let rows = factors
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let current = f.metric.clone().unwrap_or_else(|| CONSTANT.to_string());
            let what = choice_field(ed, tx(lang, "editors.factor.what").to_string(), format!("scheme.bonus[{b}].factors[{k}].metric"), options.clone(), current, move |w, v| {
                more::set_factor_metric(&mut w.scheme, b, k, (v != CONSTANT).then(|| v.to_string()));
            }, true);
            let value = f.metric.is_none().then(|| {
                decimal_field(ed, tx(lang, "editors.factor.value").to_string(), format!("scheme.bonus[{b}].factors[{k}].value"), f.value, false, move |w, d| {
                    if let Some(BonusKind::Product { factors }) = w.scheme.bonus.get_mut(b).map(|x| &mut x.kind) {
                        if let Some(f) = factors.get_mut(k) {
                            f.value = d;
                        }
                    }
                })
            });
            let remove = (n > 1).then(|| button(tx(lang, "editors.remove").to_string(), Some(format!("{} {}", tx(lang, "editors.factor.remove"), k + 1)), format!("factor-remove-{b}-{k}"), "small danger-quiet", move || ed.rebuild(|w| more::remove_factor(&mut w.scheme, b, k))));
            view! { <div class="row editor-row" data-factor=k.to_string()>{what}{value}{remove}{message(ed, format!("scheme.bonus[{b}].factors[{k}]"), false)}</div> }
        })
        .collect_view();
    let add = button(tx(lang, "editors.factor.add").to_string(), None, format!("factor-add-{b}"), "small", move || ed.rebuild(|w| more::add_factor(&mut w.scheme, b)));
    view! {
        <p class="hint">{tx(lang, "editors.product.hint")}</p>
        {rows}
        {message(ed, format!("scheme.bonus[{b}].factors"), false)}
        {add}
    }
    .into_any()
}

fn tenure(ed: Ed, b: usize, _n: usize) -> AnyView {
    let lang = ed.lang;
    let steps = ed.with(|w| match w.scheme.bonus.get(b).map(|x| &x.kind) {
        Some(BonusKind::Tenure { steps }) => steps.clone(),
        _ => Vec::new(),
    });
    let rows = steps
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let months = text_field(
                ed,
                tx(lang, "editors.tenure.months").to_string(),
                format!("scheme.bonus[{b}].steps[{k}].months"),
                s.months.to_string(),
                "num",
                Box::new(move |w, t| {
                    let m = more::parse_months(t)?;
                    if let Some(BonusKind::Tenure { steps }) = w.scheme.bonus.get_mut(b).map(|x| &mut x.kind) {
                        if let Some(s) = steps.get_mut(k) {
                            s.months = m;
                        }
                    }
                    Ok(())
                }),
            );
            let amount = decimal_field(ed, tx(lang, "editors.tenure.amount").to_string(), format!("scheme.bonus[{b}].steps[{k}].amount"), Some(s.amount), false, move |w, d| {
                if let (Some(BonusKind::Tenure { steps }), Some(d)) = (w.scheme.bonus.get_mut(b).map(|x| &mut x.kind), d) {
                    if let Some(s) = steps.get_mut(k) {
                        s.amount = d;
                    }
                }
            });
            let remove = button(tx(lang, "editors.remove").to_string(), Some(format!("{} {}", tx(lang, "editors.tenure.remove"), k + 1)), format!("tenure-remove-{b}-{k}"), "small danger-quiet", move || ed.rebuild(|w| more::remove_tenure(&mut w.scheme, b, k)));
            view! { <div class="row editor-row" data-step=k.to_string()>{months}{amount}{remove}</div> }
        })
        .collect_view();
    let add = button(tx(lang, "editors.tenure.add").to_string(), None, format!("tenure-add-{b}"), "small", move || ed.rebuild(|w| more::add_tenure(&mut w.scheme, b)));
    view! {
        <p class="hint">{tx(lang, "editors.tenure.hint")}</p>
        {rows}
        {add}
    }
    .into_any()
}
