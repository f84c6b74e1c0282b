//! Keeping work safe: autosave into a key-value store (the browser's localStorage on the
//! web, [`MemoryKv`] in tests and when storage is refused), several workbooks with a
//! trash for undo, backups of damaged stored data, the "another tab saved newer data"
//! check, and import (preview, then open as new or replace) and export.
//!
//! Plain Rust with no web types: the web adapter is `web_storage` (wasm32 only).
//!
//! # Keys
//! - `kpi-scorecard.index` — the list: `{ "format": "kpi-scorecard-index", "version": 1,
//!   "current": id, "lang": "zh-CN", "workbooks": [{id, title, changed_ms}],
//!   "trash": [{id, title, deleted_ms, replaced?}] }`. Changed read-modify-write, so two
//!   tabs adding workbooks both keep theirs.
//! - `kpi-scorecard.wb.<id>` — one workbook in its envelope: `{ "format":
//!   "kpi-scorecard-store", "version": 1, "save_counter": N, "saved_at": ISO time,
//!   "workbook": <the workbook, as in a file>, "ui": { "period", "baseline", "view" } }`.
//! - `kpi-scorecard.backup.<key>.<n>` — the raw text of stored data that did not parse,
//!   copied there before anything could overwrite it.
//!
//! # Two tabs
//! Every write of a workbook key increases its `save_counter`. A tab remembers the
//! counter it last read or wrote per workbook; when the stored counter is higher, some
//! other tab saved since, and [`Store::save`] refuses with
//! [`StoreError::NewerElsewhere`] instead of overwriting it. The UI offers to reload
//! ([`Store::open_doc`]), to keep both ([`Store::save_as_new`]) or to overwrite
//! ([`Store::save_over`]). Saving content identical to what was last read or written
//! writes nothing, so a flush on `pagehide` in an idle tab does not bump the counter.
//!
//! Nothing here panics on any stored text or any file.
//!
//! # Use from the UI
//! ```ignore
//! let now = web_storage::now_ms;
//! // Start: never fails; problems come back as notices.
//! let (mut store, opened) = Store::open(web_storage::local(), now());
//! let mut doc = opened.doc;                       // workbook + period + baseline + view
//! let lang = opened.lang.unwrap_or(browser_lang);
//! for n in &opened.notices { show(n.message(lang), n.download()) }   // + download button
//! if !store.is_persistent() { banner(StoreError::Unavailable.message(lang)) }
//! // After each edit (debounced SAVE_DEBOUNCE_MS), on `pagehide` and when hidden:
//! match store.save(&doc, now()) {
//!     Ok(_) => clear_warning(),
//!     Err(e @ StoreError::QuotaExceeded) => warn_until_next_success(e.message(lang)),
//!     Err(StoreError::NewerElsewhere { .. }) => ask_reload_or_keep_both(),
//!         // reload: doc = store.open_doc(&doc.id)?; keep both: doc = store.save_as_new(&doc, now())?
//!     Err(e) => warn(e.message(lang)),
//! }
//! for n in store.take_notices() { show(n.message(lang), n.download()) }
//! // Another tab: web_storage::on_storage_change(|key| match store.external_change(key.as_deref(), &doc.id) { … })
//! // Import: let p = store::preview(&text)?;  then store.open_as_new(&p.workbook, now()) or
//! //         store.replace_current(&doc, &p.workbook, now()) → Replaced { doc, undo }; undo: store.restore(&undo, now())
//! // Export: store::export_json(&doc.workbook, lang), export_file_name(title, &local_date(now(), offset), false)
//! ```

use crate::engine;
use crate::explain;
use crate::i18n::Lang;
use crate::model::{Workbook, VERSION};
use crate::presets;
use crate::report::{self, ResultsDoc};
use crate::results::{PeriodResults, Results};
use crate::validate::{self, Issue};
use crate::workbook::{self, LoadError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use crate::read::{read_object, Read};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// Every key this app writes starts with this.
pub const KEY_PREFIX: &str = "kpi-scorecard.";
/// The key of the list of workbooks.
pub const INDEX_KEY: &str = "kpi-scorecard.index";
/// Written and removed once at start to find out whether storage accepts writes.
pub const PROBE_KEY: &str = "kpi-scorecard.probe";
/// `format` of a stored workbook envelope.
pub const STORE_FORMAT: &str = "kpi-scorecard-store";
/// `format` of the index.
pub const INDEX_FORMAT: &str = "kpi-scorecard-index";
/// The envelope and index version this build writes.
pub const STORE_VERSION: u64 = 1;
/// How long deleted (and replaced) workbooks stay in the trash.
pub const TRASH_KEEP_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// At most this many trash entries are kept (the oldest go first).
pub const TRASH_MAX: usize = 20;
/// The autosave delay after the last change the UI should use.
pub const SAVE_DEBOUNCE_MS: u32 = 300;

/// The key a workbook is stored under.
pub fn workbook_key(id: &str) -> String {
    format!("{KEY_PREFIX}wb.{id}")
}

/// The key of the `n`th backup of the damaged text of `key`.
pub fn backup_key(key: &str, n: u32) -> String {
    format!("{KEY_PREFIX}backup.{key}.{n}")
}

// ---------------------------------------------------------------------------------
// The key-value store
// ---------------------------------------------------------------------------------

/// A string key-value store: localStorage's four operations, each allowed to fail.
/// Methods take `&self` (localStorage is shared by nature; [`MemoryKv`] uses a cell).
pub trait KeyValue {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&self, key: &str) -> Result<(), StoreError>;
    fn keys(&self) -> Result<Vec<String>, StoreError>;
}

/// An in-memory store: the fallback when localStorage is refused, and the test double.
/// Clones share the same data (two [`Store`]s over clones behave like two tabs).
/// Test switches: a quota in characters (keys + values, like browsers count), and
/// "unavailable" (every call fails as when storage is disabled).
#[derive(Debug, Clone, Default)]
pub struct MemoryKv(Rc<RefCell<MemoryInner>>);

#[derive(Debug, Default)]
struct MemoryInner {
    entries: BTreeMap<String, String>,
    quota_chars: Option<usize>,
    unavailable: bool,
}

impl MemoryKv {
    pub fn new() -> MemoryKv {
        MemoryKv::default()
    }

    /// Limits the total size (characters of keys and values); `None` = unlimited.
    pub fn set_quota(&self, chars: Option<usize>) {
        self.0.borrow_mut().quota_chars = chars;
    }

    /// Makes every call fail with [`StoreError::Unavailable`] (or work again).
    pub fn set_unavailable(&self, unavailable: bool) {
        self.0.borrow_mut().unavailable = unavailable;
    }

    /// Characters in use (keys and values).
    pub fn used_chars(&self) -> usize {
        self.0.borrow().entries.iter().map(|(k, v)| k.chars().count() + v.chars().count()).sum()
    }

    /// A copy of everything stored.
    pub fn snapshot(&self) -> BTreeMap<String, String> {
        self.0.borrow().entries.clone()
    }
}

impl KeyValue for MemoryKv {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        let inner = self.0.borrow();
        if inner.unavailable {
            return Err(StoreError::Unavailable);
        }
        Ok(inner.entries.get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let mut inner = self.0.borrow_mut();
        if inner.unavailable {
            return Err(StoreError::Unavailable);
        }
        if let Some(quota) = inner.quota_chars {
            let used: usize = inner.entries.iter().filter(|(k, _)| k.as_str() != key).map(|(k, v)| k.chars().count() + v.chars().count()).sum();
            if used + key.chars().count() + value.chars().count() > quota {
                return Err(StoreError::QuotaExceeded);
            }
        }
        inner.entries.insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        let mut inner = self.0.borrow_mut();
        if inner.unavailable {
            return Err(StoreError::Unavailable);
        }
        inner.entries.remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        let inner = self.0.borrow();
        if inner.unavailable {
            return Err(StoreError::Unavailable);
        }
        Ok(inner.entries.keys().cloned().collect())
    }
}

// ---------------------------------------------------------------------------------
// Errors and notices
// ---------------------------------------------------------------------------------

/// Why a storage operation did not happen. Nothing in memory is lost in any case.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// localStorage is missing or refused (private mode, disabled, sandboxed frame).
    /// The store switches to memory; the UI shows a notice and suggests exporting.
    Unavailable,
    /// The browser's storage quota is full. A persistent warning; suggest exporting.
    QuotaExceeded,
    /// The stored data at `key` does not parse. Its text was copied to `backup_key`
    /// (`None`: the copy failed too, so the key is left untouched).
    Corrupt { key: String, backup_key: Option<String> },
    /// Another tab saved this workbook since this tab read it (its counter is `counter`).
    NewerElsewhere { counter: u64 },
    /// The stored data was written by a newer version of the app; it is left untouched.
    NewerFormat { key: String, version: u64 },
    /// No workbook or trash entry with this id.
    NotFound { id: String },
    /// A built-in template did not load (a shipped file is broken).
    Template { id: String, error: LoadError },
    /// Any other failure the browser reported.
    Other { message: String },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

fn l(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

impl StoreError {
    /// What happened and what to do, in the interface language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StoreError::Unavailable => l(
                lang,
                "浏览器不允许本地保存（可能是隐私模式或已禁用存储）。数据只保存在当前页面中，关闭前请导出文件。".into(),
                "This browser does not allow saving here (private mode or storage disabled). Your work is kept in this page only: export it before closing.".into(),
            ),
            StoreError::QuotaExceeded => l(
                lang,
                "浏览器存储空间已满，最新的修改没有保存（页面中的数据仍在）。请导出文件，或删除不需要的计分卡。".into(),
                "The browser's storage is full: the latest changes are not saved (they are still on this page). Export the workbook, or delete workbooks you no longer need.".into(),
            ),
            StoreError::Corrupt { key, backup_key: Some(b) } => l(
                lang,
                format!("保存的数据（{key}）已损坏，无法读取；原文已备份到 {b}，可以下载。"),
                format!("The saved data ({key}) is damaged and cannot be read; its text was kept as {b} and can be downloaded."),
            ),
            StoreError::Corrupt { key, backup_key: None } => l(
                lang,
                format!("保存的数据（{key}）已损坏，无法读取；存储已满，无法备份，原数据保持不动，可以下载。"),
                format!("The saved data ({key}) is damaged and cannot be read; storage is too full to back it up, so it is left untouched. You can download it."),
            ),
            StoreError::NewerElsewhere { .. } => l(
                lang,
                "另一个标签页保存了更新的数据。为避免覆盖，本页的修改暂未保存：可以重新载入，或另存为新的计分卡。".into(),
                "Another tab saved newer data. So as not to overwrite it, this page's changes are not saved yet: reload, or save them as a new workbook.".into(),
            ),
            StoreError::NewerFormat { version, .. } => l(
                lang,
                format!("保存的数据由更新版本的程序写入（版本 {version}），本页不会改动它。请刷新页面以使用新版本。"),
                format!("The saved data was written by a newer version of the app (version {version}); this page leaves it alone. Reload the page to use the new version."),
            ),
            StoreError::NotFound { id } => l(lang, format!("找不到计分卡“{id}”"), format!("there is no workbook “{id}”")),
            StoreError::Template { id, error } => l(
                lang,
                format!("模板“{id}”无法打开：{}", explain::load_error(error, lang)),
                format!("the template “{id}” cannot be opened: {}", explain::load_error(error, lang)),
            ),
            StoreError::Other { message } => l(lang, format!("保存失败：{message}"), format!("saving failed: {message}")),
        }
    }
}

/// Something the user should know about, collected while opening or working.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Storage is refused: everything works in memory only. Show until the page closes.
    Unavailable,
    /// Storage is full (found at start or on a save). Show until a save succeeds.
    QuotaExceeded,
    /// Stored data did not parse. `raw` is its text (offer it for download: see
    /// [`Notice::download`]); it was copied to `backup_key` (`None`: the copy failed and
    /// the key is left untouched).
    Corrupt { key: String, backup_key: Option<String>, error: String, raw: String },
    /// Stored data written by a newer version of the app; left untouched.
    NewerFormat { key: String, version: u64 },
    /// The list of workbooks was damaged and was rebuilt from the stored workbooks.
    IndexRebuilt,
    /// The pinned baseline or the view settings could not be read and were dropped.
    UiStateDropped { key: String },
}

