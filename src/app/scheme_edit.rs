//! Scheme edits that are more than setting one number: changing a rule's kind, adding
//! and removing band rows, tables and indicators, reading a list of place points.

use super::data::unique_id;
use super::paste::{parse_figure, Figure, NumberError};
use crate::model::*;

/// The rule kinds the editor offers, in menu order.
pub const KINDS: &[&str] = &["target", "linear", "bands", "per_occurrence", "rank", "rating", "checklist", "critical", "formula", "tenure"];

/// The translation key of a rule kind's name.
pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        "target" => "rule.target",
        "linear" => "rule.linear",
        "bands" => "rule.bands",
        "per_occurrence" => "rule.per_occurrence",
        "rank" => "rule.rank",
        "rating" => "rule.rating",
        "checklist" => "rule.checklist",
        "critical" => "rule.critical",
        "formula" => "rule.formula",
        _ => "rule.tenure",
    }
}

/// A metric the indicator could read: its own, else the first input metric, else the first.
fn some_metric(scheme: &Scheme, ind: &Indicator) -> Option<String> {
    ind.metric
        .clone()
        .filter(|m| scheme.metric(m).is_some())
        .or_else(|| scheme.metrics.iter().find(|m| m.formula.is_none()).or(scheme.metrics.first()).map(|m| m.id.clone()))
}

/// A sensible new rule of `kind` for an indicator (settings people then adjust).
pub fn default_rule(kind: &str, scheme: &Scheme, ind: &Indicator) -> Rule {
    let w = ind.weight.unwrap_or(10.0);
    let metric = some_metric(scheme, ind);
    match kind {
        "target" => Rule::Target { target: 100.0, cap: 1.0 },
        "linear" => Rule::Linear { from: Anchor { value: 0.0, points: 0.0 }, to: Anchor { value: 100.0, points: w }, below: 0.0 },
        "bands" => Rule::Bands {
            tables: vec![BandTable {
                season: None,
                bands: vec![
                    Band { min: Some(80.0), min_inclusive: true, max: None, max_inclusive: false, points: w },
                    Band { min: Some(60.0), min_inclusive: true, max: Some(80.0), max_inclusive: false, points: w / 2.0 },
                    Band { min: None, min_inclusive: true, max: Some(60.0), max_inclusive: false, points: 0.0 },
                ],
            }],
            gap_points: 0.0,
        },
        "per_occurrence" => Rule::PerOccurrence { each: -1.0, cap: None, none_bonus: 0.0 },
        "rank" => Rule::Rank { places: vec![5.0, 3.0, 1.0], ties: TiePolicy::Competition, below_average: None, scope: RankScope::All },
        "rating" => Rule::Rating { min: 1.0, max: 5.0, drop_extremes: false },
        "checklist" => Rule::Checklist { items: vec![ChecklistItem { id: "c1".into(), text: String::new(), weight: 1.0 }] },
        "critical" => Rule::Critical { when: metric.map_or_else(|| "false".to_string(), |m| format!("{m} > 0")), zeroes: CriticalScope::Total },
        "formula" => Rule::Formula { expr: metric.unwrap_or_else(|| "0".to_string()), min: None, max: None },
        _ => Rule::Tenure { steps: vec![TenureStep { months: 12, points: 1.0 }] },
    }
}

/// Changes indicator `i` to a rule of `kind`. Fills in a metric or a weight when the
/// new rule needs one, and drops raters' scores and ticks recorded for the old rule
/// (they would no longer mean anything). Returns false if nothing changed.
pub fn change_kind(wb: &mut Workbook, i: usize, kind: &str) -> bool {
    let Some(ind) = wb.scheme.indicators.get(i) else { return false };
    if ind.rule.kind() == kind || !KINDS.contains(&kind) {
        return false;
    }
    let rule = default_rule(kind, &wb.scheme, ind);
    let metric = if rule.needs_metric() { some_metric(&wb.scheme, ind) } else { ind.metric.clone() };
    let id = ind.id.clone();
    let Some(ind) = wb.scheme.indicators.get_mut(i) else { return false };
    if rule.uses_weight() && ind.weight.is_none() {
        ind.weight = Some(10.0);
    }
    ind.metric = metric;
    ind.rule = rule;
    for r in &mut wb.records {
        if !matches!(wb.scheme.indicators[i].rule, Rule::Rating { .. }) {
            r.ratings.remove(&id);
        }
        if !matches!(wb.scheme.indicators[i].rule, Rule::Checklist { .. }) {
            r.checks.remove(&id);
        }
    }
    true
}

