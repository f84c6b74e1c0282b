//! Checks a workbook before it is scored: every problem names its place
//! (`scheme.indicators[3].rule.tables[0].bands[1].min`) and says what is wrong.
//!
//! Errors stop scoring (the UI keeps the last good results); warnings are shown
//! beside the results (band gaps, weights not totalling 100, quota settings …).
//! The sentences are in [`crate::explain::issue`].

use crate::formula::{Formula, FormulaError};
use crate::model::*;
use crate::period::{Date, PeriodId};
use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding: where, how bad, what.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// A path into the workbook JSON, e.g. `scheme.indicators[2].weight`.
    pub place: String,
    pub severity: Severity,
    pub problem: Problem,
}

impl Issue {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    EmptyId,
    DuplicateId { id: String },
    /// A reference to something that does not exist.
    Unknown { what: &'static str, id: String },
    NotFinite,
    Negative,
    NotWhole,
    /// A number outside what makes sense, e.g. a month of 13.
    OutOfRange { min: f64, max: f64 },
    /// Weights do not total 100 in a weighted scheme; the fix is offered.
    WeightsNot100 { total: f64 },
    /// The rule needs the indicator to have a metric.
    NeedsMetric,
    /// The rule scores a share of the weight and the indicator has none.
    NeedsWeight,
    Formula(FormulaError),
    /// Derived metrics refer to each other in a circle.
    FormulaCycle { metrics: Vec<String> },
    /// A formula reads something that is neither a metric nor a known name.
    FormulaUnknownName { name: String },
    /// A band's lower edge is above its upper edge (or they exclude each other).
    BandEmpty,
    /// Two bands both contain a value.
    BandsOverlap { first: usize, second: usize, at: f64 },
    /// No band contains the values between `from` and `to`.
    BandGap { from: Option<f64>, from_inclusive: bool, to: Option<f64>, to_inclusive: bool },
    /// No bands at all.
    Empty,
    /// A month is in more than one season.
    MonthInTwoSeasons { month: u32 },
    /// Two band tables for the same season.
    DuplicateSeasonTable,
    NoPlaces,
    RatingScale,
    BadDate { text: String },
    /// A period is its own ancestor.
    PeriodCycle,
    /// Two records for the same agent and period.
    DuplicateRecord { agent: String, period: String },
    /// A figure given for a derived metric (it is computed, the figure is ignored).
    FigureForDerived { metric: String },
    /// Commission tiers must start at increasing completion.
    TiersNotAscending,
    FloorAboveCap,
    /// A rating/checklist entry for an indicator that is not of that kind.
    NotThatKind { expected: &'static str },
    TooManyDecimals,
    /// Bonus pool must not be negative.
    NegativeMoney,
}

/// Everything wrong with the workbook, errors first.
pub fn check(wb: &Workbook) -> Vec<Issue> {
    check_inner(wb, None)
}

/// [`check`], also handing back what the record check resolved (for the engine).
pub(crate) fn check_resolved(wb: &Workbook) -> (Vec<Issue>, Resolved<'_>) {
    let mut resolved = Resolved::default();
    let issues = check_inner(wb, Some(&mut resolved));
    (issues, resolved)
}

/// Only what the record check resolves, for a workbook already checked and free of
/// errors (so its agent and period ids are unique); the issues are not kept.
pub(crate) fn resolve(wb: &Workbook) -> Resolved<'_> {
    let mut resolved = Resolved::default();
    let mut c = Checker { out: Vec::new() };
    c.records(wb, (true, true), Some(&mut resolved));
    resolved
}

fn check_inner<'a>(wb: &'a Workbook, mut resolved: Option<&mut Resolved<'a>>) -> Vec<Issue> {
    let mut c = Checker { out: Vec::new() };
    c.header(wb);
    c.scheme(wb);
    let unique = c.people_and_periods(wb, resolved.as_deref_mut());
    c.records(wb, unique, resolved);
    crate::sort::sort_by(&mut c.out, |a, b| b.severity.cmp(&a.severity));
    c.out
}

/// Whether the workbook can be scored.
pub fn has_errors(issues: &[Issue]) -> bool {
    issues.iter().any(Issue::is_error)
}

struct Checker {
    out: Vec<Issue>,
}

impl Checker {
    fn error(&mut self, place: impl Into<String>, problem: Problem) {
        self.out.push(Issue { place: place.into(), severity: Severity::Error, problem });
    }

    fn warn(&mut self, place: impl Into<String>, problem: Problem) {
        self.out.push(Issue { place: place.into(), severity: Severity::Warning, problem });
    }

    fn finite(&mut self, place: impl Into<String>, x: f64) -> bool {
        if x.is_finite() && x.abs() <= 1e15 {
            true
        } else {
            self.error(place, if x.is_finite() { Problem::OutOfRange { min: -1e15, max: 1e15 } } else { Problem::NotFinite });
            false
        }
    }

    fn opt_finite(&mut self, place: impl Into<String>, x: Option<f64>) {
        if let Some(x) = x {
            self.finite(place, x);
        }
    }

