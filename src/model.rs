//! The workbook: the JSON document a shop saves and shares.
//!
//! Plain data and no behaviour beyond small look-ups. Written with serde's derives;
//! read with [`crate::read::Read`], implemented at the end of this file
//! (`read_object!`, `read_name!`, and the two tagged unions `Rule` and `BonusRule`),
//! which is where each field's default is stated: serde's messages, far less
//! WebAssembly than serde's `Deserialize`. The names
//! are the shop owner's words and are the same in the code, the UI and the JSON:
//! scheme, metric, indicator, category, season, band, grade, bonus, agent, period,
//! record (one agent's figures for one period).
//!
//! Invariants the rest of the code relies on are *checked*, not assumed: see
//! [`crate::validate`]. Nothing here panics on any input.

use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
pub use crate::figures::Figures;

/// The value of the `format` header field.
pub const FORMAT: &str = "kpi-scorecard";
/// The workbook version this build writes.
pub const VERSION: u32 = 1;
/// The version of this program, written into every workbook it saves.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A whole workbook: header, scheme, agents, periods and their figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workbook {
    pub format: String,
    pub version: u32,
    /// The app version that wrote the file (informational).
    pub app_version: String,
    pub meta: Meta,
    pub scheme: Scheme,
    pub agents: Vec<Agent>,
    pub periods: Vec<Period>,
    /// One record per agent per period.
    pub records: Vec<Record>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    pub title: String,
    pub currency: String,
    pub notes: String,
}

pub(crate) fn default_currency() -> String {
    "CNY".to_string()
}

impl Default for Meta {
    fn default() -> Self {
        Meta { title: String::new(), currency: default_currency(), notes: String::new() }
    }
}

/// The rules: how figures become points, points a total, the total a grade and money.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Scheme {
    pub metrics: Vec<Metric>,
    pub indicators: Vec<Indicator>,
    pub categories: Vec<Category>,
    pub seasons: Vec<Season>,
    pub total: TotalRule,
    pub grades: Grades,
    pub bonus: Vec<BonusRule>,
    /// How money is rounded to the cent.
    pub rounding: Rounding,
}

/// A figure: typed in (an input) or computed from others by a formula (derived).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// Identifier used in formulas and in records, e.g. `calls`.
    pub id: String,
    pub name: String,
    /// Free text shown next to the figure: `%`, `s`, `calls`, `¥`.
    /// Percentages are stored as the number people type: 92.5 means 92.5 %.
    pub unit: String,
    pub better: Better,
    /// A count (violations, complaints): must be a whole number, never negative.
    #[serde(skip_serializing_if = "is_false")]
    pub count: bool,
    /// Present for a derived metric, e.g. `paid / orders * 100`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    #[default]
    Higher,
    Lower,
}

/// One line of the scheme: a metric, a rule, a weight, a category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    /// The metric the rule reads (not needed by rating, checklist, critical, formula, tenure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// Full points of the indicator for rules that score a share of it
    /// (target, linear-by-share, rating, checklist). In a weighted scheme the
    /// weights total 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub rule: Rule,
    /// How a period with child periods (a month made of weeks) gets this indicator's
    /// points: from its own figures, or the sum or average of its children's points.
    pub rollup: Rollup,
    /// Which periods the indicator counts in (e.g. tenure points only in the month,
    /// not in each of its weeks).
    #[serde(skip_serializing_if = "AppliesTo::is_all")]
    pub applies_to: AppliesTo,
}

/// Which periods a rule counts in, when periods roll up (weeks into a month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliesTo {
    /// Every period.
    #[default]
    All,
    /// Only periods that do not roll up into another (the month).
    Top,
    /// Only periods that roll up into another (the weeks).
    Sub,
}

impl AppliesTo {
    pub fn is_all(&self) -> bool {
        *self == AppliesTo::All
    }

