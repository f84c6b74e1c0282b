//! The web app's entry point, mounted by Trunk (see index.html). The UI is in
//! `scorecard::ui` (wasm32 only); natively this binary does nothing.
fn main() {
    #[cfg(target_arch = "wasm32")]
    scorecard::ui::start();
}