    /// Empty and repeated ids; whether every id is unique.
    fn ids<'a>(&mut self, base: &str, ids: impl Iterator<Item = &'a str>) -> bool {
        let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(ids.size_hint().0, Default::default());
        let mut unique = true;
        for (i, id) in ids.enumerate() {
            if id.trim().is_empty() {
                self.error(format!("{base}[{i}].id"), Problem::EmptyId);
            } else if !seen.insert(id) {
                unique = false;
                self.error(format!("{base}[{i}].id"), Problem::DuplicateId { id: id.to_string() });
            }
        }
        unique
    }

    fn header(&mut self, wb: &Workbook) {
        if wb.format != FORMAT {
            self.error("format", Problem::Unknown { what: "format", id: wb.format.clone() });
        }
    }

    fn formula(&mut self, place: String, text: &str, known: &dyn Fn(&str) -> bool) -> Option<Formula> {
        match Formula::parse(text) {
            Ok(f) => {
                for v in &f.variables {
                    if !known(v) {
                        self.error(place.clone(), Problem::FormulaUnknownName { name: v.clone() });
                    }
                }
                Some(f)
            }
            Err(e) => {
                self.error(place, Problem::Formula(e));
                None
            }
        }
    }

    fn scheme(&mut self, wb: &Workbook) {
        let s = &wb.scheme;
        self.ids("scheme.metrics", s.metrics.iter().map(|m| m.id.as_str()));
        self.ids("scheme.indicators", s.indicators.iter().map(|m| m.id.as_str()));
        self.ids("scheme.categories", s.categories.iter().map(|m| m.id.as_str()));
        self.ids("scheme.seasons", s.seasons.iter().map(|m| m.id.as_str()));
        self.ids("scheme.bonus", s.bonus.iter().map(|m| m.id.as_str()));
        let metric_ids: HashSet<&str> = s.metrics.iter().map(|m| m.id.as_str()).collect();
        let is_metric = |n: &str| metric_ids.contains(n);

        // Derived metrics: parse, check names, find cycles.
        let mut deps: HashMap<&str, Vec<String>> = HashMap::new();
        for (i, m) in s.metrics.iter().enumerate() {
            if let Some(text) = &m.formula {
                if let Some(f) = self.formula(format!("scheme.metrics[{i}].formula"), text, &is_metric) {
                    deps.insert(m.id.as_str(), f.variables.clone());
                }
            }
        }
        if let Some(cycle) = find_cycle(&deps) {
            let place = s.metrics.iter().position(|m| m.id == cycle[0]).map_or("scheme.metrics".to_string(), |i| format!("scheme.metrics[{i}].formula"));
            self.error(place, Problem::FormulaCycle { metrics: cycle });
        }

        // Seasons.
        let mut month_seen: HashMap<u32, usize> = HashMap::new();
        for (i, season) in s.seasons.iter().enumerate() {
            for (j, &m) in season.months.iter().enumerate() {
                if !(1..=12).contains(&m) {
                    self.error(format!("scheme.seasons[{i}].months[{j}]"), Problem::OutOfRange { min: 1.0, max: 12.0 });
                } else if month_seen.insert(m, i).is_some_and(|other| other != i) {
                    self.error(format!("scheme.seasons[{i}].months[{j}]"), Problem::MonthInTwoSeasons { month: m });
                }
            }
        }
        let season_ids: HashSet<&str> = s.seasons.iter().map(|x| x.id.as_str()).collect();
        let category_ids: HashSet<&str> = s.categories.iter().map(|x| x.id.as_str()).collect();

        for (i, c) in s.categories.iter().enumerate() {
            let p = format!("scheme.categories[{i}]");
            self.opt_finite(format!("{p}.full"), c.full);
            self.opt_finite(format!("{p}.cap"), c.cap);
            self.opt_finite(format!("{p}.floor"), c.floor);
            if let (Some(f), Some(cap)) = (c.floor, c.cap) {
                if f > cap {
                    self.error(format!("{p}.floor"), Problem::FloorAboveCap);
                }
            }
        }

        for (i, ind) in s.indicators.iter().enumerate() {
            let p = format!("scheme.indicators[{i}]");
            if let Some(w) = ind.weight {
                if self.finite(format!("{p}.weight"), w) && w < 0.0 {
                    self.error(format!("{p}.weight"), Problem::Negative);
                }
            }
            if let Some(cat) = &ind.category {
                if !category_ids.contains(cat.as_str()) {
                    self.error(format!("{p}.category"), Problem::Unknown { what: "category", id: cat.clone() });
                }
            }
            match &ind.metric {
                Some(m) if !metric_ids.contains(m.as_str()) => {
                    self.error(format!("{p}.metric"), Problem::Unknown { what: "metric", id: m.clone() });
                }
                None if ind.rule.needs_metric() => self.error(format!("{p}.metric"), Problem::NeedsMetric),
                _ => {}
            }
            if ind.rule.uses_weight() && ind.weight.is_none() {
                self.error(format!("{p}.weight"), Problem::NeedsWeight);
            }
            self.rule(&format!("{p}.rule"), &ind.rule, &season_ids, &is_metric);
        }

        if s.total.method == TotalMethod::Weighted {
            let total = s.weight_total();
            if (total - 100.0).abs() > 1e-9 && s.indicators.iter().any(|i| i.weight.is_some()) {
                self.warn("scheme.total.method", Problem::WeightsNot100 { total });
            }
        }
        let t = &s.total;
        self.finite("scheme.total.base", t.base);
        self.opt_finite("scheme.total.min", t.min);
        self.opt_finite("scheme.total.max", t.max);
        if let (Some(a), Some(b)) = (t.min, t.max) {
            if a > b {
                self.error("scheme.total.min", Problem::FloorAboveCap);
            }
        }
        if let Some(r) = t.round_up {
            self.finite("scheme.total.round_up.from", r.from);
            self.finite("scheme.total.round_up.to", r.to);
        }
        if t.decimals > 6 {
            self.error("scheme.total.decimals", Problem::OutOfRange { min: 0.0, max: 6.0 });
        }

        self.ids("scheme.grades.bands", s.grades.bands.iter().map(|g| g.grade.as_str()));
        for (i, g) in s.grades.bands.iter().enumerate() {
            self.finite(format!("scheme.grades.bands[{i}].min"), g.min);
        }
        for (i, q) in s.grades.quotas.iter().enumerate() {
            let p = format!("scheme.grades.quotas[{i}]");
            if !s.grades.bands.iter().any(|g| g.grade == q.grade) {
                self.error(format!("{p}.grade"), Problem::Unknown { what: "grade", id: q.grade.clone() });
            }
            for (name, v) in [("max_percent", q.max_percent), ("min_percent", q.min_percent)] {
                if let Some(v) = v {
                    if self.finite(format!("{p}.{name}"), v) && !(0.0..=100.0).contains(&v) {
                        self.error(format!("{p}.{name}"), Problem::OutOfRange { min: 0.0, max: 100.0 });
                    }
                }
            }
        }

        let bonus_names = |n: &str| metric_ids.contains(n) || matches!(n, "total" | "rank" | "agents");
        for (i, b) in s.bonus.iter().enumerate() {
            let p = format!("scheme.bonus[{i}]");
            match &b.kind {
                BonusKind::PoolByScore { pool, divisor } => {
                    if pool.is_sign_negative() {
                        self.error(format!("{p}.pool"), Problem::NegativeMoney);
                    }
                    if divisor.is_zero() || divisor.is_sign_negative() {
                        self.error(format!("{p}.divisor"), Problem::OutOfRange { min: 0.0, max: f64::INFINITY });
                    }
                }
                BonusKind::PoolSplit { pool } => {
                    if pool.is_sign_negative() {
                        self.error(format!("{p}.pool"), Problem::NegativeMoney);
                    }
                }
                BonusKind::GradeCoefficient { .. } => {}
                BonusKind::Commission { sales, completion, tiers, .. } => {
                    for (name, m) in [("sales", sales), ("completion", completion)] {
                        if !metric_ids.contains(m.as_str()) {
                            self.error(format!("{p}.{name}"), Problem::Unknown { what: "metric", id: m.clone() });
                        }
                    }
                    if tiers.is_empty() {
                        self.error(format!("{p}.tiers"), Problem::Empty);
                    }
                    if tiers.windows(2).any(|w| w[0].from >= w[1].from) {
                        self.error(format!("{p}.tiers"), Problem::TiersNotAscending);
                    }
                }
                BonusKind::Product { factors } => {
                    if factors.is_empty() {
                        self.error(format!("{p}.factors"), Problem::Empty);
                    }
                    for (j, f) in factors.iter().enumerate() {
                        match (&f.metric, &f.value) {
                            (Some(m), None) if !metric_ids.contains(m.as_str()) => {
                                self.error(format!("{p}.factors[{j}].metric"), Problem::Unknown { what: "metric", id: m.clone() })
                            }
                            (Some(_), None) | (None, Some(_)) => {}
                            _ => self.error(format!("{p}.factors[{j}]"), Problem::Empty),
                        }
                    }
                }
                BonusKind::Tenure { .. } => {}
                BonusKind::Formula { expr } => {
                    self.formula(format!("{p}.expr"), expr, &bonus_names);
                }
            }
        }
    }

    fn rule(&mut self, p: &str, rule: &Rule, seasons: &HashSet<&str>, is_metric: &dyn Fn(&str) -> bool) {
        match rule {
            Rule::Target { target, cap } => {
                if self.finite(format!("{p}.target"), *target) && *target <= 0.0 {
                    self.error(format!("{p}.target"), Problem::OutOfRange { min: 0.0, max: f64::INFINITY });
                }
                if self.finite(format!("{p}.cap"), *cap) && *cap <= 0.0 {
                    self.error(format!("{p}.cap"), Problem::OutOfRange { min: 0.0, max: f64::INFINITY });
                }
            }
            Rule::Linear { from, to, below } => {
                self.finite(format!("{p}.from.value"), from.value);
                self.finite(format!("{p}.from.points"), from.points);
                self.finite(format!("{p}.to.value"), to.value);
                self.finite(format!("{p}.to.points"), to.points);
                self.finite(format!("{p}.below"), *below);
            }
            Rule::Bands { tables, gap_points } => {
                self.finite(format!("{p}.gap_points"), *gap_points);
                if tables.is_empty() {
                    self.error(format!("{p}.tables"), Problem::Empty);
                }
                let mut seen: HashSet<Option<&str>> = HashSet::new();
                for (t, table) in tables.iter().enumerate() {
                    let tp = format!("{p}.tables[{t}]");
                    if let Some(sid) = &table.season {
                        if !seasons.contains(sid.as_str()) {
                            self.error(format!("{tp}.season"), Problem::Unknown { what: "season", id: sid.clone() });
                        }
                    }
                    if !seen.insert(table.season.as_deref()) {
                        self.error(format!("{tp}.season"), Problem::DuplicateSeasonTable);
                    }
                    self.bands(&tp, &table.bands);
                }
            }
            Rule::PerOccurrence { each, cap, none_bonus } => {
                self.finite(format!("{p}.each"), *each);
                self.opt_finite(format!("{p}.cap"), *cap);
                self.finite(format!("{p}.none_bonus"), *none_bonus);
            }
            Rule::Rank { places, below_average, .. } => {
                if places.is_empty() && below_average.is_none() {
                    self.error(format!("{p}.places"), Problem::NoPlaces);
                }
                for (i, x) in places.iter().enumerate() {
                    self.finite(format!("{p}.places[{i}]"), *x);
                }
                self.opt_finite(format!("{p}.below_average"), *below_average);
            }
            Rule::Rating { min, max, .. } => {
                if self.finite(format!("{p}.min"), *min) && self.finite(format!("{p}.max"), *max) && max <= min {
                    self.error(format!("{p}.max"), Problem::RatingScale);
                }
            }
            Rule::Checklist { items } => {
                if items.is_empty() {
                    self.error(format!("{p}.items"), Problem::Empty);
                }
                self.ids(&format!("{p}.items"), items.iter().map(|i| i.id.as_str()));
                for (i, item) in items.iter().enumerate() {
                    if self.finite(format!("{p}.items[{i}].weight"), item.weight) && item.weight < 0.0 {
                        self.error(format!("{p}.items[{i}].weight"), Problem::Negative);
                    }
                }
            }
            Rule::Critical { when, .. } => {
                self.formula(format!("{p}.when"), when, is_metric);
            }
            Rule::Formula { expr, min, max } => {
                self.formula(format!("{p}.expr"), expr, is_metric);
                self.opt_finite(format!("{p}.min"), *min);
                self.opt_finite(format!("{p}.max"), *max);
            }
            Rule::Tenure { steps } => {
                for (i, s) in steps.iter().enumerate() {
                    self.finite(format!("{p}.steps[{i}].points"), s.points);
                }
            }
        }
    }

    /// Edges must be numbers, each band non-empty; overlaps and gaps are warnings.
    fn bands(&mut self, p: &str, bands: &[Band]) {
        if bands.is_empty() {
            self.error(format!("{p}.bands"), Problem::Empty);
            return;
        }
        let mut ok = true;
        for (i, b) in bands.iter().enumerate() {
            let bp = format!("{p}.bands[{i}]");
            if let Some(min) = b.min {
                ok &= self.finite(format!("{bp}.min"), min);
            }
            if let Some(max) = b.max {
                ok &= self.finite(format!("{bp}.max"), max);
            }
            ok &= self.finite(format!("{bp}.points"), b.points);
            if let (Some(min), Some(max)) = (b.min, b.max) {
                if min > max || (min == max && !(b.min_inclusive && b.max_inclusive)) {
                    self.error(format!("{bp}.min"), Problem::BandEmpty);
                    ok = false;
                }
            }
        }
        if !ok {
            return;
        }
        for (start, end) in band_coverage_gaps(bands) {
            self.warn(
                format!("{p}.bands"),
                Problem::BandGap { from: start.map(|e| e.0), from_inclusive: start.is_some_and(|e| e.1), to: end.map(|e| e.0), to_inclusive: end.is_some_and(|e| e.1) },
            );
        }
        for i in 0..bands.len() {
            for j in i + 1..bands.len() {
                if let Some(at) = overlap(&bands[i], &bands[j]) {
                    self.warn(format!("{p}.bands[{j}]"), Problem::BandsOverlap { first: i, second: j, at });
                }
            }
        }
    }

    /// Agents and periods; whether their ids are unique (agents, periods). The hire
    /// dates read go into `resolved`, when given.
    fn people_and_periods(&mut self, wb: &Workbook, resolved: Option<&mut Resolved>) -> (bool, bool) {
        let unique = (self.ids("agents", wb.agents.iter().map(|a| a.id.as_str())), self.ids("periods", wb.periods.iter().map(|a| a.id.as_str())));
        let mut hired = Vec::with_capacity(if resolved.is_some() { wb.agents.len() } else { 0 });
        for (i, a) in wb.agents.iter().enumerate() {
            let date = a.hire_date.as_deref().map(|d| (d, Date::parse(d)));
            if let Some((d, None)) = date {
                self.error(format!("agents[{i}].hire_date"), Problem::BadDate { text: d.to_string() });
            }
            if resolved.is_some() {
                hired.push(date.and_then(|d| d.1));
            }
        }
        if let Some(r) = resolved {
            r.hired = Some(hired);
        }
        let ids: HashSet<&str> = wb.periods.iter().map(|p| p.id.as_str()).collect();
        for (i, p) in wb.periods.iter().enumerate() {
            for (name, d) in [("start", &p.start), ("end", &p.end)] {
                if let Some(d) = d {
                    if Date::parse(d).is_none() {
                        self.error(format!("periods[{i}].{name}"), Problem::BadDate { text: d.clone() });
                    }
                }
            }
            if let Some(parent) = &p.parent {
                if !ids.contains(parent.as_str()) {
                    self.error(format!("periods[{i}].parent"), Problem::Unknown { what: "period", id: parent.clone() });
                } else {
                    // Walk up: a cycle returns to this period within len steps.
                    let mut cur = Some(parent.as_str());
                    for _ in 0..wb.periods.len() {
                        match cur {
                            Some(c) if c == p.id => {
                                self.error(format!("periods[{i}].parent"), Problem::PeriodCycle);
                                break;
                            }
                            Some(c) => cur = wb.period(c).and_then(|x| x.parent.as_deref()),
                            None => break,
                        }
                    }
                }
            }
            if matches!(PeriodId::parse(&p.id), PeriodId::Other) && p.end.is_none() {
                // Fine: seasons and tenure simply do not apply. No message.
            }
        }
        unique
    }

    /// Every record: its agent and period exist, each figure is for a known metric and
    /// is a finite number (whole and not negative for counts), each rating and checklist
    /// entry is for an indicator of that kind, no agent has two records for a period.
    ///
    /// One linear pass that sees every figure of every agent, so it must stay fast at
    /// 100,000 agents: places are formatted only when something is wrong, ids are
    /// compared without hashing where the order allows, and what the pass resolves
    /// (each record's agent, period and figures by metric index) is written into
    /// `resolved` when the engine asks for it, so scoring does not repeat the look-ups.
    /// `unique`: whether agent ids and period ids are unique.
    fn records<'a>(&mut self, wb: &'a Workbook, unique: (bool, bool), mut resolved: Option<&mut Resolved<'a>>) {
        let mut agents = Finder::new(&wb.agents, |a| a.id.as_str(), unique.0);
        let mut periods = Finder::new(&wb.periods, |p| p.id.as_str(), unique.1);
        // Sorted by id: each record's figures (a sorted map) are checked by a merge-walk.
        let mut metrics: Vec<(&str, usize)> = wb.scheme.metrics.iter().enumerate().map(|(i, m)| (m.id.as_str(), i)).collect();
        crate::sort::sort_by(&mut metrics, |a, b| cmp_ids(a.0, b.0));
        let n_metrics = wb.scheme.metrics.len();
        let mut indicators: Vec<(&str, usize)> = wb.scheme.indicators.iter().enumerate().map(|(i, m)| (m.id.as_str(), i)).collect();
        crate::sort::sort_by(&mut indicators, |a, b| cmp_ids(a.0, b.0));
        let indicator = |id: &str| indicators.binary_search_by(|x| cmp_ids(x.0, id)).ok().map(|k| (indicators[k].1, &wb.scheme.indicators[indicators[k].1]));
        if let Some(r) = resolved.as_deref_mut() {
            r.n_metrics = n_metrics;
            r.agent = Vec::with_capacity(wb.records.len());
            r.period = Vec::with_capacity(wb.records.len());
            r.figures = vec![f64::NAN; wb.records.len() * n_metrics];
            r.entries = Vec::with_capacity(wb.records.len());
            r.entries_start = Vec::with_capacity(wb.records.len() + 1);
        }
        // (agent, period, record) of each record, sorted afterwards to find duplicates;
        // unless (period, agent) is already strictly increasing in record order (records
        // are usually kept period by period, agent by agent): then there are none.
        let mut pairs: Vec<(u32, u32, u32)> = Vec::with_capacity(wb.records.len());
        let mut increasing = true;
        for (i, r) in wb.records.iter().enumerate() {
            let p = || format!("records[{i}]");
            let agent = agents.find(&r.agent);
            let period = periods.find(&r.period);
            if agent.is_none() {
                self.error(format!("{}.agent", p()), Problem::Unknown { what: "agent", id: r.agent.clone() });
            }
            if period.is_none() {
                self.error(format!("{}.period", p()), Problem::Unknown { what: "period", id: r.period.clone() });
            }
            if let (Some(a), Some(q)) = (agent, period) {
                let pair = (a as u32, q as u32, i as u32);
                increasing &= pairs.last().is_none_or(|last| (last.1, last.0) < (pair.1, pair.0));
                pairs.push(pair);
            }
            if let Some(res) = resolved.as_deref_mut() {
                res.agent.push(agent.map_or(NONE, |a| a as u32));
                res.period.push(period.map_or(NONE, |q| q as u32));
                res.entries_start.push(res.entries.len() as u32);
            }
            let mut line = resolved.as_deref_mut().and_then(|res| res.figures.get_mut(i * n_metrics..(i + 1) * n_metrics));
            let mut known = metrics.iter();
            let mut next = known.next();
            for (k, &v) in &r.figures {
                let fp = || format!("{}.figures.{k}", p());
                let mut found = None;
                while let Some(&(id, m)) = next {
                    match cmp_ids(id, k) {
                        std::cmp::Ordering::Less => next = known.next(),
                        std::cmp::Ordering::Equal => {
                            found = Some(m);
                            next = known.next();
                            break;
                        }
                        std::cmp::Ordering::Greater => break,
                    }
                }
                let Some(mi) = found else {
                    self.error(fp(), Problem::Unknown { what: "metric", id: k.to_string() });
                    continue;
                };
                if let Some(slot) = line.as_deref_mut().and_then(|l| l.get_mut(mi)) {
                    *slot = v;
                }
                if !(v.is_finite() && v.abs() <= 1e15) {
                    self.finite(fp(), v);
                    continue;
                }
                let m = &wb.scheme.metrics[mi];
                if m.formula.is_some() {
                    self.warn(fp(), Problem::FigureForDerived { metric: k.to_string() });
                }
                if m.count {
                    if v < 0.0 {
                        self.error(fp(), Problem::Negative);
                    } else if v.fract() != 0.0 {
                        self.error(fp(), Problem::NotWhole);
                    }
                }
            }
            for (k, scores) in &r.ratings {
                let rp = || format!("{}.ratings.{k}", p());
                match indicator(k) {
                    None => self.error(rp(), Problem::Unknown { what: "indicator", id: k.clone() }),
                    Some((at, ind)) => {
                        if let Rule::Rating { min, max, .. } = ind.rule {
                            if let Some(res) = resolved.as_deref_mut() {
                                res.entries.push((at as u32, Entry::Rating(scores)));
                            }
                            for (j, s) in scores.iter().enumerate() {
                                if let Some(s) = *s {
                                    if !(s.is_finite() && s.abs() <= 1e15) {
                                        self.finite(format!("{}[{j}]", rp()), s);
                                    } else if s < min || s > max {
                                        self.error(format!("{}[{j}]", rp()), Problem::OutOfRange { min, max });
                                    }
                                }
                            }
                        } else {
                            self.error(rp(), Problem::NotThatKind { expected: "rating" });
                        }
                    }
                }
            }
            for (k, ticks) in &r.checks {
                let cp = || format!("{}.checks.{k}", p());
                match indicator(k) {
                    None => self.error(cp(), Problem::Unknown { what: "indicator", id: k.clone() }),
                    Some((at, ind)) => {
                        if let Rule::Checklist { items } = &ind.rule {
                            if let Some(res) = resolved.as_deref_mut() {
                                res.entries.push((at as u32, Entry::Checks(ticks)));
                            }
                            for item in ticks.keys() {
                                if !items.iter().any(|x| &x.id == item) {
                                    self.error(format!("{}.{item}", cp()), Problem::Unknown { what: "checklist item", id: item.clone() });
                                }
                            }
                        } else {
                            self.error(cp(), Problem::NotThatKind { expected: "checklist" });
                        }
                    }
                }
            }
        }
        if let Some(res) = resolved {
            res.entries_start.push(res.entries.len() as u32);
        }
        if increasing {
            return;
        }
        crate::sort::sort(&mut pairs);
        for w in pairs.windows(2) {
            if w[0].0 == w[1].0 && w[0].1 == w[1].1 {
                let later = w[1].2 as usize;
                let r = &wb.records[later];
                self.error(format!("records[{later}]"), Problem::DuplicateRecord { agent: r.agent.clone(), period: r.period.clone() });
            }
        }
    }
}

