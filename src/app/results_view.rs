//! The results table as data: one [`Row`] per agent (numbers, not text, so the UI can
//! tell cheaply which rows changed and re-render only those), the order for the chosen
//! sort column, the team row (mean and median), and the comparison with a pinned
//! baseline (Δ total, Δ rank, Δ bonus, grades that changed).

use crate::model::Workbook;
use crate::results::PeriodResults;
use crate::store;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One agent's line of the results table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub agent: String,
    pub name: String,
    pub rank: u32,
    /// Per indicator, scheme order.
    pub points: Vec<f64>,
    /// Per category, scheme order.
    pub categories: Vec<f64>,
    pub total: f64,
    pub grade: Option<String>,
    pub bonus: Decimal,
    /// Against the pinned baseline (None: no baseline pinned for this period).
    pub delta: Option<Delta>,
}

/// The change against the baseline.
#[derive(Debug, Clone, PartialEq)]
pub enum Delta {
    /// The agent was not in the baseline.
    New,
    Changed {
        total: f64,
        /// Places gained: baseline rank − rank now (2 = moved up two places).
        rank: i64,
        bonus: Decimal,
        /// The baseline's grade, when the grade changed.
        grade_was: Option<Option<String>>,
    },
}

/// An agent's numbers at the moment the baseline was pinned.
#[derive(Debug, Clone, PartialEq)]
struct Pinned {
    total: f64,
    rank: u32,
    bonus: Decimal,
    grade: Option<String>,
}

/// Results pinned for comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub period: String,
    agents: HashMap<String, Pinned>,
    /// When it was pinned (ISO time, UTC), as stored; empty when not known.
    pinned_at: String,
}

impl Baseline {
    pub fn pin(r: &PeriodResults) -> Baseline {
        let agents = r.agents().map(|a| (a.agent.to_string(), Pinned { total: a.total, rank: a.rank, bonus: a.bonus, grade: a.grade.map(String::from) })).collect();
        Baseline { period: r.period.clone(), agents, pinned_at: String::new() }
    }

    /// The baseline as saved with the workbook ([`crate::store::UiState`]). The agents
    /// are in rank order, then by id, so the same baseline always gives the same text
    /// (an unchanged workbook is not written again).
    pub fn to_stored(&self) -> store::Baseline {
        let mut agents: Vec<store::PinnedAgent> =
            self.agents.iter().map(|(id, p)| store::PinnedAgent { agent: id.clone(), total: p.total, rank: p.rank, grade: p.grade.clone(), bonus: p.bonus }).collect();
        crate::sort::sort_by(&mut agents, |a, b| a.rank.cmp(&b.rank).then_with(|| a.agent.cmp(&b.agent)));
        store::Baseline { pinned_at: self.pinned_at.clone(), period: self.period.clone(), agents }
    }

    /// A saved baseline back (after a reload, or when switching workbooks).
    pub fn from_stored(b: &store::Baseline) -> Baseline {
        let agents = b.agents.iter().map(|a| (a.agent.clone(), Pinned { total: a.total, rank: a.rank, bonus: a.bonus, grade: a.grade.clone() })).collect();
        Baseline { period: b.period.clone(), agents, pinned_at: b.pinned_at.clone() }
    }

    /// The delta for one agent's result now.
    pub fn delta(&self, agent: &str, total: f64, rank: u32, bonus: Decimal, grade: Option<&str>) -> Delta {
        match self.agents.get(agent) {
            None => Delta::New,
            Some(p) => Delta::Changed {
                total: clean(total - p.total),
                rank: i64::from(p.rank) - i64::from(rank),
                bonus: bonus - p.bonus,
                grade_was: (p.grade.as_deref() != grade).then(|| p.grade.clone()),
            },
        }
    }

    /// How many agents (in both) got a different grade.
    pub fn grade_changes(&self, r: &PeriodResults) -> usize {
        r.agents().filter(|a| self.agents.get(a.agent).is_some_and(|p| p.grade.as_deref() != a.grade)).count()
    }
}

