//! The seam for saving the workbook in the browser (localStorage persistence is built
//! separately, in `crate::store` / `crate::web_storage`).
//!
//! - [`load`] is asked once at start-up for saved workbook text; the app opens it with
//!   `Session::from_json` (and falls back to the default template when it is `None` or
//!   does not read).
//! - [`changed`] is called after every edit (typing, paste, undo, template …). It only
//!   (re)starts a short timer; when the person pauses, [`save`] gets the session and
//!   should store `session.to_json()` (the canonical workbook file text). Serialising
//!   is left to the timer so typing in a grid of 2,000 agents stays fast.
//!
//! Until the store exists, [`load`] returns `None` and [`save`] does nothing.

use super::Ctx;
use crate::app::session::Session;
use leptos::prelude::*;
use std::cell::RefCell;
use std::time::Duration;

/// How long after the last edit the workbook is saved.
pub const SAVE_DELAY: Duration = Duration::from_millis(600);

thread_local! {
    static TIMER: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
}

/// Saved workbook text, if any.
pub fn load() -> Option<String> {
    None
}

/// Stores the session. Wire the localStorage store in here:
/// `store::save(&session.to_json())`.
pub fn save(_session: &Session) {}

/// Called after every edit: saves once the edits pause.
pub(crate) fn changed(ctx: &Ctx) {
    let s = ctx.s;
    TIMER.with(|t| {
        if let Some(h) = t.borrow_mut().take() {
            h.clear();
        }
        let h = set_timeout_with_handle(move || s.try_with_value(save).unwrap_or(()), SAVE_DELAY).ok();
        *t.borrow_mut() = h;
    });
}
