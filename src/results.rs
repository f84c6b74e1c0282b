//! What the engine produces: per period, per agent, per indicator — points and why.
//!
//! Explanations and warnings are kept as data ([`Why`], [`Warning`]) so that scoring
//! 100,000 agents does not format 2,000,000 sentences; [`crate::explain`] turns them
//! into words in the chosen language when someone looks.
//!
//! Layout: a [`PeriodResults`] keeps its agents' results in a few lists rather than a
//! few allocations per agent (100,000 agents used to mean ~700,000 allocations to make
//! and as many to free): one row per agent (its own figures: total, grade, where its
//! steps, id and name are), the rank order (the row at each position) with the ranks
//! and bonuses by position, every agent's indicator and category results in blocks of
//! rows ([`Rows`], by row) and bonus parts by position, total steps in one list, ids and
//! names in one text, grade names once. [`PeriodResults::agents`] hands out
//! [`AgentResult`] views in rank order, with the fields the former per-agent struct
//! had (`agent`, `name`, `indicators`, `categories`, `total`, `rank`, `grade`, `bonus`,
//! `bonus_parts`, …) as borrowed slices and strings.

use rust_decimal::Decimal;

/// Results for every period of a workbook, in the workbook's period order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    pub periods: Vec<PeriodResults>,
}

impl Results {
    pub fn period(&self, id: &str) -> Option<&PeriodResults> {
        self.periods.iter().find(|p| p.period == id)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PeriodResults {
    pub period: String,
    /// The season the period falls in (index into `scheme.seasons`).
    pub season: Option<usize>,
    /// Per agent, by row: the period's agents in workbook order. Read through
    /// [`PeriodResults::agents`], in rank order.
    pub(crate) rows: Vec<AgentRow>,
    /// The rank order (best first; equal totals keep the workbook's agent order): the
    /// row of the agent at each position.
    pub(crate) order: Vec<u32>,
    /// By position in rank order: the rank and the bonus.
    pub(crate) ranks: Vec<u32>,
    pub(crate) bonuses: Vec<Decimal>,
    /// Every agent's indicator results, by row (the period's agents in workbook
    /// order, [`AgentRow::row`]): one per indicator. Likewise `categories`. The bonus
    /// parts are by position in rank order instead (the order they are worked out in).
    pub(crate) indicators: Rows<IndicatorResult>,
    pub(crate) categories: Rows<CategoryResult>,
    pub(crate) bonus_parts: Rows<BonusPart>,
    /// Every agent's total steps, one after the other (most agents have none).
    pub(crate) total_steps: Vec<Why>,
    /// The agents' ids and names, one after the other (one text, not two per agent).
    pub(crate) text: String,
    /// The names of the grades, in the order [`AgentRow::grade`] counts them.
    pub(crate) grades: Vec<String>,
    /// Per indicator (scheme order): statistics of the points.
    pub stats: Vec<Stats>,
    /// Statistics of the totals.
    pub total_stats: Stats,
    pub warnings: Vec<Warning>,
}

/// Rows of equal length (one per agent), kept in blocks of [`BLOCK_ROWS`] rows: a few
/// dozen allocations per period instead of several per agent, each small enough to be
/// reused from the heap by the next scoring (one allocation of 100 MB would be fresh
/// memory from the system every time, paid page by page).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rows<T> {
    per_row: usize,
    /// How many rows are expected (room is made for no more than these, a block at most).
    rows: usize,
    blocks: Vec<Vec<T>>,
}

/// Rows per block: 1,024 agents × 20 indicators of 48 bytes is just under 1 MB.
const BLOCK_ROWS: usize = 1024;

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows { per_row: 0, rows: 0, blocks: Vec::new() }
    }
}

impl<T> Rows<T> {
    /// No rows yet; `rows` rows are expected, each of `per_row` items.
    pub fn new(rows: usize, per_row: usize) -> Self {
        Rows { per_row, rows, blocks: Vec::new() }
    }

    /// A new block, with room for the rows still expected (a whole block at most).
    fn start_block(&mut self) {
        let left = self.rows.saturating_sub(self.blocks.len() * BLOCK_ROWS).clamp(1, BLOCK_ROWS);
        self.blocks.push(Vec::with_capacity(left * self.per_row));
    }

    /// Adds the next item (rows fill up one after the other).
    pub fn push(&mut self, item: T) {
        let block = BLOCK_ROWS * self.per_row.max(1);
        match self.blocks.last_mut() {
            Some(last) if last.len() < block => last.push(item),
            _ => {
                self.start_block();
                if let Some(last) = self.blocks.last_mut() {
                    last.push(item);
                }
            }
        }
    }

