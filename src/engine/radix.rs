//! Stable ordering of many numbers by a 64-bit key, in linear time (a least-significant
//! digit radix sort), for the per-period sorts over all agents: ranking by total and
//! within each rank indicator's group. At 100,000 agents a comparison sort through
//! [`crate::sort`]'s `dyn` comparator costs several times more; small inputs use an
//! insertion sort. No generic instantiations: one copy in the WebAssembly.

/// A key whose unsigned order is [`f64::total_cmp`]'s order.
pub fn f64_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits ^ (1 << 63)
    }
}

/// The number whose key is `key` (the inverse of [`f64_key`]).
pub fn f64_of_key(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 { key ^ (1 << 63) } else { !key })
}

/// The indices of `values` in stable order of [`f64::total_cmp`], ascending or
/// descending: equal values keep their order either way.
pub fn order_f64(values: &[f64], descending: bool) -> Vec<usize> {
    sorted(values.iter().map(|&x| if descending { !f64_key(x) } else { f64_key(x) }).collect()).into_iter().map(|(_, i)| i).collect()
}

/// Each of `keys` with its index, in stable ascending order of the keys.
pub fn sorted(keys: Vec<u64>) -> Vec<(u64, usize)> {
    let n = keys.len();
    let mut items: Vec<(u64, usize)> = keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect();
    if n < 64 {
        for i in 1..n {
            let mut j = i;
            while j > 0 && items[j - 1].0 > items[j].0 {
                items.swap(j - 1, j);
                j -= 1;
            }
        }
    } else {
        // 11-bit digits: six passes over the data, counts that fit in the L1 cache.
        let mut spare = vec![(0u64, 0usize); n];
        for shift in (0..64).step_by(11) {
            let digit = |k: u64| ((k >> shift) & 0x7ff) as usize;
            let mut starts = [0usize; 2048];
            for &(k, _) in &items {
                starts[digit(k)] += 1;
            }
            if starts.contains(&n) {
                continue; // every key has the same digit here: nothing to move
            }
            let mut sum = 0;
            for c in starts.iter_mut() {
                let count = *c;
                *c = sum;
                sum += count;
            }
            for &item in &items {
                let d = digit(item.0);
                spare[starts[d]] = item;
                starts[d] += 1;
            }
            std::mem::swap(&mut items, &mut spare);
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn orders_like_the_stable_sort(v in prop::collection::vec(prop_oneof![Just(0.0), Just(-0.0), Just(1.5), Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY), -1e6..1e6f64], 0..300), descending: bool) {
            let mut expected: Vec<usize> = (0..v.len()).collect();
            expected.sort_by(|&a, &b| if descending { v[b].total_cmp(&v[a]) } else { v[a].total_cmp(&v[b]) });
            prop_assert_eq!(order_f64(&v, descending), expected);
        }
    }

    #[test]
    fn keys_turn_back_into_their_numbers() {
        for x in [0.0, -0.0, 1.5, -1.5, f64::MAX, f64::MIN, f64::INFINITY, f64::NEG_INFINITY, 1e-300, -1e-300] {
            assert_eq!(f64_of_key(f64_key(x)).to_bits(), x.to_bits());
        }
    }

    #[test]
    fn large_inputs_with_ties_stay_stable() {
        let v: Vec<f64> = (0..10_000).map(|i| f64::from((i * 7919) % 101) - 50.0).collect();
        let mut expected: Vec<usize> = (0..v.len()).collect();
        expected.sort_by(|&a, &b| v[b].total_cmp(&v[a]));
        assert_eq!(order_f64(&v, true), expected);
    }
}
