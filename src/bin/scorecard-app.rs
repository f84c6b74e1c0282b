//! The full web app (wasm32): the results with every editor, My workbooks, import and
//! export, undo. The first page load runs the lighter results-first page
//! (`src/main.rs` built with the `viewer` feature, see `scorecard::ui::viewer`), which
//! loads this module with `import()` when the person first reaches for an editor; this
//! module then takes the page over (`scorecard::ui::start`: the shown period, language,
//! sort and the control that was used are handed over). Built by
//! scripts/build-extras.sh. Natively this binary does nothing.
fn main() {
    #[cfg(target_arch = "wasm32")]
    scorecard::ui::start();
}
