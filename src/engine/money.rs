//! Money: exact decimal arithmetic (`rust_decimal`), rounding to the cent, and
//! splitting a pool so the shares add up to the pool exactly.
//!
//! Rounding rules (documented for users in the README):
//! - every bonus rule's amount is rounded to the cent with the scheme's rounding
//!   (half-up by default: 0.005 → 0.01); an agent's bonus is the sum of the rounded parts;
//! - figures typed into the workbook are taken as the decimal number written
//!   (500135.6 is exactly 500135.60, never its binary approximation);
//! - formula bonuses are computed in floating point, rounded to 6 places, then to the cent;
//! - a split pool uses the largest-remainder method: each share is rounded down to the
//!   cent and the cents left over go, one each, to the largest remainders (ties: the
//!   better rank first), so the shares always sum to the pool.

use crate::model::{CommissionMode, CommissionTier, Rounding};
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// The decimal number a figure was written as: 0.47 is exactly 0.47.
/// `None` for non-finite or out-of-range values.
pub fn decimal(x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    // Fast path (no text): a number with at most 9 decimals reads back exactly from
    // round(x × 10⁹). Only below 10⁶, where x × 10⁹ is still an exact integer in f64.
    if x.abs() < 1e6 {
        let n = (x * 1e9).round();
        if n / 1e9 == x {
            return Some(Decimal::new(n as i64, 9).normalize());
        }
    }
    // `{}` on f64 prints the shortest text that reads back as the same f64, which is
    // the number the user typed (or the closest short one).
    Decimal::from_str(&format!("{x}")).ok().or_else(|| Decimal::from_scientific(&format!("{x:e}")).ok())
}

/// A floating-point result (formula) to a decimal: first rounded to 6 places.
pub fn decimal_from_computed(x: f64) -> Option<Decimal> {
    decimal(x).map(|d| d.round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero))
}

/// Rounds to whole cents.
pub fn cents(amount: Decimal, rounding: Rounding) -> Decimal {
    let strategy = match rounding {
        Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        Rounding::Down => RoundingStrategy::ToZero,
    };
    let mut r = amount.round_dp_with_strategy(2, strategy);
    r.rescale(2);
    r
}

/// The sum of amounts, at scale 2 (cents): as integers while every amount has scale 2
/// (each rounded part does), else by decimal addition. Exact either way.
pub fn sum_cents(amounts: impl Iterator<Item = Decimal> + Clone) -> Decimal {
    let mut cents: i128 = 0;
    for a in amounts.clone() {
        if a.scale() != 2 {
            let mut sum = amounts.fold(Decimal::ZERO, |s, a| s + a);
            sum.rescale(2);
            return sum;
        }
        cents += a.mantissa();
    }
    // The sum of a few 96-bit mantissas fits an i128; a decimal holds it if it is
    // below 2⁹⁶ (as the decimal additions would have required).
    Decimal::try_from_i128_with_scale(cents, 2).unwrap_or_else(|_| {
        let mut sum = amounts.fold(Decimal::ZERO, |s, a| s.saturating_add(a));
        sum.rescale(2);
        sum
    })
}

/// Splits `pool` in proportion to `weights` (negative weights count as 0) to the cent,
/// so the shares add up to `pool` exactly. `None` when the weights add up to zero (or
/// the amounts are too large to split exactly). Ties for a leftover cent go to the
/// earlier entry.
pub fn split_pool(pool: Decimal, weights: &[Decimal]) -> Option<Vec<Decimal>> {
    split_pool_nanos(pool, weights.iter().map(|w| nanos(*w)).collect())
}

/// [`split_pool`] with f64 weights (the totals), each read as the decimal it was
/// written as ([`decimal`]; not a number counts as 0): the engine's pool split, without
/// building a `Decimal` per agent where the weight has at most 9 decimals.
pub fn split_pool_f64(pool: Decimal, weights: &[f64]) -> Option<Vec<Decimal>> {
    let nanos = weights
        .iter()
        .map(|&x| {
            // As in `decimal`: exact when x × 10⁹ is a whole number below 10¹⁵.
            let n = (x * 1e9).round();
            if x.abs() < 1e6 && n / 1e9 == x {
                (n as i128).max(0)
            } else {
                nanos(decimal(x).unwrap_or(Decimal::ZERO))
            }
        })
        .collect();
    split_pool_nanos(pool, nanos)
}

/// A weight in units of 10⁻⁹, rounded to that; negative weights count as 0.
fn nanos(w: Decimal) -> i128 {
    let mut w = w.max(Decimal::ZERO).round_dp(9);
    w.rescale(9);
    w.mantissa()
}