/// "No index": a record whose agent or period does not exist.
pub(crate) const NONE: u32 = u32::MAX;

/// What the record check resolved, handed to the engine so that scoring does not look
/// up every record's agent, period and figures by name a second time.
#[derive(Debug, Default)]
pub(crate) struct Resolved<'a> {
    /// Per record: the index of its agent in `workbook.agents`, or [`NONE`].
    pub agent: Vec<u32>,
    /// Per record: the index of its period in `workbook.periods`, or [`NONE`].
    pub period: Vec<u32>,
    /// Metrics per record (the width of a line of `figures`).
    pub n_metrics: usize,
    /// Records × metrics (scheme order): the figure written, NaN where there is none.
    pub figures: Vec<f64>,
    /// Every record's ratings and checklist ticks for indicators of that kind, by
    /// indicator index, record after record.
    pub entries: Vec<(u32, Entry<'a>)>,
    /// Where each record's entries start in `entries` (one more at the end).
    pub entries_start: Vec<u32>,
    /// Per agent: the hire date read, if any (`None` when validation did not run).
    pub hired: Option<Vec<Option<Date>>>,
}

/// A record's input for one rating or checklist indicator.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Entry<'a> {
    Rating(&'a [Option<f64>]),
    Checks(&'a std::collections::BTreeMap<String, Check>),
}

impl<'a> Resolved<'a> {
    /// Record `r`'s figures by metric index (empty if `r` is out of range).
    pub fn line(&self, r: usize) -> &[f64] {
        self.figures.get(r * self.n_metrics..(r + 1) * self.n_metrics).unwrap_or(&[])
    }

    /// Record `r`'s entry for indicator `i`, if it has one.
    pub fn entry(&self, r: usize, i: usize) -> Option<Entry<'a>> {
        let (Some(&start), Some(&end)) = (self.entries_start.get(r), self.entries_start.get(r + 1)) else { return None };
        self.entries.get(start as usize..end as usize)?.iter().find(|e| e.0 as usize == i).map(|e| e.1)
    }
}

