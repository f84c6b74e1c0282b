//! Engine benchmark: one period of N agents × 20 indicators (mixed rule kinds),
//! scored natively. `cargo bench --bench engine` (run by `make bench`).
//! Prints the median of several runs for 10, 1,000 and 100,000 agents, and the cost
//! per agent, to show the growth is linear.

use scorecard::model::*;
use std::time::{Duration, Instant};

/// A workbook with `agents` agents, one period, 20 indicators of mixed kinds.
pub fn workbook(agents: usize) -> Workbook {
    let mut wb = Workbook::new("bench");
    let metric = |id: &str, better: Better, formula: Option<&str>| Metric { id: id.into(), name: id.into(), unit: String::new(), better, count: false, formula: formula.map(String::from) };
    for k in 0..12 {
        wb.scheme.metrics.push(metric(&format!("m{k}"), if k % 3 == 0 { Better::Lower } else { Better::Higher }, None));
    }
    wb.scheme.metrics.push(metric("ratio", Better::Higher, Some("m1 / m2 * 100")));
    wb.scheme.metrics.push(Metric { count: true, ..metric("violations", Better::Lower, None) });
    wb.scheme.seasons = vec![Season { id: "peak".into(), name: String::new(), months: vec![9, 10, 11, 12, 1, 3] }, Season { id: "off".into(), name: String::new(), months: vec![2, 4, 5, 6, 7, 8] }];
    wb.scheme.categories.push(Category { id: "eff".into(), name: String::new(), full: Some(20.0), cap: None, floor: Some(0.0) });
    let band = |min: Option<f64>, max: Option<f64>, points: f64| Band { min, min_inclusive: true, max, max_inclusive: false, points };
    let bands = |scale: f64| {
        vec![band(Some(1150.0 * scale), None, 0.0), band(Some(1100.0 * scale), Some(1150.0 * scale), -1.0), band(Some(1050.0 * scale), Some(1100.0 * scale), -2.0), band(None, Some(1050.0 * scale), -4.0)]
    };
    let ind = |id: String, metric: Option<String>, weight: Option<f64>, category: Option<&str>, rule: Rule| Indicator { id, name: String::new(), metric, weight, category: category.map(String::from), rule, rollup: Rollup::Own, applies_to: AppliesTo::All };
    for k in 0..8 {
        wb.scheme.indicators.push(ind(format!("t{k}"), Some(format!("m{k}")), Some(5.0), None, Rule::Target { target: 1000.0, cap: 1.2 }));
    }
    for k in 8..11 {
        wb.scheme.indicators.push(ind(
            format!("b{k}"),
            Some(format!("m{k}")),
            None,
            Some("eff"),
            Rule::Bands { tables: vec![BandTable { season: Some("peak".into()), bands: bands(1.0) }, BandTable { season: Some("off".into()), bands: bands(0.6) }], gap_points: 0.0 },
        ));
    }
    wb.scheme.indicators.push(ind("lin".into(), Some("ratio".into()), Some(15.0), None, Rule::Linear { from: Anchor { value: 60.0, points: 6.0 }, to: Anchor { value: 100.0, points: 15.0 }, below: 0.0 }));
    wb.scheme.indicators.push(ind("viol".into(), Some("violations".into()), None, Some("eff"), Rule::PerOccurrence { each: -0.5, cap: Some(5.0), none_bonus: 0.0 }));
    for k in 0..3 {
        wb.scheme.indicators.push(ind(format!("r{k}"), Some(format!("m{k}")), None, None, Rule::Rank { places: vec![3.0, 2.0, 1.0], ties: TiePolicy::Dense, below_average: Some(-1.0), scope: RankScope::Team }));
    }
    wb.scheme.indicators.push(ind("rating".into(), None, Some(10.0), None, Rule::Rating { min: 1.0, max: 5.0, drop_extremes: true }));
    wb.scheme.indicators.push(ind("formula".into(), None, None, None, Rule::Formula { expr: "m11 / 100".into(), min: Some(0.0), max: Some(5.0) }));
    wb.scheme.indicators.push(ind("tenure".into(), None, None, None, Rule::Tenure { steps: vec![TenureStep { months: 6, points: 2.0 }, TenureStep { months: 12, points: 3.0 }] }));
    wb.scheme.indicators.push(ind("critical".into(), None, None, Some("eff"), Rule::Critical { when: "violations > 9".into(), zeroes: CriticalScope::Category }));
    assert_eq!(wb.scheme.indicators.len(), 20);
    wb.scheme.total.method = TotalMethod::Sum;
    wb.scheme.grades.bands = ["S", "A", "B", "C", "D"].iter().zip([90.0, 80.0, 70.0, 60.0, f64::MIN / 2.0]).map(|(g, m)| GradeBand { grade: g.to_string(), min: m.max(-1e15), coefficient: Some(rust_decimal::Decimal::ONE) }).collect();
    wb.scheme.bonus.push(BonusRule { id: "pool".into(), name: String::new(), applies_to: AppliesTo::All, kind: BonusKind::PoolSplit { pool: rust_decimal::Decimal::new(100_000_000, 2) } });
    wb.scheme.bonus.push(BonusRule { id: "grade".into(), name: String::new(), applies_to: AppliesTo::All, kind: BonusKind::GradeCoefficient { base: Some(rust_decimal::Decimal::new(300_000, 2)) } });
    wb.periods.push(Period { id: "2026-10".into(), name: String::new(), start: None, end: None, parent: None });
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for a in 0..agents {
        let id = format!("a{a}");
        wb.agents.push(Agent { id: id.clone(), name: format!("Agent {a}"), team: format!("team{}", a % 20), hire_date: Some(format!("20{:02}-0{}-15", 15 + a % 11, 1 + a % 9)), base_pay: None });
        let mut rec = Record { agent: id, period: "2026-10".into(), ..Record::default() };
        for k in 0..12 {
            rec.figures.insert(format!("m{k}"), 800.0 + (next() % 500) as f64);
        }
        rec.figures.insert("violations", (next() % 12) as f64);
        rec.ratings.insert("rating".into(), vec![Some(1.0 + (next() % 5) as f64), Some(1.0 + (next() % 5) as f64), None, Some(1.0 + (next() % 5) as f64)]);
        wb.records.push(rec);
    }
    wb
}

