//! Small guarded wrappers over browser APIs. None of them panics: localStorage may be
//! missing or throw (private mode, blocked cookies), elements may be gone.

use leptos::wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::js_sys::Promise;

#[wasm_bindgen]
extern "C" {
    // `navigator.clipboard.writeText(text)`; throws when there is no clipboard API.
    #[wasm_bindgen(js_namespace = ["navigator", "clipboard"], js_name = writeText, catch)]
    fn clipboard_write_text(text: &str) -> Result<Promise, JsValue>;
}

/// Puts text on the clipboard. `Err(true)`: the browser refused (no permission);
/// `Err(false)`: there is no clipboard here, or it failed otherwise.
pub async fn copy_text(text: &str) -> Result<(), bool> {
    let promise = clipboard_write_text(text).map_err(|_| false)?;
    match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(_) => Ok(()),
        Err(e) => Err(e.dyn_ref::<web_sys::DomException>().is_some_and(|d| d.name() == "NotAllowedError")),
    }
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// `location.search` (`?lang=en&preset=courier`), or empty.
pub fn search() -> String {
    window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// `navigator.languages` (falling back to `navigator.language`).
pub fn browser_languages() -> Vec<String> {
    let Some(nav) = window().map(|w| w.navigator()) else { return Vec::new() };
    let mut out: Vec<String> = nav.languages().iter().filter_map(|v| v.as_string()).collect();
    if out.is_empty() {
        if let Some(l) = nav.language() {
            out.push(l);
        }
    }
    out
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

pub fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn storage_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// `<html lang>` and the page title.
pub fn set_document_lang(tag: &str, title: &str) {
    if let Some(d) = document() {
        if let Some(el) = d.document_element() {
            let _ = el.set_attribute("lang", tag);
        }
        d.set_title(title);
    }
}

/// `document.documentElement.dataset.ready = "1"` (the tests wait for it).
pub fn mark_ready() {
    if let Some(el) = document().and_then(|d| d.document_element()) {
        let _ = el.set_attribute("data-ready", "1");
    }
}

/// `data-app` on `<html>`: `viewer` (the results-first page) or `full` (every editor
/// is there). The tests wait for `full` before they edit.
pub fn mark_app(kind: &str) {
    if let Some(el) = document().and_then(|d| d.document_element()) {
        let _ = el.set_attribute("data-app", kind);
    }
}

/// `data-updated-at` on `<html>`: when the results of the last edit were on the page
/// (performance.now(), ms). Read by bench/edit-latency.mjs.
pub fn mark_updated() {
    let Some(w) = window() else { return };
    let now = w.performance().map(|p| p.now()).unwrap_or(0.0);
    if let Some(el) = w.document().and_then(|d| d.document_element()) {
        let _ = el.set_attribute("data-updated-at", &format!("{now:.3}"));
    }
}

/// Focuses the element with this id (and selects an input's text).
pub fn focus(id: &str) -> bool {
    let Some(el) = document().and_then(|d| d.get_element_by_id(id)) else { return false };
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        let _ = input.focus();
        input.select();
        return true;
    }
    if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = h.focus();
        return true;
    }
    false
}

/// Where the caret is in an input: (at start, at end). Inputs without a selection API
/// count as both.
pub fn caret_edges(input: &web_sys::HtmlInputElement) -> (bool, bool) {
    let len = input.value().encode_utf16().count() as u32;
    match (input.selection_start(), input.selection_end()) {
        (Ok(Some(a)), Ok(Some(b))) => (a == 0 && (b == 0 || b == len), b == len && (a == b || a == 0)),
        _ => (true, true),
    }
}

/// The text of a paste event.
pub fn pasted_text(ev: &web_sys::ClipboardEvent) -> Option<String> {
    let data = ev.clipboard_data()?;
    data.get_data("text/plain").ok().filter(|t| !t.is_empty()).or_else(|| data.get_data("text").ok())
}

/// Marks an input as invalid (with the reason as its tooltip) or clears the mark.
pub fn mark_invalid(id: &str, message: Option<&str>) {
    let Some(el) = document().and_then(|d| d.get_element_by_id(id)) else { return };
    match message {
        Some(m) => {
            let _ = el.set_attribute("aria-invalid", "true");
            let _ = el.set_attribute("title", m);
        }
        None => {
            let _ = el.remove_attribute("aria-invalid");
            let _ = el.remove_attribute("title");
        }
    }
}

/// The text at a URL relative to the page (`presets/courier.json`), or `None` when it
/// cannot be fetched.
pub async fn fetch_text(url: &str) -> Option<String> {
    use wasm_bindgen_futures::JsFuture;
    let w = window()?;
    let resp = JsFuture::from(w.fetch_with_str(url)).await.ok()?;
    let resp: web_sys::Response = resp.dyn_into().ok()?;
    if !resp.ok() {
        return None;
    }
    JsFuture::from(resp.text().ok()?).await.ok()?.as_string()
}

/// Offers `text` as a JSON file download named `name`.
pub fn download(name: &str, text: &str) -> bool {
    download_part(name, &leptos::wasm_bindgen::JsValue::from_str(text), "application/json")
}

/// Offers one Blob part (a string or a `Uint8Array`) as a file download named `name`
/// (a Blob URL on a temporary link, revoked after 30 s).
pub fn download_part(name: &str, part: &leptos::wasm_bindgen::JsValue, mime: &str) -> bool {
    let Some(doc) = document() else { return false };
    let parts = web_sys::js_sys::Array::of1(part);
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    // `new Blob(parts)` takes strings and byte arrays alike; the binding's name says str.
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag) else { return false };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return false };
    let Some(a) = doc.create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) else { return false };
    a.set_href(&url);
    a.set_download(name);
    if let Some(body) = doc.body() {
        let _ = body.append_child(&a);
    }
    a.click();
    a.remove();
    leptos::prelude::set_timeout(move || { let _ = web_sys::Url::revoke_object_url(&url); }, std::time::Duration::from_secs(30));
    true
}