    /// Whether a period with (or without) a parent is covered.
    pub fn covers(self, has_parent: bool) -> bool {
        match self {
            AppliesTo::All => true,
            AppliesTo::Top => !has_parent,
            AppliesTo::Sub => has_parent,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rollup {
    #[default]
    Own,
    Sum,
    Average,
}

/// How an indicator turns a figure into points. (Read by hand: see the end of this file.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// points = weight × clamp(value / target) (target / value when lower is better).
    Target {
        target: f64,
        /// The highest share counted, e.g. 1.0 (no extra for beating the target) or 1.2.
        /// Default 1.
        cap: f64,
    },
    /// Straight line between two anchors; below the first anchor `below` points,
    /// above the second anchor the second anchor's points.
    Linear {
        from: Anchor,
        to: Anchor,
        below: f64,
    },
    /// A table of bands; optionally one table per season.
    Bands {
        tables: Vec<BandTable>,
        /// Points given to a value that falls in no band (always with a warning).
        gap_points: f64,
    },
    /// Points per occurrence of a counted event (−0.5 per violation), capped.
    PerOccurrence {
        each: f64,
        /// The most the occurrences can add up to in size (5 means at most −5 or +5).
        #[serde(skip_serializing_if = "Option::is_none")]
        cap: Option<f64>,
        /// Points for a clean record (zero occurrences), e.g. +5 for no bad reviews.
        none_bonus: f64,
    },
    /// Points by place in the team, computed once every agent's figure is known.
    Rank {
        /// Points for places 1, 2, 3, …
        places: Vec<f64>,
        ties: TiePolicy,
        /// Points when the figure is worse than the group's average (e.g. −1).
        #[serde(skip_serializing_if = "Option::is_none")]
        below_average: Option<f64>,
        scope: RankScope,
    },
    /// Several raters' scores, averaged, mapped onto the indicator's weight.
    Rating {
        /// The scale's lowest and highest score: 0–1, 1–3, 1–4, 1–5, 0–100 …
        min: f64,
        max: f64,
        /// Drop the highest and the lowest score when there are three raters or more.
        drop_extremes: bool,
    },
    /// Tick-box statements; ticked weight / applicable weight × the indicator's weight.
    Checklist { items: Vec<ChecklistItem> },
    /// A condition that zeroes the indicator's category or the whole total.
    Critical {
        /// A formula that is true when the critical failure happened, e.g. `fraud > 0`.
        when: String,
        zeroes: CriticalScope,
    },
    /// points = an expression over the period's figures.
    Formula {
        expr: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// Points by length of service at the end of the period (6 months +2, 1 year +3 …).
    Tenure { steps: Vec<TenureStep> },
}


#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Anchor {
    pub value: f64,
    pub points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandTable {
    /// The season this table applies to; `None` applies in every period not covered
    /// by a season-specific table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub season: Option<String>,
    pub bands: Vec<Band>,
}

/// One band: `min ≤ x < max` (each edge inclusive or exclusive, each may be open).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    pub min_inclusive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    pub max_inclusive: bool,
    pub points: f64,
}


fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TiePolicy {
    /// 1, 2, 2, 4 (spreadsheet RANK).
    #[default]
    Competition,
    /// 1, 2, 2, 3 (common in Chinese practice).
    Dense,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RankScope {
    /// Agents are ranked within their team.
    #[default]
    Team,
    /// All agents of the period are ranked together.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CriticalScope {
    #[default]
    Category,
    Total,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistItem {
    pub id: String,
    pub text: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TenureStep {
    /// Whole months of service reached.
    pub months: u32,
    pub points: f64,
}

/// A group of indicators with an optional full score (deduction scheme, 扣分制),
/// cap and floor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    pub id: String,
    pub name: String,
    /// The block starts at these points and its indicators add or deduct.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor: Option<f64>,
}

/// A season is any set of months (the courier's peak is Sep–Jan and Mar).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Season {
    pub id: String,
    pub name: String,
    pub months: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalMethod {
    /// Weights total 100; a warning otherwise.
    #[default]
    Weighted,
    /// A plain sum of points.
    Sum,
}

/// How the total is formed from the indicator points and category subtotals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TotalRule {
    pub method: TotalMethod,
    /// Points every agent starts from before indicators add or deduct.
    pub base: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// "A total of `from` or more counts as `to`" (the hotel's 95 → 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub round_up: Option<RoundUp>,
    /// Decimal places of the total (rounded half-up).
    pub decimals: u32,
}


impl Default for TotalRule {
    fn default() -> Self {
        TotalRule { method: TotalMethod::Weighted, base: 0.0, min: None, max: None, round_up: None, decimals: 2 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RoundUp {
    pub from: f64,
    pub to: f64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Grades {
    /// A grade is given when the total is at least `min`; checked from the highest `min` down.
    pub bands: Vec<GradeBand>,
    /// Forced-distribution quotas; the results warn when they are broken.
    pub quotas: Vec<GradeQuota>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeBand {
    pub grade: String,
    pub min: f64,
    /// Bonus coefficient for this grade (used by the `grade_coefficient` bonus).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coefficient: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeQuota {
    pub grade: String,
    /// At most this share of agents (percent) may get the grade; rounded up to whole people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_percent: Option<f64>,
    /// At least this share (percent), rounded down to whole people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_percent: Option<f64>,
}

/// How money is rounded to the cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// 0.005 → 0.01 (the default, what people expect).
    #[default]
    HalfUp,
    /// Banker's rounding: 0.005 → 0.00, 0.015 → 0.02.
    HalfEven,
    /// Always towards zero.
    Down,
}

/// One money rule. An agent's bonus is the sum of all rules' amounts. (Read by hand,
/// unknown fields refused: see the end of this file.)
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BonusRule {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "AppliesTo::is_all")]
    pub applies_to: AppliesTo,
    #[serde(flatten)]
    pub kind: BonusKind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BonusKind {
    /// total / divisor × pool (the hotel: score / 100 × bonus; web store: / 96).
    PoolByScore {
        pool: Decimal,
        /// Default 100.
        divisor: Decimal,
    },
    /// total / Σ totals × pool, split to the cent so the shares add up to the pool exactly.
    PoolSplit { pool: Decimal },
    /// base × the coefficient of the agent's grade. `base` defaults to the agent's own base pay.
    GradeCoefficient {
        #[serde(skip_serializing_if = "Option::is_none")]
        base: Option<Decimal>,
    },
    /// Commission on sales by target completion.
    Commission {
        /// The sales figure the commission is paid on.
        sales: String,
        /// The completion figure (percent) that picks the tier.
        completion: String,
        /// Tiers by completion percent, rate in per-mille of sales.
        tiers: Vec<CommissionTier>,
        mode: CommissionMode,
    },
    /// The product of factors, e.g. completion × conversion × 1 % × sales.
    Product { factors: Vec<Factor> },
    /// An amount by length of service.
    Tenure { steps: Vec<TenureAmount> },
    /// An expression over figures, `total`, `rank` and `agents` (computed in floating
    /// point, then rounded to 6 places before cent rounding).
    Formula { expr: String },
}


#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommissionTier {
    /// Completion percent from which this tier applies.
    pub from: Decimal,
    /// Per-mille of sales.
    pub rate: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommissionMode {
    /// The whole amount at the rate of the tier reached.
    #[default]
    WholeAtTierReached,
    /// Each slice of sales at its own tier's rate (progressive).
    EachSliceAtItsRate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// A metric; a percent metric (unit `%`) counts as its value / 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// A constant, e.g. "0.01".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenureAmount {
    pub months: u32,
    pub amount: Decimal,
}

/// A member of staff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub team: String,
    /// `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hire_date: Option<String>,
    /// Base pay for the grade-coefficient bonus.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_pay: Option<Decimal>,
}

/// A month (`2026-10`), a week (`2026-W41`) or any named span with dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// First day, `YYYY-MM-DD` (e.g. the hotel's 21st of last month).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// The period this one rolls up into (a week's month).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// One agent's figures for one period.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Record {
    pub agent: String,
    pub period: String,
    /// Input metric id → figure.
    pub figures: Figures,
    /// Rating indicator id → each rater's score (`null` = the rater gave N/A).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub ratings: BTreeMap<String, Vec<Option<f64>>>,
    /// Checklist indicator id → item id → ticked, not ticked, or N/A.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<String, BTreeMap<String, Check>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Yes,
    No,
    Na,
}

impl Workbook {
    /// An empty workbook with the current header.
    pub fn new(title: &str) -> Self {
        Workbook {
            format: FORMAT.to_string(),
            version: VERSION,
            app_version: APP_VERSION.to_string(),
            meta: Meta { title: title.to_string(), ..Meta::default() },
            scheme: Scheme::default(),
            agents: Vec::new(),
            periods: Vec::new(),
            records: Vec::new(),
        }
    }

    pub fn agent(&self, id: &str) -> Option<&Agent> {
        self.agents.iter().find(|a| a.id == id)
    }

    pub fn period(&self, id: &str) -> Option<&Period> {
        self.periods.iter().find(|p| p.id == id)
    }

    pub fn record(&self, agent: &str, period: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.agent == agent && r.period == period)
    }

    /// The record for an agent and period, created empty if missing.
    pub fn record_mut(&mut self, agent: &str, period: &str) -> &mut Record {
        let pos = match self.records.iter().position(|r| r.agent == agent && r.period == period) {
            Some(pos) => pos,
            None => {
                self.records.push(Record { agent: agent.to_string(), period: period.to_string(), ..Record::default() });
                self.records.len() - 1
            }
        };
        &mut self.records[pos]
    }
}

impl Scheme {
    pub fn metric(&self, id: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.id == id)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The total of the indicators' weights (those that have one).
    pub fn weight_total(&self) -> f64 {
        self.indicators.iter().filter_map(|i| i.weight).sum()
    }
}

impl Rule {
    /// The rule's kind as written in the JSON (`bands`, `rank`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Target { .. } => "target",
            Rule::Linear { .. } => "linear",
            Rule::Bands { .. } => "bands",
            Rule::PerOccurrence { .. } => "per_occurrence",
            Rule::Rank { .. } => "rank",
            Rule::Rating { .. } => "rating",
            Rule::Checklist { .. } => "checklist",
            Rule::Critical { .. } => "critical",
            Rule::Formula { .. } => "formula",
            Rule::Tenure { .. } => "tenure",
        }
    }

    /// Whether the rule scores a share of the indicator's weight.
    pub fn uses_weight(&self) -> bool {
        matches!(self, Rule::Target { .. } | Rule::Rating { .. } | Rule::Checklist { .. })
    }

    /// Whether the rule reads the indicator's `metric`.
    pub fn needs_metric(&self) -> bool {
        matches!(
            self,
            Rule::Target { .. } | Rule::Linear { .. } | Rule::Bands { .. } | Rule::PerOccurrence { .. } | Rule::Rank { .. }
        )
    }
}

// ---------------------------------------------------------------------------------
// Reading: `impl Read` (see `read.rs`) for every model type. This is where each
// field's default is stated. The two tagged unions (`Rule`, `BonusRule`) are read by
// hand: the object once, its keys checked against its kind. The messages are serde's
// own: `missing field …`, `unknown field …, expected …` (this kind's fields),
// `unknown variant …, expected one of …`.
// ---------------------------------------------------------------------------------

use crate::read::{read_name, read_object, Error, Fields, Read};
use serde_json::Value;

/// The rule kinds, as written in `kind`.
pub const RULE_KINDS: &[&str] = &["target", "linear", "bands", "per_occurrence", "rank", "rating", "checklist", "critical", "formula", "tenure"];

/// The bonus kinds, as written in `kind`.
pub const BONUS_KINDS: &[&str] = &["pool_by_score", "pool_split", "grade_coefficient", "commission", "product", "tenure", "formula"];

/// The fields a rule of `kind` has (besides `kind`).
pub(crate) fn rule_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "target" => &["target", "cap"],
        "linear" => &["from", "to", "below"],
        "bands" => &["tables", "gap_points"],
        "per_occurrence" => &["each", "cap", "none_bonus"],
        "rank" => &["places", "ties", "below_average", "scope"],
        "rating" => &["min", "max", "drop_extremes"],
        "checklist" => &["items"],
        "critical" => &["when", "zeroes"],
        "formula" => &["expr", "min", "max"],
        "tenure" => &["steps"],
        _ => return None,
    })
}

