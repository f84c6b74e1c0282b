//! Fuzzes what happens to a file someone imports: `workbook::parse` (limits, header,
//! migration, shape), then validation, scoring, the results document and its
//! explanations in both languages, export, and the import preview.
//!
//! Invariants: nothing panics; a file that opens exports to a file that opens.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scorecard::i18n::Lang;
use scorecard::{engine, explain, report, store, validate, workbook};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = store::preview(text);
    let wb = match workbook::parse(text) {
        Ok(wb) => wb,
        Err(e) => {
            let _ = explain::load_error(&e, Lang::ZhCn);
            return;
        }
    };
    for issue in validate::check(&wb) {
        let _ = explain::issue(&issue, Lang::En);
    }
    if let Ok(results) = engine::score(&wb) {
        for lang in Lang::ALL {
            let _ = report::to_json(&report::document(&wb, &results, lang));
        }
    }
    let exported = store::export_json(&wb, Lang::En);
    if let Err(e) = workbook::parse(&exported) {
        panic!("the export of a file that opened does not open: {e}");
    }
    let _ = workbook::parse(&store::export_scheme_json(&wb)).expect("the scheme-only export opens");
});