/// Finds items by id, in a workbook whose records usually follow the order of its
/// agents: when ids are unique, the last item found and the one after it are tried
/// first (a comparison of neighbouring memory), and a hash map is built only when
/// that guess misses. With repeated ids (an error of its own) the last one wins.
struct Finder<'a, T> {
    items: &'a [T],
    id: fn(&T) -> &str,
    unique: bool,
    map: Option<FxHashMap<&'a str, usize>>,
    last: usize,
}

impl<'a, T> Finder<'a, T> {
    fn new(items: &'a [T], id: fn(&T) -> &str, unique: bool) -> Self {
        Finder { items, id, unique, map: None, last: 0 }
    }

    /// The index of the item with this id.
    fn find(&mut self, wanted: &str) -> Option<usize> {
        if self.unique {
            for guess in [self.last + 1, self.last] {
                if self.items.get(guess).is_some_and(|x| cmp_ids((self.id)(x), wanted).is_eq()) {
                    self.last = guess;
                    return Some(guess);
                }
            }
        }
        let (items, id) = (self.items, self.id);
        let map = self.map.get_or_insert_with(|| items.iter().enumerate().map(|(i, x)| (id(x), i)).collect());
        let found = map.get(wanted).copied();
        if let Some(i) = found {
            self.last = i;
        }
        found
    }
}

