//! The categories and grades dialog: categories (name, full points, cap, floor; add;
//! remove refused while indicators are in one), grade bands (grade, lowest total,
//! bonus coefficient; add; remove, with its quotas) and forced-distribution quotas.

use super::{button, choice_field, decimal_field, number_field, text_field, Ed};
use crate::app::scheme_more as more;
use crate::i18n::tx;
use leptos::prelude::*;

pub(super) fn body(ed: Ed) -> AnyView {
    let lang = ed.lang;
    let (cats, grades, quotas) = ed.with(|w| (w.scheme.categories.len(), w.scheme.grades.bands.len(), w.scheme.grades.quotas.len()));
    let add_cat = button(tx(lang, "editors.category.add").to_string(), None, "category-add".into(), "", move || {
        let mut i = 0;
        ed.rebuild(|w| i = more::add_category(&mut w.scheme));
        super::super::focus_later(super::field_id(&format!("scheme.categories[{i}].name")));
    });
    let add_grade = button(tx(lang, "editors.grade.add").to_string(), None, "grade-add".into(), "", move || ed.rebuild(|w| {
        more::add_grade(&mut w.scheme);
    }));
    let add_quota = button(tx(lang, "editors.quota.add").to_string(), None, "quota-add".into(), "", move || ed.rebuild(|w| {
        more::add_quota(&mut w.scheme);
    }));
    view! {
        <section aria-labelledby="categories-h">
            <h3 id="categories-h">{tx(lang, "editors.categories")}</h3>
            <div class="editor-list">{(0..cats).map(|i| category(ed, i)).collect_view()}</div>
            {add_cat}
        </section>
        <section aria-labelledby="grades-h">
            <h3 id="grades-h">{tx(lang, "editors.grade_bands")}</h3>
            <p class="hint">{tx(lang, "editors.grades.hint")}</p>
            <div class="editor-list">{(0..grades).map(|i| grade(ed, i)).collect_view()}</div>
            {add_grade}
        </section>
        <section aria-labelledby="quotas-h">
            <h3 id="quotas-h">{tx(lang, "editors.quotas")}</h3>
            <p class="hint">{tx(lang, "editors.quotas.hint")}</p>
            <div class="editor-list">{(0..quotas).map(|i| quota(ed, i)).collect_view()}</div>
            {add_quota}
        </section>
    }
    .into_any()
}

fn category(ed: Ed, i: usize) -> AnyView {
    let lang = ed.lang;
    let Some(c) = ed.with(|w| w.scheme.categories.get(i).cloned()) else { return ().into_any() };
    let p = |f: &str| format!("scheme.categories[{i}].{f}");
    let name = text_field(
        ed,
        tx(lang, "editors.category.name").to_string(),
        p("name"),
        c.name.clone(),
        "",
        Box::new(move |w, t| {
            if let Some(c) = w.scheme.categories.get_mut(i) {
                c.name = t.to_string();
            }
            Ok(())
        }),
    );
    let full = number_field(ed, tx(lang, "editors.category.full").to_string(), p("full"), c.full, true, move |w, x| {
        if let Some(c) = w.scheme.categories.get_mut(i) {
            c.full = x;
        }
    });
    let cap = number_field(ed, tx(lang, "editors.category.cap").to_string(), p("cap"), c.cap, true, move |w, x| {
        if let Some(c) = w.scheme.categories.get_mut(i) {
            c.cap = x;
        }
    });
    let floor = number_field(ed, tx(lang, "editors.category.floor").to_string(), p("floor"), c.floor, true, move |w, x| {
        if let Some(c) = w.scheme.categories.get_mut(i) {
            c.floor = x;
        }
    });
    let title = super::named(&c.name, &c.id);
    let remove = button(tx(lang, "editors.remove").to_string(), Some(format!("{} {title}", tx(lang, "editors.category.remove"))), format!("category-remove-{i}"), "small danger-quiet", move || {
        let mut result = Ok(());
        ed.wb.update(|w| result = more::remove_category(&mut w.scheme, i));
        match result {
            Ok(()) => {
                ed.rebuild(|_| {});
                ed.note.set(tx(lang, "editors.removed").to_string());
            }
            Err(users) => ed.note.set(users.message(lang)),
        }
    });
    view! { <div class="row editor-row" data-category=c.id.clone()>{name}{full}{cap}{floor}{remove}</div> }.into_any()
}

