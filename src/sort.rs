//! One stable sort for the whole program.
//!
//! Every `sort_by` with its own closure makes the compiler emit a full copy of the
//! standard library's sort: 2–4 KB of WebAssembly each, 74 KB over the app's ~70 call
//! sites. Here the comparison goes through `&dyn Fn`, so there is one copy; the
//! generic wrapper only applies the resulting order. Stable: equal items keep their order.

use std::cmp::Ordering;

/// The stable order of `len` items under `cmp`, which compares two items by index.
pub fn order(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..len).collect();
    idx.sort_by(|&a, &b| cmp(a, b));
    idx
}

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let mut perm = order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    // perm[k] is the index of the item that belongs at position k: follow each cycle.
    for i in 0..perm.len() {
        if perm[i] == i {
            continue;
        }
        let mut j = i;
        loop {
            let k = perm[j];
            perm[j] = j;
            if k == i {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

/// Sorts `v` stably by a key.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in its natural order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, |a, b| a.cmp(b));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_the_standard_stable_sort(v in prop::collection::vec((0u8..5, 0u16..1000), 0..200)) {
            let mut expected = v.clone();
            expected.sort_by_key(|x| x.0);
            let mut got = v.clone();
            sort_by_key(&mut got, |x| x.0);
            prop_assert_eq!(got, expected);
        }
    }
}
