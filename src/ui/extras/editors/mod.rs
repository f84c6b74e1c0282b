//! The scheme editor's dialogs in the on-demand module: metrics, seasons, categories
//! and grades, bonus details, a checklist's items and ticks, a rating's raters' scores.
//!
//! Each dialog works on a copy of the workbook. Every field writes into the copy at
//! once; validation ([`crate::validate::check`]) runs on the copy and each field shows
//! the issues at its place (a formula's error as it is typed). "Apply" hands the whole
//! copy back to the page, which applies it as one undoable edit; it is disabled while
//! the copy has an error the original did not have, or a field cannot be read.
//! "Cancel", Escape and the close button discard the copy. The edits themselves are
//! plain Rust in [`crate::app::scheme_more`].

mod bonus;
mod grades;
mod items;
mod metrics;
mod scores;
mod seasons;

use super::dialog;
use crate::explain;
use crate::i18n::{tx, Lang};
use crate::model::Workbook;
use crate::validate::{self, Issue};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsValue;
use std::collections::BTreeMap;
use web_sys::js_sys::Function;

/// The state of an open editor dialog.
#[derive(Clone, Copy)]
pub(crate) struct Ed {
    /// The copy being edited.
    pub wb: RwSignal<Workbook>,
    /// Bumped when rows are added or removed: the body is rebuilt.
    pub rev: RwSignal<u64>,
    /// Fields whose text cannot be read: place → translation key of why.
    pub local: RwSignal<BTreeMap<String, &'static str>>,
    /// Validation of the copy.
    pub issues: Memo<Vec<Issue>>,
    /// The errors the workbook had before the dialog opened (not this dialog's doing).
    pub before: StoredValue<Vec<Issue>>,
    /// A sentence about the last add or remove (a refusal says why).
    pub note: RwSignal<String>,
    pub lang: Lang,
    /// The shown period's id.
    pub period: StoredValue<String>,
    /// The indicator the dialog is for (items, raters' scores).
    pub indicator: usize,
}

impl Ed {
    /// A field edit: the copy changes, the dialog stays as it is.
    pub fn edit(&self, f: impl FnOnce(&mut Workbook)) {
        self.wb.update(f);
    }

    /// A row added or removed: the copy changes and the dialog is rebuilt. The focus
    /// goes back to the control with the same id (the next row's, after a removal),
    /// else to the first "add" button.
    pub fn rebuild(&self, f: impl FnOnce(&mut Workbook)) {
        let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element()).map(|e| e.id()).unwrap_or_default();
        self.note.set(String::new());
        self.local.set(BTreeMap::new());
        self.wb.update(f);
        self.rev.update(|r| *r += 1);
        super::focus_later(active);
    }

    /// Reads the copy.
    pub fn with<T>(&self, f: impl FnOnce(&Workbook) -> T) -> T {
        self.wb.with_untracked(f)
    }

    fn new_errors(&self) -> Vec<Issue> {
        self.before.with_value(|before| self.issues.with(|now| now.iter().filter(|i| i.is_error() && !before.contains(i)).cloned().collect()))
    }

    /// What is wrong at `place` (or under it, with `prefix`), and whether it is an error.
    pub fn message(&self, place: &str, prefix: bool) -> Option<(String, bool)> {
        let lang = self.lang;
        if let Some(k) = self.local.with(|m| m.get(place).copied()) {
            return Some((tx(lang, k).to_string(), true));
        }
        self.issues.with(|all| {
            let found: Vec<&Issue> = all.iter().filter(|i| if prefix { i.place.starts_with(place) } else { i.place == place }).collect();
            if found.is_empty() {
                return None;
            }
            let mut texts: Vec<String> = found.iter().map(|i| explain::problem(&i.problem, lang)).collect();
            texts.dedup();
            Some((texts.join("; "), found.iter().any(|i| i.is_error())))
        })
    }

    fn set_local(&self, place: &str, key: Option<&'static str>) {
        if self.local.with_untracked(|m| m.get(place).copied() != key) {
            self.local.update(|m| match key {
                Some(k) => {
                    m.insert(place.to_string(), k);
                }
                None => {
                    m.remove(place);
                }
            });
        }
    }
}

/// The element id of a field from its place (`scheme.metrics[2].formula` → `e-scheme-metrics-2-formula`).
pub(crate) fn field_id(place: &str) -> String {
    crate::app::fields::place_id("e-", place, true)
}