/// The fields a bonus rule of `kind` has (besides `kind`).
pub(crate) fn bonus_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "pool_by_score" => &["id", "name", "applies_to", "pool", "divisor"],
        "pool_split" => &["id", "name", "applies_to", "pool"],
        "grade_coefficient" => &["id", "name", "applies_to", "base"],
        "commission" => &["id", "name", "applies_to", "sales", "completion", "tiers", "mode"],
        "product" => &["id", "name", "applies_to", "factors"],
        "tenure" => &["id", "name", "applies_to", "steps"],
        "formula" => &["id", "name", "applies_to", "expr"],
        _ => return None,
    })
}

read_object!(Workbook { format: need, version: need, app_version: or(String::new()), meta: or(Meta::default()), scheme: need, agents: or(Vec::new()), periods: or(Vec::new()), records: or(Vec::new()) });
read_object!(Meta { title: or(String::new()), currency: or(default_currency()), notes: or(String::new()) });
read_object!(Scheme { metrics: or(Vec::new()), indicators: or(Vec::new()), categories: or(Vec::new()), seasons: or(Vec::new()), total: or(TotalRule::default()), grades: or(Grades::default()), bonus: or(Vec::new()), rounding: or(Rounding::default()) });
read_object!(Metric { id: need, name: or(String::new()), unit: or(String::new()), better: or(Better::default()), count: or(false), formula: opt });
read_object!(Indicator { id: need, name: or(String::new()), metric: opt, weight: opt, category: opt, rule: need(Rule::Tenure { steps: Vec::new() }), rollup: or(Rollup::default()), applies_to: or(AppliesTo::default()) });
read_object!(Anchor { value: need, points: need });
read_object!(BandTable { season: opt, bands: need });
read_object!(Band { min: opt, min_inclusive: or(true), max: opt, max_inclusive: or(false), points: need });
read_object!(ChecklistItem { id: need, text: or(String::new()), weight: or(1.0) });
read_object!(TenureStep { months: need, points: need });
read_object!(Category { id: need, name: or(String::new()), full: opt, cap: opt, floor: opt });
read_object!(Season { id: need, name: or(String::new()), months: need });
read_object!(TotalRule { method: or(TotalMethod::default()), base: or(0.0), min: opt, max: opt, round_up: opt, decimals: or(2) });
read_object!(RoundUp { from: need, to: need });
read_object!(Grades { bands: or(Vec::new()), quotas: or(Vec::new()) });
read_object!(GradeBand { grade: need, min: need, coefficient: opt });
read_object!(GradeQuota { grade: need, max_percent: opt, min_percent: opt });
read_object!(CommissionTier { from: need, rate: need });
read_object!(Factor { metric: opt, value: opt });
read_object!(TenureAmount { months: need, amount: need });
read_object!(Agent { id: need, name: or(String::new()), team: or(String::new()), hire_date: opt, base_pay: opt });
read_object!(Period { id: need, name: or(String::new()), start: opt, end: opt, parent: opt });
read_object!(Record { agent: need, period: need, figures: or(Figures::new()), ratings: or(BTreeMap::new()), checks: or(BTreeMap::new()) });

