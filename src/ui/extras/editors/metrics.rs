//! The metrics dialog: each metric's id, name, unit, which direction is better, whether
//! it is a count, and its formula (a derived metric) with the formula's error shown as
//! it is typed. Add; remove (refused, naming the users, while anything uses it).

use super::{button, check_field, choice_field, field_id, text_field, Ed};
use crate::app::scheme_more as more;
use crate::i18n::tx;
use crate::model::Better;
use leptos::prelude::*;

pub(super) fn body(ed: Ed) -> AnyView {
    let lang = ed.lang;
    let n = ed.with(|w| w.scheme.metrics.len());
    let rows = (0..n).map(|i| metric(ed, i)).collect_view();
    let add = button(tx(lang, "editors.metric.add").to_string(), None, "metric-add".into(), "", move || {
        let mut i = 0;
        ed.rebuild(|w| i = more::add_metric(&mut w.scheme));
        super::super::focus_later(field_id(&format!("scheme.metrics[{i}].id")));
    });
    view! {
        <p class="hint">{tx(lang, "editors.metrics.hint")}</p>
        <div class="editor-list">{rows}</div>
        {add}
    }
    .into_any()
}

fn metric(ed: Ed, i: usize) -> AnyView {
    let lang = ed.lang;
    let Some(m) = ed.with(|w| w.scheme.metrics.get(i).cloned()) else { return ().into_any() };
    let p = |f: &str| format!("scheme.metrics[{i}].{f}");
    let legend = move || ed.wb.with(|w| w.scheme.metrics.get(i).map(|m| super::named(&m.name, &m.id)).unwrap_or_default());
    let in_use = ed.with(|w| !more::metric_users(&w.scheme, &m.id).is_empty());
    let id_field = if in_use {
        // Ids are keys: one in use stays as it is (shown, not editable).
        let id = field_id(&p("id"));
        view! {
            <div class="field">
                <label for=id.clone()>{tx(lang, "editors.metric.id")}</label>
                <input type="text" class="mono" id=id readonly value=m.id.clone() title=tx(lang, "editors.id_in_use")/>
            </div>
        }
        .into_any()
    } else {
        text_field(ed, tx(lang, "editors.metric.id").to_string(), p("id"), m.id.clone(), "mono", Box::new(move |w, t| more::rename_metric(w, i, t)))
    };
    let name = text_field(
        ed,
        tx(lang, "editors.metric.name").to_string(),
        p("name"),
        m.name.clone(),
        "",
        Box::new(move |w, t| {
            if let Some(m) = w.scheme.metrics.get_mut(i) {
                m.name = t.to_string();
            }
            Ok(())
        }),
    );
    let unit = text_field(
        ed,
        tx(lang, "editors.metric.unit").to_string(),
        p("unit"),
        m.unit.clone(),
        "num",
        Box::new(move |w, t| {
            if let Some(m) = w.scheme.metrics.get_mut(i) {
                m.unit = t.trim().to_string();
            }
            Ok(())
        }),
    );
    let better = choice_field(
        ed,
        tx(lang, "editors.metric.better").to_string(),
        p("better"),
        vec![("higher".into(), tx(lang, "editors.metric.higher").into()), ("lower".into(), tx(lang, "editors.metric.lower").into())],
        if m.better == Better::Lower { "lower".into() } else { "higher".into() },
        move |w, v| {
            if let Some(m) = w.scheme.metrics.get_mut(i) {
                m.better = if v == "lower" { Better::Lower } else { Better::Higher };
            }
        },
        false,
    );
    let count = check_field(ed, tx(lang, "editors.metric.count").to_string(), field_id(&p("count")), m.count, move |w, on| {
        if let Some(m) = w.scheme.metrics.get_mut(i) {
            m.count = on;
        }
    });
    let formula = text_field(
        ed,
        tx(lang, "editors.metric.formula").to_string(),
        p("formula"),
        m.formula.clone().unwrap_or_default(),
        "mono",
        Box::new(move |w, t| {
            more::set_formula(&mut w.scheme, i, t);
            Ok(())
        }),
    );
    let remove_name = format!("{} {}", tx(lang, "editors.metric.remove"), super::named(&m.name, &m.id));
    let remove = button(tx(lang, "editors.remove").to_string(), Some(remove_name), format!("metric-remove-{i}"), "small danger-quiet", move || {
        let mut result = Ok(0);
        ed.wb.update(|w| result = more::remove_metric(w, i));
        match result {
            Ok(dropped) => {
                ed.rebuild(|_| {});
                let mut note = tx(lang, "editors.removed").to_string();
                if dropped > 0 {
                    note = format!("{note} {} {dropped}", tx(lang, "editors.figures_removed"));
                }
                ed.note.set(note);
            }
            Err(users) => ed.note.set(users.message(lang)),
        }
    });
    view! {
        <fieldset class="editor-item" data-metric=m.id.clone()>
            <legend>{legend}</legend>
            <div class="row">{id_field}{name}{unit}{better}{count}</div>
            <div class="row">{formula}</div>
            <div class="row-actions">{remove}</div>
        </fieldset>
    }
    .into_any()
}
