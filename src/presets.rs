//! The four built-in templates, compiled into the program from `presets/*.json`.

use crate::model::Workbook;
use crate::workbook::{self, LoadError};

/// A built-in template.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// `general`, `courier`, `ecommerce`, `hotel`.
    pub id: &'static str,
    /// Translation key of the one-line description (see `i18n`).
    pub summary_key: &'static str,
    /// Translation key of the template's name.
    pub name_key: &'static str,
    pub json: &'static str,
}

/// The web app compiles in only the default template; the others are not part of the
/// first load and are fetched from `presets/<id>.json` (copied next to the page by
/// Trunk) when chosen. Native programs (CLI, tests) have them all.
#[cfg(target_arch = "wasm32")]
macro_rules! later {
    ($path:literal) => {
        ""
    };
}
#[cfg(not(target_arch = "wasm32"))]
macro_rules! later {
    ($path:literal) => {
        include_str!($path)
    };
}

pub const PRESETS: &[Preset] = &[
    Preset { id: "general", name_key: "preset.general.name", summary_key: "preset.general.summary", json: include_str!("../presets/general.json") },
    Preset { id: "courier", name_key: "preset.courier.name", summary_key: "preset.courier.summary", json: later!("../presets/courier.json") },
    Preset { id: "ecommerce", name_key: "preset.ecommerce.name", summary_key: "preset.ecommerce.summary", json: later!("../presets/ecommerce.json") },
    Preset { id: "hotel", name_key: "preset.hotel.name", summary_key: "preset.hotel.summary", json: later!("../presets/hotel.json") },
];

/// The template opened on first use.
pub const DEFAULT: &str = "general";

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// Reads a compiled-in template. `None` for an unknown id, and on the web for a
/// template that is not compiled in: fetch [`url`] and parse it with
/// [`workbook::parse`]. The templates are checked by tests, so an error means a broken
/// file was shipped; it says which.
pub fn load(id: &str) -> Option<Result<Workbook, LoadError>> {
    find(id).filter(|p| !p.json.is_empty()).map(|p| workbook::parse(p.json))
}

/// Where the web app finds a template that is not compiled in, relative to the page.
pub fn url(id: &str) -> String {
    format!("presets/{id}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_loads_validates_and_scores() {
        for p in PRESETS {
            let wb = load(p.id).unwrap().unwrap_or_else(|e| panic!("preset {} does not load: {e}", p.id));
            let issues = crate::validate::check(&wb);
            assert!(!crate::validate::has_errors(&issues), "preset {} has errors: {issues:#?}", p.id);
            let results = crate::engine::score(&wb).unwrap();
            assert!(results.periods.len() >= 2, "preset {} needs at least two periods", p.id);
            for period in &results.periods {
                assert!((6..=10).contains(&period.len()), "preset {} period {} has {} agents", p.id, period.period, period.len());
            }
        }
    }
}