fn clean(x: f64) -> f64 {
    let y = (x * 1e9).round() / 1e9;
    if y == 0.0 {
        0.0
    } else {
        y
    }
}

/// The rows of a period's results, in rank order.
pub fn rows(r: &PeriodResults, baseline: Option<&Baseline>) -> Vec<Row> {
    let baseline = baseline.filter(|b| b.period == r.period);
    r.agents()
        .map(|a| Row {
            agent: a.agent.to_string(),
            name: if a.name.is_empty() { a.agent.to_string() } else { a.name.to_string() },
            rank: a.rank,
            points: a.indicators.iter().map(|i| i.points).collect(),
            categories: a.categories.iter().map(|c| c.points).collect(),
            total: a.total,
            grade: a.grade.map(String::from),
            bonus: a.bonus,
            delta: baseline.map(|b| b.delta(a.agent, a.total, a.rank, a.bonus, a.grade)),
        })
        .collect()
}

/// A column of the results table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Rank,
    Agent,
    Indicator(usize),
    Category(usize),
    Total,
    Grade,
    Bonus,
    DeltaTotal,
    DeltaRank,
    DeltaBonus,
}

impl Column {
    /// A stable name for the column (used in the DOM as `data-col`).
    pub fn id(self) -> String {
        match self {
            Column::Rank => "rank".into(),
            Column::Agent => "agent".into(),
            Column::Indicator(i) => format!("ind-{i}"),
            Column::Category(c) => format!("cat-{c}"),
            Column::Total => "total".into(),
            Column::Grade => "grade".into(),
            Column::Bonus => "bonus".into(),
            Column::DeltaTotal => "d-total".into(),
            Column::DeltaRank => "d-rank".into(),
            Column::DeltaBonus => "d-bonus".into(),
        }
    }