impl Notice {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Notice::Unavailable => StoreError::Unavailable.message(lang),
            Notice::QuotaExceeded => StoreError::QuotaExceeded.message(lang),
            Notice::Corrupt { key, backup_key, .. } => StoreError::Corrupt { key: key.clone(), backup_key: backup_key.clone() }.message(lang),
            Notice::NewerFormat { key, version } => StoreError::NewerFormat { key: key.clone(), version: *version }.message(lang),
            Notice::IndexRebuilt => l(lang, "计分卡列表已损坏，已根据保存的计分卡重建。".into(), "The list of workbooks was damaged and has been rebuilt from the saved workbooks.".into()),
            Notice::UiStateDropped { .. } => l(lang, "保存的基准或视图设置无法读取，已忽略。".into(), "The saved baseline or view settings could not be read and were dropped.".into()),
        }
    }

    /// For damaged data: a file name and the text to offer for download.
    pub fn download(&self) -> Option<(String, &str)> {
        match self {
            Notice::Corrupt { key, raw, .. } => Some((format!("{}-damaged.json", sanitize_file_stem(key)), raw.as_str())),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------
// What is stored
// ---------------------------------------------------------------------------------

/// An open workbook: its storage id, the workbook, and this workbook's view state.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub id: String,
    pub workbook: Workbook,
    pub ui: UiState,
}

/// What a reload restores besides the workbook (the language is app-wide: see
/// [`Store::lang`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct UiState {
    /// The chosen period's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The pinned baseline for "trying out" (Δ total, Δ rank, Δ bonus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// Free-form view settings the UI wants back (selected tab, sort column …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub view: BTreeMap<String, String>,
}

/// The results of one period as they were when the user pinned them, to show every
/// agent's Δ total, Δ rank and Δ bonus while trying out changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    /// ISO time of pinning (UTC).
    #[serde(default)]
    pub pinned_at: String,
    pub period: String,
    #[serde(default)]
    pub agents: Vec<PinnedAgent>,
}

/// One agent's pinned result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PinnedAgent {
    pub agent: String,
    pub total: f64,
    pub rank: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    pub bonus: Decimal,
}

impl Baseline {
    /// Pins a period's results.
    pub fn pin(results: &PeriodResults, now_ms: i64) -> Baseline {
        Baseline {
            pinned_at: iso_utc(now_ms),
            period: results.period.clone(),
            agents: results.agents().map(|a| PinnedAgent { agent: a.agent.to_string(), total: a.total, rank: a.rank, grade: a.grade.map(String::from), bonus: a.bonus }).collect(),
        }
    }

    pub fn agent(&self, id: &str) -> Option<&PinnedAgent> {
        self.agents.iter().find(|a| a.agent == id)
    }
}

/// A line of the list of workbooks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// Unix time in ms of the last save.
    pub changed_ms: i64,
}

/// A deleted workbook (or the content an import replaced), kept for undo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrashEntry {
    /// The storage id of the kept copy (pass it to [`Store::restore`]).
    pub id: String,
    pub title: String,
    pub deleted_ms: i64,
    /// Set when this is what workbook `replaced` held before an import replaced it:
    /// restoring puts it back into that workbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct Index {
    format: String,
    version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    current: Option<String>,
    /// The interface language tag (`zh-CN`, `en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    #[serde(default)]
    workbooks: Vec<Entry>,
    #[serde(default)]
    trash: Vec<TrashEntry>,
}

impl Index {
    fn empty() -> Index {
        Index { format: INDEX_FORMAT.into(), version: STORE_VERSION, current: None, lang: None, workbooks: Vec::new(), trash: Vec::new() }
    }

    fn touch(&mut self, id: &str, title: &str, now_ms: i64) {
        self.trash.retain(|t| t.id != id);
        match self.workbooks.iter_mut().find(|e| e.id == id) {
            Some(e) => {
                e.title = title.to_string();
                e.changed_ms = now_ms;
            }
            None => self.workbooks.push(Entry { id: id.to_string(), title: title.to_string(), changed_ms: now_ms }),
        }
    }
}

/// The envelope's header, read without building the workbook.
#[derive(Deserialize)]
struct Header {
    format: String,
    version: u64,
    #[serde(default)]
    save_counter: u64,
}




struct UiIn {
    period: Option<String>,
    baseline: Option<Value>,
    view: BTreeMap<String, String>,
}

// Reading the stored JSON by hand (`read.rs`: smaller WebAssembly than serde's derive,
// and the results-first page reads storage with it). Unknown keys are ignored, as
// serde's derive did, so a later version's extra fields do not make data unreadable.
read_object!(lenient Header { format: need, version: need, save_counter: or(0) });
read_object!(lenient UiIn { period: opt, baseline: opt, view: or(BTreeMap::new()) });
read_object!(lenient Baseline { pinned_at: or(String::new()), period: need, agents: or(Vec::new()) });
read_object!(lenient PinnedAgent { agent: need, total: need, rank: need, grade: opt, bonus: need });
read_object!(lenient Index { format: need, version: need, current: opt, lang: opt, workbooks: or(Vec::new()), trash: or(Vec::new()) });
read_object!(lenient Entry { id: need, title: need, changed_ms: need });
read_object!(lenient TrashEntry { id: need, title: need, deleted_ms: need, replaced: opt });

/// The envelope text and the hash of its content (workbook + ui, not counter or time).
fn envelope(doc: &Doc, counter: u64, now_ms: i64) -> (String, u64) {
    let (wb, ui, hash) = content(doc);
    let text = format!(
        "{{\"format\":\"{STORE_FORMAT}\",\"version\":{STORE_VERSION},\"save_counter\":{counter},\"saved_at\":\"{}\",\"workbook\":{wb},\"ui\":{ui}}}",
        iso_utc(now_ms)
    );
    (text, hash)
}

fn content(doc: &Doc) -> (String, String, u64) {
    // Serialising plain data with string keys cannot fail.
    let wb = workbook::write_json(&doc.workbook, false);
    let ui = workbook::write_json(&doc.ui, false);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    wb.hash(&mut h);
    ui.hash(&mut h);
    (wb, ui, h.finish())
}

enum Decoded {
    Doc { workbook: Box<Workbook>, ui: UiState, counter: u64, ui_dropped: bool },
    Newer { version: u64 },
    Damaged { error: String },
}

fn decode(text: &str) -> Decoded {
    let mut v: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Decoded::Damaged { error: e.to_string() },
    };
    let env = match Header::read(&v) {
        Ok(h) => h,
        Err(e) => return Decoded::Damaged { error: e.to_string() },
    };
    if env.format != STORE_FORMAT {
        return Decoded::Damaged { error: format!("format is {:?}", env.format) };
    }
    if env.version > STORE_VERSION {
        return Decoded::Newer { version: env.version };
    }
    if env.version == 0 {
        return Decoded::Damaged { error: "version 0".into() };
    }
    // The workbook and the view state are taken out of the parsed text, not copied.
    let (workbook, ui) = v.as_object_mut().map(|o| (o.remove("workbook"), o.remove("ui"))).unwrap_or_default();
    let Some(workbook) = workbook.filter(|w| !w.is_null()) else { return Decoded::Damaged { error: "no workbook".into() } };
    let workbook = match workbook::from_value(workbook) {
        Ok(wb) => wb,
        Err(LoadError::Newer { version }) => return Decoded::Newer { version },
        Err(e) => return Decoded::Damaged { error: explain::load_error(&e, Lang::En) },
    };
    let (ui, ui_dropped) = decode_ui(ui.unwrap_or_default());
    Decoded::Doc { workbook: Box::new(workbook), ui, counter: env.save_counter, ui_dropped }
}

/// The view state; what cannot be read is dropped (reported), never fatal.
pub(crate) fn decode_ui(v: Value) -> (UiState, bool) {
    if v.is_null() {
        return (UiState::default(), false);
    }
    let Ok(raw) = UiIn::read(&v) else { return (UiState::default(), true) };
    let mut dropped = false;
    let baseline = raw.baseline.filter(|b| !b.is_null()).and_then(|b| match Baseline::read(&b) {
        Ok(b) => Some(b),
        Err(_) => {
            dropped = true;
            None
        }
    });
    (UiState { period: raw.period, baseline, view: raw.view }, dropped)
}

// ---------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------

/// What [`Store::peek`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Peek {
    /// Nothing stored yet: the first open shows the default template.
    Fresh,
    /// The current workbook, read cleanly.
    Doc(Doc),
}

/// What [`Store::open`] found: the workbook to show, the remembered language, notices.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub doc: Doc,
    pub lang: Option<Lang>,
    pub notices: Vec<Notice>,
}

/// How a save ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Written,
    /// Identical to what was last read or written: nothing written.
    Unchanged,
}

/// What a `storage` event from another tab means for this tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum External {
    /// The open workbook was saved by another tab: offer to reload.
    NewerElsewhere { counter: u64 },
    /// The open workbook's key was removed elsewhere (deleted in another tab, or the
    /// storage cleared). The next save writes it back.
    Removed,
    /// The list (or the language) changed: refresh the list.
    ListChanged,
}

/// The result of [`Store::replace_current`]: the new content and how to undo.
#[derive(Debug, Clone, PartialEq)]
pub struct Replaced {
    pub doc: Doc,
    /// The trash id of the replaced content: [`Store::restore`] undoes the replace.
    pub undo: String,
}

/// The storage session of one tab. Holds no workbook: the UI owns the open [`Doc`].
pub struct Store {
    kv: Box<dyn KeyValue>,
    persistent: bool,
    /// Per workbook id: the save counter this tab last read or wrote.
    known: HashMap<String, u64>,
    /// Per workbook id: the content hash last read or written.
    written: HashMap<String, u64>,
    /// Keys holding damaged data that could not be backed up, or data of a newer
    /// version: never written; the error says why.
    protected: HashMap<String, StoreError>,
    notices: Vec<Notice>,
}

impl Store {
    /// Opens storage at start: checks that it works (else memory only), reads the list,
    /// empties old trash, and opens the current workbook — or the next one that reads,
    /// or a new one from the default template. Never fails: problems become notices.
    pub fn open(kv: Box<dyn KeyValue>, now_ms: i64) -> (Store, Opened) {
        let mut s = Store { kv, persistent: true, known: HashMap::new(), written: HashMap::new(), protected: HashMap::new(), notices: Vec::new() };
        match s.kv.set(PROBE_KEY, "1") {
            Ok(()) => {
                let _ = s.kv.remove(PROBE_KEY);
            }
            Err(StoreError::QuotaExceeded) => s.notices.push(Notice::QuotaExceeded),
            Err(_) => s.go_memory(),
        }
        let mut index = match s.read_index() {
            Ok(i) => i,
            Err(StoreError::NewerFormat { key, version }) => {
                // A newer app owns this storage: leave all of it alone.
                s.notices.push(Notice::NewerFormat { key, version });
                s.go_memory_quietly();
                Index::empty()
            }
            Err(_) => {
                s.go_memory();
                Index::empty()
            }
        };
        s.purge_trash(&mut index, now_ms);

        let mut order: Vec<String> = Vec::new();
        if let Some(c) = index.current.clone() {
            if index.workbooks.iter().any(|e| e.id == c) {
                order.push(c);
            }
        }
        let mut rest = index.workbooks.clone();
        crate::sort::sort_by_key(&mut rest, |e| std::cmp::Reverse(e.changed_ms));
        order.extend(rest.into_iter().map(|e| e.id).filter(|id| Some(id) != index.current.as_ref()));

        let mut doc = None;
        for id in order {
            match s.load(&id) {
                Ok(Some(d)) => {
                    doc = Some(d);
                    break;
                }
                // Missing, or damaged and safely backed up: drop it from the list.
                Ok(None) if !s.protected.contains_key(&workbook_key(&id)) => index.workbooks.retain(|e| e.id != id),
                Ok(None) => {}
                Err(_) => break,
            }
        }
        let (doc, fresh) = match doc {
            Some(d) => (d, false),
            None => (s.template_doc(presets::DEFAULT, &index, now_ms), true),
        };
        index.current = Some(doc.id.clone());
        if !index.workbooks.iter().any(|e| e.id == doc.id) {
            index.touch(&doc.id, &doc.workbook.meta.title, now_ms);
        }
        let lang = index.lang.as_deref().and_then(Lang::from_tag);
        let _ = s.write_index(&index);
        if fresh {
            if let Err(e) = s.save(&doc, now_ms) {
                s.note_error(&e);
            }
        }
        let notices = s.take_notices();
        (s, Opened { doc, lang, notices })
    }

