//! Spreadsheets in the browser: the import preview (file bytes → table → column
//! mapping → check → confirm) and the results export (CSV with BOM, .xlsx). The
//! logic is [`crate::sheet`]; this is the dialog and the browser glue (GBK decoding
//! with the browser's own `TextDecoder`, downloads).
//!
//! Nothing changes until the person confirms: then the page gets the whole changed
//! workbook and the mapping to remember, and applies them as one undoable edit.

use super::{dialog, Input};
use crate::i18n::{tx, Lang};
use crate::sheet::{self, CellError, ColumnMapping, Decoded, Table, Target};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsValue;
use std::sync::Arc;
use web_sys::js_sys::Function;

/// Reads a file's bytes into a table: .xlsx (first sheet), or CSV/TSV text in UTF-8,
/// UTF-16 or GBK/GB18030.
fn read_table(bytes: &[u8]) -> Result<Table, CellError> {
    if sheet::is_xlsx(bytes) {
        return sheet::read_xlsx(bytes);
    }
    let text = match sheet::decode(bytes) {
        Decoded::Text(t) => t,
        Decoded::NeedsGbk => gbk(bytes),
    };
    Table::parse(&text)
}

/// GBK/GB18030 bytes decoded by the browser (`new TextDecoder('gbk')`, which reads
/// GB18030): no decoding tables are shipped. Bytes it cannot map become U+FFFD, which
/// the table reader then reports at its cell.
fn gbk(bytes: &[u8]) -> String {
    let Ok(decoder) = web_sys::TextDecoder::new_with_label("gbk") else { return String::from_utf8_lossy(bytes).into_owned() };
    let mut copy = bytes.to_vec();
    decoder.decode_with_u8_array(&mut copy).unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
}

/// The import preview dialog.
pub fn import_dialog(input: Input, remembered: String, file_name: String, bytes: Vec<u8>, on_apply: Function) -> AnyView {
    let lang = input.lang;
    let body = match read_table(&bytes) {
        Err(e) => view! {
            <div class="extras-body">
                <p class="file-name">{file_name}</p>
                <p class="error" role="alert" id="sheet-error">{e.message(lang)}</p>
                <p>{tx(lang, "sheet.nothing_changed")}</p>
            </div>
        }
        .into_any(),
        Ok(table) => preview(input, table, remembered, file_name, on_apply),
    };
    dialog(lang, tx(lang, "sheet.import.title"), "sheet-dialog", body)
}

