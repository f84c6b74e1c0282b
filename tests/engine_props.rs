//! Properties of the engine over random inputs: a better figure never lowers points
//! under a monotonic rule; caps and floors hold; pool shares sum to the pool.

use proptest::prelude::*;
use rust_decimal::Decimal;
use scorecard::engine::{self, money, rules};
use scorecard::model::*;

/// A monotonic band table: increasing lower edges, non-decreasing points.
fn monotonic_bands() -> impl Strategy<Value = Vec<Band>> {
    prop::collection::vec((1.0f64..100.0, -5.0f64..5.0), 1..6).prop_map(|steps| {
        let mut edge = 0.0;
        let mut pts: f64 = -10.0;
        let mut bands = vec![];
        let mut prev: Option<f64> = None;
        for (width, dp) in steps {
            edge += width;
            pts += dp.abs();
            bands.push(Band { min: prev, min_inclusive: true, max: Some(edge), max_inclusive: false, points: pts - 1.0 });
            prev = Some(edge);
        }
        bands.push(Band { min: prev, min_inclusive: true, max: None, max_inclusive: false, points: pts });
        bands
    })
}

proptest! {
    #[test]
    fn better_figures_never_score_lower_under_target(a in 0.0f64..2000.0, b in 0.0f64..2000.0, target in 1.0f64..1000.0, cap in 0.5f64..2.0, weight in 0.0f64..50.0) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        // Higher is better: more is at least as good.
        prop_assert!(rules::target(hi, target, false, cap, weight).0 >= rules::target(lo, target, false, cap, weight).0);
        // Lower is better: less is at least as good.
        prop_assert!(rules::target(lo, target, true, cap, weight).0 >= rules::target(hi, target, true, cap, weight).0);
        // Never above weight × cap, never below 0.
        let p = rules::target(a, target, false, cap, weight).0;
        prop_assert!(p >= 0.0 && p <= weight * cap + 1e-9);
    }

    #[test]
    fn better_figures_never_score_lower_under_monotonic_bands(bands in monotonic_bands(), a in -50.0f64..700.0, b in -50.0f64..700.0) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let p = |v: f64| bands[rules::find_band(v, &bands).expect("the table covers every value")].points;
        prop_assert!(p(hi) >= p(lo));
    }

    #[test]
    fn better_figures_never_score_lower_under_linear(a in -100.0f64..300.0, b in -100.0f64..300.0, x0 in 0.0f64..100.0, span in 1.0f64..100.0, p0 in 0.0f64..10.0, dp in 0.0f64..20.0) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let from = Anchor { value: x0, points: p0 };
        let to = Anchor { value: x0 + span, points: p0 + dp };
        prop_assert!(rules::linear(hi, from, to, 0.0).0 >= rules::linear(lo, from, to, 0.0).0);
    }

    #[test]
    fn per_occurrence_respects_its_cap(count in 0u32..1000, each in -5.0f64..5.0, cap in 0.0f64..50.0) {
        let (p, _) = rules::per_occurrence(f64::from(count), each, Some(cap), 0.0);
        prop_assert!(p.abs() <= cap + 1e-9);
    }

    #[test]
    fn category_floors_caps_and_total_clamps_hold(counts in prop::collection::vec(0u32..40, 1..12), floor in -10.0f64..5.0, extra in 0.0f64..30.0) {
        let cap = floor + extra;
        let mut wb = Workbook::new("p");
        wb.scheme.metrics.push(Metric { id: "v".into(), name: String::new(), unit: String::new(), better: Better::Lower, count: true, formula: None });
        wb.scheme.categories.push(Category { id: "c".into(), name: String::new(), full: Some(20.0), cap: Some(cap), floor: Some(floor) });
        wb.scheme.indicators.push(Indicator { id: "v".into(), name: String::new(), metric: Some("v".into()), weight: None, category: Some("c".into()), rule: Rule::PerOccurrence { each: -0.5, cap: None, none_bonus: 1.0 }, rollup: Rollup::Own, applies_to: AppliesTo::All });
        wb.scheme.total = TotalRule { method: TotalMethod::Sum, base: 0.0, min: Some(0.0), max: Some(15.0), round_up: None, decimals: 2 };
        wb.periods.push(Period { id: "2026-10".into(), name: String::new(), start: None, end: None, parent: None });
        for (i, c) in counts.iter().enumerate() {
            wb.agents.push(Agent { id: format!("a{i}"), name: String::new(), team: String::new(), hire_date: None, base_pay: None });
            let mut r = Record { agent: format!("a{i}"), period: "2026-10".into(), ..Record::default() };
            r.figures.insert("v", f64::from(*c));
            wb.records.push(r);
        }
        let r = engine::score(&wb).expect("valid");
        for a in r.periods[0].agents() {
            prop_assert!(a.categories[0].points >= floor - 1e-9 && a.categories[0].points <= cap + 1e-9);
            prop_assert!(a.total >= 0.0 && a.total <= 15.0);
        }
        // Ranks are 1-based, in order, and ties share a rank.
        let ranks: Vec<u32> = r.periods[0].agents().map(|a| a.rank).collect();
        prop_assert_eq!(ranks[0], 1);
        prop_assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn pool_shares_sum_exactly_to_the_pool(cents in 0i64..100_000_000, weights in prop::collection::vec(-100i64..100_000, 1..40)) {
        let pool = Decimal::new(cents, 2);
        let ws: Vec<Decimal> = weights.iter().map(|w| Decimal::new(*w, 2)).collect();
        match money::split_pool(pool, &ws) {
            Some(shares) => {
                prop_assert_eq!(shares.iter().copied().sum::<Decimal>(), pool);
                for (s, w) in shares.iter().zip(&weights) {
                    prop_assert!(*s >= Decimal::ZERO);
                    if *w <= 0 { prop_assert_eq!(*s, Decimal::ZERO); }
                }
            }
            None => prop_assert!(weights.iter().all(|w| *w <= 0)),
        }
    }

    #[test]
    fn pool_split_of_totals_reads_them_as_written(cents in 0i64..100_000_000, totals in prop::collection::vec(prop_oneof![-50.0f64..150.0, (-5000i64..15000).prop_map(|c| c as f64 / 100.0), Just(0.0), Just(-0.0), 1e6f64..1e9, Just(f64::NAN)], 1..40)) {
        // The engine's split (totals as f64) equals the split of the decimals they read as.
        let pool = Decimal::new(cents, 2);
        let decimals: Vec<Decimal> = totals.iter().map(|&t| money::decimal(t).unwrap_or(Decimal::ZERO)).collect();
        prop_assert_eq!(money::split_pool_f64(pool, &totals), money::split_pool(pool, &decimals));
    }

    #[test]
    fn cents_rounding_is_within_half_a_cent(units in -1_000_000_000i64..1_000_000_000, scale in 0u32..6) {
        let d = Decimal::new(units, scale);
        let r = money::cents(d, Rounding::HalfUp);
        prop_assert!((r - d).abs() <= Decimal::new(5, 3));
        prop_assert_eq!(r.scale(), 2);
    }
}
