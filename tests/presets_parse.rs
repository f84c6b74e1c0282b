//! The four built-in preset workbooks parse as `model::Workbook`, are internally
//! consistent (every reference resolves, every agent has a record in every period,
//! weights total 100 in weighted schemes), are written in the model's own serde form,
//! and still carry the special cases they were planted with.

use rust_decimal::prelude::*;
use scorecard::model::{self, BonusKind, Rule, TotalMethod, Workbook};
use std::collections::BTreeSet;

const PRESETS: [(&str, &str); 4] = [
    ("general", include_str!("../presets/general.json")),
    ("courier", include_str!("../presets/courier.json")),
    ("ecommerce", include_str!("../presets/ecommerce.json")),
    ("hotel", include_str!("../presets/hotel.json")),
];

fn parse(name: &str, text: &str) -> Workbook {
    serde_json::from_str::<Workbook>(text).unwrap_or_else(|e| panic!("presets/{name}.json does not parse: {e}"))
}

fn preset(name: &str) -> Workbook {
    let (_, text) = PRESETS.iter().find(|(n, _)| *n == name).expect("known preset");
    parse(name, text)
}

fn unique<'a>(name: &str, what: &str, ids: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    for id in ids {
        assert!(!id.is_empty(), "{name}: empty {what} id");
        assert!(id.is_ascii(), "{name}: {what} id {id:?} is not ASCII");
        assert!(seen.insert(id), "{name}: duplicate {what} id {id:?}");
    }
    seen
}