read_name!(Better { "higher" => Higher, "lower" => Lower });
read_name!(AppliesTo { "all" => All, "top" => Top, "sub" => Sub });
read_name!(Rollup { "own" => Own, "sum" => Sum, "average" => Average });
read_name!(TiePolicy { "competition" => Competition, "dense" => Dense });
read_name!(RankScope { "team" => Team, "all" => All });
read_name!(CriticalScope { "category" => Category, "total" => Total });
read_name!(TotalMethod { "weighted" => Weighted, "sum" => Sum });
read_name!(Rounding { "half_up" => HalfUp, "half_even" => HalfEven, "down" => Down });
read_name!(CommissionMode { "whole_at_tier_reached" => WholeAtTierReached, "each_slice_at_its_rate" => EachSliceAtItsRate });
read_name!(Check { "yes" => Yes, "no" => No, "na" => Na });

impl Read for Rule {
    fn read(v: &Value) -> Result<Rule, Error> {
        let (kind, f) = Fields::open(v, RULE_KINDS, rule_fields)?;
        Ok(match kind {
            0 => Rule::Target { target: f.need("target")?, cap: f.or("cap", 1.0)? },
            1 => Rule::Linear { from: f.need("from")?, to: f.need("to")?, below: f.or("below", 0.0)? },
            2 => Rule::Bands { tables: f.need("tables")?, gap_points: f.or("gap_points", 0.0)? },
            3 => Rule::PerOccurrence { each: f.need("each")?, cap: f.opt("cap")?, none_bonus: f.or("none_bonus", 0.0)? },
            4 => Rule::Rank { places: f.need("places")?, ties: f.or("ties", TiePolicy::default())?, below_average: f.opt("below_average")?, scope: f.or("scope", RankScope::default())? },
            5 => Rule::Rating { min: f.or("min", 0.0)?, max: f.need("max")?, drop_extremes: f.or("drop_extremes", false)? },
            6 => Rule::Checklist { items: f.need("items")? },
            7 => Rule::Critical { when: f.need("when")?, zeroes: f.or("zeroes", CriticalScope::default())? },
            8 => Rule::Formula { expr: f.need("expr")?, min: f.opt("min")?, max: f.opt("max")? },
            _ => Rule::Tenure { steps: f.need("steps")? },
        })
    }
}

