//! The seasons dialog: each season's name and months (a checkbox per month; a month in
//! two seasons is flagged). Add; remove (refused while a band table is for it).

use super::{button, message, text_field, Ed};
use crate::app::scheme_more as more;
use crate::i18n::{tx, Lang};
use leptos::prelude::*;

const EN_MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A month's short name: `3月`, `Mar`.
fn month_name(lang: Lang, m: u32) -> String {
    match lang {
        Lang::ZhCn => format!("{m}月"),
        Lang::En => EN_MONTHS.get(m as usize - 1).copied().unwrap_or_default().to_string(),
    }
}

pub(super) fn body(ed: Ed) -> AnyView {
    let lang = ed.lang;
    let n = ed.with(|w| w.scheme.seasons.len());
    let rows = (0..n).map(|i| season(ed, i)).collect_view();
    let add = button(tx(lang, "editors.season.add").to_string(), None, "season-add".into(), "", move || {
        let mut i = 0;
        ed.rebuild(|w| i = more::add_season(&mut w.scheme));
        super::super::focus_later(super::field_id(&format!("scheme.seasons[{i}].name")));
    });
    view! {
        <p class="hint">{tx(lang, "editors.seasons.hint")}</p>
        <div class="editor-list">{rows}</div>
        {add}
    }
    .into_any()
}

fn season(ed: Ed, i: usize) -> AnyView {
    let lang = ed.lang;
    let Some(s) = ed.with(|w| w.scheme.seasons.get(i).cloned()) else { return ().into_any() };
    let name = text_field(
        ed,
        tx(lang, "editors.season.name").to_string(),
        format!("scheme.seasons[{i}].name"),
        s.name.clone(),
        "",
        Box::new(move |w, t| {
            if let Some(s) = w.scheme.seasons.get_mut(i) {
                s.name = t.to_string();
            }
            Ok(())
        }),
    );
    let months = (1..=12u32)
        .map(|m| {
            let id = format!("season-{i}-month-{m}");
            let checked = s.months.contains(&m);
            view! {
                <span class="month">
                    <input type="checkbox" id=id.clone() data-month=m.to_string() checked=checked on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        ed.edit(|w| more::set_month(&mut w.scheme, i, m, on));
                    }/>
                    <label for=id>{month_name(lang, m)}</label>
                </span>
            }
        })
        .collect_view();
    let title = super::named(&s.name, &s.id);
    let remove = button(tx(lang, "editors.remove").to_string(), Some(format!("{} {title}", tx(lang, "editors.season.remove"))), format!("season-remove-{i}"), "small danger-quiet", move || {
        let mut result = Ok(());
        ed.wb.update(|w| result = more::remove_season(&mut w.scheme, i));
        match result {
            Ok(()) => {
                ed.rebuild(|_| {});
                ed.note.set(tx(lang, "editors.removed").to_string());
            }
            Err(users) => ed.note.set(users.message(lang)),
        }
    });
    view! {
        <fieldset class="editor-item" data-season=s.id.clone()>
            <legend>{title}</legend>
            <div class="row">{name}</div>
            <fieldset class="months">
                <legend>{tx(lang, "editors.season.months")}</legend>
                {months}
            </fieldset>
            {message(ed, format!("scheme.seasons[{i}].months"), true)}
            <div class="row-actions">{remove}</div>
        </fieldset>
    }
    .into_any()
}