/// The order of two ids (byte by byte, as `str` orders them), inlined: ids are short
/// and this runs for every figure of every record, where a call into `memcmp` costs
/// more than the comparison.
#[inline]
pub(crate) fn cmp_ids(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// An edge: value and whether it is included.
type Edge = (f64, bool);

/// The stretches of the number line no band covers, as (from, to) with `None` for
/// −∞ / +∞. Bands must have finite edges and be non-empty.
pub fn band_coverage_gaps(bands: &[Band]) -> Vec<(Option<Edge>, Option<Edge>)> {
    // Sort bands by lower edge (−∞ first; inclusive before exclusive at the same value).
    let mut sorted: Vec<&Band> = bands.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| match (a.min, b.min) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Less,
        (_, None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.total_cmp(&y).then(b.min_inclusive.cmp(&a.min_inclusive)),
    });
    let mut gaps = Vec::new();
    // `reach`: everything up to this edge is covered. None at start = nothing covered
    // yet (−∞ not reached).
    let mut reach: Option<Option<Edge>> = None; // Some(None) = covered to +∞
    for b in sorted {
        match reach {
            None => {
                if let Some(min) = b.min {
                    // Gap from −∞ to this band's lower edge.
                    gaps.push((None, Some((min, !b.min_inclusive))));
                }
            }
            Some(None) => break,
            Some(Some((r, r_incl))) => {
                if let Some(min) = b.min {
                    // Covered up to r (incl or not). Band starts at min (incl or not).
                    let touches = min < r || (min == r && (r_incl || b.min_inclusive));
                    if !touches {
                        gaps.push((Some((r, !r_incl)), Some((min, !b.min_inclusive))));
                    }
                }
            }
        }
        let end = b.max.map(|m| (m, b.max_inclusive));
        reach = Some(match (reach, end) {
            (None, e) => e,
            (Some(None), _) | (_, None) => None,
            (Some(Some((r, ri))), Some((m, mi))) => {
                if m > r || (m == r && mi && !ri) {
                    Some((m, mi))
                } else {
                    Some((r, ri))
                }
            }
        });
    }
    if let Some(Some((r, ri))) = reach {
        gaps.push((Some((r, !ri)), None));
    }
    gaps
}

