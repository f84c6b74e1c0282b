//! The workbook import preview (a `.json` file chosen or dropped on the page): the file
//! is read, migrated, validated and scored here, and its results compared with the
//! snapshot it carries — all before anything changes. The dialog shows the title,
//! agents, periods, format version, warnings and every difference, and the person
//! chooses "open as new workbook" or "replace current" (or cancels). The page then does
//! the storing (`ui::persist`): this module never touches storage.
//!
//! A bad file gets its message in `#import-error` and nothing else happens.

use super::dialog;
use crate::explain;
use crate::i18n::{tx, Lang};
use crate::store::{self, Snapshot};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsValue;
use web_sys::js_sys::Function;

/// At most this many differences are listed (the rest are counted).
const MAX_DIFFERENCES: usize = 50;

/// The dialog for a file's text. `on_choice(choice, workbook_json)`: `choice` is
/// `new` or `replace`; the workbook is the file's, migrated, as canonical JSON.
pub fn dialog_for(text: String, lang: Lang, on_choice: Function) -> AnyView {
    let body = match store::preview(&text) {
        Err(e) => {
            let message = explain::load_error(&e, lang);
            view! {
                <div class="extras-body">
                    <p class="import-error" id="import-error" role="alert">
                        <span>{message}</span>
                        <button type="button" class="small" on:click=move |_| super::close()>{tx(lang, "notice.dismiss")}</button>
                    </p>
                    <p>{tx(lang, "sheet.nothing_changed")}</p>
                </div>
            }
            .into_any()
        }
        Ok(p) => {
            let json = crate::workbook::to_json(&p.workbook);
            let choose = move |choice: &'static str| {
                let on_choice = on_choice.clone();
                let json = json.clone();
                move |_| {
                    let _ = on_choice.call2(&JsValue::NULL, &JsValue::from_str(choice), &JsValue::from_str(&json));
                    super::close();
                }
            };
            let (differences, diff_lines): (String, Vec<String>) = match &p.snapshot {
                Snapshot::Same => ("0".into(), Vec::new()),
                Snapshot::Differs(d) => {
                    let mut lines: Vec<String> = d.iter().take(MAX_DIFFERENCES).map(|x| x.message(&p.workbook, lang)).collect();
                    if d.len() > MAX_DIFFERENCES {
                        lines.push(format!("… {} {}", d.len() - MAX_DIFFERENCES, tx(lang, "import.more_differences")));
                    }
                    (d.len().to_string(), lines)
                }
                _ => (tx(lang, "import.no_snapshot").to_string(), Vec::new()),
            };
            let warnings = p.issue_messages(lang);
            let row = |k: &'static str, v: String| view! { <dt>{tx(lang, k)}</dt><dd>{v}</dd> };
            let list = |id: &'static str, title: &'static str, items: Vec<String>| {
                (!items.is_empty()).then(|| {
                    view! {
                        <h3>{title}</h3>
                        <ul class="sheet-lines" id=id>{items.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul>
                    }
                })
            };
            view! {
                <section class="extras-body import-preview" id="import-preview" aria-label=tx(lang, "import.preview")>
                    <dl>
                        {row("import.title", p.title.clone())}
                        {row("import.agents", p.agents.to_string())}
                        {row("import.periods", p.periods.len().to_string())}
                        {row("import.version", p.file_version.to_string())}
                        {row("import.warnings", warnings.len().to_string())}
                        {row("import.differences", differences)}
                    </dl>
                    {list("import-differences", tx(lang, "import.differences"), diff_lines)}
                    {list("import-warnings", tx(lang, "import.warnings"), warnings)}
                    <div class="actions">
                        <button type="button" class="primary" id="import-open-new" data-autofocus="" on:click=choose("new")>{tx(lang, "import.open_new")}</button>
                        <button type="button" id="import-replace" on:click=choose("replace")>{tx(lang, "import.replace")}</button>
                        <button type="button" id="import-cancel" on:click=move |_| super::close()>{tx(lang, "import.cancel")}</button>
                    </div>
                </section>
            }
            .into_any()
        }
    };
    dialog(lang, tx(lang, "import.preview"), "import-dialog", body)
}