/// Adds a new indicator at the end and returns its index.
pub fn add_indicator(scheme: &mut Scheme) -> usize {
    let id = unique_id("k", |id| scheme.indicators.iter().any(|x| x.id == id));
    let mut ind = Indicator {
        id,
        name: String::new(),
        metric: None,
        weight: Some(10.0),
        category: None,
        rule: Rule::Rating { min: 1.0, max: 5.0, drop_extremes: false },
        rollup: Rollup::Own,
        applies_to: AppliesTo::All,
    };
    if let Some(m) = some_metric(scheme, &ind) {
        ind.metric = Some(m);
        ind.rule = Rule::Target { target: 100.0, cap: 1.0 };
    }
    scheme.indicators.push(ind);
    scheme.indicators.len() - 1
}

/// Removes indicator `i` with the scores and ticks recorded for it.
pub fn remove_indicator(wb: &mut Workbook, i: usize) -> bool {
    if i >= wb.scheme.indicators.len() {
        return false;
    }
    let ind = wb.scheme.indicators.remove(i);
    for r in &mut wb.records {
        r.ratings.remove(&ind.id);
        r.checks.remove(&ind.id);
    }
    true
}

/// The band tables of indicator `i`, if its rule is bands.
pub fn tables_mut(scheme: &mut Scheme, i: usize) -> Option<&mut Vec<BandTable>> {
    match &mut scheme.indicators.get_mut(i)?.rule {
        Rule::Bands { tables, .. } => Some(tables),
        _ => None,
    }
}

/// Adds a band after the last one of a table, starting where the last one ends.
pub fn add_band(bands: &mut Vec<Band>) {
    let new = match bands.last() {
        Some(last) => match last.max {
            Some(m) => Band { min: Some(m), min_inclusive: !last.max_inclusive, max: None, max_inclusive: false, points: last.points },
            None => *last,
        },
        None => Band { min: None, min_inclusive: true, max: None, max_inclusive: false, points: 0.0 },
    };
    bands.push(new);
}

/// Removes band `b` (a table keeps at least one band).
pub fn remove_band(bands: &mut Vec<Band>, b: usize) -> bool {
    if bands.len() <= 1 || b >= bands.len() {
        return false;
    }
    bands.remove(b);
    true
}

/// Adds a table for a season that has none yet (or the all-year table), copying the
/// first table's bands. Returns false when every season already has a table.
pub fn add_table(scheme: &mut Scheme, i: usize) -> bool {
    let seasons: Vec<Option<String>> = std::iter::once(None).chain(scheme.seasons.iter().map(|s| Some(s.id.clone()))).collect();
    let Some(tables) = tables_mut(scheme, i) else { return false };
    let Some(season) = seasons.into_iter().find(|s| !tables.iter().any(|t| t.season == *s)) else { return false };
    let bands = tables.first().map(|t| t.bands.clone()).unwrap_or_else(|| vec![Band { min: None, min_inclusive: true, max: None, max_inclusive: false, points: 0.0 }]);
    tables.push(BandTable { season, bands });
    true
}

/// Removes table `t` (a rule keeps at least one table).
pub fn remove_table(scheme: &mut Scheme, i: usize, t: usize) -> bool {
    match tables_mut(scheme, i) {
        Some(tables) if tables.len() > 1 && t < tables.len() => {
            tables.remove(t);
            true
        }
        _ => false,
    }
}

/// Reads a list of points per place: `5, 3, 1` or `5 3 1` or `5、3、1`.
pub fn parse_places(text: &str) -> Result<Vec<f64>, NumberError> {
    let mut out = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；')).filter(|t| !t.is_empty()) {
        match parse_figure(token)? {
            Figure::Number(x) => out.push(x),
            Figure::Blank => {}
        }
    }
    Ok(out)
}