    /// What the results-first page (`ui/viewer.rs`) may show without writing anything:
    /// the current workbook when storage holds one that reads cleanly, or the default
    /// template when this app has stored nothing yet. `None` for everything else
    /// (storage refused, damaged or newer data, a list whose current workbook is
    /// missing …): only [`Store::open`] deals with those (and empties old trash), so the
    /// page then starts the full app at once. Never writes; the full app's
    /// [`Store::open`] later reads the same workbook.
    pub fn peek(kv: &dyn KeyValue) -> Option<Peek> {
        let Some(text) = kv.get(INDEX_KEY).ok()? else {
            // Workbooks or backups without a list: open rebuilds the list.
            let (wb, backup) = (workbook_key(""), format!("{KEY_PREFIX}backup."));
            let keys = kv.keys().ok()?;
            let data = keys.iter().any(|k| k.starts_with(&wb) || k.starts_with(&backup));
            return (!data).then_some(Peek::Fresh);
        };
        let index = serde_json::from_str::<Value>(&text).ok().and_then(|v| Index::read(&v).ok())?;
        if index.format != INDEX_FORMAT || index.version == 0 || index.version > STORE_VERSION {
            return None;
        }
        let id = index.current.filter(|c| index.workbooks.iter().any(|e| &e.id == c))?;
        let text = kv.get(&workbook_key(&id)).ok()??;
        match decode(&text) {
            Decoded::Doc { workbook, ui, ui_dropped: false, .. } => Some(Peek::Doc(Doc { id, workbook: *workbook, ui })),
            _ => None,
        }
    }

    /// Whether work is being saved in the browser (false: memory only, show a notice).
    pub fn is_persistent(&self) -> bool {
        self.persistent
    }

    /// Notices collected since the last call (damaged data found, storage lost …).
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// Autosave: writes the workbook and its view state if they changed since last read
    /// or written. Refuses with [`StoreError::NewerElsewhere`] when another tab saved
    /// this workbook meanwhile. If storage disappears, switches to memory and saves there
    /// (a [`Notice::Unavailable`] is queued).
    pub fn save(&mut self, doc: &Doc, now_ms: i64) -> Result<Saved, StoreError> {
        self.save_inner(doc, now_ms, false)
    }

    /// Saves even though another tab saved newer data (the user chose "keep mine").
    pub fn save_over(&mut self, doc: &Doc, now_ms: i64) -> Result<Saved, StoreError> {
        self.save_inner(doc, now_ms, true)
    }

    fn save_inner(&mut self, doc: &Doc, now_ms: i64, force: bool) -> Result<Saved, StoreError> {
        let first = self.save_once(doc, now_ms, force);
        match first {
            // Storage went away mid-session: save into memory instead.
            Err(StoreError::Unavailable) if !self.persistent => self.save_once(doc, now_ms, force),
            other => other,
        }
    }

    fn save_once(&mut self, doc: &Doc, now_ms: i64, force: bool) -> Result<Saved, StoreError> {
        let key = workbook_key(&doc.id);
        if let Some(e) = self.protected.get(&key) {
            return Err(e.clone());
        }
        let (_, _, hash) = content(doc);
        let known = self.known.get(&doc.id).copied().unwrap_or(0);
        if !force && self.written.get(&doc.id) == Some(&hash) && self.stored_counter(&key)? == Some(known) {
            return Ok(Saved::Unchanged);
        }
        let stored = match self.get(&key)? {
            None => 0,
            Some(text) => match serde_json::from_str::<Header>(&text) {
                Ok(h) if h.format == STORE_FORMAT && h.version > STORE_VERSION => {
                    return Err(StoreError::NewerFormat { key, version: h.version });
                }
                Ok(h) if h.format == STORE_FORMAT => {
                    if !force && h.save_counter > known {
                        return Err(StoreError::NewerElsewhere { counter: h.save_counter });
                    }
                    h.save_counter
                }
                // Damaged (or not ours): keep a copy before overwriting it.
                _ => {
                    if let Err(e) = self.backup(&key, &text) {
                        self.protected.insert(key.clone(), StoreError::Corrupt { key: key.clone(), backup_key: None });
                        return Err(e);
                    }
                    0
                }
            },
        };
        let counter = stored.max(known) + 1;
        let (text, hash) = envelope(doc, counter, now_ms);
        self.set_making_room(&key, &text, now_ms)?;
        self.known.insert(doc.id.clone(), counter);
        self.written.insert(doc.id.clone(), hash);
        // The list shows the title and the time; a failure here loses no data.
        let mut index = self.read_index()?;
        index.touch(&doc.id, &doc.workbook.meta.title, now_ms);
        self.write_index(&index)?;
        Ok(Saved::Written)
    }

    /// The counter stored at `key` (None: missing or unreadable header).
    fn stored_counter(&mut self, key: &str) -> Result<Option<u64>, StoreError> {
        Ok(self.get(key)?.and_then(|t| serde_json::from_str::<Header>(&t).ok()).filter(|h| h.format == STORE_FORMAT).map(|h| h.save_counter))
    }

    /// Call on the window's `storage` event with its key (None when storage was cleared).
    pub fn external_change(&mut self, key: Option<&str>, open_id: &str) -> Option<External> {
        let wb_key = workbook_key(open_id);
        match key {
            Some(k) if k == INDEX_KEY => Some(External::ListChanged),
            Some(k) if k != wb_key => None,
            _ => {
                let known = self.known.get(open_id).copied().unwrap_or(0);
                match self.kv.get(&wb_key) {
                    Ok(None) if known > 0 => Some(External::Removed),
                    Ok(Some(text)) => match serde_json::from_str::<Header>(&text) {
                        Ok(h) if h.save_counter > known => Some(External::NewerElsewhere { counter: h.save_counter }),
                        _ => None,
                    },
                    _ => None,
                }
            }
        }
    }

    /// Opens a stored workbook (switching to it, or reloading after another tab saved).
    pub fn open_doc(&mut self, id: &str) -> Result<Doc, StoreError> {
        let key = workbook_key(id);
        let before = self.notices.len();
        match self.load(id)? {
            Some(doc) => {
                let mut index = self.read_index()?;
                index.current = Some(id.to_string());
                self.write_index(&index)?;
                Ok(doc)
            }
            None => {
                let found = self.notices[before..].iter().find_map(|n| match n {
                    Notice::Corrupt { backup_key, .. } => Some(StoreError::Corrupt { key: key.clone(), backup_key: backup_key.clone() }),
                    Notice::NewerFormat { version, .. } => Some(StoreError::NewerFormat { key: key.clone(), version: *version }),
                    _ => None,
                });
                if let Some(StoreError::Corrupt { backup_key: Some(_), .. }) = &found {
                    let mut index = self.read_index()?;
                    index.workbooks.retain(|e| e.id != id);
                    self.write_index(&index)?;
                }
                Err(found.unwrap_or(StoreError::NotFound { id: id.to_string() }))
            }
        }
    }

    /// The workbooks, most recently changed first.
    pub fn list(&mut self) -> Vec<Entry> {
        let mut v = self.read_index().map(|i| i.workbooks).unwrap_or_default();
        crate::sort::sort_by_key(&mut v, |e| std::cmp::Reverse(e.changed_ms));
        v
    }

    /// The trash, most recently deleted first.
    pub fn trash(&mut self) -> Vec<TrashEntry> {
        let mut v = self.read_index().map(|i| i.trash).unwrap_or_default();
        crate::sort::sort_by_key(&mut v, |e| std::cmp::Reverse(e.deleted_ms));
        v
    }

    /// The remembered interface language.
    pub fn lang(&mut self) -> Option<Lang> {
        self.read_index().ok().and_then(|i| i.lang).as_deref().and_then(Lang::from_tag)
    }

    pub fn set_lang(&mut self, lang: Lang) -> Result<(), StoreError> {
        let mut index = self.read_index()?;
        index.lang = Some(lang.tag().to_string());
        self.write_index(&index)
    }

    /// A new workbook from a built-in template (`presets::PRESETS` ids); it becomes current.
    pub fn create(&mut self, template: &str, now_ms: i64) -> Result<Doc, StoreError> {
        let workbook = match presets::load(template) {
            None => return Err(StoreError::NotFound { id: template.to_string() }),
            Some(Err(error)) => return Err(StoreError::Template { id: template.to_string(), error }),
            Some(Ok(wb)) => wb,
        };
        self.save_as_new(&Doc { id: String::new(), workbook, ui: UiState::default() }, now_ms)
    }

    /// Stores a copy of `doc` under a new id and makes it current (also: "keep both"
    /// after [`StoreError::NewerElsewhere`]).
    pub fn save_as_new(&mut self, doc: &Doc, now_ms: i64) -> Result<Doc, StoreError> {
        let index = self.read_index()?;
        let id = self.new_id(&index, now_ms);
        let doc = Doc { id, ..doc.clone() };
        self.save(&doc, now_ms)?;
        let mut index = self.read_index()?;
        index.current = Some(doc.id.clone());
        self.write_index(&index)?;
        Ok(doc)
    }

    /// A copy of a stored workbook, titled "… (copy)" / "…（副本）"; it becomes current.
    /// (Save the open workbook first so the copy has its latest changes.)
    pub fn duplicate(&mut self, id: &str, lang: Lang, now_ms: i64) -> Result<Doc, StoreError> {
        let mut doc = self.open_doc(id)?;
        doc.workbook.meta.title = l(lang, format!("{}（副本）", doc.workbook.meta.title), format!("{} (copy)", doc.workbook.meta.title));
        self.save_as_new(&doc, now_ms)
    }

    /// Renames a stored workbook (its `meta.title`) and returns it. For the open
    /// workbook, simply change `doc.workbook.meta.title` and save instead.
    pub fn rename(&mut self, id: &str, title: &str, now_ms: i64) -> Result<Doc, StoreError> {
        let current = self.read_index()?.current;
        let mut doc = self.open_doc(id)?;
        doc.workbook.meta.title = title.to_string();
        self.save(&doc, now_ms)?;
        if current.as_deref() != Some(id) {
            let mut index = self.read_index()?;
            index.current = current;
            self.write_index(&index)?;
        }
        Ok(doc)
    }

    /// Moves a workbook to the trash (undo with [`Store::restore`] for
    /// [`TRASH_KEEP_MS`]). When it was the current one, returns the workbook to show
    /// next (another one, or a new one from the default template).
    pub fn delete(&mut self, id: &str, now_ms: i64) -> Result<Option<Doc>, StoreError> {
        let mut index = self.read_index()?;
        let Some(pos) = index.workbooks.iter().position(|e| e.id == id) else { return Err(StoreError::NotFound { id: id.to_string() }) };
        let entry = index.workbooks.remove(pos);
        index.trash.push(TrashEntry { id: entry.id, title: entry.title, deleted_ms: now_ms, replaced: None });
        let was_current = index.current.as_deref() == Some(id);
        if was_current {
            index.current = None;
        }
        self.purge_trash(&mut index, now_ms);
        self.write_index(&index)?;
        if !was_current {
            return Ok(None);
        }
        let mut others = index.workbooks.clone();
        crate::sort::sort_by_key(&mut others, |e| std::cmp::Reverse(e.changed_ms));
        for e in others {
            if let Ok(doc) = self.open_doc(&e.id) {
                return Ok(Some(doc));
            }
        }
        self.create(presets::DEFAULT, now_ms).map(Some)
    }