#[test]
fn every_preset_parses_and_is_consistent() {
    for (name, text) in PRESETS {
        let wb = parse(name, text);
        let s = &wb.scheme;

        assert_eq!(wb.format, model::FORMAT, "{name}: format");
        assert_eq!(wb.version, model::VERSION, "{name}: version");
        assert!(!wb.app_version.is_empty(), "{name}: app_version");
        assert!(!wb.meta.title.is_empty(), "{name}: meta.title");
        assert!(!wb.meta.notes.is_empty(), "{name}: meta.notes");

        let metrics = unique(name, "metric", s.metrics.iter().map(|m| m.id.as_str()));
        unique(name, "indicator", s.indicators.iter().map(|i| i.id.as_str()));
        let categories = unique(name, "category", s.categories.iter().map(|c| c.id.as_str()));
        let seasons = unique(name, "season", s.seasons.iter().map(|x| x.id.as_str()));
        unique(name, "bonus", s.bonus.iter().map(|b| b.id.as_str()));
        let agents = unique(name, "agent", wb.agents.iter().map(|a| a.id.as_str()));
        let periods = unique(name, "period", wb.periods.iter().map(|p| p.id.as_str()));

        assert!((6..=10).contains(&wb.agents.len()), "{name}: {} agents, want 6–10", wb.agents.len());
        assert!(wb.periods.len() >= 2, "{name}: fewer than two periods");
        for a in &wb.agents {
            assert!(!a.name.is_empty() && !a.team.is_empty(), "{name}: agent {} lacks a name or team", a.id);
        }
        for p in &wb.periods {
            if let Some(parent) = &p.parent {
                assert!(periods.contains(parent.as_str()), "{name}: period {} has unknown parent {parent}", p.id);
            }
        }
        for season in &s.seasons {
            assert!(season.months.iter().all(|m| (1..=12).contains(m)), "{name}: season {} months", season.id);
        }

        for ind in &s.indicators {
            if let Some(m) = &ind.metric {
                assert!(metrics.contains(m.as_str()), "{name}: indicator {} reads unknown metric {m}", ind.id);
            }
            assert!(
                !ind.rule.needs_metric() || ind.metric.is_some(),
                "{name}: indicator {} ({}) needs a metric",
                ind.id,
                ind.rule.kind()
            );
            if let Some(c) = &ind.category {
                assert!(categories.contains(c.as_str()), "{name}: indicator {} in unknown category {c}", ind.id);
            }
            if let Rule::Bands { tables, .. } = &ind.rule {
                assert!(!tables.is_empty(), "{name}: indicator {} has no band table", ind.id);
                for t in tables {
                    assert!(!t.bands.is_empty(), "{name}: indicator {} has an empty band table", ind.id);
                    if let Some(season) = &t.season {
                        assert!(seasons.contains(season.as_str()), "{name}: indicator {} unknown season {season}", ind.id);
                    }
                }
            }
        }
        if s.total.method == TotalMethod::Weighted {
            let total = s.weight_total();
            assert!((total - 100.0).abs() < 1e-9, "{name}: weights total {total}, not 100");
        }

        for b in &s.bonus {
            let used: Vec<&str> = match &b.kind {
                BonusKind::Commission { sales, completion, tiers, .. } => {
                    assert!(!tiers.is_empty(), "{name}: bonus {} has no tiers", b.id);
                    vec![sales.as_str(), completion.as_str()]
                }
                BonusKind::Product { factors } => {
                    assert!(factors.iter().all(|f| f.metric.is_some() != f.value.is_some()), "{name}: bonus {} factor", b.id);
                    factors.iter().filter_map(|f| f.metric.as_deref()).collect()
                }
                _ => Vec::new(),
            };
            for m in used {
                assert!(metrics.contains(m), "{name}: bonus {} reads unknown metric {m}", b.id);
            }
        }

        let mut seen = BTreeSet::new();
        for r in &wb.records {
            assert!(agents.contains(r.agent.as_str()), "{name}: record for unknown agent {}", r.agent);
            assert!(periods.contains(r.period.as_str()), "{name}: record for unknown period {}", r.period);
            assert!(seen.insert((r.agent.as_str(), r.period.as_str())), "{name}: two records for {} {}", r.agent, r.period);
            for (m, v) in &r.figures {
                let metric = s.metric(m).unwrap_or_else(|| panic!("{name}: {} {} has unknown figure {m}", r.agent, r.period));
                assert!(metric.formula.is_none(), "{name}: {} {} types in derived metric {m}", r.agent, r.period);
                assert!(v.is_finite(), "{name}: {} {} figure {m} is not finite", r.agent, r.period);
                if metric.count {
                    assert!(*v >= 0.0 && v.fract() == 0.0, "{name}: {} {} count {m} = {v}", r.agent, r.period);
                }
            }
            for (id, scores) in &r.ratings {
                let ind = s.indicators.iter().find(|i| &i.id == id);
                let Some(model::Indicator { rule: Rule::Rating { min, max, .. }, .. }) = ind else {
                    panic!("{name}: {} {} has ratings for {id}, which is not a rating indicator", r.agent, r.period)
                };
                for x in scores.iter().flatten() {
                    assert!(x >= min && x <= max, "{name}: {} {} rating {x} outside {min}–{max}", r.agent, r.period);
                }
            }
        }
        for a in &agents {
            for p in &periods {
                assert!(seen.contains(&(*a, *p)), "{name}: agent {a} has no record in period {p}");
            }
        }
    }
}

/// The files are exactly the model's serde form (what the app itself would save):
/// parsing and writing back gives the same JSON value.
#[test]
fn every_preset_is_in_canonical_form() {
    for (name, text) in PRESETS {
        let wb = parse(name, text);
        let original: serde_json::Value = serde_json::from_str(text).unwrap();
        let written = serde_json::to_value(&wb).unwrap();
        assert_eq!(written, original, "presets/{name}.json is not in the model's serde form");
        assert!(text.starts_with("{\n  \"format\""), "{name}: not pretty-printed with 2-space indent");
    }
}