/// A value both bands contain, if any.
fn overlap(a: &Band, b: &Band) -> Option<f64> {
    // The overlap's lower edge is the larger of the two lower edges.
    let lo = match (a.min, b.min) {
        (None, None) => None,
        (Some(x), None) => Some((x, a.min_inclusive)),
        (None, Some(y)) => Some((y, b.min_inclusive)),
        (Some(x), Some(y)) if x > y => Some((x, a.min_inclusive)),
        (Some(x), Some(y)) if y > x => Some((y, b.min_inclusive)),
        (Some(x), Some(_)) => Some((x, a.min_inclusive && b.min_inclusive)),
    };
    let hi = match (a.max, b.max) {
        (None, None) => None,
        (Some(x), None) => Some((x, a.max_inclusive)),
        (None, Some(y)) => Some((y, b.max_inclusive)),
        (Some(x), Some(y)) if x < y => Some((x, a.max_inclusive)),
        (Some(x), Some(y)) if y < x => Some((y, b.max_inclusive)),
        (Some(x), Some(_)) => Some((x, a.max_inclusive && b.max_inclusive)),
    };
    match (lo, hi) {
        (None, None) => Some(0.0),
        (Some((l, _)), None) => Some(l + 1.0),
        (None, Some((h, _))) => Some(h - 1.0),
        (Some((l, li)), Some((h, hi))) => {
            if l < h {
                Some((l + h) / 2.0)
            } else if l == h && li && hi {
                Some(l)
            } else {
                None
            }
        }
    }
}

