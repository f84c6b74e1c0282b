//! Passing the page from the results-first page (`viewer.rs`, the first load) to the
//! full app (`scorecard-app`, loaded on the first reach for an editor).
//!
//! The viewer marks the parts of the page that edit with `data-edit`. The first time
//! one is used (pointer, key, focus, paste, a file dragged onto the page), the event is
//! stopped, the control is remembered (as a CSS selector, with "click" or "focus"), and
//! the full app's module is imported (its path: `<meta name="scorecard-app">`, written
//! by scripts/build-extras.sh). Its start ([`take`]) releases the viewer (unmounted:
//! its DOM and effects are gone) and mounts the full app in the same task, so nothing
//! flashes; it restores the handed-over view state (period, language, sort, selected
//! agent) and then [`replay`]s the remembered control, and a dropped file, on the new
//! page. Only plain text crosses between the two modules; both read the workbook from
//! the same storage.

use leptos::wasm_bindgen::prelude::*;
use web_sys::js_sys::Function;

#[wasm_bindgen(inline_js = "
const TYPES = ['pointerdown', 'mousedown', 'click', 'dblclick', 'keydown', 'focusin', 'paste', 'beforeinput', 'input', 'change', 'submit', 'dragover', 'drop'];

function selectorOf(t) {
  const el = t.closest('[id], [data-preset], summary');
  if (!el) return '';
  if (el.id) return '#' + CSS.escape(el.id);
  if (el.dataset.preset) return '[data-preset=\"' + CSS.escape(el.dataset.preset) + '\"]';
  const d = el.closest('details[id]');
  return d ? '#' + CSS.escape(d.id) + ' > summary' : '';
}

export function load_app() {
  const meta = document.querySelector('meta[name=\"scorecard-app\"]');
  if (!meta) return Promise.reject(new Error('no <meta name=scorecard-app> in the page'));
  return import(new URL(meta.content, document.baseURI).href).then((m) => m.default());
}

export function watch_edits(state_of, release, failed) {
  let started = false;
  const root = document.documentElement;
  const stop = () => { for (const ty of TYPES) document.removeEventListener(ty, on, true); };
  function on(ev) {
    const t = ev.target instanceof Element ? ev.target : null;
    const file = ev.type === 'dragover' || ev.type === 'drop';
    if (!file && !(t && t.closest('[data-edit]'))) return;
    if (ev.type !== 'focusin') { ev.preventDefault(); ev.stopPropagation(); }
    const h = globalThis.__scorecardHandoff;
    if (ev.type === 'drop' && h) h.pending.files = Array.from(ev.dataTransfer ? ev.dataTransfer.files : []);
    if (started) return;
    started = true;
    const field = t && t.matches('input:not([type=file]), select, textarea');
    const pending = { sel: t && !file ? selectorOf(t) : '', act: field || ev.type === 'focusin' ? 'focus' : 'click', files: [] };
    if (ev.type === 'drop') pending.files = Array.from(ev.dataTransfer ? ev.dataTransfer.files : []);
    root.dataset.loading = '1';
    globalThis.__scorecardHandoff = { state: state_of(), pending, release: () => { stop(); delete root.dataset.loading; release(); } };
    load_app().catch(() => {
      started = false;
      delete root.dataset.loading;
      delete globalThis.__scorecardHandoff;
      failed();
    });
  }
  for (const ty of TYPES) document.addEventListener(ty, on, true);
}

export function take_handoff() {
  const h = globalThis.__scorecardHandoff;
  if (!h) return undefined;
  delete globalThis.__scorecardHandoff;
  globalThis.__scorecardReplay = h.pending;
  h.release();
  return h.state;
}

export function replay() {
  const p = globalThis.__scorecardReplay;
  delete globalThis.__scorecardReplay;
  if (!p) return;
  const el = p.sel ? document.querySelector(p.sel) : null;
  if (el) {
    if (p.act === 'focus') { el.focus(); if (el.select) el.select(); } else { el.click(); }
  }
  const app = document.querySelector('.app');
  if (app && p.files.length) {
    const dt = new DataTransfer();
    for (const f of p.files) dt.items.add(f);
    app.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }
}")]
extern "C" {
    /// Imports the full app's module and runs it (it takes the page over).
    #[wasm_bindgen(catch)]
    async fn load_app() -> Result<JsValue, JsValue>;
    /// Viewer: stop the first use of a `[data-edit]` control (or a file dragged in) and
    /// load the full app; `state_of()` gives the view state to hand over, `release()` is
    /// called by the full app just before it mounts, `failed()` when loading failed (the
    /// next use tries again).
    fn watch_edits(state_of: &Function, release: &Function, failed: &Function);
    /// Full app: the handed-over view state (the viewer is released), if any.
    fn take_handoff() -> Option<String>;
    /// Full app, once mounted: uses the remembered control again (focus or click) and
    /// drops the remembered files onto the page.
    pub fn replay();
}

#[cfg_attr(not(feature = "viewer"), allow(dead_code))]
/// Loads the full app now (the viewer cannot show this page). `Err`: it failed to load.
pub async fn load_now() -> Result<(), ()> {
    load_app().await.map(|_| ()).map_err(|_| ())
}

#[cfg_attr(not(feature = "viewer"), allow(dead_code))]
/// See [`watch_edits`] (the closures live as long as the page).
pub fn watch(state_of: impl Fn() -> String + 'static, release: impl FnMut() + 'static, failed: impl Fn() + 'static) {
    let state_of = Closure::<dyn Fn() -> String>::new(state_of).into_js_value();
    let release = Closure::<dyn FnMut()>::new(release).into_js_value();
    let failed = Closure::<dyn Fn()>::new(failed).into_js_value();
    watch_edits(state_of.unchecked_ref(), release.unchecked_ref(), failed.unchecked_ref());
}

/// The view state handed from the viewer to the full app.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub period: String,
    pub lang: String,
    /// The results table's sort: the column's id (`Column::id`) and `asc` / `desc`.
    pub sort: String,
    pub dir: String,
    /// The agent whose explanation is open.
    pub agent: String,
    /// "Show all rows" was chosen.
    pub all: bool,
}

impl State {
    /// As a query string (`period=2026-10&lang=en…`).
    pub fn encode(&self) -> String {
        let Ok(q) = web_sys::UrlSearchParams::new() else { return String::new() };
        for (k, v) in [("period", &self.period), ("lang", &self.lang), ("sort", &self.sort), ("dir", &self.dir), ("agent", &self.agent)] {
            if !v.is_empty() {
                q.append(k, v);
            }
        }
        if self.all {
            q.append("all", "1");
        }
        q.to_string().into()
    }

    fn decode(text: &str) -> State {
        let Ok(q) = web_sys::UrlSearchParams::new_with_str(text) else { return State::default() };
        let get = |k: &str| q.get(k).unwrap_or_default();
        State { period: get("period"), lang: get("lang"), sort: get("sort"), dir: get("dir"), agent: get("agent"), all: q.has("all") }
    }
}

/// Full app: the state the viewer handed over (the viewer is unmounted now), or `None`
/// on a page that started without a viewer.
pub fn take() -> Option<State> {
    take_handoff().map(|s| State::decode(&s))
}