fn preview(input: Input, table: Table, remembered: String, file_name: String, on_apply: Function) -> AnyView {
    let lang = input.lang;
    let remembered = ColumnMapping::from_json(&remembered);
    let mapping = RwSignal::new(sheet::guess(&input.wb, &table, remembered.as_ref()));
    let add_new = RwSignal::new(true);
    let input = Arc::new(input);
    let table = Arc::new(table);
    let targets = Arc::new(sheet::targets(&input.wb, lang));
    let check = {
        let (input, table) = (input.clone(), table.clone());
        Memo::new(move |_| mapping.with(|m| sheet::preview(&input.wb, &input.period, m, &table)))
    };
    let headers = table
        .header
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let targets = targets.clone();
            let id = format!("sheet-col-{c}");
            let current = mapping.with_untracked(|m| m.columns.get(c).map(|x| x.target.key()).unwrap_or_default());
            let options = targets
                .iter()
                .map(|(t, label)| {
                    let key = t.key();
                    let selected = key == current;
                    view! { <option value=key selected=selected>{label.clone()}</option> }
                })
                .collect_view();
            let letter = sheet::import::column_letter(c);
            view! {
                <th scope="col">
                    <label for=id.clone()>{format!("{letter} · {h}")}</label>
                    <select id=id on:change=move |ev| {
                        let t = Target::from_key(&event_target_value(&ev));
                        mapping.update(|m| m.set(c, t));
                    }>{options}</select>
                </th>
            }
        })
        .collect_view();
    let sample = table.sample().into_iter().map(|row| view! { <tr>{row.into_iter().map(|x| view! { <td>{x}</td> }).collect_view()}</tr> }).collect_view();
    let status = move || match check.get() {
        Ok(s) => {
            let new_agents = (!s.new_agents.is_empty()).then(|| {
                let names = s.new_agents.iter().map(|a| if a.name.is_empty() { a.id.clone() } else { a.name.clone() }).collect::<Vec<_>>().join(lang_sep(lang));
                view! {
                    <p class="new-agents">
                        <input type="checkbox" id="sheet-add-new" prop:checked=move || add_new.get() on:change=move |ev| add_new.set(event_target_checked(&ev))/>
                        <label for="sheet-add-new">{format!("{} ({}): {names}", tx(lang, "sheet.add_new"), s.new_agents.len())}</label>
                    </p>
                }
            });
            view! {
                <div class="sheet-check ok" id="sheet-summary">
                    <p role="status">{s.message(lang)}</p>
                    {new_agents}
                </div>
            }
            .into_any()
        }
        Err(errors) => view! {
            <div class="sheet-check bad" id="sheet-errors" role="alert">
                <p>{tx(lang, "sheet.errors")}</p>
                <ul>{errors.iter().map(|e| view! { <li>{e.message(lang)}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
    };
    let confirm = {
        let (input, table) = (input.clone(), table.clone());
        move |_| {
            let m = mapping.get_untracked();
            if let Ok((wb, _summary)) = sheet::apply(&input.wb, &input.period, &m, &table, add_new.get_untracked()) {
                let text = crate::workbook::to_json(&wb);
                let _ = on_apply.call2(&JsValue::NULL, &JsValue::from_str(&text), &JsValue::from_str(&m.to_json()));
                super::close();
            }
        }
    };
    let rows = table.rows.len();
    view! {
        <div class="extras-body sheet-import">
            <p class="file-name">{format!("{file_name} · {rows} {} · {}", tx(lang, "sheet.rows"), input.period_name())}</p>
            <p class="hint">{tx(lang, "sheet.map_hint")}</p>
            <div class="table-wrap">
                <table class="sheet-preview">
                    <thead><tr>{headers}</tr></thead>
                    <tbody>{sample}</tbody>
                </table>
            </div>
            {status}
            <div class="actions">
                <button type="button" class="primary" id="sheet-confirm" disabled=move || check.with(|c| c.is_err()) on:click=confirm>{tx(lang, "sheet.confirm")}</button>
                <button type="button" id="sheet-cancel" on:click=move |_| super::close()>{tx(lang, "sheet.cancel")}</button>
            </div>
        </div>
    }
    .into_any()
}

fn lang_sep(lang: Lang) -> &'static str {
    if lang == Lang::ZhCn {
        "、"
    } else {
        ", "
    }
}

/// Downloads the shown period's results: `csv` (UTF-8 with BOM) or `xlsx` (results and
/// explanations). Errors are returned as the message to show.
pub fn export(input: Result<Input, String>, kind: &str) -> Result<(), String> {
    let input = input?;
    let pr = input.shown();
    let (name, bytes, mime) = if kind == "xlsx" {
        (sheet::file_name(&input.wb, &input.period, "xlsx"), sheet::results_xlsx(&input.wb, &pr, input.lang), sheet::XLSX_MIME)
    } else {
        (sheet::file_name(&input.wb, &input.period, "csv"), sheet::results_csv(&input.wb, &pr, input.lang).into_bytes(), sheet::CSV_MIME)
    };
    if download(&name, &bytes, mime) {
        Ok(())
    } else {
        let lang = input.lang;
        Err(tx(lang, "sheet.download_failed").to_string())
    }
}

fn download(name: &str, bytes: &[u8], mime: &str) -> bool {
    crate::ui::web::download_part(name, &web_sys::js_sys::Uint8Array::from(bytes).into(), mime)
}