/// A cycle among derived metrics, if any, as the metric ids around it.
fn find_cycle(deps: &HashMap<&str, Vec<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Visiting,
        Done,
    }
    fn visit<'a>(n: &'a str, deps: &'a HashMap<&str, Vec<String>>, marks: &mut HashMap<&'a str, Mark>, path: &mut Vec<&'a str>) -> Option<Vec<String>> {
        match marks.get(n) {
            Some(Mark::Done) => return None,
            Some(Mark::Visiting) => {
                let start = path.iter().position(|p| *p == n).unwrap_or(0);
                return Some(path[start..].iter().map(|s| s.to_string()).collect());
            }
            None => {}
        }
        marks.insert(n, Mark::Visiting);
        path.push(n);
        if let Some(ds) = deps.get(n) {
            for d in ds {
                if let Some(c) = visit(d.as_str(), deps, marks, path) {
                    return Some(c);
                }
            }
        }
        path.pop();
        marks.insert(n, Mark::Done);
        None
    }
    let mut marks = HashMap::new();
    let mut keys: Vec<&&str> = deps.keys().collect();
    crate::sort::sort(&mut keys);
    for k in keys {
        let mut path = Vec::new();
        if let Some(c) = visit(k, deps, &mut marks, &mut path) {
            return Some(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(min: Option<f64>, max: Option<f64>, points: f64) -> Band {
        Band { min, min_inclusive: true, max, max_inclusive: false, points }
    }

    #[test]
    fn finds_the_web_store_completion_gaps() {
        // 0–50 % → −2, 60–80 % → +1, 80–100 % → +3, ≥ 130 % → +5.
        let bands = vec![
            band(Some(0.0), Some(50.0), -2.0),
            band(Some(60.0), Some(80.0), 1.0),
            band(Some(80.0), Some(100.0), 3.0),
            band(Some(130.0), None, 5.0),
        ];
        let gaps = band_coverage_gaps(&bands);
        assert_eq!(
            gaps,
            vec![
                (None, Some((0.0, false))),
                (Some((50.0, true)), Some((60.0, false))),
                (Some((100.0, true)), Some((130.0, false))),
            ]
        );
    }

    #[test]
    fn a_full_table_has_no_gap_or_overlap() {
        let bands = vec![
            band(Some(1150.0), None, 0.0),
            band(Some(1100.0), Some(1150.0), -1.0),
            band(None, Some(1100.0), -4.0),
        ];
        assert!(band_coverage_gaps(&bands).is_empty());
        for i in 0..3 {
            for j in i + 1..3 {
                assert_eq!(overlap(&bands[i], &bands[j]), None);
            }
        }
        // Both sides exclusive at 1150: 1150 itself is a gap.
        let mut b = bands.clone();
        b[0].min_inclusive = false;
        assert_eq!(band_coverage_gaps(&b), vec![(Some((1150.0, true)), Some((1150.0, true)))]);
        // Both inclusive at 1150: overlap at 1150.
        let mut b = bands.clone();
        b[1].max_inclusive = true;
        assert_eq!(overlap(&b[0], &b[1]), Some(1150.0));
    }

    #[test]
    fn finds_formula_cycles() {
        let mut deps: HashMap<&str, Vec<String>> = HashMap::new();
        deps.insert("a", vec!["b".into()]);
        deps.insert("b", vec!["c".into()]);
        deps.insert("c", vec!["a".into()]);
        let c = find_cycle(&deps).unwrap();
        assert_eq!(c.len(), 3);
        deps.insert("c", vec!["x".into()]);
        assert_eq!(find_cycle(&deps), None);
    }
}