/// Exact integer arithmetic on weights in units of 10⁻⁹: share = pool × w / Σw, with
/// the remainders compared as integers over the same denominator.
fn split_pool_nanos(pool: Decimal, nanos: Vec<i128>) -> Option<Vec<Decimal>> {
    let pool_cents = {
        let mut c = (pool * Decimal::ONE_HUNDRED).trunc();
        c.rescale(0);
        c.mantissa()
    };
    let sum: i128 = nanos.iter().sum();
    if sum == 0 {
        return None;
    }
    let mut cents = Vec::with_capacity(nanos.len());
    let mut remainders = Vec::with_capacity(nanos.len());
    let mut given: i128 = 0;
    for (i, w) in nanos.iter().enumerate() {
        let product = pool_cents.checked_mul(*w)?;
        // 64-bit division where the numbers fit (any realistic pool): 128-bit division
        // is a slow library call, and this runs once per agent.
        let (floor, rest) = match (u64::try_from(product), u64::try_from(sum)) {
            (Ok(p), Ok(s)) => (i128::from(p / s), i128::from(p % s)),
            _ => (product / sum, product % sum),
        };
        given += floor;
        cents.push(floor);
        remainders.push((rest, i));
    }
    let left = usize::try_from(pool_cents - given).unwrap_or(0);
    // The `left` largest remainders get a cent each, ties by position. Remainders are
    // below `sum`; when they fit in 64 bits (any realistic pool) a selection finds the
    // smallest remainder that gets one (linear, no sort): those above it get one, and
    // so do the earliest of those equal to it, as many as are left.
    let fit = remainders.iter().all(|r| u64::try_from(r.0).is_ok());
    if left > 0 && fit {
        let mut keys: Vec<u64> = remainders.iter().map(|r| !u64::try_from(r.0).unwrap_or(0)).collect();
        let nth = left.min(keys.len()) - 1;
        let least = *keys.select_nth_unstable(nth).1;
        let mut equal = left - keys.iter().filter(|&&k| k < least).count();
        for &(rest, i) in &remainders {
            let key = !u64::try_from(rest).unwrap_or(0);
            if key < least || (key == least && equal > 0) {
                equal -= usize::from(key == least);
                cents[i] += 1;
            }
        }
    } else if left > 0 {
        crate::sort::sort_by(&mut remainders, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, i) in remainders.iter().take(left) {
            cents[i] += 1;
        }
    }
    Some(cents.into_iter().map(|c| Decimal::from_i128_with_scale(c, 2)).collect())
}

