//! One function per rule kind: a figure (or ratings, ticks, months of service) in,
//! points and the reason out. Pure functions over plain numbers; the orchestration
//! (which value, which season, which group) is in [`super`].

use crate::model::{Anchor, Band, ChecklistItem, Check, TenureStep};
use crate::results::Why;
use std::collections::BTreeMap;

/// points = weight × clamp(value / target, 0, cap); target / value when lower is better.
pub fn target(value: f64, target: f64, lower_better: bool, cap: f64, weight: f64) -> (f64, Why) {
    let raw = if lower_better {
        if value <= 0.0 {
            // Nothing to improve on: a zero response time is the best possible.
            cap
        } else {
            target / value
        }
    } else if target == 0.0 {
        cap
    } else {
        value / target
    };
    let share = raw.clamp(0.0, cap.max(0.0));
    (weight * share, Why::Target { share })
}

/// A straight line between two anchors; `below` before the first anchor; the second
/// anchor's points beyond it. Works in either direction (for lower-is-better figures
/// put the larger value first).
pub fn linear(value: f64, from: Anchor, to: Anchor, below: f64) -> (f64, Why) {
    let span = to.value - from.value;
    if span == 0.0 {
        return if value >= from.value {
            (to.points, Why::Linear { clamped: true })
        } else {
            (below, Why::LinearBelow)
        };
    }
    let t = (value - from.value) / span;
    if t < 0.0 {
        return (below, Why::LinearBelow);
    }
    let clamped = t > 1.0;
    let t = t.min(1.0);
    (from.points + t * (to.points - from.points), Why::Linear { clamped })
}

/// Whether `value` lies inside the band.
pub fn in_band(value: f64, band: &Band) -> bool {
    let above_min = match band.min {
        None => true,
        Some(min) if band.min_inclusive => value >= min,
        Some(min) => value > min,
    };
    let below_max = match band.max {
        None => true,
        Some(max) if band.max_inclusive => value <= max,
        Some(max) => value < max,
    };
    above_min && below_max
}

/// The first band holding the value, if any.
pub fn find_band(value: f64, bands: &[Band]) -> Option<usize> {
    bands.iter().position(|b| in_band(value, b))
}

/// count × each, its size capped; `none_bonus` for a clean record.
pub fn per_occurrence(count: f64, each: f64, cap: Option<f64>, none_bonus: f64) -> (f64, Why) {
    if count == 0.0 && none_bonus != 0.0 {
        return (none_bonus, Why::PerOccurrenceNone);
    }
    let raw = count * each;
    let (points, capped) = match cap {
        Some(cap) if raw.abs() > cap.abs() => (cap.abs().copysign(raw), true),
        _ => (raw, false),
    };
    (points, Why::PerOccurrence { capped })
}

/// Mean of the raters' scores (N/A left out; highest and lowest dropped when asked and
/// there are at least three), mapped from the scale onto the weight.
pub fn rating(scores: &[Option<f64>], min: f64, max: f64, drop_extremes: bool, weight: f64) -> (f64, Why) {
    let counts = |s: &&f64| s.is_finite();
    // Sized exactly, so that it becomes the explanation's boxed slice without a copy.
    let mut given: Vec<f64> = Vec::with_capacity(scores.iter().flatten().filter(counts).count());
    given.extend(scores.iter().flatten().filter(counts));
    if given.is_empty() {
        return (0.0, Why::RatingNa);
    }
    let mut dropped = false;
    if drop_extremes && given.len() >= 3 {
        // A handful of raters: an insertion sort, in place.
        for i in 1..given.len() {
            let mut j = i;
            while j > 0 && given[j - 1].total_cmp(&given[j]).is_gt() {
                given.swap(j - 1, j);
                j -= 1;
            }
        }
        // Sorted: [low, counted…, high] → [counted…, low, high].
        let n = given.len();
        given[..n - 1].rotate_left(1);
        dropped = true;
    }
    let mean = rating_mean(&given, dropped);
    let span = max - min;
    let share = if span > 0.0 { ((mean - min) / span).clamp(0.0, 1.0) } else { 0.0 };
    (weight * share, Why::Rating { dropped, scores: given.into_boxed_slice() })
}

/// The mean of the scores that counted, as [`rating`] computed it: `scores` as kept in
/// [`Why::Rating`] (the counted ones, then the two dropped when `dropped`).
pub fn rating_mean(scores: &[f64], dropped: bool) -> f64 {
    let counted = if dropped { &scores[..scores.len().saturating_sub(2)] } else { scores };
    counted.iter().sum::<f64>() / counted.len() as f64
}

