//! The browser side of [`crate::store`]: [`KeyValue`] over `window.localStorage`, plus
//! the few browser calls the store needs (clock, time zone, the `storage` event,
//! `navigator.storage.persist()`). wasm32 only.
//!
//! Every call is guarded: reaching `localStorage` can throw (a sandboxed frame, storage
//! disabled, some private modes), and so can each operation. Nothing here panics
//! (unlike gloo-storage's accessors); failures become [`StoreError`]s:
//! - no `window`, no `localStorage`, or it throws → [`StoreError::Unavailable`]
//! - `setItem` throws a `QuotaExceededError` DOMException → [`StoreError::QuotaExceeded`]
//! - a `SecurityError` → `Unavailable`; anything else → [`StoreError::Other`].

use crate::store::{KeyValue, StoreError};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;

    #[wasm_bindgen(js_name = Date)]
    type JsDate;
    #[wasm_bindgen(constructor, js_class = "Date")]
    fn new() -> JsDate;
    #[wasm_bindgen(method, js_class = "Date", js_name = getTimezoneOffset)]
    fn get_timezone_offset(this: &JsDate) -> f64;
}

/// `window.localStorage`, reached once; `None` when it is missing or refused.
pub struct LocalStorage {
    storage: Option<web_sys::Storage>,
}

impl LocalStorage {
    pub fn new() -> LocalStorage {
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        LocalStorage { storage }
    }

    fn storage(&self) -> Result<&web_sys::Storage, StoreError> {
        self.storage.as_ref().ok_or(StoreError::Unavailable)
    }
}

impl Default for LocalStorage {
    fn default() -> Self {
        LocalStorage::new()
    }
}

/// The store's backend for this page: pass to `Store::open(web_storage::local(), …)`.
pub fn local() -> Box<dyn KeyValue> {
    Box::new(LocalStorage::new())
}

/// A JavaScript exception as a store error.
fn js_error(e: JsValue) -> StoreError {
    if let Some(d) = e.dyn_ref::<web_sys::DomException>() {
        let name = d.name();
        // Firefox before 2020 said NS_ERROR_DOM_QUOTA_REACHED (code 1014).
        if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" || d.code() == 22 || d.code() == 1014 {
            return StoreError::QuotaExceeded;
        }
        if name == "SecurityError" || name == "InvalidAccessError" {
            return StoreError::Unavailable;
        }
        return StoreError::Other { message: format!("{name}: {}", d.message()) };
    }
    StoreError::Other { message: e.as_string().unwrap_or_else(|| format!("{e:?}")) }
}

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.storage()?.get_item(key).map_err(js_error)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.storage()?.set_item(key, value).map_err(js_error)
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.storage()?.remove_item(key).map_err(js_error)
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        let s = self.storage()?;
        let n = s.length().map_err(js_error)?;
        let mut keys = Vec::with_capacity(n as usize);
        for i in 0..n {
            if let Some(k) = s.key(i).map_err(js_error)? {
                keys.push(k);
            }
        }
        Ok(keys)
    }
}

/// Unix time in milliseconds (`Date.now()`).
pub fn now_ms() -> i64 {
    date_now() as i64
}

/// Minutes east of UTC now (UTC+8 → 480), for `store::local_date`.
pub fn utc_offset_minutes() -> i32 {
    -(JsDate::new().get_timezone_offset() as i32)
}

/// Calls `f(key)` when another tab changes localStorage (`None`: storage was cleared).
/// Pass the key to `Store::external_change`. The listener lives as long as the page.
pub fn on_storage_change(f: impl Fn(Option<String>) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let cb = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        if let Some(se) = e.dyn_ref::<web_sys::StorageEvent>() {
            f(se.key());
        }
    });
    if window.add_event_listener_with_callback("storage", cb.as_ref().unchecked_ref()).is_ok() {
        cb.forget();
    }
}

/// Asks the browser to keep this site's storage under storage pressure
/// (`navigator.storage.persist()`); call once after the first edit. The answer is not
/// needed: without it the data is merely "best effort", as before.
pub fn request_persistence() {
    let Some(window) = web_sys::window() else { return };
    let manager = window.navigator().storage();
    if manager.is_undefined() || manager.is_null() {
        return;
    }
    let _ = manager.persist();
}
