//! Golden tests: each preset's full results JSON (English and Chinese explanations)
//! is checked in under tests/golden/ and compared. A change in any score, rank,
//! grade, bonus or explanation shows up as a diff. After an intended change, refresh
//! with `UPDATE_GOLDEN=1 cargo test --test golden` and review the diff.

use scorecard::i18n::Lang;
use scorecard::{engine, presets, report};

#[test]
fn preset_results_match_the_checked_in_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatched = Vec::new();
    for p in presets::PRESETS {
        let wb = presets::load(p.id).expect("known preset").expect("preset loads");
        let results = engine::score(&wb).expect("preset scores");
        for (lang, suffix) in [(Lang::En, "en"), (Lang::ZhCn, "zh-CN")] {
            let text = report::to_json(&report::document(&wb, &results, lang)) + "\n";
            let path = dir.join(format!("{}.{suffix}.json", p.id));
            if update {
                std::fs::write(&path, &text).expect("golden file is writable");
                continue;
            }
            let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing {}; run UPDATE_GOLDEN=1 cargo test --test golden", path.display()));
            if expected != text {
                let line = expected.lines().zip(text.lines()).position(|(a, b)| a != b).unwrap_or(0);
                mismatched.push(format!(
                    "{} differs from line {}:\n  expected: {}\n  actual:   {}",
                    path.display(),
                    line + 1,
                    expected.lines().nth(line).unwrap_or(""),
                    text.lines().nth(line).unwrap_or("")
                ));
            }
        }
    }
    assert!(mismatched.is_empty(), "{}", mismatched.join("\n"));
}
