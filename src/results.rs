//! What the engine produces: per period, per agent, per indicator — points and why.
//!
//! Explanations and warnings are kept as data ([`Why`], [`Warning`]) so that scoring
//! 100,000 agents does not format 2,000,000 sentences; [`crate::explain`] turns them
//! into words in the chosen language when someone looks.

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
    /// In rank order (best first); equal totals keep the workbook's agent order.
    pub agents: Vec<AgentResult>,
    /// Per indicator (scheme order): statistics of the points.
    pub stats: Vec<Stats>,
    /// Statistics of the totals.
    pub total_stats: Stats,
    pub warnings: Vec<Warning>,
}

impl PeriodResults {
    pub fn agent(&self, id: &str) -> Option<&AgentResult> {
        self.agents.iter().find(|a| a.agent == id)
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

#[derive(Debug, Clone, PartialEq)]
pub struct AgentResult {
    /// The agent's id.
    pub agent: String,
    /// Index into `workbook.agents`.
    pub agent_index: usize,
    pub name: String,
    /// Per indicator, in scheme order.
    pub indicators: Vec<IndicatorResult>,
    /// Per category, in scheme order.
    pub categories: Vec<CategoryResult>,
    /// Points before the total rule's steps (base + categories + uncategorised).
    pub raw_total: f64,
    pub total: f64,
    /// The steps from raw total to total (clamps, critical items, "≥ 95 counts as 100").
    pub total_steps: Vec<Why>,
    /// 1 = best; equal totals share a rank (1, 2, 2, 4).
    pub rank: u32,
    pub grade: Option<String>,
    pub bonus: Decimal,
    pub bonus_parts: Vec<BonusPart>,
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