#[test]
fn courier_february_is_off_peak_and_bands_have_both_seasons() {
    let wb = preset("courier");
    let season_of = |month: u32| wb.scheme.seasons.iter().find(|s| s.months.contains(&month)).map(|s| s.id.as_str());
    assert_eq!(season_of(2), Some("off"));
    assert_eq!(season_of(3), Some("peak"));
    for m in 1..=12 {
        assert_eq!(wb.scheme.seasons.iter().filter(|s| s.months.contains(&m)).count(), 1, "month {m} in one season");
    }
    assert!(wb.period("2026-02").is_some(), "a February period");
    for ind in wb.scheme.indicators.iter().filter(|i| i.category.as_deref() == Some("efficiency")) {
        let Rule::Bands { tables, .. } = &ind.rule else { panic!("{} is not bands", ind.id) };
        let seasons: BTreeSet<_> = tables.iter().filter_map(|t| t.season.as_deref()).collect();
        assert_eq!(seasons, BTreeSet::from(["off", "peak"]), "{}", ind.id);
    }
    // February's 650 calls is exactly the off-peak target.
    assert_eq!(wb.record("a1", "2026-02").unwrap().figures["calls"], 650.0);
}

#[test]
fn ecommerce_weeks_roll_into_the_month_and_the_planted_figures_are_there() {
    let wb = preset("ecommerce");
    let weeks: Vec<_> = wb.periods.iter().filter(|p| p.parent.as_deref() == Some("2026-10")).collect();
    assert_eq!(weeks.len(), 4);
    let ranks = wb.scheme.indicators.iter().filter(|i| matches!(i.rule, Rule::Rank { .. })).count();
    assert_eq!(ranks, 4);

    // 47 % × 39.55 % × 1 % × 500,135.60 = 929.68 (conversion from the month's own figures).
    let m = &wb.record("a1", "2026-10").unwrap().figures;
    assert_eq!(m["completion"], 47.0);
    assert_eq!(m["sales"], 500135.6);
    assert_eq!(m["inquirers"], 4000.0);
    assert_eq!(m["final_payers"] + m["later_payers"], 1582.0);
    let d = |s: &str| Decimal::from_str(s).unwrap();
    let amount = d("0.47") * (d("1582") / d("4000")) * d("0.01") * d("500135.60");
    assert_eq!(amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero), d("929.68"));

    // The source's worked week: 2475 / 3076 = 80.46 %, (509 + 317) / 915 = 90.27 %.
    let w = &wb.record("a2", "2026-W40").unwrap().figures;
    assert_eq!((w["contacts"], w["inquirers"], w["orderers"]), (3076.0, 2475.0, 915.0));
    assert_eq!((w["final_payers"], w["later_payers"]), (509.0, 317.0));

    // At least one month completion falls in a gap of the completion bands (50–60 or 100–130).
    let in_gap = wb
        .records
        .iter()
        .filter(|r| r.period == "2026-10")
        .filter_map(|r| r.figures.get("completion"))
        .any(|c| (50.0..60.0).contains(c) || (100.0..130.0).contains(c));
    assert!(in_gap, "no completion in a band gap");
}

#[test]
fn hotel_has_a_score_that_rounds_up() {
    let wb = preset("hotel");
    let ru = wb.scheme.total.round_up.expect("round_up");
    assert_eq!((ru.from, ru.to), (95.0, 100.0));
    let mean = |v: &Vec<Option<f64>>| {
        let xs: Vec<f64> = v.iter().flatten().copied().collect();
        xs.iter().sum::<f64>() / xs.len() as f64
    };
    let reaches = wb.records.iter().any(|r| {
        let w = wb.scheme.indicators.iter().map(|i| mean(&r.ratings[&i.id]) / 100.0 * i.weight.unwrap()).sum::<f64>();
        w >= 95.0 - 1e-9
    });
    assert!(reaches, "no agent reaches 95");
    assert!(wb.records.iter().any(|r| r.ratings.values().any(|v| v.contains(&None))), "no N/A rating");
    let p = wb.period("2026-10").unwrap();
    assert_eq!((p.start.as_deref(), p.end.as_deref()), (Some("2026-09-21"), Some("2026-10-20")));
}