    /// The direction a first click sorts in: best first (rank ascending, points and
    /// money descending, names A→Z).
    pub fn first_direction(self) -> Dir {
        match self {
            Column::Rank | Column::Agent | Column::Grade => Dir::Asc,
            _ => Dir::Desc,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Asc,
    Desc,
}

impl Dir {
    pub fn flip(self) -> Dir {
        match self {
            Dir::Asc => Dir::Desc,
            Dir::Desc => Dir::Asc,
        }
    }

    /// The value of `aria-sort`.
    pub fn aria(self) -> &'static str {
        match self {
            Dir::Asc => "ascending",
            Dir::Desc => "descending",
        }
    }
}

/// The sort after clicking `col` when the table is sorted by `current`.
pub fn click_sort(current: (Column, Dir), col: Column) -> (Column, Dir) {
    if current.0 == col {
        (col, current.1.flip())
    } else {
        (col, col.first_direction())
    }
}

/// The order (indexes into `rows`) for a sort. Ties keep rank order; rows without a
/// value (no baseline) go last.
pub fn order(rows: &[Row], col: Column, dir: Dir) -> Vec<usize> {
    use std::cmp::Ordering;
    let mut idx: Vec<usize> = (0..rows.len()).collect();
    if col == Column::Rank && dir == Dir::Asc {
        return idx; // rows come in rank order
    }
    let num = |r: &Row| -> Option<f64> {
        match col {
            Column::Rank => Some(f64::from(r.rank)),
            Column::Indicator(i) => r.points.get(i).copied(),
            Column::Category(c) => r.categories.get(c).copied(),
            Column::Total => Some(r.total),
            Column::Bonus => Some(decimal_f64(r.bonus)),
            Column::DeltaTotal => match &r.delta {
                Some(Delta::Changed { total, .. }) => Some(*total),
                _ => None,
            },
            Column::DeltaRank => match &r.delta {
                Some(Delta::Changed { rank, .. }) => Some(*rank as f64),
                _ => None,
            },
            Column::DeltaBonus => match &r.delta {
                Some(Delta::Changed { bonus, .. }) => Some(decimal_f64(*bonus)),
                _ => None,
            },
            Column::Agent | Column::Grade => None,
        }
    };
    let cmp = |a: &usize, b: &usize| -> Ordering {
        let (ra, rb) = (&rows[*a], &rows[*b]);
        let o = match col {
            Column::Agent => ra.name.cmp(&rb.name),
            Column::Grade => match (&ra.grade, &rb.grade) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            _ => match (num(ra), num(rb)) {
                (Some(x), Some(y)) => {
                    let o = x.total_cmp(&y);
                    if dir == Dir::Desc {
                        o.reverse()
                    } else {
                        o
                    }
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        };
        // Text columns: the direction applies here (numbers handled it above, keeping
        // the rows without a value last either way).
        match col {
            Column::Agent | Column::Grade if dir == Dir::Desc => o.reverse(),
            _ => o,
        }
    };
    idx.sort_by(|a, b| cmp(a, b).then(a.cmp(b)));
    idx
}

fn decimal_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

/// Mean and median of a column.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MeanMedian {
    pub mean: f64,
    pub median: f64,
}

/// The team row: mean and median per numeric column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Team {
    pub points: Vec<MeanMedian>,
    pub categories: Vec<MeanMedian>,
    pub total: MeanMedian,
    /// Money: mean and median to the cent.
    pub bonus: (Decimal, Decimal),
    pub count: usize,
}

fn mean_median(mut v: Vec<f64>) -> MeanMedian {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return MeanMedian::default();
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    let mean = clean(v.iter().sum::<f64>() / n as f64);
    let median = if n % 2 == 1 { v[n / 2] } else { clean((v[n / 2 - 1] + v[n / 2]) / 2.0) };
    MeanMedian { mean, median }
}

pub fn team(rows: &[Row]) -> Team {
    let n = rows.len();
    if n == 0 {
        return Team::default();
    }
    let ni = rows.iter().map(|r| r.points.len()).max().unwrap_or(0);
    let nc = rows.iter().map(|r| r.categories.len()).max().unwrap_or(0);
    let points = (0..ni).map(|i| mean_median(rows.iter().filter_map(|r| r.points.get(i).copied()).collect())).collect();
    let categories = (0..nc).map(|c| mean_median(rows.iter().filter_map(|r| r.categories.get(c).copied()).collect())).collect();
    let total = mean_median(rows.iter().map(|r| r.total).collect());
    let mut money: Vec<Decimal> = rows.iter().map(|r| r.bonus).collect();
    money.sort();
    let sum: Decimal = money.iter().copied().sum();
    let two = Decimal::from(2);
    let mean = (sum / Decimal::from(n as u64)).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let median = if n % 2 == 1 { money[n / 2] } else { ((money[n / 2 - 1] + money[n / 2]) / two).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero) };
    Team { points, categories, total, bonus: (mean, median), count: n }
}

/// The columns of the table for a workbook, in display order.
pub fn columns(wb: &Workbook, with_delta: bool) -> Vec<Column> {
    let mut cols = vec![Column::Rank, Column::Agent];
    cols.extend((0..wb.scheme.indicators.len()).map(Column::Indicator));
    cols.extend((0..wb.scheme.categories.len()).map(Column::Category));
    cols.extend([Column::Total, Column::Grade, Column::Bonus]);
    if with_delta {
        cols.extend([Column::DeltaTotal, Column::DeltaRank, Column::DeltaBonus]);
    }
    cols
}

/// The text of one cell of a row.
pub fn cell_text(row: &Row, col: Column, lang: crate::i18n::Lang, currency: &str) -> String {
    use super::fmt;
    match col {
        Column::Rank => row.rank.to_string(),
        Column::Agent => row.name.clone(),
        Column::Indicator(i) => row.points.get(i).map_or_else(String::new, |x| fmt::number(*x, lang)),
        Column::Category(c) => row.categories.get(c).map_or_else(String::new, |x| fmt::number(*x, lang)),
        Column::Total => fmt::number(row.total, lang),
        Column::Grade => row.grade.clone().unwrap_or_else(|| "—".into()),
        Column::Bonus => fmt::money(row.bonus, currency, lang),
        Column::DeltaTotal | Column::DeltaRank | Column::DeltaBonus => match &row.delta {
            None => String::new(),
            Some(Delta::New) => "+".into(),
            Some(Delta::Changed { total, rank, bonus, .. }) => match col {
                Column::DeltaTotal => fmt::signed(*total, lang),
                Column::DeltaRank => fmt::rank_change(*rank),
                _ => fmt::signed_money(*bonus, currency, lang),
            },
        },
    }
}