impl Read for BonusRule {
    fn read(v: &Value) -> Result<BonusRule, Error> {
        let (kind, f) = Fields::open(v, BONUS_KINDS, bonus_fields)?;
        let id = f.need("id")?;
        let name = f.or("name", String::new())?;
        let applies_to = f.or("applies_to", AppliesTo::All)?;
        let kind = match kind {
            0 => BonusKind::PoolByScore { pool: f.need("pool")?, divisor: f.or("divisor", Decimal::ONE_HUNDRED)? },
            1 => BonusKind::PoolSplit { pool: f.need("pool")? },
            2 => BonusKind::GradeCoefficient { base: f.opt("base")? },
            3 => BonusKind::Commission { sales: f.need("sales")?, completion: f.need("completion")?, tiers: f.need("tiers")?, mode: f.or("mode", CommissionMode::default())? },
            4 => BonusKind::Product { factors: f.need("factors")? },
            5 => BonusKind::Tenure { steps: f.need("steps")? },
            _ => BonusKind::Formula { expr: f.need("expr")? },
        };
        Ok(BonusRule { id, name, applies_to, kind })
    }
}

/// `Deserialize` for a model type through its [`Read`] (for serde users outside the web
/// app, e.g. `serde_json::from_str::<Workbook>` in tests): the value is read as a
/// `serde_json::Value` first. The web app never calls it (`workbook::read` does not).
/// In this crate's own unit tests the model's `Deserialize` is the former serde-based
/// reading instead (`serde_reading.rs`), to compare the two.
#[cfg(not(test))]
macro_rules! deserialize_by_read {
    ($($ty:ty),*) => {$(
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                <$ty as Read>::read(&<Value as serde::Deserialize>::deserialize(d)?).map_err(serde::de::Error::custom)
            }
        }
    )*};
}