    /// Where the next row goes: push exactly `per_row` items onto it.
    pub fn next_row(&mut self) -> &mut Vec<T> {
        let block = BLOCK_ROWS * self.per_row.max(1);
        if self.blocks.last().is_none_or(|last| last.len() + self.per_row > block) {
            self.start_block();
        }
        let last = self.blocks.len() - 1;
        &mut self.blocks[last]
    }

    /// Row `r` (empty when there is no such row).
    pub fn row(&self, r: usize) -> &[T] {
        let at = r % BLOCK_ROWS * self.per_row;
        self.blocks.get(r / BLOCK_ROWS).and_then(|b| b.get(at..at + self.per_row)).unwrap_or_default()
    }
}

/// One agent's own figures in [`PeriodResults`]; the rest lives in the period's lists.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AgentRow {
    /// Index into `workbook.agents`.
    pub agent_index: u32,
    /// Where its results are in the period's lists (its place in workbook order).
    pub row: u32,
    /// Its id, then its name, in `PeriodResults::text` from here.
    pub text: u32,
    pub id_len: u32,
    pub name_len: u32,
    /// Its steps in `PeriodResults::total_steps` from here.
    pub steps: u32,
    pub n_steps: u32,
    /// Index into `PeriodResults::grades`, or `NO_GRADE`.
    pub grade: u32,
    pub raw_total: f64,
    pub total: f64,
}

pub(crate) const NO_GRADE: u32 = u32::MAX;

impl PeriodResults {
    /// The agents in rank order (best first).
    pub fn agents(&self) -> impl DoubleEndedIterator<Item = AgentResult<'_>> + ExactSizeIterator + Clone + '_ {
        (0..self.order.len()).map(move |k| self.view(k))
    }

