//! "Weights total N %" and the one-click normalise.

use crate::model::Scheme;

/// The weights' total, as the running indicator shows it (rounded to 2 decimals).
pub fn total(scheme: &Scheme) -> f64 {
    (scheme.weight_total() * 100.0).round() / 100.0
}

/// Whether the total is exactly 100 (within rounding).
pub fn is_100(scheme: &Scheme) -> bool {
    (scheme.weight_total() - 100.0).abs() < 1e-9
}

/// Scales the weights so they total 100: each rounded to 2 decimals, the remainder put
/// on the largest weight so the total is exactly 100. Indicators without a weight keep
/// none. Returns `None` when there is nothing to scale (no weights, or they total 0 or
/// less, or a weight is not a finite non-negative number).
pub fn normalise(weights: &[Option<f64>]) -> Option<Vec<Option<f64>>> {
    let present: Vec<f64> = weights.iter().flatten().copied().collect();
    if present.is_empty() || present.iter().any(|w| !w.is_finite() || *w < 0.0) {
        return None;
    }
    let sum: f64 = present.iter().sum();
    if sum <= 0.0 || !sum.is_finite() {
        return None;
    }
    // Work in hundredths of a percent: whole numbers, so the total is exact.
    let mut cents: Vec<Option<i64>> = weights.iter().map(|w| w.map(|w| (w / sum * 10_000.0).round() as i64)).collect();
    let given: i64 = cents.iter().flatten().sum();
    let remainder = 10_000 - given;
    // The largest weight (first of equals) absorbs the remainder.
    let largest = weights
        .iter()
        .enumerate()
        .filter_map(|(i, w)| w.map(|w| (i, w)))
        .fold(None::<(usize, f64)>, |best, (i, w)| match best {
            Some((_, b)) if b >= w => best,
            _ => Some((i, w)),
        })
        .map(|(i, _)| i)?;
    if let Some(Some(c)) = cents.get_mut(largest) {
        *c += remainder;
    }
    Some(cents.into_iter().map(|c| c.map(|c| c as f64 / 100.0)).collect())
}

/// Applies [`normalise`] to a scheme. Returns false when nothing could be scaled.
pub fn normalise_scheme(scheme: &mut Scheme) -> bool {
    let weights: Vec<Option<f64>> = scheme.indicators.iter().map(|i| i.weight).collect();
    match normalise(&weights) {
        Some(new) => {
            for (ind, w) in scheme.indicators.iter_mut().zip(new) {
                ind.weight = w;
            }
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(w: &[Option<f64>]) -> f64 {
        w.iter().flatten().sum()
    }

    #[test]
    fn scales_to_exactly_100() {
        let w = normalise(&[Some(1.0), Some(1.0), Some(1.0)]).unwrap();
        assert_eq!(w, vec![Some(33.34), Some(33.33), Some(33.33)]);
        assert!((sum(&w) - 100.0).abs() < 1e-9);

        let w = normalise(&[Some(15.0), Some(20.0), Some(15.0), Some(15.0), Some(20.0), Some(25.0)]).unwrap();
        assert_eq!(w, vec![Some(13.64), Some(18.18), Some(13.64), Some(13.64), Some(18.18), Some(22.72)]);
        assert!((sum(&w) - 100.0).abs() < 1e-9);

        // Already 100: unchanged.
        let w = normalise(&[Some(70.0), Some(30.0)]).unwrap();
        assert_eq!(w, vec![Some(70.0), Some(30.0)]);

        // Indicators without a weight keep none.
        let w = normalise(&[Some(10.0), None, Some(30.0)]).unwrap();
        assert_eq!(w, vec![Some(25.0), None, Some(75.0)]);

        // Zeros stay zero.
        let w = normalise(&[Some(0.0), Some(2.0)]).unwrap();
        assert_eq!(w, vec![Some(0.0), Some(100.0)]);
    }

    #[test]
    fn nothing_to_scale() {
        assert_eq!(normalise(&[]), None);
        assert_eq!(normalise(&[None, None]), None);
        assert_eq!(normalise(&[Some(0.0), Some(0.0)]), None);
        assert_eq!(normalise(&[Some(-1.0), Some(5.0)]), None);
        assert_eq!(normalise(&[Some(f64::NAN), Some(5.0)]), None);
    }

    #[test]
    fn many_odd_weights_total_exactly_100() {
        for n in 1..40 {
            let w: Vec<Option<f64>> = (0..n).map(|k| Some(((k * 37) % 11) as f64 + 0.3)).collect();
            let out = normalise(&w).unwrap();
            let cents: i64 = out.iter().flatten().map(|x| (x * 100.0).round() as i64).sum();
            assert_eq!(cents, 10_000, "n = {n}");
            assert!((sum(&out) - 100.0).abs() < 1e-9, "n = {n}: {}", sum(&out));
            assert!(out.iter().flatten().all(|x| (x * 100.0 - (x * 100.0).round()).abs() < 1e-6));
        }
    }

    #[test]
    fn scheme_helpers() {
        let mut wb = crate::presets::load("general").unwrap().unwrap();
        assert!(is_100(&wb.scheme));
        wb.scheme.indicators[0].weight = Some(30.0);
        assert_eq!(total(&wb.scheme), 115.0);
        assert!(!is_100(&wb.scheme));
        assert!(normalise_scheme(&mut wb.scheme));
        assert!(is_100(&wb.scheme));
        assert!(crate::validate::check(&wb).iter().all(|i| !matches!(i.problem, crate::validate::Problem::WeightsNot100 { .. })));
    }
}
