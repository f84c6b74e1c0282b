//! From a validation issue's place (`records[12].figures.csat`) to the grid cell it
//! concerns, so the cell can say what is wrong.

use super::history::CellKey;
use crate::model::Workbook;

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