    /// Takes a trash entry back: a deleted workbook returns to the list; the content an
    /// import replaced goes back into its workbook (whose imported content goes to the
    /// trash in turn, so this can be undone too). Returns the workbook, now current.
    pub fn restore(&mut self, trash_id: &str, now_ms: i64) -> Result<Doc, StoreError> {
        let index = self.read_index()?;
        let Some(entry) = index.trash.iter().find(|t| t.id == trash_id).cloned() else { return Err(StoreError::NotFound { id: trash_id.to_string() }) };
        match entry.replaced {
            None => {
                let mut index = index;
                index.trash.retain(|t| t.id != trash_id);
                index.touch(&entry.id, &entry.title, now_ms);
                index.current = Some(entry.id.clone());
                self.write_index(&index)?;
                self.open_doc(&entry.id)
            }
            Some(target) => {
                let kept = self.load(&entry.id)?.ok_or(StoreError::NotFound { id: trash_id.to_string() })?;
                let current = match self.load(&target)? {
                    Some(d) => d,
                    None => Doc { id: target.clone(), workbook: kept.workbook.clone(), ui: UiState::default() },
                };
                let back = Doc { id: target, workbook: kept.workbook, ui: kept.ui };
                let replaced = self.replace_with(&current, back, now_ms)?;
                let _ = self.kv.remove(&workbook_key(&entry.id));
                let mut index = self.read_index()?;
                index.trash.retain(|t| t.id != trash_id);
                self.write_index(&index)?;
                Ok(replaced.doc)
            }
        }
    }

    /// Import, "open as new workbook": stores the previewed workbook under a new id.
    pub fn open_as_new(&mut self, workbook: &Workbook, now_ms: i64) -> Result<Doc, StoreError> {
        self.save_as_new(&Doc { id: String::new(), workbook: workbook.clone(), ui: UiState::default() }, now_ms)
    }

    /// Import, "replace current": the open workbook's content (as in memory, `current`)
    /// goes to the trash, the imported one takes its place under the same id. Undo with
    /// `restore(&replaced.undo)`.
    pub fn replace_current(&mut self, current: &Doc, workbook: &Workbook, now_ms: i64) -> Result<Replaced, StoreError> {
        let new = Doc { id: current.id.clone(), workbook: workbook.clone(), ui: UiState::default() };
        self.replace_with(current, new, now_ms)
    }

    fn replace_with(&mut self, current: &Doc, new: Doc, now_ms: i64) -> Result<Replaced, StoreError> {
        // Refuse first if another tab saved this workbook since.
        let key = workbook_key(&current.id);
        let known = self.known.get(&current.id).copied().unwrap_or(0);
        if let Some(counter) = self.stored_counter(&key)? {
            if counter > known {
                return Err(StoreError::NewerElsewhere { counter });
            }
        }
        let index = self.read_index()?;
        let keep_id = self.new_id(&index, now_ms);
        let (text, _) = envelope(&Doc { id: keep_id.clone(), ..current.clone() }, 1, now_ms);
        self.set_making_room(&workbook_key(&keep_id), &text, now_ms)?;
        let mut index = self.read_index()?;
        index.trash.push(TrashEntry { id: keep_id.clone(), title: current.workbook.meta.title.clone(), deleted_ms: now_ms, replaced: Some(current.id.clone()) });
        if let Err(e) = self.write_index(&index).and_then(|_| self.save(&new, now_ms).map(|_| ())) {
            // Roll back the kept copy: nothing changed.
            let _ = self.kv.remove(&workbook_key(&keep_id));
            if let Ok(mut index) = self.read_index() {
                index.trash.retain(|t| t.id != keep_id);
                let _ = self.write_index(&index);
            }
            return Err(e);
        }
        let mut index = self.read_index()?;
        index.current = Some(new.id.clone());
        self.write_index(&index)?;
        Ok(Replaced { doc: new, undo: keep_id })
    }

    /// Keys of the backups of damaged data.
    pub fn backups(&mut self) -> Vec<String> {
        let prefix = format!("{KEY_PREFIX}backup.");
        let mut keys: Vec<String> = self.kv.keys().unwrap_or_default().into_iter().filter(|k| k.starts_with(&prefix)).collect();
        crate::sort::sort(&mut keys);
        keys
    }

    /// The text of a backup (to download).
    pub fn backup_text(&mut self, key: &str) -> Option<String> {
        self.kv.get(key).ok().flatten()
    }

    pub fn remove_backup(&mut self, key: &str) -> Result<(), StoreError> {
        self.kv.remove(key)
    }

    // --- internals -------------------------------------------------------------

    fn go_memory(&mut self) {
        if self.persistent {
            self.notices.push(Notice::Unavailable);
        }
        self.go_memory_quietly();
    }

    fn go_memory_quietly(&mut self) {
        if self.persistent {
            self.persistent = false;
            self.kv = Box::new(MemoryKv::new());
            self.known.clear();
            self.written.clear();
            self.protected.clear();
        }
    }

    fn note_error(&mut self, e: &StoreError) {
        let n = match e {
            StoreError::QuotaExceeded => Notice::QuotaExceeded,
            StoreError::Unavailable => Notice::Unavailable,
            _ => return,
        };
        if !self.notices.contains(&n) {
            self.notices.push(n);
        }
    }

    /// Passes a result through, switching to memory when storage went away.
    fn seen<T>(&mut self, r: Result<T, StoreError>) -> Result<T, StoreError> {
        if let Err(StoreError::Unavailable) = r {
            self.go_memory();
        }
        r
    }

    fn get(&mut self, key: &str) -> Result<Option<String>, StoreError> {
        let r = self.kv.get(key);
        self.seen(r)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        let r = self.kv.set(key, value);
        self.seen(r)
    }

    /// Writes; when the quota is hit, empties expired trash and tries once more.
    fn set_making_room(&mut self, key: &str, value: &str, now_ms: i64) -> Result<(), StoreError> {
        match self.set(key, value) {
            Err(StoreError::QuotaExceeded) => {
                if let Ok(mut index) = self.read_index() {
                    let before = index.trash.len();
                    self.purge_trash(&mut index, now_ms);
                    if index.trash.len() < before {
                        let _ = self.write_index(&index);
                        return self.set(key, value);
                    }
                }
                Err(StoreError::QuotaExceeded)
            }
            other => other,
        }
    }

    /// Reads one workbook. `Ok(None)`: missing, damaged (a [`Notice::Corrupt`] is queued,
    /// the text backed up) or newer (a [`Notice::NewerFormat`] is queued).
    fn load(&mut self, id: &str) -> Result<Option<Doc>, StoreError> {
        let key = workbook_key(id);
        let Some(text) = self.get(&key)? else { return Ok(None) };
        match decode(&text) {
            Decoded::Doc { workbook, ui, counter, ui_dropped } => {
                if ui_dropped {
                    self.notices.push(Notice::UiStateDropped { key: key.clone() });
                }
                let doc = Doc { id: id.to_string(), workbook: *workbook, ui };
                self.known.insert(id.to_string(), counter);
                // Dropped parts make the content differ, so the next save writes it.
                self.written.insert(id.to_string(), if ui_dropped { 0 } else { content(&doc).2 });
                Ok(Some(doc))
            }
            Decoded::Newer { version } => {
                self.protected.insert(key.clone(), StoreError::NewerFormat { key: key.clone(), version });
                self.notices.push(Notice::NewerFormat { key, version });
                Ok(None)
            }
            Decoded::Damaged { error } => {
                let backup_key = match self.backup(&key, &text) {
                    Ok(b) => {
                        self.protected.remove(&key);
                        let _ = self.kv.remove(&key);
                        Some(b)
                    }
                    Err(_) => {
                        self.protected.insert(key.clone(), StoreError::Corrupt { key: key.clone(), backup_key: None });
                        None
                    }
                };
                self.notices.push(Notice::Corrupt { key, backup_key, error, raw: text });
                Ok(None)
            }
        }
    }

    /// Copies damaged text to the next free backup key (or finds an identical copy).
    fn backup(&mut self, key: &str, text: &str) -> Result<String, StoreError> {
        let keys: HashSet<String> = self.kv.keys().unwrap_or_default().into_iter().collect();
        let mut n = 1u32;
        loop {
            let b = backup_key(key, n);
            if !keys.contains(&b) {
                self.set(&b, text)?;
                return Ok(b);
            }
            if self.kv.get(&b).ok().flatten().as_deref() == Some(text) {
                return Ok(b);
            }
            n += 1;
        }
    }

    fn read_index(&mut self) -> Result<Index, StoreError> {
        let Some(text) = self.get(INDEX_KEY)? else { return Ok(Index::empty()) };
        match serde_json::from_str::<Value>(&text).and_then(|v| Index::read(&v)) {
            Ok(i) if i.format == INDEX_FORMAT && i.version > STORE_VERSION => Err(StoreError::NewerFormat { key: INDEX_KEY.into(), version: i.version }),
            Ok(i) if i.format == INDEX_FORMAT && i.version > 0 => Ok(i),
            other => {
                let error = match other {
                    Err(e) => e.to_string(),
                    Ok(i) => format!("format {:?} version {}", i.format, i.version),
                };
                let backup_key = match self.backup(INDEX_KEY, &text) {
                    Ok(b) => {
                        self.protected.remove(INDEX_KEY);
                        Some(b)
                    }
                    Err(_) => {
                        self.protected.insert(INDEX_KEY.to_string(), StoreError::Corrupt { key: INDEX_KEY.into(), backup_key: None });
                        None
                    }
                };
                self.notices.push(Notice::Corrupt { key: INDEX_KEY.into(), backup_key, error, raw: text });
                self.notices.push(Notice::IndexRebuilt);
                let index = self.rebuild_index();
                let _ = self.write_index(&index);
                Ok(index)
            }
        }
    }

    /// A list made from the stored workbooks' keys and titles.
    fn rebuild_index(&mut self) -> Index {
        let mut index = Index::empty();
        let prefix = workbook_key("");
        for key in self.kv.keys().unwrap_or_default() {
            let Some(id) = key.strip_prefix(&prefix) else { continue };
            let text = self.kv.get(&key).ok().flatten().unwrap_or_default();
            let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let title = v.pointer("/workbook/meta/title").and_then(Value::as_str).unwrap_or(id).to_string();
            let changed_ms = v.get("saved_at").and_then(Value::as_str).and_then(parse_iso_utc).unwrap_or(0);
            index.workbooks.push(Entry { id: id.to_string(), title, changed_ms });
        }
        index
    }

    fn write_index(&mut self, index: &Index) -> Result<(), StoreError> {
        if self.protected.contains_key(INDEX_KEY) {
            return Ok(());
        }
        let text = workbook::write_json(index, false);
        self.set(INDEX_KEY, &text)
    }

    /// Removes trash older than [`TRASH_KEEP_MS`] and beyond [`TRASH_MAX`] entries.
    fn purge_trash(&mut self, index: &mut Index, now_ms: i64) {
        crate::sort::sort_by_key(&mut index.trash, |e| std::cmp::Reverse(e.deleted_ms));
        let mut keep = Vec::new();
        for (i, t) in std::mem::take(&mut index.trash).into_iter().enumerate() {
            if i < TRASH_MAX && now_ms.saturating_sub(t.deleted_ms) <= TRASH_KEEP_MS {
                keep.push(t);
            } else if !index.workbooks.iter().any(|e| e.id == t.id) {
                let _ = self.kv.remove(&workbook_key(&t.id));
            }
        }
        index.trash = keep;
    }

    /// A new id: the time in base 36, made unique against the list and the keys.
    fn new_id(&mut self, index: &Index, now_ms: i64) -> String {
        let base = to_base36(now_ms.max(0) as u64);
        let mut n = 1u32;
        loop {
            let id = if n == 1 { base.clone() } else { format!("{base}-{n}") };
            let used = index.workbooks.iter().any(|e| e.id == id) || index.trash.iter().any(|t| t.id == id) || self.kv.get(&workbook_key(&id)).ok().flatten().is_some();
            if !used {
                return id;
            }
            n += 1;
        }
    }