/// Whether a cell's value differs between two versions of a row (cheap: numbers are
/// compared, nothing is formatted).
pub fn cell_changed(old: &Row, new: &Row, col: Column) -> bool {
    match col {
        Column::Rank => old.rank != new.rank,
        Column::Agent => old.name != new.name,
        Column::Indicator(i) => old.points.get(i) != new.points.get(i),
        Column::Category(c) => old.categories.get(c) != new.categories.get(c),
        Column::Total => old.total != new.total,
        Column::Grade => old.grade != new.grade,
        Column::Bonus => old.bonus != new.bonus,
        Column::DeltaTotal | Column::DeltaRank | Column::DeltaBonus => old.delta != new.delta,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{engine, presets};
    use std::str::FromStr;

    fn general() -> (Workbook, PeriodResults) {
        let wb = presets::load("general").unwrap().unwrap();
        let r = engine::score_period(&wb, "2026-10").unwrap();
        (wb, r)
    }

    #[test]
    fn rows_follow_rank_order() {
        let (wb, r) = general();
        let rows = rows(&r, None);
        assert_eq!(rows.len(), r.len());
        assert!(rows.windows(2).all(|w| w[0].rank <= w[1].rank && w[0].total >= w[1].total));
        assert_eq!(rows[0].points.len(), wb.scheme.indicators.len());
        assert!(rows.iter().all(|r| r.delta.is_none()));
        assert_eq!(order(&rows, Column::Rank, Dir::Asc), (0..rows.len()).collect::<Vec<_>>());
    }

    #[test]
    fn sorting_by_any_column() {
        let (_, r) = general();
        let rows = rows(&r, None);
        let by_total_asc = order(&rows, Column::Total, Dir::Asc);
        assert!(by_total_asc.windows(2).all(|w| rows[w[0]].total <= rows[w[1]].total));
        let by_rank_desc = order(&rows, Column::Rank, Dir::Desc);
        assert!(by_rank_desc.windows(2).all(|w| rows[w[0]].rank >= rows[w[1]].rank));
        let by_name = order(&rows, Column::Agent, Dir::Asc);
        assert!(by_name.windows(2).all(|w| rows[w[0]].name <= rows[w[1]].name));
        let by_name_desc = order(&rows, Column::Agent, Dir::Desc);
        assert!(by_name_desc.windows(2).all(|w| rows[w[0]].name >= rows[w[1]].name));
        let by_ind = order(&rows, Column::Indicator(2), Dir::Desc);
        assert!(by_ind.windows(2).all(|w| rows[w[0]].points[2] >= rows[w[1]].points[2]));
        let by_bonus = order(&rows, Column::Bonus, Dir::Desc);
        assert!(by_bonus.windows(2).all(|w| rows[w[0]].bonus >= rows[w[1]].bonus));
        // Delta columns without a baseline: every row lacks a value; order stays.
        assert_eq!(order(&rows, Column::DeltaTotal, Dir::Desc), (0..rows.len()).collect::<Vec<_>>());
        assert_eq!(click_sort((Column::Rank, Dir::Asc), Column::Total), (Column::Total, Dir::Desc));
        assert_eq!(click_sort((Column::Total, Dir::Desc), Column::Total), (Column::Total, Dir::Asc));
    }

    #[test]
    fn team_mean_and_median() {
        let mk = |total: f64, bonus: &str| Row {
            agent: String::new(),
            name: String::new(),
            rank: 1,
            points: vec![total / 2.0],
            categories: vec![],
            total,
            grade: None,
            bonus: Decimal::from_str(bonus).unwrap(),
            delta: None,
        };
        let t = team(&[mk(90.0, "100.00"), mk(70.0, "50.00"), mk(80.0, "0.01"), mk(60.0, "10.00")]);
        assert_eq!(t.total, MeanMedian { mean: 75.0, median: 75.0 });
        assert_eq!(t.points[0], MeanMedian { mean: 37.5, median: 37.5 });
        assert_eq!(t.bonus, (Decimal::from_str("40.00").unwrap(), Decimal::from_str("30.00").unwrap()));
        let t = team(&[mk(90.0, "1.00"), mk(70.0, "2.00"), mk(10.0, "4.00")]);
        assert_eq!(t.total.median, 70.0);
        assert_eq!(t.bonus.0, Decimal::from_str("2.33").unwrap());
        assert_eq!(team(&[]), Team::default());
    }

    #[test]
    fn baseline_deltas() {
        let (mut wb, before) = general();
        let base = Baseline::pin(&before);
        // No change: every delta is zero.
        for row in rows(&before, Some(&base)) {
            assert_eq!(row.delta, Some(Delta::Changed { total: 0.0, rank: 0, bonus: Decimal::ZERO, grade_was: None }));
        }
        assert_eq!(base.grade_changes(&before), 0);
        // Shift weight from response (0) to resolution (1).
        wb.scheme.indicators[0].weight = Some(5.0);
        wb.scheme.indicators[1].weight = Some(30.0);
        let after = engine::score_period(&wb, "2026-10").unwrap();
        let rows_after = rows(&after, Some(&base));
        let mut grade_changes = 0;
        for row in &rows_after {
            let old = before.agent(&row.agent).unwrap();
            let now = after.agent(&row.agent).unwrap();
            match &row.delta {
                Some(Delta::Changed { total, rank, bonus, grade_was }) => {
                    assert!((total - (now.total - old.total)).abs() < 1e-9);
                    assert_eq!(*rank, i64::from(old.rank) - i64::from(now.rank));
                    assert_eq!(*bonus, now.bonus - old.bonus);
                    assert_eq!(grade_was.is_some(), old.grade != now.grade);
                    if grade_was.is_some() {
                        grade_changes += 1;
                    }
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(base.grade_changes(&after), grade_changes);
        assert!(rows_after.iter().any(|r| matches!(r.delta, Some(Delta::Changed { total, .. }) if total != 0.0)));
        // A baseline of another period is ignored.
        let other = engine::score_period(&wb, "2026-09").unwrap();
        assert!(rows(&other, Some(&base)).iter().all(|r| r.delta.is_none()));
        // An agent added after pinning is new.
        assert_eq!(base.delta("nobody", 1.0, 1, Decimal::ZERO, None), Delta::New);
    }

    #[test]
    fn cell_texts() {
        use crate::i18n::Lang;
        let (wb, r) = general();
        let base = Baseline::pin(&r);
        let rows = rows(&r, Some(&base));
        let row = &rows[0];
        assert_eq!(cell_text(row, Column::Rank, Lang::En, "CNY"), "1");
        assert!(cell_text(row, Column::Bonus, Lang::En, "CNY").starts_with('¥'));
        assert_eq!(cell_text(row, Column::DeltaTotal, Lang::En, "CNY"), "0");
        assert_eq!(cell_text(row, Column::DeltaRank, Lang::En, "CNY"), "0");
        assert_eq!(cell_text(row, Column::DeltaBonus, Lang::En, "CNY"), "¥0.00");
        let mut other = row.clone();
        assert!(columns(&wb, true).into_iter().all(|c| !cell_changed(row, &other, c)));
        other.total += 1.0;
        assert!(cell_changed(row, &other, Column::Total));
        assert!(!cell_changed(row, &other, Column::Rank));
    }

    #[test]
    fn columns_for_a_scheme() {
        let (wb, _) = general();
        let cols = columns(&wb, false);
        assert_eq!(cols.len(), 2 + wb.scheme.indicators.len() + wb.scheme.categories.len() + 3);
        assert_eq!(columns(&wb, true).len(), cols.len() + 3);
        assert_eq!(Column::Indicator(3).id(), "ind-3");
    }
}