/// Ticked weight / applicable weight × weight; N/A items leave the count.
pub fn checklist(items: &[ChecklistItem], ticks: Option<&BTreeMap<String, Check>>, weight: f64) -> (f64, Why) {
    let mut ticked = 0.0;
    let mut applicable = 0.0;
    let mut na = 0u32;
    for item in items {
        match ticks.and_then(|t| t.get(&item.id)) {
            Some(Check::Na) => na += 1,
            Some(Check::Yes) => {
                ticked += item.weight;
                applicable += item.weight;
            }
            Some(Check::No) | None => applicable += item.weight,
        }
    }
    if applicable <= 0.0 {
        return (0.0, Why::ChecklistNa);
    }
    (weight * ticked / applicable, Why::Checklist { ticked, applicable, na })
}

/// The points of the highest step reached.
pub fn tenure(months: u32, steps: &[TenureStep]) -> (f64, Why) {
    let points = steps.iter().filter(|s| months >= s.months).map(|s| (s.months, s.points)).max_by_key(|(m, _)| *m).map_or(0.0, |(_, p)| p);
    (points, Why::Tenure { months })
}

/// Places for values in a group, best first. `values[i]` is agent i's figure.
/// Competition ties give 1, 2, 2, 4; dense ties give 1, 2, 2, 3.
pub fn places(values: &[f64], lower_better: bool, dense: bool) -> Vec<u32> {
    places_in_groups(values, &vec![0; values.len()], 1, lower_better, dense)
}