    fn template_doc(&mut self, template: &str, index: &Index, now_ms: i64) -> Doc {
        let workbook = presets::load(template).and_then(Result::ok).unwrap_or_else(|| Workbook::new(""));
        Doc { id: self.new_id(index, now_ms), workbook, ui: UiState::default() }
    }
}

fn to_base36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

// ---------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------

/// What an imported file holds, checked and scored, before anything changes.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPreview {
    /// The workbook, migrated to the current version.
    pub workbook: Workbook,
    pub title: String,
    pub agents: usize,
    /// Period ids, in file order.
    pub periods: Vec<String>,
    pub records: usize,
    /// The format version the file was written in (older ones were migrated).
    pub file_version: u64,
    /// The app version that wrote the file (informational).
    pub app_version: String,
    /// Validation findings (errors first). Sentences: `explain::issue(i, lang)`.
    pub issues: Vec<Issue>,
    /// The results recomputed now (`None` when validation errors stop scoring).
    pub results: Option<Results>,
    /// How the recomputed results compare with the snapshot in the file.
    pub snapshot: Snapshot,
}

impl ImportPreview {
    pub fn migrated(&self) -> bool {
        self.file_version < u64::from(VERSION)
    }

    pub fn has_errors(&self) -> bool {
        validate::has_errors(&self.issues)
    }

    /// The validation findings as sentences.
    pub fn issue_messages(&self, lang: Lang) -> Vec<String> {
        self.issues.iter().map(|i| explain::issue(i, lang)).collect()
    }
}

/// The results snapshot of an exported file against the recomputed results.
#[derive(Debug, Clone, PartialEq)]
pub enum Snapshot {
    /// The file has no results (a scheme-only file, or one written by hand).
    Absent,
    /// The results in the file are what this version computes.
    Same,
    /// Some results differ (another app version, or edited by hand).
    Differs(Vec<Difference>),
    /// There are results in the file but they cannot be read.
    Unreadable,
    /// The workbook has validation errors, so there is nothing to compare with.
    NotScored,
}

/// One difference between the file's results and the recomputed ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub period: String,
    /// `None` for a whole period present on one side only.
    pub agent: Option<String>,
    pub field: Field,
    /// The value in the file (`None`: absent there).
    pub in_file: Option<String>,
    /// The recomputed value (`None`: absent now).
    pub now: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Period,
    Agent,
    Total,
    Rank,
    Grade,
    Bonus,
}

impl Difference {
    /// E.g. "2026-11 · Anna: total 85.5 in the file, 86 now".
    pub fn message(&self, wb: &Workbook, lang: Lang) -> String {
        let who = match &self.agent {
            Some(a) => {
                let name = wb.agent(a).map_or(a.clone(), |x| if x.name.is_empty() { x.id.clone() } else { x.name.clone() });
                format!("{} · {name}", self.period)
            }
            None => self.period.clone(),
        };
        let dash = || "—".to_string();
        let (f, n) = (self.in_file.clone().unwrap_or_else(dash), self.now.clone().unwrap_or_else(dash));
        let what = match (self.field, lang) {
            (Field::Period, Lang::ZhCn) => "期间",
            (Field::Period, Lang::En) => "period",
            (Field::Agent, Lang::ZhCn) => "客服",
            (Field::Agent, Lang::En) => "agent",
            (Field::Total, Lang::ZhCn) => "总分",
            (Field::Total, Lang::En) => "total",
            (Field::Rank, Lang::ZhCn) => "名次",
            (Field::Rank, Lang::En) => "rank",
            (Field::Grade, Lang::ZhCn) => "等级",
            (Field::Grade, Lang::En) => "grade",
            (Field::Bonus, Lang::ZhCn) => "奖金",
            (Field::Bonus, Lang::En) => "bonus",
        };
        match self.field {
            Field::Period | Field::Agent => match (&self.in_file, &self.now) {
                (Some(_), None) => l(lang, format!("{who}：文件中有此{what}，重新计算后没有"), format!("{who}: this {what} is in the file's results but not in the recomputed ones")),
                _ => l(lang, format!("{who}：重新计算后多出此{what}"), format!("{who}: this {what} is in the recomputed results only")),
            },
            _ => l(lang, format!("{who}：{what} 文件中为 {f}，重新计算为 {n}"), format!("{who}: {what} {f} in the file, {n} now")),
        }
    }
}

/// The results part of a snapshot, read leniently (only what is compared).
#[derive(Deserialize)]
struct SnapDoc {
    format: String,
    #[serde(default)]
    periods: Vec<SnapPeriod>,
}

#[derive(Deserialize)]
struct SnapPeriod {
    period: String,
    #[serde(default)]
    agents: Vec<SnapAgent>,
}

#[derive(Deserialize)]
struct SnapAgent {
    agent: String,
    #[serde(default)]
    total: Option<f64>,
    #[serde(default)]
    rank: Option<u32>,
    #[serde(default)]
    grade: Option<String>,
    #[serde(default)]
    bonus: Option<String>,
}

/// The size check to make before reading a file at all (`File.size` in the browser):
/// refuses more than [`workbook::MAX_BYTES`].
pub fn check_file_size(bytes: f64) -> Result<(), LoadError> {
    if bytes.is_finite() && bytes >= 0.0 && bytes <= workbook::MAX_BYTES as f64 {
        Ok(())
    } else {
        Err(LoadError::TooLarge { bytes: if bytes.is_finite() && bytes > 0.0 { bytes as usize } else { usize::MAX } })
    }
}

/// Reads a file for import: everything is checked here, nothing is changed.
pub fn preview(text: &str) -> Result<ImportPreview, LoadError> {
    let file = workbook::read(text)?;
    let wb = file.workbook;
    let issues = validate::check(&wb);
    let results = engine::score(&wb).ok();
    let snapshot = match (&file.results, &results) {
        (None, _) => Snapshot::Absent,
        (Some(_), None) => Snapshot::NotScored,
        (Some(snap), Some(r)) => compare(&wb, r, snap),
    };
    Ok(ImportPreview {
        title: wb.meta.title.clone(),
        agents: wb.agents.len(),
        periods: wb.periods.iter().map(|p| p.id.clone()).collect(),
        records: wb.records.len(),
        file_version: file.file_version,
        app_version: wb.app_version.clone(),
        issues,
        results,
        snapshot,
        workbook: wb,
    })
}

fn compare(wb: &Workbook, results: &Results, snapshot: &Value) -> Snapshot {
    let Ok(snap) = serde_json::from_value::<SnapDoc>(snapshot.clone()) else { return Snapshot::Unreadable };
    if snap.format != "kpi-scorecard-results" {
        return Snapshot::Unreadable;
    }
    let now = report::document(wb, results, Lang::En);
    let mut diffs = Vec::new();
    let diff = |period: &str, agent: Option<&str>, field, in_file: Option<String>, now: Option<String>| Difference { period: period.to_string(), agent: agent.map(str::to_string), field, in_file, now };
    for sp in &snap.periods {
        let Some(np) = now.periods.iter().find(|p| p.period == sp.period) else {
            diffs.push(diff(&sp.period, None, Field::Period, Some(sp.period.clone()), None));
            continue;
        };
        for sa in &sp.agents {
            let Some(na) = np.agents.iter().find(|a| a.agent == sa.agent) else {
                diffs.push(diff(&sp.period, Some(&sa.agent), Field::Agent, Some(sa.agent.clone()), None));
                continue;
            };
            let a = Some(sa.agent.as_str());
            let same_total = sa.total.is_some_and(|t| (t - na.total).abs() <= 1e-9 * t.abs().max(1.0));
            if !same_total {
                diffs.push(diff(&sp.period, a, Field::Total, sa.total.map(explain::num), Some(explain::num(na.total))));
            }
            if sa.rank != Some(na.rank) {
                diffs.push(diff(&sp.period, a, Field::Rank, sa.rank.map(|r| r.to_string()), Some(na.rank.to_string())));
            }
            if sa.grade != na.grade {
                diffs.push(diff(&sp.period, a, Field::Grade, sa.grade.clone(), na.grade.clone()));
            }
            let dec = |s: &str| s.parse::<Decimal>().ok();
            if sa.bonus.as_deref().and_then(dec) != dec(&na.bonus) {
                diffs.push(diff(&sp.period, a, Field::Bonus, sa.bonus.clone(), Some(na.bonus.clone())));
            }
        }
        for na in &np.agents {
            if !sp.agents.iter().any(|a| a.agent == na.agent) {
                diffs.push(diff(&sp.period, Some(&na.agent), Field::Agent, None, Some(na.agent.clone())));
            }
        }
    }
    for np in &now.periods {
        if !snap.periods.iter().any(|p| p.period == np.period) {
            diffs.push(diff(&np.period, None, Field::Period, None, Some(np.period.clone())));
        }
    }
    if diffs.is_empty() {
        Snapshot::Same
    } else {
        Snapshot::Differs(diffs)
    }
}

// ---------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------

#[derive(Serialize)]
struct Export<'a> {
    #[serde(flatten)]
    workbook: &'a Workbook,
    #[serde(skip_serializing_if = "Option::is_none")]
    results: Option<&'a ResultsDoc>,
}

/// The whole workbook as pretty JSON, with the results (explanations in `lang`) under
/// `results` so the receiver sees what the sender saw. A workbook with validation
/// errors is exported without results. `workbook::parse` opens the file as is, and
/// export → import → export gives the same bytes.
///
/// The full results are several times the size of the figures (explanations for every
/// indicator of every agent), so a big workbook would make a file over the import
/// limit ([`workbook::MAX_BYTES`]). Then the snapshot is compact — per agent total,
/// rank, grade and bonus, which is what the import compares — and if even that does
/// not fit, the file has no results.
pub fn export_json(wb: &Workbook, lang: Lang) -> String {
    let text = |results: Option<&ResultsDoc>| workbook::write_json(&Export { workbook: wb, results }, true);
    let Ok(results) = engine::score(wb) else { return text(None) };
    let plain_len = workbook::to_json(wb).len();
    let mut doc = report::document(wb, &results, lang);
    // The full snapshot has been 4–7 times the workbook's size: skip trying when it
    // clearly cannot fit.
    if plain_len.saturating_mul(3) <= workbook::MAX_BYTES {
        let full = text(Some(&doc));
        if full.len() <= workbook::MAX_BYTES {
            return full;
        }
    }
    for p in &mut doc.periods {
        p.stats.clear();
        p.warnings.clear();
        for a in &mut p.agents {
            a.indicators.clear();
            a.categories.clear();
            a.bonus_parts.clear();
            a.total_explanation.clear();
        }
    }
    let compact = text(Some(&doc));
    if compact.len() <= workbook::MAX_BYTES {
        return compact;
    }
    text(None)
}

/// The rules only (no agents, periods or figures, so no personal data), pretty JSON.
pub fn export_scheme_json(wb: &Workbook) -> String {
    workbook::to_json(&workbook::scheme_only(wb))
}

/// `<title>-2026-11-23.json` (`<title>-scheme-2026-11-23.json` for the scheme only),
/// safe on every file system. `date` as from [`local_date`].
pub fn export_file_name(title: &str, date: &str, scheme_only: bool) -> String {
    let stem = sanitize_file_stem(title);
    let stem = if stem.is_empty() { "scorecard".to_string() } else { stem };
    if scheme_only {
        format!("{stem}-scheme-{date}.json")
    } else {
        format!("{stem}-{date}.json")
    }
}

/// A title made safe for a file name: no path separators, reserved or control
/// characters, no invisible direction marks; spaces become `-`; at most 60 characters.
pub fn sanitize_file_stem(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        let invisible = matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}');
        if c.is_control() || invisible || "<>:\"/\\|?*".contains(c) {
            continue;
        }
        if c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c);
        }
    }
    let out: String = out.trim_matches(|c| c == '-' || c == '.' || c == ' ').chars().take(60).collect();
    out.trim_end_matches(['-', '.']).to_string()
}

// ---------------------------------------------------------------------------------
// Time (no clock here: the caller passes Unix milliseconds)
// ---------------------------------------------------------------------------------