/// The message under a field: why its text cannot be read, or the validation issues there.
pub(crate) fn message(ed: Ed, place: String, prefix: bool) -> AnyView {
    let id = format!("{}-msg", field_id(&place));
    let p1 = place.clone();
    let p2 = place.clone();
    view! {
        <span class="field-msg" id=id data-place=place class:error=move || ed.message(&p1, prefix).is_some_and(|m| m.1) aria-live="polite">
            {move || ed.message(&p2, prefix).map(|m| m.0).unwrap_or_default()}
        </span>
    }
    .into_any()
}

/// How a text field's text is written into the copy (Err: the key of why it cannot be).
pub(crate) type Setter = Box<dyn Fn(&mut Workbook, &str) -> Result<(), &'static str>>;

/// A labelled text field with its message. `class`: `num`, `mono` or "".
pub(crate) fn text_field(ed: Ed, label: String, place: String, value: String, class: &'static str, set: Setter) -> AnyView {
    let id = field_id(&place);
    let msg_id = format!("{id}-msg");
    let p = place.clone();
    let p2 = place.clone();
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let mut result = Ok(());
        ed.wb.update(|w| result = set(w, &text));
        ed.set_local(&p, result.err());
    };
    view! {
        <div class="field" class:grow=class != "num">
            <label for=id.clone()>{label}</label>
            <input
                type="text"
                autocomplete="off"
                spellcheck="false"
                inputmode=if class == "num" { "decimal" } else { "text" }
                class=class
                id=id
                value=value
                aria-describedby=msg_id
                aria-invalid=move || if ed.message(&p2, false).is_some_and(|m| m.1) { "true" } else { "false" }
                on:input=on_input
            />
            {message(ed, place, false)}
        </div>
    }
    .into_any()
}

/// A number field (blank: `None` when `optional`, else "a value is needed").
pub(crate) fn number_field(ed: Ed, label: String, place: String, value: Option<f64>, optional: bool, set: impl Fn(&mut Workbook, Option<f64>) + 'static) -> AnyView {
    let text = value.map(crate::app::paste::plain_number).unwrap_or_default();
    let setter: Setter = Box::new(move |w, t| {
        use crate::app::paste::{parse_figure, Figure};
        match parse_figure(t) {
            Ok(Figure::Number(x)) => {
                set(w, Some(x));
                Ok(())
            }
            Ok(Figure::Blank) if optional => {
                set(w, None);
                Ok(())
            }
            Ok(Figure::Blank) => Err("error.required"),
            Err(e) => Err(e.key()),
        }
    });
    text_field(ed, label, place, text, "num", setter)
}

/// An exact decimal field (money, rates, coefficients): read as typed, never through a float.
pub(crate) fn decimal_field(ed: Ed, label: String, place: String, value: Option<rust_decimal::Decimal>, optional: bool, set: impl Fn(&mut Workbook, Option<rust_decimal::Decimal>) + 'static) -> AnyView {
    let text = value.map(|d| d.to_string()).unwrap_or_default();
    let setter: Setter = Box::new(move |w, t| {
        if optional && t.trim().is_empty() {
            set(w, None);
            return Ok(());
        }
        let d = crate::app::scheme_more::parse_money(t)?;
        set(w, Some(d));
        Ok(())
    });
    text_field(ed, label, place, text, "num", setter)
}

/// A labelled choice. `options`: (value, label).
pub(crate) fn choice_field(ed: Ed, label: String, place: String, options: Vec<(String, String)>, current: String, set: impl Fn(&mut Workbook, &str) + 'static, rebuild: bool) -> AnyView {
    let id = field_id(&place);
    let msg_id = format!("{id}-msg");
    let opts = options
        .into_iter()
        .map(|(v, l)| {
            let selected = v == current;
            view! { <option value=v selected=selected>{l}</option> }
        })
        .collect_view();
    let on_change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        if rebuild {
            ed.rebuild(|w| set(w, &v));
        } else {
            ed.edit(|w| set(w, &v));
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id aria-describedby=msg_id on:change=on_change>{opts}</select>
            {message(ed, place, false)}
        </div>
    }
    .into_any()
}