/// Places within groups, best first: `values[i]` is agent i's figure and `groups[i]`
/// its group, below `n_groups`; ties as in [`places`]. One sort of every agent, then
/// each group's places counted along it (not one sort per group).
pub fn places_in_groups(values: &[f64], groups: &[u32], n_groups: usize, lower_better: bool, dense: bool) -> Vec<u32> {
    // -0 is made 0, so that equal keys are exactly equal figures.
    let keys = values.iter().map(|&v| super::radix::f64_key(v + 0.0)).map(|k| if lower_better { k } else { !k }).collect();
    let mut out = vec![0u32; values.len()];
    // Per group: agents passed, distinct figures passed, the last figure's key, its place.
    let mut passed = vec![(0u32, 0u32, 0u64, 0u32); n_groups];
    for (key, i) in super::radix::sorted(keys) {
        let Some((seen, distinct, last, place)) = groups.get(i).and_then(|&g| passed.get_mut(g as usize)) else { continue };
        *seen += 1;
        if *distinct == 0 || *last != key {
            *distinct += 1;
            *place = if dense { *distinct } else { *seen };
            *last = key;
        }
        out[i] = *place;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A place is one more than the agents (competition) or distinct figures (dense)
        /// strictly better in the same group.
        #[test]
        fn places_in_groups_count_the_better_ones(
            agents in prop::collection::vec((prop_oneof![Just(0.0), Just(-0.0), Just(3.5), Just(-2.0), -1e3..1e3f64], 0u32..4), 0..200),
            lower: bool,
            dense: bool,
        ) {
            let values: Vec<f64> = agents.iter().map(|a| a.0).collect();
            let groups: Vec<u32> = agents.iter().map(|a| a.1).collect();
            let got = places_in_groups(&values, &groups, 4, lower, dense);
            for (i, &(v, g)) in agents.iter().enumerate() {
                let mut better: Vec<f64> = agents.iter().filter(|b| b.1 == g && if lower { b.0 < v } else { b.0 > v }).map(|b| b.0 + 0.0).collect();
                if dense {
                    better.sort_by(f64::total_cmp);
                    better.dedup();
                }
                prop_assert_eq!(got[i], better.len() as u32 + 1);
            }
        }
    }

    fn band(min: Option<f64>, max: Option<f64>, points: f64) -> Band {
        Band { min, min_inclusive: true, max, max_inclusive: false, points }
    }

    /// The courier's calls table in the peak season (seed 001).
    fn peak_calls() -> Vec<Band> {
        vec![
            band(Some(1150.0), None, 0.0),
            band(Some(1100.0), Some(1150.0), -1.0),
            band(Some(1050.0), Some(1100.0), -2.0),
            band(Some(1000.0), Some(1050.0), -3.0),
            band(None, Some(1000.0), -4.0),
        ]
    }

    #[test]
    fn courier_peak_calls_bands() {
        let t = peak_calls();
        let pts = |v: f64| t[find_band(v, &t).unwrap()].points;
        assert_eq!(pts(1200.0), 0.0);
        assert_eq!(pts(1150.0), 0.0, "1150 is the inclusive lower edge of the top band");
        assert_eq!(pts(1149.0), -1.0);
        assert_eq!(pts(1120.0), -1.0);
        assert_eq!(pts(1100.0), -1.0);
        assert_eq!(pts(1099.9), -2.0);
        assert_eq!(pts(1000.0), -3.0);
        assert_eq!(pts(999.0), -4.0);
        assert_eq!(pts(0.0), -4.0);
    }

    #[test]
    fn exclusive_edges_move_the_boundary() {
        let b = Band { min: Some(1150.0), min_inclusive: false, max: None, max_inclusive: false, points: 0.0 };
        assert!(!in_band(1150.0, &b));
        assert!(in_band(1150.01, &b));
        let b = Band { min: Some(1100.0), min_inclusive: true, max: Some(1150.0), max_inclusive: true, points: -1.0 };
        assert!(in_band(1150.0, &b));
    }

    #[test]
    fn target_attainment_both_directions() {
        assert_eq!(target(90.0, 100.0, false, 1.0, 20.0).0, 18.0);
        assert_eq!(target(120.0, 100.0, false, 1.0, 20.0).0, 20.0);
        assert_eq!(target(120.0, 100.0, false, 1.2, 20.0).0, 24.0);
        // Response time 40 s against a 30 s goal: 30 / 40 = 75 %.
        assert_eq!(target(40.0, 30.0, true, 1.0, 20.0).0, 15.0);
        assert_eq!(target(20.0, 30.0, true, 1.0, 20.0).0, 20.0);
        assert_eq!(target(-5.0, 100.0, false, 1.0, 20.0).0, 0.0);
    }

    #[test]
    fn linear_between_anchors() {
        let from = Anchor { value: 60.0, points: 6.0 };
        let to = Anchor { value: 100.0, points: 15.0 };
        assert_eq!(linear(59.9, from, to, 0.0).0, 0.0);
        assert_eq!(linear(60.0, from, to, 0.0).0, 6.0);
        assert_eq!(linear(80.0, from, to, 0.0).0, 10.5);
        assert_eq!(linear(100.0, from, to, 0.0).0, 15.0);
        assert_eq!(linear(130.0, from, to, 0.0).0, 15.0);
    }

    #[test]
    fn violations_are_capped() {
        assert_eq!(per_occurrence(3.0, -0.5, Some(5.0), 0.0).0, -1.5);
        assert_eq!(per_occurrence(12.0, -0.5, Some(5.0), 0.0).0, -5.0);
        assert_eq!(per_occurrence(0.0, -2.0, None, 5.0).0, 5.0);
        assert_eq!(per_occurrence(4.0, 0.5, None, 0.0).0, 2.0);
    }

    #[test]
    fn raters_averaged_and_extremes_dropped() {
        let (p, _) = rating(&[Some(90.0), Some(96.0), Some(99.0)], 0.0, 100.0, false, 100.0);
        assert_eq!(p, 95.0);
        let (p, _) = rating(&[Some(60.0), Some(90.0), Some(96.0), Some(100.0)], 0.0, 100.0, true, 100.0);
        assert_eq!(p, 93.0);
        // N/A rater is left out.
        let (p, _) = rating(&[Some(4.0), None, Some(5.0)], 1.0, 5.0, false, 10.0);
        assert_eq!(p, 8.75);
        assert_eq!(rating(&[None, None], 1.0, 5.0, false, 10.0), (0.0, Why::RatingNa));
    }

    #[test]
    fn checklist_na_renormalises() {
        let items: Vec<ChecklistItem> = ["a", "b", "c", "d"].iter().map(|id| ChecklistItem { id: id.to_string(), text: String::new(), weight: 1.0 }).collect();
        let mut ticks = BTreeMap::new();
        ticks.insert("a".to_string(), Check::Yes);
        ticks.insert("b".to_string(), Check::Yes);
        ticks.insert("c".to_string(), Check::No);
        ticks.insert("d".to_string(), Check::Na);
        let (p, _) = checklist(&items, Some(&ticks), 15.0);
        assert_eq!(p, 10.0);
    }

    #[test]
    fn tenure_steps() {
        let steps = [
            TenureStep { months: 6, points: 2.0 },
            TenureStep { months: 12, points: 3.0 },
            TenureStep { months: 24, points: 5.0 },
            TenureStep { months: 36, points: 8.0 },
        ];
        assert_eq!(tenure(5, &steps).0, 0.0);
        assert_eq!(tenure(6, &steps).0, 2.0);
        assert_eq!(tenure(30, &steps).0, 5.0);
        assert_eq!(tenure(100, &steps).0, 8.0);
    }

    #[test]
    fn tie_policies() {
        let v = [90.0, 80.0, 80.0, 70.0];
        assert_eq!(places(&v, false, false), vec![1, 2, 2, 4]);
        assert_eq!(places(&v, false, true), vec![1, 2, 2, 3]);
        assert_eq!(places(&[30.0, 25.0, 40.0], true, false), vec![2, 1, 3]);
    }
}