#[cfg(not(test))]
deserialize_by_read!(
    Workbook, Meta, Scheme, Metric, Indicator, Anchor, BandTable, Band, ChecklistItem, TenureStep, Category, Season, TotalRule, RoundUp, Grades,
    GradeBand, GradeQuota, CommissionTier, Factor, TenureAmount, Agent, Period, Record, Better, AppliesTo, Rollup, TiePolicy, RankScope, CriticalScope,
    TotalMethod, Rounding, CommissionMode, Check, Rule, BonusRule, Figures
);

#[cfg(test)]
mod reading_tests {
    use super::*;
    use serde_json::json;

    /// Reads `v` with the hand-written reader and checks the former serde-based one
    /// (`serde_reading.rs`, this crate's `Deserialize` in tests) says the same.
    fn both<T: Read + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(v: Value) -> Result<T, String> {
        let new = T::read(&v).map_err(|e| e.to_string());
        assert_eq!(new, serde_json::from_value::<T>(v).map_err(|e| e.to_string()));
        new
    }

    fn rule(v: Value) -> Result<Rule, String> {
        both::<Rule>(v)
    }

    fn bonus(v: Value) -> Result<BonusRule, String> {
        both::<BonusRule>(v)
    }

    #[test]
    fn rules_read_with_defaults() {
        assert_eq!(rule(json!({ "kind": "target", "target": 90 })), Ok(Rule::Target { target: 90.0, cap: 1.0 }));
        assert_eq!(
            rule(json!({ "kind": "per_occurrence", "each": -0.5, "cap": null })),
            Ok(Rule::PerOccurrence { each: -0.5, cap: None, none_bonus: 0.0 })
        );
        assert_eq!(
            rule(json!({ "kind": "rank", "places": [3, 2, 1], "ties": "dense" })),
            Ok(Rule::Rank { places: vec![3.0, 2.0, 1.0], ties: TiePolicy::Dense, below_average: None, scope: RankScope::default() })
        );
        assert!(rule(json!({ "kind": "rank", "places": [3], "ties": "skip" })).unwrap_err().starts_with("unknown variant `skip`"));
    }

