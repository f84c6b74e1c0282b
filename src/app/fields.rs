//! From a validation issue's place (`records[12].figures.csat`) to the grid cell it
//! concerns, so the cell can say what is wrong; and from a place to the element id of
//! the field that edits it.

use super::history::CellKey;
use crate::model::Workbook;

/// An element id for the field that edits `place`: `prefix` then the place with every
/// run of other characters than ASCII letters, digits and `_` as one `-`
/// (`scheme.indicators[0].weight` → `f-scheme-indicators-0-weight`). With `trim`, no
/// `-` at the end (`…[0]` → `…-0`).
pub fn place_id(prefix: &str, place: &str, trim: bool) -> String {
    let mut s = String::with_capacity(place.len() + prefix.len());
    s.push_str(prefix);
    let mut dash = false;
    for ch in place.chars() {
        let ok = ch.is_ascii_alphanumeric() || ch == '_';
        if ok {
            s.push(ch);
        } else if !dash {
            s.push('-');
        }
        dash = !ok;
    }
    if trim {
        while s.ends_with('-') {
            s.pop();
        }
    }
    s
}

/// The (agent, period, cell) a record place points at, if it is one.
pub fn record_cell(wb: &Workbook, place: &str) -> Option<(String, String, CellKey)> {
    let rest = place.strip_prefix("records[")?;
    let (index, rest) = rest.split_once(']')?;
    let r = wb.records.get(index.parse::<usize>().ok()?)?;
    let rest = rest.strip_prefix('.')?;
    let key = if let Some(m) = rest.strip_prefix("figures.") {
        CellKey::Figure(m.to_string())
    } else if let Some(i) = rest.strip_prefix("ratings.") {
        // `ratings.quality` or `ratings.quality[2]`
        CellKey::Ratings(i.split('[').next().unwrap_or(i).to_string())
    } else {
        return None;
    };
    Some((r.agent.clone(), r.period.clone(), key))
}

/// The index of the indicator a scheme place is about (`scheme.indicators[3]…` → 3).
pub fn indicator_of(place: &str) -> Option<usize> {
    place.strip_prefix("scheme.indicators[")?.split(']').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_to_cells() {
        let wb = crate::presets::load("general").unwrap().unwrap();
        let r = &wb.records[3];
        assert_eq!(record_cell(&wb, "records[3].figures.csat"), Some((r.agent.clone(), r.period.clone(), CellKey::Figure("csat".into()))));
        assert_eq!(record_cell(&wb, "records[3].ratings.quality[1]"), Some((r.agent.clone(), r.period.clone(), CellKey::Ratings("quality".into()))));
        assert_eq!(record_cell(&wb, "records[3].agent"), None);
        assert_eq!(record_cell(&wb, "records[999].figures.csat"), None);
        assert_eq!(record_cell(&wb, "records[x].figures.csat"), None);
        assert_eq!(record_cell(&wb, "scheme.indicators[0].weight"), None);
        assert_eq!(indicator_of("scheme.indicators[12].rule.tables[0].bands"), Some(12));
        assert_eq!(indicator_of("scheme.total.method"), None);
    }
}

#[cfg(test)]
mod place_id_tests {
    #[test]
    fn ids_from_places() {
        assert_eq!(super::place_id("f-", "scheme.indicators[0].weight", false), "f-scheme-indicators-0-weight");
        assert_eq!(super::place_id("f-", "scheme.indicators[0]", false), "f-scheme-indicators-0-");
        assert_eq!(super::place_id("e-", "scheme.metrics[12]", true), "e-scheme-metrics-12");
        assert_eq!(super::place_id("e-", "scheme.bonus[0].tiers[1].rate", true), "e-scheme-bonus-0-tiers-1-rate");
    }
}