/// A labelled checkbox.
pub(crate) fn check_field(ed: Ed, label: String, id: String, checked: bool, set: impl Fn(&mut Workbook, bool) + 'static) -> AnyView {
    view! {
        <div class="field check">
            <input type="checkbox" id=id.clone() checked=checked on:change=move |ev| {
                let on = event_target_checked(&ev);
                ed.edit(|w| set(w, on));
            }/>
            <label for=id>{label}</label>
        </div>
    }
    .into_any()
}

/// A button. `name`: its accessible name when it differs from its text.
pub(crate) fn button(text: String, name: Option<String>, id: String, class: &'static str, on: impl Fn() + 'static) -> AnyView {
    view! { <button type="button" class=class id=id aria-label=name on:click=move |_| on()>{text}</button> }.into_any()
}

/// `name`, or the id when it has no name.
pub(crate) fn named(name: &str, id: &str) -> String {
    if name.trim().is_empty() {
        id.to_string()
    } else {
        name.to_string()
    }
}

/// The metrics as choices: (id, name).
pub(crate) fn metric_options(wb: &Workbook) -> Vec<(String, String)> {
    wb.scheme.metrics.iter().map(|m| (m.id.clone(), named(&m.name, &m.id))).collect()
}

/// Opens editor `which` on a copy of `wb`. `on_apply(workbook_json, "")` gets the changed
/// workbook when the person applies.
pub fn open(wb: Workbook, which: &str, period: String, lang: Lang, indicator: usize, on_apply: Function) -> AnyView {
    let before: Vec<Issue> = validate::check(&wb).into_iter().filter(|i| i.is_error()).collect();
    let wb = RwSignal::new(wb);
    let ed = Ed {
        wb,
        rev: RwSignal::new(0),
        local: RwSignal::new(BTreeMap::new()),
        issues: Memo::new(move |_| wb.with(validate::check)),
        before: StoredValue::new(before),
        note: RwSignal::new(String::new()),
        lang,
        period: StoredValue::new(period),
        indicator,
    };
    let (title, id, body): (&'static str, &'static str, fn(Ed) -> AnyView) = match which {
        "seasons" => (tx(lang, "editors.seasons.title"), "seasons-dialog", seasons::body),
        "grades" => (tx(lang, "editors.grades.title"), "grades-dialog", grades::body),
        "bonus" => (tx(lang, "editors.bonus.title"), "bonus-dialog", bonus::body),
        "items" => (tx(lang, "editors.items.title"), "items-dialog", items::body),
        "scores" => (tx(lang, "editors.scores.title"), "scores-dialog", scores::body),
        _ => (tx(lang, "editors.metrics.title"), "metrics-dialog", metrics::body),
    };
    dialog(lang, title, id, frame(ed, body, on_apply))
}

/// The dialog's body (rebuilt when rows come and go), the errors still to fix, and
/// Apply / Cancel.
fn frame(ed: Ed, body: fn(Ed) -> AnyView, on_apply: Function) -> AnyView {
    let lang = ed.lang;
    let content = move || {
        ed.rev.track();
        body(ed)
    };
    let blocked = move || ed.local.with(|m| !m.is_empty()) || !ed.new_errors().is_empty();
    let errors = move || {
        let errors = ed.new_errors();
        if errors.is_empty() {
            return ().into_any();
        }
        view! {
            <div class="editor-errors" id="editor-errors">
                <p>{tx(lang, "editors.fix_first")}</p>
                <ul>{errors.iter().map(|i| view! { <li>{explain::issue(i, lang)}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any()
    };
    let apply = move |_| {
        if blocked() {
            return;
        }
        let text = ed.wb.with_untracked(crate::workbook::to_json);
        // The second argument: no column mapping (that is the spreadsheet import's).
        let _ = on_apply.call2(&JsValue::NULL, &JsValue::from_str(&text), &JsValue::from_str(""));
        super::close();
    };
    view! {
        <div class="extras-body editor">
            <p class="editor-note" id="editor-note" role="status">{move || ed.note.get()}</p>
            {content}
            {errors}
            <div class="actions">
                <button type="button" class="primary" id="editor-apply" disabled=blocked on:click=apply>{tx(lang, "editors.apply")}</button>
                <button type="button" id="editor-cancel" on:click=move |_| super::close()>{tx(lang, "editors.cancel")}</button>
            </div>
        </div>
    }
    .into_any()
}