    #[test]
    fn rule_problems_read_like_serde_messages() {
        assert_eq!(rule(json!({ "kind": "bands", "tables": [], "target": 3 })), Err("unknown field `target`, expected `tables` or `gap_points`".into()));
        assert_eq!(rule(json!({ "kind": "target" })), Err("missing field `target`".into()));
        assert_eq!(rule(json!({ "target": 3 })), Err("missing field `kind`".into()));
        assert!(rule(json!({ "kind": "magic" })).unwrap_err().starts_with("unknown variant `magic`, expected one of `target`, `linear`"));
        assert_eq!(rule(json!({ "kind": "target", "target": "90" })), Err("invalid type: string \"90\", expected f64".into()));
        assert_eq!(rule(json!({ "kind": "target", "target": 90, "cap": null })), Err("invalid type: null, expected f64".into()));
        assert!(rule(json!([1, 2])).is_err());
    }

    #[test]
    fn structs_read_with_defaults_and_serde_messages() {
        let agent = |v: Value| both::<Agent>(v);
        assert_eq!(agent(json!({ "id": "a1", "hire_date": null })), Ok(Agent { id: "a1".into(), name: String::new(), team: String::new(), hire_date: None, base_pay: None }));
        assert_eq!(agent(json!({ "id": "a1", "name": null })), Err("invalid type: null, expected a string".into()));
        assert_eq!(agent(json!({ "name": "x" })), Err("missing field `id`".into()));
        assert_eq!(agent(json!({ "id": "a1", "nick": "x" })), Err("unknown field `nick`, expected one of `id`, `name`, `team`, `hire_date`, `base_pay`".into()));
        assert_eq!(agent(json!(["a1"])), Err("invalid type: sequence, expected a map".into()), "a struct is never read by position");
        let band = both::<Band>(json!({ "points": -1 }));
        assert_eq!(band, Ok(Band { min: None, min_inclusive: true, max: None, max_inclusive: false, points: -1.0 }));
        let total = both::<TotalRule>(json!({}));
        assert_eq!(total, Ok(TotalRule::default()), "decimals default to 2");
        assert_eq!(both::<Meta>(json!({})).map(|m| m.currency), Ok("CNY".to_string()));
    }

    #[test]
    fn bonus_rules_read_and_refuse_unknown_fields() {
        let b = bonus(json!({ "id": "p", "kind": "pool_by_score", "pool": "5000.00" })).unwrap();
        assert_eq!(b.kind, BonusKind::PoolByScore { pool: Decimal::new(500000, 2), divisor: Decimal::ONE_HUNDRED });
        assert_eq!(b.applies_to, AppliesTo::All);
        assert_eq!(bonus(json!({ "id": "p", "kind": "pool_split", "pool": "1", "divisor": "96" })), Err("unknown field `divisor`, expected one of `id`, `name`, `applies_to`, `pool`".into()));
        assert_eq!(bonus(json!({ "kind": "pool_split", "pool": "1" })), Err("missing field `id`".into()));
        // Round trip: what is written reads back the same.
        let text = serde_json::to_string(&b).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&text).map_err(|e| e.to_string()).and_then(bonus), Ok(b));
    }
}