fn grade(ed: Ed, i: usize) -> AnyView {
    let lang = ed.lang;
    let Some(g) = ed.with(|w| w.scheme.grades.bands.get(i).cloned()) else { return ().into_any() };
    let p = |f: &str| format!("scheme.grades.bands[{i}].{f}");
    let name = text_field(
        ed,
        tx(lang, "editors.grade.name").to_string(),
        p("grade"),
        g.grade.clone(),
        "num",
        Box::new(move |w, t| {
            if t.trim().is_empty() {
                return Err("editors.id_required");
            }
            more::rename_grade(&mut w.scheme, i, t.trim());
            Ok(())
        }),
    );
    let min = number_field(ed, tx(lang, "editors.grade.min").to_string(), p("min"), Some(g.min), false, move |w, x| {
        if let (Some(g), Some(x)) = (w.scheme.grades.bands.get_mut(i), x) {
            g.min = x;
        }
    });
    let coefficient = decimal_field(ed, tx(lang, "editors.grade.coefficient").to_string(), p("coefficient"), g.coefficient, true, move |w, d| {
        if let Some(g) = w.scheme.grades.bands.get_mut(i) {
            g.coefficient = d;
        }
    });
    let remove = button(tx(lang, "editors.remove").to_string(), Some(format!("{} {}", tx(lang, "editors.grade.remove"), g.grade)), format!("grade-remove-{i}"), "small danger-quiet", move || {
        ed.rebuild(|w| more::remove_grade(&mut w.scheme, i));
    });
    view! { <div class="row editor-row" data-grade=i.to_string()>{name}{min}{coefficient}{remove}</div> }.into_any()
}

fn quota(ed: Ed, i: usize) -> AnyView {
    let lang = ed.lang;
    let Some(q) = ed.with(|w| w.scheme.grades.quotas.get(i).cloned()) else { return ().into_any() };
    let p = |f: &str| format!("scheme.grades.quotas[{i}].{f}");
    let mut options: Vec<(String, String)> = ed.with(|w| w.scheme.grades.bands.iter().map(|g| (g.grade.clone(), g.grade.clone())).collect());
    if !options.iter().any(|o| o.0 == q.grade) {
        options.insert(0, (q.grade.clone(), q.grade.clone()));
    }
    let grade = choice_field(ed, tx(lang, "editors.quota.grade").to_string(), p("grade"), options, q.grade.clone(), move |w, v| {
        if let Some(q) = w.scheme.grades.quotas.get_mut(i) {
            q.grade = v.to_string();
        }
    }, false);
    let max = number_field(ed, tx(lang, "editors.quota.max").to_string(), p("max_percent"), q.max_percent, true, move |w, x| {
        if let Some(q) = w.scheme.grades.quotas.get_mut(i) {
            q.max_percent = x;
        }
    });
    let min = number_field(ed, tx(lang, "editors.quota.min").to_string(), p("min_percent"), q.min_percent, true, move |w, x| {
        if let Some(q) = w.scheme.grades.quotas.get_mut(i) {
            q.min_percent = x;
        }
    });
    let remove = button(tx(lang, "editors.remove").to_string(), Some(format!("{} {}", tx(lang, "editors.quota.remove"), i + 1)), format!("quota-remove-{i}"), "small danger-quiet", move || {
        ed.rebuild(|w| more::remove_quota(&mut w.scheme, i));
    });
    view! { <div class="row editor-row" data-quota=i.to_string()>{grade}{max}{min}{remove}</div> }.into_any()
}
