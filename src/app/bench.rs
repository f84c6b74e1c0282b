//! Generated workbooks for the edit-latency benchmark (`?bench=50x20` in the address;
//! see bench/edit-latency.mjs): `agents` agents, `indicators` indicators each reading
//! its own input metric, a mix of rule kinds (target, bands, per-occurrence, linear,
//! rank), grades with coefficients, a grade-coefficient bonus and a pool split, one
//! period. Deterministic.

use crate::model::*;
use rust_decimal::Decimal;

/// Reads `50x20` → (50, 20). Limits: 1–5,000 agents, 1–60 indicators.
pub fn parse_spec(spec: &str) -> Option<(usize, usize)> {
    let (a, i) = spec.trim().split_once(['x', 'X', '*', '×'])?;
    let (a, i): (usize, usize) = (a.trim().parse().ok()?, i.trim().parse().ok()?);
    ((1..=5000).contains(&a) && (1..=60).contains(&i)).then_some((a, i))
}

pub fn generate(agents: usize, indicators: usize) -> Workbook {
    let mut wb = Workbook::new(&format!("bench {agents}×{indicators}"));
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 10_000) as f64 / 10_000.0
    };
    let s = &mut wb.scheme;
    s.total.method = TotalMethod::Sum;
    for k in 0..indicators {
        let id = format!("m{}", k + 1);
        let count = k % 5 == 2;
        s.metrics.push(Metric { id: id.clone(), name: format!("Metric {}", k + 1), unit: String::new(), better: if k % 7 == 3 { Better::Lower } else { Better::Higher }, count, formula: None });
        let rule = match k % 5 {
            0 => Rule::Target { target: 100.0, cap: 1.2 },
            1 => Rule::Bands {
                tables: vec![BandTable {
                    season: None,
                    bands: vec![
                        Band { min: Some(80.0), min_inclusive: true, max: None, max_inclusive: false, points: 5.0 },
                        Band { min: Some(50.0), min_inclusive: true, max: Some(80.0), max_inclusive: false, points: 3.0 },
                        Band { min: None, min_inclusive: true, max: Some(50.0), max_inclusive: false, points: 0.0 },
                    ],
                }],
                gap_points: 0.0,
            },
            2 => Rule::PerOccurrence { each: -0.5, cap: Some(5.0), none_bonus: 1.0 },
            3 => Rule::Linear { from: Anchor { value: 20.0, points: 0.0 }, to: Anchor { value: 120.0, points: 5.0 }, below: 0.0 },
            _ => Rule::Rank { places: vec![5.0, 3.0, 1.0], ties: TiePolicy::Dense, below_average: Some(-1.0), scope: RankScope::All },
        };
        s.indicators.push(Indicator {
            id: format!("k{}", k + 1),
            name: format!("Indicator {}", k + 1),
            metric: Some(id),
            weight: matches!(rule, Rule::Target { .. }).then_some(10.0),
            category: None,
            rule,
            rollup: Rollup::Own,
            applies_to: AppliesTo::All,
        });
    }
    for (grade, min, c) in [("A", 60.0, "1.2"), ("B", 30.0, "1.0"), ("C", 0.0, "0.8")] {
        s.grades.bands.push(GradeBand { grade: grade.into(), min, coefficient: c.parse().ok() });
    }
    s.bonus.push(BonusRule { id: "perf".into(), name: "Performance".into(), applies_to: AppliesTo::All, kind: BonusKind::GradeCoefficient { base: None } });
    s.bonus.push(BonusRule { id: "pool".into(), name: "Pool".into(), applies_to: AppliesTo::All, kind: BonusKind::PoolSplit { pool: Decimal::from(100_000) } });
    wb.periods.push(Period { id: "2026-10".into(), name: String::new(), start: None, end: None, parent: None });
    for a in 0..agents {
        let id = format!("a{}", a + 1);
        wb.agents.push(Agent { id: id.clone(), name: format!("Agent {}", a + 1), team: String::new(), hire_date: None, base_pay: Some(Decimal::from(3000 + (a % 10) as i64 * 100)) });
        let mut r = Record { agent: id, period: "2026-10".into(), ..Record::default() };
        for (k, m) in wb.scheme.metrics.iter().enumerate() {
            let v = if k % 5 == 2 { (rnd() * 6.0).floor() } else { (rnd() * 1200.0).round() / 10.0 };
            // The first agent is clearly the best (the benchmark edits their figures and
            // watches their row, which stays among the first rows shown).
            let v = if a > 0 {
                v
            } else if k % 5 == 2 {
                0.0
            } else if m.better == Better::Lower {
                20.0
            } else {
                120.0
            };
            r.figures.insert(m.id.clone(), v);
        }
        wb.records.push(r);
    }
    wb
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_workbooks_are_valid_and_score() {
        assert_eq!(parse_spec("50x20"), Some((50, 20)));
        assert_eq!(parse_spec("2000×20"), Some((2000, 20)));
        assert_eq!(parse_spec("0x20"), None);
        assert_eq!(parse_spec("abc"), None);
        let wb = generate(50, 20);
        let issues = crate::validate::check(&wb);
        assert!(!crate::validate::has_errors(&issues), "{issues:#?}");
        let r = crate::engine::score_period(&wb, "2026-10").unwrap();
        assert_eq!(r.len(), 50);
        assert_eq!(r.agent_at(0).unwrap().indicators.len(), 20);
        assert_eq!(r.agent_at(0).unwrap().agent, "a1");
        let lead = r.agent_at(0).unwrap().total - r.agent_at(1).unwrap().total;
        assert!(lead > 12.0, "a1 leads by {lead}");
    }
}