/// A list of points as text: `5, 3, 1`.
pub fn places_text(places: &[f64]) -> String {
    places.iter().map(|x| super::paste::plain_number(*x)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{engine, presets, validate};

    fn load(id: &str) -> Workbook {
        presets::load(id).unwrap().unwrap()
    }

    #[test]
    fn every_kind_scores_without_errors() {
        for kind in KINDS {
            let mut wb = load("general");
            for i in 0..wb.scheme.indicators.len() {
                change_kind(&mut wb, i, kind);
                assert_eq!(wb.scheme.indicators[i].rule.kind(), *kind);
            }
            let issues = validate::check(&wb);
            assert!(!validate::has_errors(&issues), "{kind}: {issues:#?}");
            assert!(engine::score_period(&wb, "2026-10").is_ok());
        }
    }

    #[test]
    fn changing_kind_drops_stale_ratings() {
        let mut wb = load("general");
        let q = wb.scheme.indicators.iter().position(|i| i.id == "quality").unwrap();
        assert!(wb.records.iter().any(|r| r.ratings.contains_key("quality")));
        assert!(change_kind(&mut wb, q, "target"));
        assert!(wb.records.iter().all(|r| !r.ratings.contains_key("quality")));
        assert!(wb.scheme.indicators[q].metric.is_some());
        assert!(!change_kind(&mut wb, q, "target"));
        assert!(!change_kind(&mut wb, q, "nonsense"));
        assert!(!change_kind(&mut wb, 99, "target"));
        assert!(!validate::has_errors(&validate::check(&wb)));
    }

    #[test]
    fn indicators_added_and_removed() {
        let mut wb = load("general");
        let n = wb.scheme.indicators.len();
        let i = add_indicator(&mut wb.scheme);
        assert_eq!(i, n);
        assert_eq!(wb.scheme.indicators[i].id, "k1");
        assert!(!validate::has_errors(&validate::check(&wb)));
        assert!(remove_indicator(&mut wb, 4)); // quality, with ratings in the records
        assert!(wb.records.iter().all(|r| r.ratings.is_empty()));
        assert!(!validate::has_errors(&validate::check(&wb)));
        assert!(!remove_indicator(&mut wb, 99));
    }

    #[test]
    fn band_rows_and_tables() {
        let mut bands = vec![Band { min: None, min_inclusive: true, max: Some(60.0), max_inclusive: false, points: 0.0 }];
        add_band(&mut bands);
        assert_eq!(bands[1], Band { min: Some(60.0), min_inclusive: true, max: None, max_inclusive: false, points: 0.0 });
        assert!(validate::band_coverage_gaps(&bands).is_empty());
        assert!(remove_band(&mut bands, 0));
        assert!(!remove_band(&mut bands, 0));
        let mut empty = vec![];
        add_band(&mut empty);
        assert_eq!(empty.len(), 1);

        let mut wb = load("courier");
        let i = wb.scheme.indicators.iter().position(|x| matches!(x.rule, Rule::Bands { .. })).unwrap();
        // peak and off already have tables: the all-year table can still be added.
        assert!(add_table(&mut wb.scheme, i));
        assert!(!add_table(&mut wb.scheme, i));
        assert!(remove_table(&mut wb.scheme, i, 2));
        assert!(!validate::has_errors(&validate::check(&wb)));
        assert!(!remove_table(&mut wb.scheme, 0, 5));
    }

    #[test]
    fn places_lists() {
        assert_eq!(parse_places("5, 3, 1"), Ok(vec![5.0, 3.0, 1.0]));
        assert_eq!(parse_places("5 3 −1"), Ok(vec![5.0, 3.0, -1.0]));
        assert_eq!(parse_places("5、3，1"), Ok(vec![5.0, 3.0, 1.0]));
        assert_eq!(parse_places(""), Ok(vec![]));
        assert!(parse_places("5, x").is_err());
        assert_eq!(places_text(&[5.0, 2.5]), "5, 2.5");
    }
}