/// Commission on `sales` at `completion` percent. Returns the amount (unrounded), the
/// rate of the tier reached (per-mille), and for the progressive mode each slice's
/// (sales, rate).
pub fn commission(sales: Decimal, completion: Decimal, tiers: &[CommissionTier], mode: CommissionMode) -> (Decimal, Decimal, Vec<(Decimal, Decimal)>) {
    let per_mille = Decimal::ONE_THOUSAND;
    let reached = tiers.iter().rev().find(|t| completion >= t.from);
    let rate = reached.map_or(Decimal::ZERO, |t| t.rate);
    match mode {
        CommissionMode::WholeAtTierReached => (sales * rate / per_mille, rate, Vec::new()),
        CommissionMode::EachSliceAtItsRate => {
            if completion <= Decimal::ZERO {
                return (Decimal::ZERO, rate, Vec::new());
            }
            // The target implied by sales and completion; each tier's stretch of
            // completion is a slice of sales.
            let target = sales * Decimal::ONE_HUNDRED / completion;
            let mut slices = Vec::new();
            let mut amount = Decimal::ZERO;
            for (i, t) in tiers.iter().enumerate() {
                if completion <= t.from {
                    break;
                }
                let upper = tiers.get(i + 1).map_or(completion, |n| n.from.min(completion));
                let lower = t.from.max(Decimal::ZERO);
                if upper <= lower {
                    continue;
                }
                let slice = target * (upper - lower) / Decimal::ONE_HUNDRED;
                amount += slice * t.rate / per_mille;
                slices.push((slice, t.rate));
            }
            (amount, rate, slices)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_cents_exactly_whatever_the_scales() {
        let d = |t: &str| Decimal::from_str(t).unwrap();
        let sum = |v: &[&str]| sum_cents(v.iter().map(|t| d(t))).to_string();
        assert_eq!(sum(&[]), "0.00");
        assert_eq!(sum(&["929.68", "0.01", "-100.50"]), "829.19");
        // A part that is not whole cents (not made by the engine): decimal addition.
        assert_eq!(sum(&["1.005", "2.00"]), "3.01");
        assert_eq!(sum(&["1.5", "2.25"]), "3.75");
        // Large amounts stay exact.
        assert_eq!(sum(&["79228162514264337593543950.33", "0.01"]), "79228162514264337593543950.34");
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_web_store_score_coefficient_is_exact() {
        // 47 % × 39.55 % × 1 % × 500,135.60 = 929.68 (seed 002).
        let amount = decimal(0.47).unwrap() * decimal(0.3955).unwrap() * d("0.01") * decimal(500135.60).unwrap();
        assert_eq!(amount, d("929.677060060"));
        assert_eq!(cents(amount, Rounding::HalfUp).to_string(), "929.68");
    }

    #[test]
    fn rounding_modes() {
        assert_eq!(cents(d("0.125"), Rounding::HalfUp).to_string(), "0.13");
        assert_eq!(cents(d("0.125"), Rounding::HalfEven).to_string(), "0.12");
        assert_eq!(cents(d("0.129"), Rounding::Down).to_string(), "0.12");
        assert_eq!(cents(d("-0.125"), Rounding::HalfUp).to_string(), "-0.13");
        assert_eq!(cents(d("7"), Rounding::HalfUp).to_string(), "7.00");
        // The binary float nearest 1.005 is below it; the decimal path is not fooled.
        assert_eq!(cents(decimal(1.005).unwrap(), Rounding::HalfUp).to_string(), "1.01");
    }

    proptest::proptest! {
        /// The leftover cents go to the largest remainders, ties to the earlier entry:
        /// as sorting every remainder would give them.
        #[test]
        fn leftover_cents_go_to_the_largest_remainders(pool in 0i64..10_000_000, weights in proptest::collection::vec(0i64..50, 1..400)) {
            let shares = split_pool(Decimal::new(pool, 2), &weights.iter().map(|&w| Decimal::from(w)).collect::<Vec<_>>());
            let sum: i64 = weights.iter().sum();
            if sum == 0 {
                proptest::prop_assert_eq!(shares, None);
                return Ok(());
            }
            let mut expected: Vec<i64> = weights.iter().map(|w| pool * w / sum).collect();
            let mut by_remainder: Vec<(i64, usize)> = weights.iter().enumerate().map(|(i, w)| (pool * w % sum, i)).collect();
            by_remainder.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let left = pool - expected.iter().sum::<i64>();
            for &(_, i) in by_remainder.iter().take(left as usize) {
                expected[i] += 1;
            }
            let expected: Vec<Decimal> = expected.into_iter().map(|c| Decimal::new(c, 2)).collect();
            proptest::prop_assert_eq!(shares, Some(expected));
        }
    }

    #[test]
    fn pool_split_sums_exactly() {
        let shares = split_pool(d("100.00"), &[d("1"), d("1"), d("1")]).unwrap();
        assert_eq!(split_pool_f64(d("100.00"), &[1.0, 1.0, 1.0]).unwrap(), shares);
        assert_eq!(shares.iter().map(|s| s.to_string()).collect::<Vec<_>>(), vec!["33.34", "33.33", "33.33"]);
        let shares = split_pool(d("10000.00"), &[d("91.5"), d("88.25"), d("72"), d("-3")]).unwrap();
        assert_eq!(shares.iter().copied().sum::<Decimal>(), d("10000.00"));
        assert_eq!(shares[3], Decimal::ZERO);
        assert_eq!(split_pool(d("5"), &[d("0"), d("-1")]), None);
    }

    #[test]
    fn commission_whole_and_slices() {
        // Tiers from the web store: 0 → 5 ‰, 60 → 8, 100 → 9, 130 → 10.
        let tiers: Vec<CommissionTier> = [("0", "5"), ("60", "8"), ("100", "9"), ("130", "10")]
            .iter()
            .map(|(f, r)| CommissionTier { from: d(f), rate: d(r) })
            .collect();
        // 120 % of target on 120,000 sales: whole at 9 ‰ = 1080.
        let (a, rate, _) = commission(d("120000"), d("120"), &tiers, CommissionMode::WholeAtTierReached);
        assert_eq!((a, rate), (d("1080"), d("9")));
        // Slices: target 100,000; 0–60 % = 60,000 at 5 ‰ = 300; 60–100 % = 40,000 at 8 ‰ = 320;
        // 100–120 % = 20,000 at 9 ‰ = 180. Total 800.
        let (a, _, slices) = commission(d("120000"), d("120"), &tiers, CommissionMode::EachSliceAtItsRate);
        assert_eq!(a, d("800"));
        assert_eq!(slices.len(), 3);
    }

    #[test]
    fn decimals_from_figures() {
        assert_eq!(decimal(500135.6).unwrap().to_string(), "500135.6");
        assert_eq!(decimal(0.1 + 0.2).unwrap().to_string(), "0.30000000000000004");
        assert_eq!(decimal_from_computed(0.1 + 0.2).unwrap().normalize().to_string(), "0.3");
        assert_eq!(decimal(f64::NAN), None);
        assert!(decimal(1e300).is_none());
    }
}
