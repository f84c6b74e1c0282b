//! The headless CLI.
fn main() {}