    /// The agent at `position` in rank order (0 = best).
    pub fn agent_at(&self, position: usize) -> Option<AgentResult<'_>> {
        (position < self.order.len()).then(|| self.view(position))
    }

    /// How many agents the period has.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn agent(&self, id: &str) -> Option<AgentResult<'_>> {
        self.agents().find(|a| a.agent == id)
    }

    fn view<'a>(&'a self, position: usize) -> AgentResult<'a> {
        const NO_ROW: AgentRow = AgentRow { agent_index: 0, row: 0, text: 0, id_len: 0, name_len: 0, steps: 0, n_steps: 0, grade: NO_GRADE, raw_total: 0.0, total: 0.0 };
        let row = self.order.get(position).and_then(|&r| self.rows.get(r as usize)).unwrap_or(&NO_ROW);
        let slice = |all: &'a str, from: u32, len: u32| all.get(from as usize..from as usize + len as usize).unwrap_or_default();
        let r = row.row as usize;
        AgentResult {
            agent: slice(&self.text, row.text, row.id_len),
            agent_index: row.agent_index as usize,
            name: slice(&self.text, row.text + row.id_len, row.name_len),
            indicators: self.indicators.row(r),
            categories: self.categories.row(r),
            raw_total: row.raw_total,
            total: row.total,
            total_steps: self.total_steps.get(row.steps as usize..(row.steps + row.n_steps) as usize).unwrap_or_default(),
            rank: self.ranks.get(position).copied().unwrap_or(0),
            grade: self.grades.get(row.grade as usize).map(String::as_str),
            bonus: self.bonuses.get(position).copied().unwrap_or(Decimal::ZERO),
            bonus_parts: self.bonus_parts.row(position),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stats {
    /// How many agents had a figure.
    pub count: usize,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

/// One agent's results, as read from [`PeriodResults`] (which keeps them in a few
/// lists per period rather than a few allocations per agent).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgentResult<'a> {
    /// The agent's id.
    pub agent: &'a str,
    /// Index into `workbook.agents`.
    pub agent_index: usize,
    pub name: &'a str,
    /// Per indicator, in scheme order.
    pub indicators: &'a [IndicatorResult],
    /// Per category, in scheme order.
    pub categories: &'a [CategoryResult],
    /// Points before the total rule's steps (base + categories + uncategorised).
    pub raw_total: f64,
    pub total: f64,
    /// The steps from raw total to total (clamps, critical items, "≥ 95 counts as 100").
    pub total_steps: &'a [Why],
    /// 1 = best; equal totals share a rank (1, 2, 2, 4).
    pub rank: u32,
    pub grade: Option<&'a str>,
    pub bonus: Decimal,
    pub bonus_parts: &'a [BonusPart],
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorResult {
    /// The figure the rule read (after derivation), if any.
    pub value: Option<f64>,
    pub points: f64,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryResult {
    pub points: f64,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BonusPart {
    /// Index into `scheme.bonus`.
    pub rule: usize,
    pub amount: Decimal,
    pub why: Why,
}

/// One step of reasoning, as data. Rendered by [`crate::explain`], which reads the
/// rest (targets, weights, band edges, pools) from the scheme: only what the scheme
/// does not hold is kept here, so 100,000 agents × 20 indicators stay small.
#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    /// No figure was entered: the indicator scores 0.
    Missing,
    /// The indicator does not count in this kind of period (`applies_to`).
    NotApplicable,
    /// value / target (target / value when lower is better), clamped to `share`, × weight.
    Target { share: f64 },
    /// Below the first anchor.
    LinearBelow,
    /// Between the anchors (or beyond the second: clamped).
    Linear { clamped: bool },
    /// The value fell in band `band` of table `table`.
    Band { table: u16, band: u16, season: Option<u16> },
    /// The value fell in no band: `gap_points` were given, with a warning.
    BandGap { table: u16, season: Option<u16> },
    /// No band table applies in this period's season.
    NoBandTable { season: Option<u16> },
    PerOccurrence { capped: bool },
    /// Zero occurrences: the clean-record bonus.
    PerOccurrenceNone,
    /// Place in the group of `of` agents.
    Rank { place: u32, of: u32 },
    /// Worse than the group average.
    RankBelowAverage { place: u32, of: u32, average: f64 },
    /// Mean of the raters' scores on the scale. `scores`: the scores that counted, then,
    /// when `dropped`, the lowest and the highest that were left out. (The scale and
    /// the weight are the rule's; the mean is recomputed from the scores.) One
    /// allocation per agent.
    Rating { dropped: bool, scores: Box<[f64]> },
    /// Every rater said N/A.
    RatingNa,
    Checklist { ticked: f64, applicable: f64, na: u32 },
    /// Every item was N/A.
    ChecklistNa,
    CriticalOk,
    CriticalHit,
    Formula { value: f64, clamped: bool },
    /// The formula could not be computed for this agent (division by zero, …).
    FormulaFailed { message: Box<str> },
    Tenure { months: u32 },
    /// No hire date, or no end date of the period.
    TenureUnknown,
    /// Sum or average of the child periods' points.
    Rollup(Box<RollupWhy>),
    /// A category: start (its full points, or 0) plus its indicators, clamped.
    Category { sum: f64, floor_hit: bool, cap_hit: bool, zeroed: bool },
    /// Total steps.
    TotalClamped { from: f64, to: f64 },
    TotalZeroedBy { indicator: u32 },
    TotalRoundedUp { from: f64, to: f64 },
    /// Money: total / divisor × pool (both from the rule).
    PoolByScore { total: f64 },
    /// total / sum of totals × pool.
    PoolSplit { total: f64, sum: f64 },
    /// base × the coefficient of the agent's grade: the rule's base, else the agent's
    /// base pay; the coefficient of the grade in `AgentResult::grade` (both read from
    /// the workbook when explained, see [`crate::explain::bonus`]).
    GradeCoefficient,
    Commission(Box<CommissionWhy>),
    Product { factors: Box<[Decimal]> },
    TenureAmount { months: u32 },
    FormulaAmount { value: f64 },
    /// A figure needed by a money rule is missing.
    MissingFigure { metric: Box<str> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct RollupWhy {
    pub average: bool,
    /// Each child period and its points.
    pub parts: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommissionWhy {
    pub sales: Decimal,
    pub completion: Decimal,
    /// Per-mille rate of the tier reached.
    pub rate: Decimal,
    /// Progressive mode: each slice of sales and its rate.
    pub slices: Vec<(Decimal, Decimal)>,
}

/// A warning about the results of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// The agent concerned, if any (its id).
    pub agent: Option<String>,
    /// The indicator concerned, if any (index into `scheme.indicators`).
    pub indicator: Option<usize>,
    pub kind: WarningKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WarningKind {
    /// A value fell into a gap between bands.
    BandGap { value: f64 },
    /// A formula could not be computed (division by zero or another error).
    Formula { message: String },
    /// A derived metric could not be computed.
    DerivedMetric { metric: String, message: String },
    /// More agents got a grade than its quota allows (or fewer than its minimum).
    QuotaBroken { grade: String, count: usize, allowed: usize, over: bool },
    /// The pool could not be split (the totals add up to zero or less).
    PoolNotSplit { rule: usize },
    /// A rank indicator had no figure for some agents: they were not ranked.
    NotRanked,
    /// A commission completion is zero while sales are not.
    Commission { rule: usize },
}

#[cfg(test)]
mod tests {
    #[test]
    fn explanation_data_stays_small() {
        // 100,000 agents × 20 indicators of these are kept in memory.
        assert!(std::mem::size_of::<super::Why>() <= 24, "Why is {} bytes", std::mem::size_of::<super::Why>());
        assert!(std::mem::size_of::<super::IndicatorResult>() <= 48);
    }
}