/// Days since 1970-01-01 → (year, month, day). (H. Hinnant's civil_from_days.)
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-23T10:15:00.000Z`.
pub fn iso_utc(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, min, s, milli) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
}

/// Reads what [`iso_utc`] writes (whole seconds and no milliseconds accepted too).
pub fn parse_iso_utc(s: &str) -> Option<i64> {
    let s = s.strip_suffix('Z')?;
    let (date, time) = s.split_once('T')?;
    let mut dp = date.splitn(3, '-');
    let y: i64 = dp.next()?.parse().ok()?;
    let m: u32 = dp.next()?.parse().ok()?;
    let d: u32 = dp.next()?.parse().ok()?;
    let (hms, milli) = time.split_once('.').unwrap_or((time, "0"));
    let mut tp = hms.splitn(3, ':');
    let h: i64 = tp.next()?.parse().ok()?;
    let min: i64 = tp.next()?.parse().ok()?;
    let sec: i64 = tp.next()?.parse().ok()?;
    let milli: i64 = milli.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || h > 23 || min > 59 || sec > 60 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400_000 + h * 3_600_000 + min * 60_000 + sec * 1000 + milli)
}

/// The local date `2026-11-23` at `ms`, `offset_minutes` east of UTC (in the browser:
/// `-new Date().getTimezoneOffset()`; `web_storage::utc_offset_minutes()`).
pub fn local_date(ms: i64, offset_minutes: i32) -> String {
    let local = ms + i64::from(offset_minutes) * 60_000;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The local date and time `2026-11-23 10:15` at `ms` (for "last changed" in the list).
pub fn local_date_time(ms: i64, offset_minutes: i32) -> String {
    let local = ms.saturating_add(i64::from(offset_minutes) * 60_000).rem_euclid(86_400_000);
    format!("{} {:02}:{:02}", local_date(ms, offset_minutes), local / 3_600_000, local / 60_000 % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_795_420_800_000; // 2026-11-23T08:00:00Z

    fn open(kv: &MemoryKv, now: i64) -> (Store, Opened) {
        Store::open(Box::new(kv.clone()), now)
    }

    #[test]
    fn peek_shows_what_open_would_and_never_writes() {
        let kv = MemoryKv::new();
        assert_eq!(Store::peek(&kv), Some(Peek::Fresh));
        assert!(kv.snapshot().is_empty());
        let (_, opened) = open(&kv, T0);
        let before = kv.snapshot();
        assert_eq!(Store::peek(&kv), Some(Peek::Doc(opened.doc.clone())));
        assert_eq!(kv.snapshot(), before);
        // Damaged data, a current workbook that is gone, foreign keys, refused storage:
        // only open deals with them.
        let damaged = kv.clone();
        damaged.set(&workbook_key(&opened.doc.id), "{").unwrap();
        assert_eq!(Store::peek(&damaged), None);
        let other = MemoryKv::new();
        other.set(crate::app::lang::STORAGE_KEY, "en").unwrap();
        assert_eq!(Store::peek(&other), Some(Peek::Fresh));
        other.set(&workbook_key("x"), "{}").unwrap();
        assert_eq!(Store::peek(&other), None);
        let gone = MemoryKv::new();
        let (_, o) = open(&gone, T0);
        gone.remove(&workbook_key(&o.doc.id)).unwrap();
        assert_eq!(Store::peek(&gone), None);
        let refused = MemoryKv::new();
        refused.set_unavailable(true);
        assert_eq!(Store::peek(&refused), None);
    }

    #[test]
    fn first_start_opens_the_default_template_and_saves_it() {
        let kv = MemoryKv::new();
        let (mut store, opened) = open(&kv, T0);
        assert!(opened.notices.is_empty(), "{:?}", opened.notices);
        assert!(store.is_persistent());
        assert_eq!(opened.doc.workbook, presets::load(presets::DEFAULT).unwrap().unwrap());
        assert_eq!(opened.lang, None);
        let stored = kv.snapshot();
        assert!(stored.contains_key(&workbook_key(&opened.doc.id)));
        assert!(stored.contains_key(INDEX_KEY));
        assert!(!stored.contains_key(PROBE_KEY));
        assert_eq!(store.list().len(), 1);
        assert_eq!(store.list()[0].title, opened.doc.workbook.meta.title);
    }

    #[test]
    fn a_reload_restores_workbook_figures_period_baseline_and_language() {
        let kv = MemoryKv::new();
        let (mut store, opened) = open(&kv, T0);
        let mut doc = opened.doc;
        doc.workbook.meta.title = "October <b>team</b>".into();
        let p = doc.workbook.periods[0].id.clone();
        let a = doc.workbook.agents[0].id.clone();
        let m = doc.workbook.scheme.metrics.iter().find(|m| m.formula.is_none()).unwrap().id.clone();
        doc.workbook.record_mut(&a, &p).figures.insert(m, 42.5);
        doc.ui.period = Some(p.clone());
        let results = engine::score(&doc.workbook).unwrap();
        doc.ui.baseline = Some(Baseline::pin(&results.periods[0], T0));
        assert!(doc.ui.baseline.as_ref().unwrap().agents.len() >= 6);
        doc.ui.view.insert("tab".into(), "results".into());
        assert_eq!(store.save(&doc, T0 + 1000), Ok(Saved::Written));
        assert_eq!(store.save(&doc, T0 + 2000), Ok(Saved::Unchanged));
        store.set_lang(Lang::En).unwrap();

        let (_, again) = open(&kv, T0 + 5000);
        assert_eq!(again.doc, doc);
        assert_eq!(again.lang, Some(Lang::En));
        assert!(again.notices.is_empty());
    }

    #[test]
    fn identical_content_after_reload_writes_nothing() {
        let kv = MemoryKv::new();
        let (_, opened) = open(&kv, T0);
        let before = kv.snapshot();
        let (mut store, again) = open(&kv, T0 + 10);
        assert_eq!(store.save(&again.doc, T0 + 20), Ok(Saved::Unchanged));
        assert_eq!(opened.doc, again.doc);
        assert_eq!(kv.snapshot(), before);
    }

    #[test]
    fn unavailable_storage_works_in_memory_with_a_notice() {
        let kv = MemoryKv::new();
        kv.set_unavailable(true);
        let (mut store, opened) = open(&kv, T0);
        assert_eq!(opened.notices, vec![Notice::Unavailable]);
        assert!(!store.is_persistent());
        let mut doc = opened.doc;
        doc.workbook.meta.title = "x".into();
        assert_eq!(store.save(&doc, T0 + 1), Ok(Saved::Written));
        let copy = store.create("hotel", T0 + 2).unwrap();
        assert_eq!(store.list().len(), 2);
        assert_eq!(store.open_doc(&doc.id).unwrap(), doc);
        assert_ne!(copy.id, doc.id);
        assert!(Notice::Unavailable.message(Lang::ZhCn).contains("导出"));
        assert!(Notice::Unavailable.message(Lang::En).contains("export"));
    }

    #[test]
    fn storage_lost_mid_session_falls_back_to_memory() {
        let kv = MemoryKv::new();
        let (mut store, opened) = open(&kv, T0);
        kv.set_unavailable(true);
        let mut doc = opened.doc;
        doc.workbook.meta.title = "changed".into();
        assert_eq!(store.save(&doc, T0 + 1), Ok(Saved::Written));
        assert!(!store.is_persistent());
        assert_eq!(store.take_notices(), vec![Notice::Unavailable]);
        assert_eq!(store.open_doc(&doc.id).unwrap(), doc);
    }

    #[test]
    fn quota_exceeded_keeps_memory_and_old_data_and_reports() {
        let kv = MemoryKv::new();
        let (mut store, opened) = open(&kv, T0);
        let before = kv.snapshot();
        kv.set_quota(Some(kv.used_chars() + 10));
        let mut doc = opened.doc.clone();
        doc.workbook.meta.notes = "x".repeat(1000);
        assert_eq!(store.save(&doc, T0 + 1), Err(StoreError::QuotaExceeded));
        assert_eq!(kv.snapshot(), before, "nothing half-written");
        // Retried on the next save once there is room.
        kv.set_quota(None);
        assert_eq!(store.save(&doc, T0 + 2), Ok(Saved::Written));
        assert!(StoreError::QuotaExceeded.message(Lang::ZhCn).contains("已满"));
    }

    #[test]
    fn quota_at_start_is_a_notice() {
        let kv = MemoryKv::new();
        let (_, first) = open(&kv, T0);
        kv.set_quota(Some(kv.used_chars()));
        let (store, opened) = open(&kv, T0 + 1);
        assert!(store.is_persistent());
        assert_eq!(opened.notices, vec![Notice::QuotaExceeded]);
        assert_eq!(opened.doc, first.doc);
    }

    #[test]
    fn quota_makes_room_by_emptying_expired_trash() {
        let kv = MemoryKv::new();
        let (mut store, opened) = open(&kv, T0);
        let other = store.create("ecommerce", T0 + 1).unwrap();
        store.delete(&other.id, T0 + 2).unwrap();
        kv.set_quota(Some(kv.used_chars() + 100));
        let mut doc = opened.doc;
        doc.workbook.meta.notes = "y".repeat(5000);
        // Still in the trash: not thrown away to make room.
        assert_eq!(store.save(&doc, T0 + 3), Err(StoreError::QuotaExceeded));
        assert_eq!(store.save(&doc, T0 + 3 + TRASH_KEEP_MS), Ok(Saved::Written));
        assert!(store.trash().is_empty());
    }

    #[test]
    fn damaged_workbook_is_backed_up_before_anything_else_and_offered() {
        let kv = MemoryKv::new();
        let (mut store, opened) = open(&kv, T0);
        let second = store.create("hotel", T0 + 1).unwrap();
        let key = workbook_key(&second.id);
        let damaged = "{\"format\":\"kpi-scorecard-store\",\"version\":1,\"workbook\":{tru";
        kv.set(&key, damaged).unwrap();

        let (mut store2, reopened) = open(&kv, T0 + 2);
        let b = backup_key(&key, 1);
        assert_eq!(kv.get(&b).unwrap().as_deref(), Some(damaged));
        let notice = reopened.notices.iter().find(|n| matches!(n, Notice::Corrupt { .. })).expect("a notice");
        assert!(matches!(notice, Notice::Corrupt { key: k, backup_key: Some(bk), raw, .. } if *k == key && *bk == b && raw == damaged));
        let (name, text) = notice.download().unwrap();
        assert!(name.ends_with("-damaged.json") && text == damaged);
        assert!(notice.message(Lang::En).contains(&b));
        assert!(notice.message(Lang::ZhCn).contains("备份"));
        // The app opens the other workbook; the damaged one left the list.
        assert_eq!(reopened.doc.id, opened.doc.id);
        assert_eq!(store2.list().len(), 1);
        assert_eq!(store2.backups(), vec![b.clone()]);
        assert_eq!(store2.backup_text(&b).as_deref(), Some(damaged));
    }

    #[test]
    fn damaged_data_that_cannot_be_backed_up_is_never_overwritten() {
        let kv = MemoryKv::new();
        let (_, opened) = open(&kv, T0);
        let key = workbook_key(&opened.doc.id);
        kv.set(&key, "garbage").unwrap();
        kv.set_quota(Some(kv.used_chars()));
        let (mut store, reopened) = open(&kv, T0 + 1);
        assert!(reopened.notices.iter().any(|n| matches!(n, Notice::Corrupt { backup_key: None, raw, .. } if raw == "garbage")));
        assert_ne!(reopened.doc.id, opened.doc.id);
        // Saving the damaged id is refused while the copy cannot be made.
        let doc = Doc { id: opened.doc.id.clone(), ..reopened.doc.clone() };
        assert!(matches!(store.save(&doc, T0 + 2), Err(StoreError::Corrupt { backup_key: None, .. })));
        assert_eq!(kv.get(&key).unwrap().as_deref(), Some("garbage"));
        assert!(StoreError::Corrupt { key: key.clone(), backup_key: None }.message(Lang::En).contains("left untouched"));
    }

    #[test]
    fn a_save_over_damaged_text_backs_it_up_first() {
        let kv = MemoryKv::new();
        let (mut store, opened) = open(&kv, T0);
        let key = workbook_key(&opened.doc.id);
        kv.set(&key, "{half").unwrap();
        let mut doc = opened.doc;
        doc.workbook.meta.title = "new".into();
        assert_eq!(store.save(&doc, T0 + 1), Ok(Saved::Written));
        assert_eq!(kv.get(&backup_key(&key, 1)).unwrap().as_deref(), Some("{half"));
    }

    #[test]
    fn damaged_index_is_backed_up_and_rebuilt() {
        let kv = MemoryKv::new();
        let (mut store, opened) = open(&kv, T0);
        let other = store.create("courier", T0 + 1).unwrap();
        kv.set(INDEX_KEY, "[not an index").unwrap();
        let (mut store, reopened) = open(&kv, T0 + 2);
        assert_eq!(kv.get(&backup_key(INDEX_KEY, 1)).unwrap().as_deref(), Some("[not an index"));
        assert!(reopened.notices.contains(&Notice::IndexRebuilt));
        let mut ids: Vec<String> = store.list().into_iter().map(|e| e.id).collect();
        ids.sort();
        let mut want = vec![opened.doc.id.clone(), other.id.clone()];
        want.sort();
        assert_eq!(ids, want);
        assert!(store.list().iter().any(|e| e.title == other.workbook.meta.title && e.changed_ms == T0 + 1));
    }

    #[test]
    fn newer_format_in_storage_is_left_alone() {
        let kv = MemoryKv::new();
        let (_, opened) = open(&kv, T0);
        let key = workbook_key(&opened.doc.id);
        let newer = "{\"format\":\"kpi-scorecard-store\",\"version\":9,\"save_counter\":50,\"whatever\":{}}";
        kv.set(&key, newer).unwrap();
        let (mut store, reopened) = open(&kv, T0 + 1);
        assert!(reopened.notices.contains(&Notice::NewerFormat { key: key.clone(), version: 9 }));
        let stale = Doc { id: opened.doc.id.clone(), ..reopened.doc.clone() };
        assert_eq!(store.save(&stale, T0 + 2), Err(StoreError::NewerFormat { key: key.clone(), version: 9 }));
        assert_eq!(kv.get(&key).unwrap().as_deref(), Some(newer));
        // A workbook of a newer file version inside a current envelope: the same.
        let inner = "{\"format\":\"kpi-scorecard-store\",\"version\":1,\"save_counter\":3,\"workbook\":{\"format\":\"kpi-scorecard\",\"version\":5,\"scheme\":{}},\"ui\":{}}";
        kv.set(&key, inner).unwrap();
        let (mut again, _) = open(&kv, T0 + 3);
        assert_eq!(again.open_doc(&opened.doc.id), Err(StoreError::NewerFormat { key: key.clone(), version: 5 }));
        assert!(again.take_notices().contains(&Notice::NewerFormat { key: key.clone(), version: 5 }));
        assert!(again.list().iter().any(|e| e.id == opened.doc.id), "still listed");
        assert_eq!(kv.get(&key).unwrap().as_deref(), Some(inner));
    }

    #[test]
    fn newer_index_format_switches_to_memory_and_touches_nothing() {
        let kv = MemoryKv::new();
        open(&kv, T0);
        let newer = "{\"format\":\"kpi-scorecard-index\",\"version\":2}";
        kv.set(INDEX_KEY, newer).unwrap();
        let before = kv.snapshot();
        let (mut store, opened) = open(&kv, T0 + 1);
        assert!(!store.is_persistent());
        assert!(opened.notices.contains(&Notice::NewerFormat { key: INDEX_KEY.into(), version: 2 }));
        store.save(&opened.doc, T0 + 2).unwrap();
        assert_eq!(kv.snapshot(), before);
    }

    #[test]
    fn another_tab_saving_newer_data_is_never_overwritten_silently() {
        let kv = MemoryKv::new();
        let (mut tab1, o1) = open(&kv, T0);
        let (mut tab2, o2) = open(&kv, T0 + 1);
        assert_eq!(o1.doc, o2.doc);
        let id = o1.doc.id.clone();

        let mut d2 = o2.doc.clone();
        d2.workbook.meta.title = "from tab 2".into();
        assert_eq!(tab2.save(&d2, T0 + 2), Ok(Saved::Written));
        // Tab 1 hears about it…
        assert_eq!(tab1.external_change(Some(&workbook_key(&id)), &id), Some(External::NewerElsewhere { counter: 2 }));
        assert_eq!(tab1.external_change(Some(INDEX_KEY), &id), Some(External::ListChanged));
        assert_eq!(tab1.external_change(Some("other"), &id), None);
        // …and its own save is refused.
        let mut d1 = o1.doc.clone();
        d1.workbook.meta.title = "from tab 1".into();
        assert_eq!(tab1.save(&d1, T0 + 3), Err(StoreError::NewerElsewhere { counter: 2 }));
        assert_eq!(tab1.open_doc(&id).unwrap().workbook.meta.title, "from tab 2");
        // Keep both: tab 1's version becomes a new workbook.
        let kept = tab1.save_as_new(&d1, T0 + 4).unwrap();
        assert_ne!(kept.id, id);
        assert_eq!(tab1.list().len(), 2);
        // After a reload, tab 1 may save again; tab 2 is now the one behind.
        let mut reloaded = tab1.open_doc(&id).unwrap();
        reloaded.workbook.meta.notes = "tab 1 again".into();
        assert_eq!(tab1.save(&reloaded, T0 + 5), Ok(Saved::Written));
        assert_eq!(tab2.external_change(None, &id), Some(External::NewerElsewhere { counter: 3 }));
        assert_eq!(tab2.save(&d2, T0 + 6), Err(StoreError::NewerElsewhere { counter: 3 }));
        // "Keep mine": overwrite deliberately.
        assert_eq!(tab2.save_over(&d2, T0 + 7), Ok(Saved::Written));
        assert_eq!(tab1.external_change(Some(&workbook_key(&id)), &id), Some(External::NewerElsewhere { counter: 4 }));
    }

    #[test]
    fn an_idle_tab_flushing_on_pagehide_does_not_bump_the_counter() {
        let kv = MemoryKv::new();
        let (mut tab1, o1) = open(&kv, T0);
        let (_tab2, _) = open(&kv, T0 + 1);
        assert_eq!(tab1.save(&o1.doc, T0 + 2), Ok(Saved::Unchanged));
        assert_eq!(tab1.external_change(Some(&workbook_key(&o1.doc.id)), &o1.doc.id), None);
    }

    #[test]
    fn workbook_deleted_in_another_tab_is_reported_and_written_back_on_save() {
        let kv = MemoryKv::new();
        let (mut tab1, o1) = open(&kv, T0);
        let (mut tab2, _) = open(&kv, T0 + 1);
        tab2.create("hotel", T0 + 2).unwrap();
        tab2.delete(&o1.doc.id, T0 + 3).unwrap();
        kv.remove(&workbook_key(&o1.doc.id)).unwrap();
        assert_eq!(tab1.external_change(Some(&workbook_key(&o1.doc.id)), &o1.doc.id), Some(External::Removed));
        let mut d = o1.doc.clone();
        d.workbook.meta.notes = "still editing".into();
        assert_eq!(tab1.save(&d, T0 + 4), Ok(Saved::Written));
        assert!(tab1.list().iter().any(|e| e.id == d.id));
        assert!(tab1.trash().iter().all(|t| t.id != d.id));
    }

    #[test]
    fn create_duplicate_rename_delete_restore() {
        let kv = MemoryKv::new();
        let (mut store, opened) = open(&kv, T0);
        let hotel = store.create("hotel", T0 + 1).unwrap();
        assert_eq!(hotel.workbook, presets::load("hotel").unwrap().unwrap());
        assert!(matches!(store.create("nope", T0), Err(StoreError::NotFound { .. })));

        let copy = store.duplicate(&hotel.id, Lang::En, T0 + 2).unwrap();
        assert_eq!(copy.workbook.meta.title, format!("{} (copy)", hotel.workbook.meta.title));
        let zh = store.duplicate(&hotel.id, Lang::ZhCn, T0 + 3).unwrap();
        assert!(zh.workbook.meta.title.ends_with("（副本）"));
        assert_eq!(store.list().len(), 4);
        assert_eq!(store.list()[0].id, zh.id, "most recent first");

        let renamed = store.rename(&copy.id, "Renamed", T0 + 4).unwrap();
        assert_eq!(renamed.workbook.meta.title, "Renamed");
        assert!(store.list().iter().any(|e| e.id == copy.id && e.title == "Renamed"));

        // Deleting a workbook that is not current: nothing to switch to.
        assert_eq!(store.delete(&copy.id, T0 + 5), Ok(None));
        assert_eq!(store.list().len(), 3);
        assert_eq!(store.trash()[0].id, copy.id);
        let back = store.restore(&copy.id, T0 + 6).unwrap();
        assert_eq!(back.workbook.meta.title, "Renamed");
        assert_eq!(store.list().len(), 4);
        assert!(store.trash().is_empty());

        // Deleting the current one returns the next to show.
        store.open_doc(&opened.doc.id).unwrap();
        let next = store.delete(&opened.doc.id, T0 + 7).unwrap().expect("another workbook");
        assert_ne!(next.id, opened.doc.id);
        let (_, reopened) = open(&kv, T0 + 8);
        assert_eq!(reopened.doc.id, next.id);
        assert!(matches!(store.delete("missing", T0), Err(StoreError::NotFound { .. })));
    }

    #[test]
    fn deleting_the_last_workbook_opens_a_fresh_template() {
        let kv = MemoryKv::new();
        let (mut store, opened) = open(&kv, T0);
        let next = store.delete(&opened.doc.id, T0 + 1).unwrap().unwrap();
        assert_ne!(next.id, opened.doc.id);
        assert_eq!(next.workbook, opened.doc.workbook);
        assert_eq!(store.list().len(), 1);
        assert_eq!(store.trash().len(), 1);
    }

    #[test]
    fn trash_is_emptied_after_a_while() {
        let kv = MemoryKv::new();
        let (mut store, _) = open(&kv, T0);
        let x = store.create("hotel", T0 + 1).unwrap();
        store.delete(&x.id, T0 + 2).unwrap();
        let (mut store, _) = open(&kv, T0 + 2 + TRASH_KEEP_MS);
        assert_eq!(store.trash().len(), 1);
        let (mut store, _) = open(&kv, T0 + 3 + TRASH_KEEP_MS);
        assert!(store.trash().is_empty());
        assert_eq!(kv.get(&workbook_key(&x.id)).unwrap(), None);
        assert!(matches!(store.restore(&x.id, T0), Err(StoreError::NotFound { .. })));
    }

    #[test]
    fn trash_keeps_at_most_its_maximum() {
        let kv = MemoryKv::new();
        let (mut store, _) = open(&kv, T0);
        let mut ids = Vec::new();
        for i in 0..(TRASH_MAX as i64 + 3) {
            let d = store.create("hotel", T0 + 10 * i + 1).unwrap();
            store.delete(&d.id, T0 + 10 * i + 2).unwrap();
            ids.push(d.id);
        }
        assert_eq!(store.trash().len(), TRASH_MAX);
        assert_eq!(kv.get(&workbook_key(&ids[0])).unwrap(), None, "the oldest went");
        assert!(kv.get(&workbook_key(ids.last().unwrap())).unwrap().is_some());
    }

    #[test]
    fn import_open_as_new_and_replace_with_undo() {
        let kv = MemoryKv::new();
        let (mut store, opened) = open(&kv, T0);
        let mut current = opened.doc;
        current.workbook.meta.notes = "unsaved edit".into();
        current.ui.period = Some("x".into());

        let hotel = presets::load("hotel").unwrap().unwrap();
        let text = export_json(&hotel, Lang::ZhCn);
        let pv = preview(&text).unwrap();
        assert_eq!(pv.snapshot, Snapshot::Same);

        let new = store.open_as_new(&pv.workbook, T0 + 1).unwrap();
        assert_eq!(new.workbook, hotel);
        assert_eq!(store.list().len(), 2);

        store.open_doc(&current.id).unwrap();
        let replaced = store.replace_current(&current, &pv.workbook, T0 + 2).unwrap();
        assert_eq!(replaced.doc.id, current.id);
        assert_eq!(replaced.doc.workbook, hotel);
        assert_eq!(store.open_doc(&current.id).unwrap().workbook, hotel);
        assert_eq!(store.list().len(), 2, "the kept copy is in the trash, not the list");
        assert_eq!(store.trash()[0].replaced.as_deref(), Some(current.id.as_str()));

        // Undo: the unsaved edit comes back, and the undo can be undone.
        let undone = store.restore(&replaced.undo, T0 + 3).unwrap();
        assert_eq!(undone, current);
        assert_eq!(store.open_doc(&current.id).unwrap(), current);
        let redo = store.trash()[0].clone();
        assert_eq!(redo.replaced.as_deref(), Some(current.id.as_str()));
        assert_eq!(store.restore(&redo.id, T0 + 4).unwrap().workbook, hotel);
    }

    #[test]
    fn replace_is_refused_when_another_tab_saved_newer_data() {
        let kv = MemoryKv::new();
        let (mut tab1, o1) = open(&kv, T0);
        let (mut tab2, o2) = open(&kv, T0 + 1);
        let mut d2 = o2.doc;
        d2.workbook.meta.title = "tab 2".into();
        tab2.save(&d2, T0 + 2).unwrap();
        let before = kv.snapshot();
        let pv = preview(&export_json(&presets::load("hotel").unwrap().unwrap(), Lang::En)).unwrap();
        assert_eq!(tab1.replace_current(&o1.doc, &pv.workbook, T0 + 3), Err(StoreError::NewerElsewhere { counter: 2 }));
        assert_eq!(kv.snapshot(), before, "nothing changed");
    }

    #[test]
    fn preview_counts_and_warns_without_changing_anything() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v1.json")).unwrap();
        let pv = preview(&text).unwrap();
        assert_eq!(pv.title, "Fixture v1 — every rule kind");
        assert_eq!((pv.agents, pv.records, pv.file_version), (3, 7, 1));
        assert_eq!(pv.periods, vec!["2026-11", "2026-W45", "2026-W46"]);
        assert!(!pv.migrated());
        assert_eq!(pv.snapshot, Snapshot::Absent);
        assert!(pv.results.is_some(), "{:?}", pv.issue_messages(Lang::En));
        assert!(matches!(preview("nope"), Err(LoadError::NotJson { .. })));
        // A workbook with errors still previews; there is nothing to compare with.
        let mut wb = presets::load("hotel").unwrap().unwrap();
        let good = export_json(&wb, Lang::En);
        wb.scheme.indicators[0].metric = Some("no_such_metric".into());
        let mut v: Value = serde_json::from_str(&good).unwrap();
        v["scheme"] = serde_json::to_value(&wb.scheme).unwrap();
        let pv = preview(&serde_json::to_string(&v).unwrap()).unwrap();
        assert!(pv.has_errors());
        assert_eq!(pv.results, None);
        assert_eq!(pv.snapshot, Snapshot::NotScored);
    }

    #[test]
    fn preview_shows_where_the_files_results_differ() {
        let wb = presets::load("hotel").unwrap().unwrap();
        let text = export_json(&wb, Lang::En);
        let mut v: Value = serde_json::from_str(&text).unwrap();
        let first = v["results"]["periods"][0]["agents"][0].clone();
        let period = v["results"]["periods"][0]["period"].as_str().unwrap().to_string();
        let agent = first["agent"].as_str().unwrap().to_string();
        v["results"]["periods"][0]["agents"][0]["total"] = serde_json::json!(first["total"].as_f64().unwrap() + 5.0);
        v["results"]["periods"][0]["agents"][0]["bonus"] = serde_json::json!("1.00");
        v["results"]["periods"][0]["agents"][0]["grade"] = serde_json::json!("Z");
        let pv = preview(&serde_json::to_string(&v).unwrap()).unwrap();
        let Snapshot::Differs(diffs) = &pv.snapshot else { panic!("{:?}", pv.snapshot) };
        let fields: Vec<Field> = diffs.iter().map(|d| d.field).collect();
        assert_eq!(fields, vec![Field::Total, Field::Grade, Field::Bonus]);
        assert!(diffs.iter().all(|d| d.period == period && d.agent.as_deref() == Some(agent.as_str())));
        let name = wb.agent(&agent).unwrap().name.clone();
        let en = diffs[2].message(&wb, Lang::En);
        assert!(en.contains(&name) && en.contains("bonus 1.00 in the file"), "{en}");
        assert!(diffs[0].message(&wb, Lang::ZhCn).contains("总分"));

        // A period the file has and the workbook no longer scores, and an unreadable one.
        v["results"]["periods"][0]["period"] = serde_json::json!("1999-01");
        let pv = preview(&serde_json::to_string(&v).unwrap()).unwrap();
        let Snapshot::Differs(diffs) = &pv.snapshot else { panic!() };
        assert!(diffs.iter().any(|d| d.field == Field::Period && d.in_file.as_deref() == Some("1999-01")));
        assert!(diffs.iter().any(|d| d.field == Field::Period && d.now.as_deref() == Some(period.as_str())));
        v["results"] = serde_json::json!([1, 2]);
        assert_eq!(preview(&serde_json::to_string(&v).unwrap()).unwrap().snapshot, Snapshot::Unreadable);
    }

    #[test]
    fn exports_open_as_workbooks_and_the_scheme_export_has_no_people() {
        for p in presets::PRESETS {
            let wb = presets::load(p.id).unwrap().unwrap();
            let text = export_json(&wb, Lang::ZhCn);
            assert_eq!(workbook::parse(&text).unwrap(), wb);
            assert_eq!(export_json(&workbook::parse(&text).unwrap(), Lang::ZhCn), text);
            assert!(text.contains("\"results\": {"));
            let scheme = export_scheme_json(&wb);
            let back = workbook::parse(&scheme).unwrap();
            assert!(back.agents.is_empty() && back.periods.is_empty() && back.records.is_empty());
            assert_eq!(back.scheme, wb.scheme);
            assert!(!scheme.contains("\"results\""));
            for a in &wb.agents {
                assert!(!scheme.contains(&format!("\"{}\"", a.name)), "{}: agent name in the scheme export", p.id);
            }
        }
        // Without results (validation errors), the export is exactly the workbook file.
        let mut wb = presets::load("hotel").unwrap().unwrap();
        wb.scheme.indicators[0].metric = Some("no_such_metric".into());
        assert_eq!(export_json(&wb, Lang::En), workbook::to_json(&wb));
    }

    #[test]
    fn a_big_workbook_exports_a_compact_snapshot_that_still_imports() {
        let mut wb = presets::load("hotel").unwrap().unwrap();
        let (agents, records) = (wb.agents.clone(), wb.records.clone());
        for k in 1..400 {
            for a in &agents {
                let mut a = a.clone();
                a.id = format!("{}-{k}", a.id);
                wb.agents.push(a);
            }
            for r in &records {
                let mut r = r.clone();
                r.agent = format!("{}-{k}", r.agent);
                wb.records.push(r);
            }
        }
        assert!(workbook::to_json(&wb).len() < workbook::MAX_BYTES);
        let text = export_json(&wb, Lang::ZhCn);
        assert!(text.len() <= workbook::MAX_BYTES, "{} bytes", text.len());
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["results"]["periods"][0]["agents"][0]["indicators"], serde_json::json!([]));
        let pv = preview(&text).unwrap();
        assert_eq!(pv.workbook, wb);
        assert_eq!(pv.snapshot, Snapshot::Same);
        assert_eq!(export_json(&pv.workbook, Lang::ZhCn), text);
    }

    #[test]
    fn file_size_is_checked_before_reading() {
        assert_eq!(check_file_size(1000.0), Ok(()));
        assert_eq!(check_file_size(workbook::MAX_BYTES as f64), Ok(()));
        assert_eq!(check_file_size(6e6), Err(LoadError::TooLarge { bytes: 6_000_000 }));
        assert!(check_file_size(f64::NAN).is_err());
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(export_file_name("十月 客服/考核: A*B?", "2026-11-23", false), "十月-客服考核-AB-2026-11-23.json");
        assert_eq!(export_file_name("  ..hidden  ", "2026-11-23", true), "hidden-scheme-2026-11-23.json");
        assert_eq!(export_file_name("\u{202E}gpj.exe", "2026-11-23", false), "gpj.exe-2026-11-23.json");
        assert_eq!(export_file_name("<>:\"|", "2026-11-23", false), "scorecard-2026-11-23.json");
        assert_eq!(export_file_name(&"长".repeat(100), "2026-11-23", false).chars().count(), 60 + "-2026-11-23.json".len());
    }

    #[test]
    fn times_and_dates() {
        assert_eq!(iso_utc(T0), "2026-11-23T08:00:00.000Z");
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_utc(951_782_400_123), "2000-02-29T00:00:00.123Z");
        for ms in [0, T0, 951_782_400_123, -86_400_000, 4_102_444_799_999] {
            assert_eq!(parse_iso_utc(&iso_utc(ms)), Some(ms));
        }
        assert_eq!(parse_iso_utc("2026-11-23T08:00:00Z"), Some(T0));
        assert_eq!(parse_iso_utc("garbage"), None);
        assert_eq!(local_date(T0, 0), "2026-11-23");
        assert_eq!(local_date(T0 + 16 * 3_600_000, 8 * 60), "2026-11-24", "Beijing is past midnight");
        assert_eq!(local_date(T0, -9 * 60), "2026-11-22");
        assert_eq!(local_date_time(T0 + 15 * 60_000, 0), "2026-11-23 08:15");
        assert_eq!(local_date_time(T0 + 16 * 3_600_000, 8 * 60), "2026-11-24 08:00");
        assert_eq!(local_date_time(T0, -9 * 60), "2026-11-22 23:00");
        assert_eq!(to_base36(0), "0");
        assert_eq!(to_base36(35), "z");
        assert_eq!(to_base36(36), "10");
    }

    #[test]
    fn a_damaged_baseline_is_dropped_not_fatal() {
        let kv = MemoryKv::new();
        let (_, opened) = open(&kv, T0);
        let key = workbook_key(&opened.doc.id);
        let mut v: Value = serde_json::from_str(&kv.get(&key).unwrap().unwrap()).unwrap();
        v["ui"] = serde_json::json!({ "period": "2026-10", "baseline": { "pinned_at": "x", "period": "2026-10", "agents": [{ "agent": "a", "total": null }] } });
        kv.set(&key, &v.to_string()).unwrap();
        let (mut store, again) = open(&kv, T0 + 1);
        assert_eq!(again.doc.workbook, opened.doc.workbook);
        assert_eq!(again.doc.ui.period.as_deref(), Some("2026-10"));
        assert_eq!(again.doc.ui.baseline, None);
        assert_eq!(again.notices, vec![Notice::UiStateDropped { key }]);
        // The cleaned state is written on the next save.
        assert_eq!(store.save(&again.doc, T0 + 2), Ok(Saved::Written));
    }

    #[test]
    fn every_error_and_notice_has_both_languages() {
        let errors = [
            StoreError::Unavailable,
            StoreError::QuotaExceeded,
            StoreError::Corrupt { key: "k".into(), backup_key: Some("b".into()) },
            StoreError::Corrupt { key: "k".into(), backup_key: None },
            StoreError::NewerElsewhere { counter: 3 },
            StoreError::NewerFormat { key: "k".into(), version: 4 },
            StoreError::NotFound { id: "i".into() },
            StoreError::Template { id: "t".into(), error: LoadError::TooDeep },
            StoreError::Other { message: "m".into() },
        ];
        for e in errors {
            let (zh, en) = (e.message(Lang::ZhCn), e.message(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{e:?}");
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{e:?}");
        }
        for n in [Notice::IndexRebuilt, Notice::UiStateDropped { key: "k".into() }, Notice::QuotaExceeded] {
            assert_ne!(n.message(Lang::ZhCn), n.message(Lang::En));
        }
    }
}
