//! The web app's entry point, mounted by Trunk (see index.html).
fn main() {}