/// Time this thread has spent on a CPU (Linux: /proc/thread-self/schedstat), so that a
/// busy machine's waiting is left out; `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(s.split_whitespace().next()?.parse().ok()?))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

pub fn main() {
    // `cargo bench` passes --bench; ignore arguments.
    println!("engine: one period, 20 indicators (target, bands by season, linear, per-occurrence, rank, rating, formula, tenure, critical), grades, pool split + grade bonus");
    // ENGINE_BENCH_AGENTS=100000 runs one size only (e.g. under `perf stat`).
    let only: Option<usize> = std::env::var("ENGINE_BENCH_AGENTS").ok().and_then(|v| v.parse().ok());
    for &(agents, runs) in &[(10usize, 200usize), (1_000, 50), (100_000, 7)] {
        if only.is_some_and(|n| n != agents) {
            continue;
        }
        let wb = workbook(agents);
        let mut times = Vec::with_capacity(runs);
        let mut cpu = Vec::with_capacity(runs);
        let mut total_check = 0.0;
        for _ in 0..runs {
            let c = cpu_time();
            let t = Instant::now();
            let r = scorecard::engine::score_period(&wb, "2026-10").expect("bench workbook is valid");
            times.push(t.elapsed());
            if let (Some(before), Some(after)) = (c, cpu_time()) {
                cpu.push(after.saturating_sub(before));
            }
            total_check += r.agents().next().map_or(0.0, |a| a.total);
        }
        let m = median(times);
        println!(
            "  {agents:>7} agents: median {:>9.3} ms over {runs} runs  ({:.2} µs per agent)  [check {total_check:.1}]{}",
            m.as_secs_f64() * 1e3,
            m.as_secs_f64() * 1e6 / agents as f64,
            if cpu.is_empty() { String::new() } else { format!("  on-CPU median {:.3} ms", median(cpu).as_secs_f64() * 1e3) }
        );
        if agents == 100_000 {
            // The UI's path, in its two steps: validation on every edit, then scoring.
            let mut checks = Vec::with_capacity(runs);
            let mut scores = Vec::with_capacity(runs);
            let mut drops = Vec::with_capacity(runs);
            for _ in 0..runs {
                let t = Instant::now();
                let issues = scorecard::validate::check(&wb);
                checks.push(t.elapsed());
                let t = Instant::now();
                let r = scorecard::engine::score_period_checked(&wb, "2026-10", &issues).expect("bench workbook is valid");
                scores.push(t.elapsed());
                // Freeing the results is paid too, when the next edit replaces them.
                let t = Instant::now();
                drop(r);
                drops.push(t.elapsed());
            }
            println!(
                "           the UI's two steps: validate::check {:.3} ms, then score_period_checked {:.3} ms; freeing those results {:.3} ms (medians)",
                median(checks).as_secs_f64() * 1e3,
                median(scores).as_secs_f64() * 1e3,
                median(drops).as_secs_f64() * 1e3
            );
        }
    }
}
