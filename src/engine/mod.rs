//! The scoring engine: a validated workbook in, [`Results`] out.
//!
//! Flow for one period: gather its agents (own records, or those of its child
//! periods) → a dense table of figures (agents × metrics, from what validation
//! resolved: each record's agent, period and figures by index, never looked up by
//! name per agent) → derived metrics in dependency order → rank rules, once every
//! agent's figure is known → per agent: each indicator's points (roll-up indicators
//! from the child periods' points), category subtotals, total (clamps, critical items,
//! rounding, "≥ 95 counts as 100") and grade → rank → bonus → team statistics and
//! warnings. Sorts over all agents are linear (a radix sort); nothing is formatted.
//! Results go straight into the period's lists ([`crate::results`]): each indicator
//! result into its agent's row where it is made, no allocation per agent (a rating's
//! scores excepted); ranking permutes only an order of rows, not the results.
//!
//! Invariants: [`score`] never panics, whatever the workbook; it refuses a workbook
//! with validation errors (returning them) and otherwise always produces results,
//! turning per-agent trouble (a division by zero, a value in a band gap) into a
//! warning with a stated result, never a silent 0.

pub mod money;
mod radix;
pub mod rules;

use crate::formula::Formula;
use crate::model::*;
use crate::period;
use crate::results::*;
use crate::validate::{self, Entry, Issue, Resolved};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

/// Scores every period of the workbook.
pub fn score(wb: &Workbook) -> Result<Results, Vec<Issue>> {
    let (issues, resolved) = validate::check_resolved(wb);
    let engine = Engine::prepare(wb, &issues, Some(resolved))?;
    let order = engine.period_order();
    let mut done: Vec<Option<Scored>> = (0..wb.periods.len()).map(|_| None).collect();
    for p in order {
        let scored = engine.score_period(p, &done);
        done[p] = Some(scored);
    }
    Ok(Results { periods: done.into_iter().flatten().map(|s| s.results).collect() })
}

/// Scores one period (and the child periods it rolls up from).
pub fn score_period(wb: &Workbook, period_id: &str) -> Result<PeriodResults, Vec<Issue>> {
    let (issues, resolved) = validate::check_resolved(wb);
    score_prepared(wb, period_id, &issues, Some(resolved))
}

/// Like [`score_period`], for a caller that has just run [`validate::check`] on this
/// same workbook (the UI does, on every edit, to show the issues): `issues` must be
/// that result; validation is not repeated, only its record pass, which resolves each
/// record's agent, period and figures by index for scoring.
pub fn score_period_checked(wb: &Workbook, period_id: &str, issues: &[Issue]) -> Result<PeriodResults, Vec<Issue>> {
    score_prepared(wb, period_id, issues, None)
}

/// Scores one period; `resolved` is what validation resolved, if it was kept.
fn score_prepared<'a>(wb: &'a Workbook, period_id: &str, issues: &[Issue], resolved: Option<Resolved<'a>>) -> Result<PeriodResults, Vec<Issue>> {
    let engine = Engine::prepare(wb, issues, resolved)?;
    let Some(target) = wb.periods.iter().position(|p| p.id == period_id) else {
        return Ok(PeriodResults { period: period_id.to_string(), ..PeriodResults::default() });
    };
    let mut done: Vec<Option<Scored>> = (0..wb.periods.len()).map(|_| None).collect();
    for p in engine.period_order() {
        if engine.is_within(p, target) {
            let scored = engine.score_period(p, &done);
            done[p] = Some(scored);
        }
    }
    Ok(done.swap_remove(target).map(|s| s.results).unwrap_or_default())
}

/// A formula with its variables resolved to indices into an agent's figures
/// (metric indices, then `total`, `rank`, `agents` after the metrics).
struct Bound {
    formula: Formula,
    vars: Vec<usize>,
}

impl Bound {
    /// Whether an input the formula reads is missing (NaN).
    fn lacks_input(&self, line: &[f64]) -> bool {
        self.vars.iter().any(|&j| line.get(j).is_none_or(|x| x.is_nan()))
    }

    /// The formula's inputs, gathered without allocating for up to 16 names.
    fn with_inputs<R>(&self, value: impl Fn(usize) -> f64, run: impl FnOnce(&Formula, &[f64]) -> R) -> R {
        let n = self.vars.len();
        if n <= 16 {
            let mut buf = [f64::NAN; 16];
            for (slot, &j) in buf.iter_mut().zip(&self.vars) {
                *slot = value(j);
            }
            run(&self.formula, &buf[..n])
        } else {
            let buf: Vec<f64> = self.vars.iter().map(|&j| value(j)).collect();
            run(&self.formula, &buf)
        }
    }
}

/// A period's results plus, per agent index, the position in `results.agents`.
struct Scored {
    results: PeriodResults,
    position: Vec<u32>,
}

const NONE: u32 = u32::MAX;

/// How an indicator gets its points in one period.
#[derive(Clone, Copy)]
enum How {
    /// It does not count in this kind of period (`applies_to`).
    NotApplicable,
    /// From the child periods' points.
    Rollup,
    /// From the period's own figures; for a band rule, the table of the period's season.
    Own { table: Option<usize> },
}

/// The workbook, checked and prepared for fast scoring.
struct Engine<'a> {
    wb: &'a Workbook,
    n_metrics: usize,
    metric_index: HashMap<&'a str, usize>,
    /// Each record's agent, period, figures by metric index, ratings and ticks.
    resolved: Resolved<'a>,
    /// Derived metrics in dependency order.
    derived: Vec<(usize, Bound)>,
    ind_metric: Vec<Option<usize>>,
    /// Whether the indicator's metric is better lower.
    ind_lower: Vec<bool>,
    ind_category: Vec<Option<usize>>,
    /// Per category, its indicators (scheme order).
    category_members: Vec<Vec<usize>>,
    /// The indicators in no category.
    uncategorised: Vec<usize>,
    ind_formula: Vec<Option<Bound>>,
    bonus_formula: Vec<Option<Bound>>,
    season_of_month: [Option<usize>; 13],
    /// Per period, per agent: index of the record, or NONE.
    slots: Vec<Vec<u32>>,
    children: Vec<Vec<usize>>,
    period_parent: Vec<Option<usize>>,
    /// Grade bands, highest minimum first.
    grades: Vec<&'a GradeBand>,
    /// Each agent's hire date, read once.
    hired: Vec<Option<period::Date>>,
}

impl<'a> Engine<'a> {
    /// Prepares a workbook whose validation result is `issues`; refuses it when they
    /// hold errors.
    /// `resolved` is what validation resolved, if it was kept (else it is resolved here).
    fn prepare(wb: &'a Workbook, issues: &[Issue], resolved: Option<Resolved<'a>>) -> Result<Engine<'a>, Vec<Issue>> {
        if validate::has_errors(issues) {
            return Err(issues.iter().filter(|i| i.is_error()).cloned().collect());
        }
        let mut resolved = resolved.unwrap_or_else(|| validate::resolve(wb));
        let hired = resolved.hired.take().unwrap_or_else(|| wb.agents.iter().map(|a| a.hire_date.as_deref().and_then(period::Date::parse)).collect());
        let s = &wb.scheme;
        let mut names: Vec<String> = s.metrics.iter().map(|m| m.id.clone()).collect();
        let n_metrics = names.len();
        names.extend(["total", "rank", "agents"].map(String::from));
        let metric_index: HashMap<&str, usize> = s.metrics.iter().enumerate().map(|(i, m)| (m.id.as_str(), i)).collect();

        // Derived metrics in dependency order (validation ruled out cycles and bad names).
        let mut parsed: Vec<Option<Formula>> = s.metrics.iter().map(|m| m.formula.as_deref().and_then(|f| Formula::parse(f).ok())).collect();
        let mut derived = Vec::new();
        let mut placed = vec![false; n_metrics];
        for _ in 0..n_metrics {
            let mut progress = false;
            for i in 0..n_metrics {
                if placed[i] {
                    continue;
                }
                let ready = match &parsed[i] {
                    None => true,
                    Some(f) => f.variables.iter().all(|v| metric_index.get(v.as_str()).is_some_and(|&j| parsed[j].is_none() || placed[j])),
                };
                if ready {
                    placed[i] = true;
                    progress = true;
                    if let Some(f) = parsed[i].take() {
                        derived.push((i, f));
                    }
                }
            }
            if !progress {
                break;
            }
        }

        let bind = |f: Formula| {
            let vars = f.variables.iter().map(|v| names.iter().position(|n| n == v).unwrap_or(usize::MAX)).collect();
            Bound { formula: f, vars }
        };
        let derived: Vec<(usize, Bound)> = derived.into_iter().map(|(i, f)| (i, bind(f))).collect();
        let ind_metric: Vec<Option<usize>> = s.indicators.iter().map(|i| i.metric.as_deref().and_then(|m| metric_index.get(m).copied())).collect();
        let ind_lower = ind_metric.iter().map(|m| m.and_then(|mi| s.metrics.get(mi)).is_some_and(|m| m.better == Better::Lower)).collect();
        let ind_category: Vec<Option<usize>> = s.indicators.iter().map(|i| i.category.as_deref().and_then(|c| s.categories.iter().position(|x| x.id == c))).collect();
        let category_members = (0..s.categories.len()).map(|c| (0..s.indicators.len()).filter(|&i| ind_category[i] == Some(c)).collect()).collect();
        let uncategorised = (0..s.indicators.len()).filter(|&i| ind_category[i].is_none()).collect();
        let ind_formula = s
            .indicators
            .iter()
            .map(|i| match &i.rule {
                Rule::Formula { expr, .. } => Formula::parse(expr).ok().map(bind),
                Rule::Critical { when, .. } => Formula::parse(when).ok().map(bind),
                _ => None,
            })
            .collect();
        let bonus_formula = s
            .bonus
            .iter()
            .map(|b| match &b.kind {
                BonusKind::Formula { expr } => Formula::parse(expr).ok().map(bind),
                _ => None,
            })
            .collect();
        let mut season_of_month = [None; 13];
        for (i, season) in s.seasons.iter().enumerate() {
            for &m in &season.months {
                if let Some(slot) = season_of_month.get_mut(m as usize) {
                    slot.get_or_insert(i);
                }
            }
        }

        let period_index: HashMap<&str, usize> = wb.periods.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
        let mut slots = vec![vec![NONE; wb.agents.len()]; wb.periods.len()];
        for (ri, (&a, &p)) in resolved.agent.iter().zip(&resolved.period).enumerate() {
            if let Some(slot) = slots.get_mut(p as usize).and_then(|s| s.get_mut(a as usize)) {
                *slot = ri as u32;
            }
        }
        let period_parent: Vec<Option<usize>> = wb.periods.iter().map(|p| p.parent.as_deref().and_then(|x| period_index.get(x).copied())).collect();
        let mut children = vec![Vec::new(); wb.periods.len()];
        for (i, parent) in period_parent.iter().enumerate() {
            if let Some(p) = parent {
                children[*p].push(i);
            }
        }
        let mut grades: Vec<&GradeBand> = s.grades.bands.iter().collect();
        crate::sort::sort_by(&mut grades, |a, b| b.min.total_cmp(&a.min));

        Ok(Engine {
            wb,
            n_metrics,
            metric_index,
            resolved,
            derived,
            ind_metric,
            ind_lower,
            ind_category,
            category_members,
            uncategorised,
            ind_formula,
            bonus_formula,
            season_of_month,
            slots,
            children,
            period_parent,
            grades,
            hired,
        })
    }

    /// Periods with children after their children (validation ruled out cycles).
    fn period_order(&self) -> Vec<usize> {
        let n = self.wb.periods.len();
        let mut depth = vec![0usize; n];
        for (i, d) in depth.iter_mut().enumerate() {
            let mut cur = self.period_parent[i];
            let mut steps = 0;
            while let Some(p) = cur {
                steps += 1;
                if steps > n {
                    break;
                }
                cur = self.period_parent[p];
            }
            *d = steps;
        }
        let mut order: Vec<usize> = (0..n).collect();
        crate::sort::sort_by(&mut order, |a, b| depth[*b].cmp(&depth[*a]).then(a.cmp(b)));
        order
    }

    /// Whether period `p` is `target` or one of its descendants.
    fn is_within(&self, p: usize, target: usize) -> bool {
        let mut cur = Some(p);
        for _ in 0..=self.wb.periods.len() {
            match cur {
                Some(c) if c == target => return true,
                Some(c) => cur = self.period_parent[c],
                None => return false,
            }
        }
        false
    }

    fn score_period(&self, p: usize, done: &[Option<Scored>]) -> Scored {
        let wb = self.wb;
        let scheme = &wb.scheme;
        let period = &wb.periods[p];
        let season = period::month_of(wb, period).and_then(|m| self.season_of_month.get(m as usize).copied().flatten());
        let season_id = season.map(|s| scheme.seasons[s].id.as_str());
        let period_end = period::end_of(period);
        let has_parent = self.period_parent[p].is_some();
        let kids: Vec<&Scored> = self.children[p].iter().filter_map(|&c| done[c].as_ref()).collect();

        // The period's agents, in workbook order.
        let members: Vec<usize> = (0..wb.agents.len())
            .filter(|&a| self.slots[p][a] != NONE || kids.iter().any(|k| k.position.get(a).is_some_and(|&x| x != NONE)))
            .collect();
        let n = members.len();
        let nm = self.n_metrics;
        let mut warnings = Vec::new();

        // Figures: agents × metrics, NaN where missing (validation resolved each record's
        // figures by metric index: a copy per agent, no look-up by name).
        let mut values = vec![f64::NAN; n * nm];
        for (row, &a) in members.iter().enumerate() {
            let line = &mut values[row * nm..(row + 1) * nm];
            let ri = self.slots[p][a];
            if ri == NONE {
                continue;
            }
            for (slot, &v) in line.iter_mut().zip(self.resolved.line(ri as usize)) {
                *slot = v;
            }
            for (mi, f) in &self.derived {
                line[*mi] = f64::NAN;
                if f.lacks_input(line) {
                    continue; // an input is missing: the derived figure is missing too
                }
                match f.with_inputs(|j| line[j], |f, v| f.number(v)) {
                    Ok(x) => line[*mi] = clean(x),
                    Err(e) => warnings.push(Warning {
                        agent: Some(wb.agents[a].id.clone()),
                        indicator: None,
                        kind: WarningKind::DerivedMetric { metric: scheme.metrics[*mi].id.clone(), message: e.to_string() },
                    }),
                }
            }
        }

        // What each indicator does in this period, decided once (not per agent).
        let ni = scheme.indicators.len();
        let how: Vec<How> = scheme
            .indicators
            .iter()
            .map(|indicator| {
                if !indicator.applies_to.covers(has_parent) {
                    How::NotApplicable
                } else if indicator.rollup != Rollup::Own && !kids.is_empty() {
                    How::Rollup
                } else if let Rule::Bands { tables, .. } = &indicator.rule {
                    How::Own { table: tables.iter().position(|t| t.season.is_some() && t.season.as_deref() == season_id).or_else(|| tables.iter().position(|t| t.season.is_none())) }
                } else {
                    How::Own { table: None }
                }
            })
            .collect();

        // Rank rules need every agent's figure: their places are counted first (one sort
        // of all agents per rank indicator), each agent's result is made in its row
        // below. Their warnings follow those of the other indicators. Teams are numbered
        // once per period.
        let mut team_ids: HashMap<Id, usize> = HashMap::default();
        let team_of: Vec<usize> = if scheme.indicators.iter().enumerate().any(|(i, x)| matches!(x.rule, Rule::Rank { scope: RankScope::Team, .. }) && matches!(how[i], How::Own { .. })) {
            members
                .iter()
                .map(|&a| {
                    let next = team_ids.len();
                    *team_ids.entry(Id(wb.agents[a].team.as_str())).or_insert(next)
                })
                .collect()
        } else {
            vec![0; n]
        };
        let mut rank_warnings = Vec::new();
        // The rank indicators' figures, gathered in one pass over the agents.
        struct Gather {
            i: usize,
            metric: usize,
            by_team: bool,
            /// The ranked agents' rows, figures and groups.
            rows: Vec<u32>,
            values: Vec<f64>,
            groups: Vec<u32>,
            missing: Vec<Warning>,
        }
        let mut gather: Vec<Gather> = Vec::new();
        for (i, indicator) in scheme.indicators.iter().enumerate() {
            if let (Rule::Rank { scope, .. }, How::Own { .. }, Some(metric)) = (&indicator.rule, how[i], self.ind_metric[i]) {
                let by_team = *scope == RankScope::Team;
                gather.push(Gather { i, metric, by_team, rows: Vec::with_capacity(n), values: Vec::with_capacity(n), groups: Vec::with_capacity(n), missing: Vec::new() });
            }
        }
        if !gather.is_empty() {
            for (row, &a) in members.iter().enumerate() {
                let line = &values[row * nm..(row + 1) * nm];
                for g in &mut gather {
                    let v = line[g.metric];
                    if v.is_nan() {
                        g.missing.push(Warning { agent: Some(wb.agents[a].id.clone()), indicator: Some(g.i), kind: WarningKind::NotRanked });
                        continue;
                    }
                    g.rows.push(row as u32);
                    g.values.push(v);
                    g.groups.push(if g.by_team { team_of[row] as u32 } else { 0 });
                }
            }
        }
        let mut ranked: Vec<Option<Ranked>> = (0..ni).map(|_| None).collect();
        for g in gather {
            let Rule::Rank { places, ties, below_average, .. } = &scheme.indicators[g.i].rule else { continue };
            let lower = scheme.metrics[g.metric].better == Better::Lower;
            let n_groups = if g.by_team { team_ids.len().max(1) } else { 1 };
            let mut size = vec![0u32; n_groups];
            let mut sum = vec![0.0; n_groups];
            for (&v, &k) in g.values.iter().zip(&g.groups) {
                size[k as usize] += 1;
                sum[k as usize] += v;
            }
            let mut place = vec![0u32; n];
            for (&row, p) in g.rows.iter().zip(rules::places_in_groups(&g.values, &g.groups, n_groups, lower, *ties == TiePolicy::Dense)) {
                place[row as usize] = p;
            }
            let average = sum.iter().zip(&size).map(|(s, &c)| s / f64::from(c.max(1))).collect();
            rank_warnings.extend(g.missing);
            ranked[g.i] = Some(Ranked { metric: g.metric, lower, by_team: g.by_team, places, below_average: *below_average, place, size, average });
        }

        // Per agent, in workbook order: indicator points, category subtotals, total and
        // grade, each into the period's one list of its kind (no allocation per agent).
        // The points and totals are also kept by column (indicator after indicator, then
        // the totals; agents in workbook order) for the statistics.
        let t = &scheme.total;
        let nc = scheme.categories.len();
        let mut columns = vec![0.0; (ni + 1) * n];
        // Points of the last few agents by column, copied into `columns` a tile at a time:
        // writing each agent's points straight into 21 columns far apart costs more.
        let mut tile = vec![0.0; (ni + 1) * TILE];
        let mut pts = vec![0.0; ni];
        let mut indicators: Rows<IndicatorResult> = Rows::new(n, ni);
        let mut categories: Rows<CategoryResult> = Rows::new(n, nc);
        let mut total_steps: Vec<Why> = Vec::new();
        // Per row: the agent's own figures (rank and bonus come later), its total again
        // (for ranking), its grade; ids and names into one text.
        let mut by_row: Vec<AgentRow> = Vec::with_capacity(n);
        let mut totals: Vec<f64> = Vec::with_capacity(n);
        let mut text = String::with_capacity(members.iter().map(|&a| wb.agents[a].id.len() + wb.agents[a].name.len()).sum());
        // Per row, the grade's index (NO_GRADE for none): small, as money reads it by rank.
        let mut grade_of: Vec<u32> = Vec::with_capacity(n);
        let mut hits: Vec<usize> = Vec::new();
        for (row, &a) in members.iter().enumerate() {
            let line = &values[row * nm..(row + 1) * nm];
            let rec = match self.slots[p][a] {
                NONE => None,
                ri => Some(ri as usize),
            };
            hits.clear();
            let mine = indicators.next_row();
            for (i, indicator) in scheme.indicators.iter().enumerate() {
                match (how[i], ranked[i].as_ref()) {
                    (How::NotApplicable, _) => mine.push(IndicatorResult { value: None, points: 0.0, why: Why::NotApplicable }),
                    (How::Rollup, _) => mine.push(self.rollup(i, indicator.rollup == Rollup::Average, a, &kids)),
                    (How::Own { .. }, Some(r)) => {
                        let IndicatorResult { value, points, why } = r.result(row, line, team_of[row]);
                        put(mine, value, points, why)
                    }
                    (How::Own { table }, None) => self.indicator(i, indicator, line, rec, a, season, table, period_end, &mut warnings, mine),
                }
                if let Some(r) = mine.last() {
                    if matches!(r.why, Why::CriticalHit) {
                        hits.push(i);
                    }
                    pts[i] = r.points;
                }
            }

            let mut raw = t.base;
            for (c, cat) in scheme.categories.iter().enumerate() {
                let sum: f64 = self.category_members[c].iter().map(|&i| pts[i]).sum();
                let zeroed = hits.iter().any(|&i| self.ind_category[i] == Some(c) && matches!(scheme.indicators[i].rule, Rule::Critical { zeroes: CriticalScope::Category, .. }));
                let mut v = cat.full.unwrap_or(0.0) + sum;
                let floor_hit = cat.floor.is_some_and(|f| v < f);
                let cap_hit = cat.cap.is_some_and(|c| v > c);
                if let Some(f) = cat.floor {
                    v = v.max(f);
                }
                if let Some(c) = cat.cap {
                    v = v.min(c);
                }
                if zeroed {
                    v = 0.0;
                }
                let v = clean(v);
                raw += v;
                categories.push(CategoryResult { points: v, why: Why::Category { sum: clean(sum), floor_hit, cap_hit, zeroed } });
            }
            raw += self.uncategorised.iter().map(|&i| pts[i]).sum::<f64>();
            let raw = clean(raw);
            let mut total = raw;
            let first_step = total_steps.len();
            let clamped = total.clamp(t.min.unwrap_or(f64::NEG_INFINITY), t.max.unwrap_or(f64::INFINITY).max(t.min.unwrap_or(f64::NEG_INFINITY)));
            if clamped != total {
                total_steps.push(Why::TotalClamped { from: total, to: clamped });
                total = clamped;
            }
            let zero_total = hits.iter().find(|&&i| {
                let rule = &scheme.indicators[i].rule;
                matches!(rule, Rule::Critical { zeroes: CriticalScope::Total, .. }) || (matches!(rule, Rule::Critical { .. }) && self.ind_category[i].is_none())
            });
            if let Some(&i) = zero_total {
                total_steps.push(Why::TotalZeroedBy { indicator: i as u32 });
                total = 0.0;
            }
            total = round_half_up(total, t.decimals);
            if let Some(ru) = t.round_up {
                if total >= ru.from && total < ru.to {
                    total_steps.push(Why::TotalRoundedUp { from: total, to: ru.to });
                    total = ru.to;
                }
            }
            let at = row % TILE;
            for (i, &x) in pts.iter().enumerate() {
                tile[i * TILE + at] = x;
            }
            tile[ni * TILE + at] = total;
            if at + 1 == TILE || row + 1 == n {
                let start = row - at;
                for (column, part) in columns.chunks_exact_mut(n).zip(tile.chunks_exact(TILE)) {
                    column[start..=row].copy_from_slice(&part[..=at]);
                }
            }
            let grade = self.grades.iter().position(|g| total >= g.min);
            let agent = &wb.agents[a];
            by_row.push(AgentRow {
                agent_index: a as u32,
                row: row as u32,
                text: 0,
                id_len: agent.id.len() as u32,
                name_len: agent.name.len() as u32,
                steps: first_step as u32,
                n_steps: (total_steps.len() - first_step) as u32,
                grade: grade.map_or(NO_GRADE, |g| g as u32),
                raw_total: raw,
                total,
            });
            totals.push(total);
            grade_of.push(grade.map_or(NO_GRADE, |g| g as u32));
        }
        warnings.append(&mut rank_warnings);
        for r in &mut by_row {
            let agent = &wb.agents[r.agent_index as usize];
            r.text = text.len() as u32;
            text.push_str(&agent.id);
            text.push_str(&agent.name);
        }

        // Rank by total (stable: equal totals keep workbook order), competition ties.
        let rows_in_rank = radix::order_f64(&totals, true);
        let mut ranks: Vec<u32> = Vec::with_capacity(n);
        let mut previous: Option<(f64, u32)> = None;
        for (pos, &row) in rows_in_rank.iter().enumerate() {
            let total = totals[row];
            let rank = match previous {
                Some((before, rank)) if before == total => rank,
                _ => pos as u32 + 1,
            };
            ranks.push(rank);
            previous = Some((total, rank));
        }

        // Grade quotas.
        for q in &scheme.grades.quotas {
            let count = grade_of.iter().filter(|&&g| self.grades.get(g as usize).is_some_and(|g| g.grade == q.grade)).count();
            if let Some(max) = q.max_percent {
                let allowed = (max * n as f64 / 100.0 - 1e-9).ceil().max(0.0) as usize;
                if count > allowed {
                    warnings.push(Warning { agent: None, indicator: None, kind: WarningKind::QuotaBroken { grade: q.grade.clone(), count, allowed, over: true } });
                }
            }
            if let Some(min) = q.min_percent {
                let needed = (min * n as f64 / 100.0 + 1e-9).floor() as usize;
                if count < needed {
                    warnings.push(Warning { agent: None, indicator: None, kind: WarningKind::QuotaBroken { grade: q.grade.clone(), count, allowed: needed, over: false } });
                }
            }
        }

        // Money: each rule that pays in this period gives every agent one part, kept in
        // rank order (position k's j-th part for the j-th such rule: written in the
        // order they are worked out); rules one after the other, agents in rank order
        // (the order of warnings).
        let rounding = scheme.rounding;
        let totals_in_rank: Vec<f64> = rows_in_rank.iter().map(|&row| totals[row]).collect();
        let mut paying: Vec<(usize, Option<Vec<Decimal>>)> = Vec::new();
        for (b, rule) in scheme.bonus.iter().enumerate() {
            if !rule.applies_to.covers(has_parent) {
                continue;
            }
            if let BonusKind::PoolSplit { pool } = &rule.kind {
                match money::split_pool_f64(*pool, &totals_in_rank) {
                    Some(shares) => paying.push((b, Some(shares))),
                    None => warnings.push(Warning { agent: None, indicator: None, kind: WarningKind::PoolNotSplit { rule: b } }),
                }
                continue;
            }
            paying.push((b, None));
        }
        let nb = paying.len();
        // Summed in rank order, as the pool split weighs them.
        let sum: f64 = totals_in_rank.iter().map(|t| t.max(0.0)).sum();
        // Each rule's parts, worked out rule by rule, then laid out agent by agent.
        let mut sources: Vec<(usize, Parts)> = paying
            .into_iter()
            .map(|(b, shares)| {
                let rule = &scheme.bonus[b];
                let parts = match (shares, &rule.kind) {
                    (Some(shares), _) => Parts::Shares(shares.into_iter()),
                    // Base × the grade's coefficient, with the rule's own base: the same
                    // for every agent of a grade, worked out once per grade.
                    // (As `bonus` works it out for one agent.)
                    (None, BonusKind::GradeCoefficient { base: Some(base) }) => {
                        let by_grade = self.grades.iter().map(|g| money::cents(g.coefficient.and_then(|c| base.checked_mul(c)).unwrap_or(Decimal::ZERO), rounding)).collect();
                        Parts::ByGrade(by_grade, money::cents(Decimal::ZERO, rounding))
                    }
                    (None, _) => Parts::Worked(
                        rows_in_rank
                            .iter()
                            .zip(&ranks)
                            .map(|(&row, &rank)| {
                                let line = &values[row * nm..(row + 1) * nm];
                                let who = Who { agent: members[row], total: totals[row], rank };
                                let grade = Some(grade_of[row] as usize).filter(|&g| g < self.grades.len());
                                let (amount, why) = self.bonus(b, rule, who, grade, line, n, period_end, &mut warnings);
                                (money::cents(amount, rounding), why)
                            })
                            .collect::<Vec<_>>()
                            .into_iter(),
                    ),
                };
                (b, parts)
            })
            .collect();
        let mut bonus_parts: Rows<BonusPart> = Rows::new(n, nb);
        let mut bonuses: Vec<Decimal> = Vec::with_capacity(n);
        for (&row, &total) in rows_in_rank.iter().zip(&totals_in_rank) {
            let mine = bonus_parts.next_row();
            let start = mine.len();
            for (b, parts) in &mut sources {
                let (amount, why) = match parts {
                    Parts::Shares(shares) => (shares.next().unwrap_or(Decimal::ZERO), Why::PoolSplit { total, sum }),
                    Parts::ByGrade(by_grade, none) => (by_grade.get(grade_of[row] as usize).copied().unwrap_or(*none), Why::GradeCoefficient),
                    Parts::Worked(worked) => worked.next().unwrap_or((Decimal::ZERO, Why::Missing)),
                };
                mine.push(BonusPart { rule: *b, amount, why });
            }
            // The agent's bonus is the sum of its parts, to the cent. Every part is whole
            // cents (scale 2), so the sum is one of integers; a decimal sum only if one is not.
            bonuses.push(money::sum_cents(mine[start..].iter().map(|p| p.amount)));
        }

        // Statistics.
        // Each column in workbook order (the order the mean is summed in).
        let mut keys = Vec::with_capacity(n);
        let mut column_stats = columns.chunks_exact(n.max(1)).map(|column| stats(column, &mut keys));
        let indicator_stats: Vec<Stats> = (0..ni).map(|_| column_stats.next().unwrap_or_default()).collect();
        let total_stats = column_stats.next().unwrap_or_default();
        let mut position = vec![NONE; wb.agents.len()];
        for (pos, &row) in rows_in_rank.iter().enumerate() {
            position[members[row]] = pos as u32;
        }
        let results = PeriodResults {
            period: period.id.clone(),
            season,
            rows: by_row,
            order: rows_in_rank.iter().map(|&row| row as u32).collect(),
            ranks,
            bonuses,
            indicators,
            categories,
            bonus_parts,
            total_steps,
            text,
            grades: self.grades.iter().map(|g| g.grade.clone()).collect(),
            stats: indicator_stats,
            total_stats,
            warnings,
        };
        Scored { results, position }
    }

    /// Works out indicator `i` for one agent and adds the result to `out`. Each way
    /// to a result adds it where it is made (rather than handing one value back from
    /// many branches, which the compiler builds piecemeal on the stack and copies).
    #[allow(clippy::too_many_arguments)]
    fn indicator(
        &self,
        i: usize,
        indicator: &Indicator,
        line: &[f64],
        rec: Option<usize>,
        a: usize,
        season: Option<usize>,
        table: Option<usize>,
        period_end: Option<period::Date>,
        warnings: &mut Vec<Warning>,
        out: &mut Vec<IndicatorResult>,
    ) {
        let wb = self.wb;
        let value = self.ind_metric[i].map(|mi| line[mi]).filter(|v| !v.is_nan());
        let weight = indicator.weight.unwrap_or(0.0);
        let warn = |warnings: &mut Vec<Warning>, kind| warnings.push(Warning { agent: Some(wb.agents[a].id.clone()), indicator: Some(i), kind });
        let missing = |out: &mut Vec<IndicatorResult>| out.push(IndicatorResult { value: None, points: 0.0, why: Why::Missing });
        let give = |out: &mut Vec<IndicatorResult>, (points, why): (f64, Why)| put(out, value, clean(points), why);
        match &indicator.rule {
            Rule::Target { target, cap } => {
                let Some(v) = value else { return missing(out) };
                give(out, rules::target(v, *target, self.ind_lower[i], *cap, weight))
            }
            Rule::Linear { from, to, below } => {
                let Some(v) = value else { return missing(out) };
                give(out, rules::linear(v, *from, *to, *below))
            }
            Rule::Bands { tables, gap_points } => {
                let Some(v) = value else { return missing(out) };
                match table.filter(|&t| t < tables.len()) {
                    None => {
                        warn(warnings, WarningKind::BandGap { value: v });
                        give(out, (*gap_points, Why::NoBandTable { season: season.map(|x| x as u16) }))
                    }
                    Some(t) => match rules::find_band(v, &tables[t].bands) {
                        Some(b) => give(out, (tables[t].bands[b].points, Why::Band { table: t as u16, band: b as u16, season: season.map(|x| x as u16) })),
                        None => {
                            warn(warnings, WarningKind::BandGap { value: v });
                            give(out, (*gap_points, Why::BandGap { table: t as u16, season: season.map(|x| x as u16) }))
                        }
                    },
                }
            }
            Rule::PerOccurrence { each, cap, none_bonus } => {
                let Some(v) = value else { return missing(out) };
                give(out, rules::per_occurrence(v, *each, *cap, *none_bonus))
            }
            // Filled in once every agent's figure is known.
            Rule::Rank { .. } => out.push(IndicatorResult { value, points: 0.0, why: Why::Missing }),
            Rule::Rating { min, max, drop_extremes } => {
                let scores = match rec.and_then(|r| self.resolved.entry(r, i)) {
                    Some(Entry::Rating(scores)) => scores,
                    _ => &[],
                };
                give(out, rules::rating(scores, *min, *max, *drop_extremes, weight))
            }
            Rule::Checklist { items } => {
                let ticks = match rec.and_then(|r| self.resolved.entry(r, i)) {
                    Some(Entry::Checks(ticks)) => Some(ticks),
                    _ => None,
                };
                give(out, rules::checklist(items, ticks, weight))
            }
            Rule::Critical { .. } => {
                let Some(f) = &self.ind_formula[i] else { return missing(out) };
                if f.lacks_input(line) {
                    give(out, (0.0, Why::CriticalOk))
                } else {
                    match f.with_inputs(|j| line[j], |f, v| f.boolean(v)) {
                        Ok(true) => give(out, (0.0, Why::CriticalHit)),
                        Ok(false) => give(out, (0.0, Why::CriticalOk)),
                        Err(e) => {
                            warn(warnings, WarningKind::Formula { message: e.to_string() });
                            give(out, (0.0, Why::FormulaFailed { message: e.to_string().into() }))
                        }
                    }
                }
            }
            Rule::Formula { min, max, .. } => {
                let Some(f) = &self.ind_formula[i] else { return missing(out) };
                if f.lacks_input(line) {
                    return missing(out);
                }
                match f.with_inputs(|j| line[j], |f, v| f.number(v)) {
                    Ok(x) => {
                        let c = x.clamp(min.unwrap_or(f64::NEG_INFINITY), max.unwrap_or(f64::INFINITY).max(min.unwrap_or(f64::NEG_INFINITY)));
                        give(out, (c, Why::Formula { value: x, clamped: c != x }))
                    }
                    Err(e) => {
                        warn(warnings, WarningKind::Formula { message: e.to_string() });
                        give(out, (0.0, Why::FormulaFailed { message: e.to_string().into() }))
                    }
                }
            }
            Rule::Tenure { steps } => match self.months_of_service(a, period_end) {
                Some(m) => give(out, rules::tenure(m, steps)),
                None => give(out, (0.0, Why::TenureUnknown)),
            },
        }
    }

    fn months_of_service(&self, a: usize, period_end: Option<period::Date>) -> Option<u32> {
        Some(self.hired.get(a).copied().flatten()?.months_until(period_end?))
    }

    fn rollup(&self, i: usize, average: bool, a: usize, kids: &[&Scored]) -> IndicatorResult {
        let mut parts = Vec::new();
        for k in kids {
            if let Some(&pos) = k.position.get(a) {
                if pos != NONE {
                    let points = k.results.agent_at(pos as usize).and_then(|ar| ar.indicators.get(i)).map_or(0.0, |r| r.points);
                    parts.push((k.results.period.clone(), points));
                }
            }
        }
        let sum: f64 = parts.iter().map(|p| p.1).sum();
        let points = if average && !parts.is_empty() { sum / parts.len() as f64 } else { sum };
        IndicatorResult { value: None, points: clean(points), why: Why::Rollup(Box::new(RollupWhy { average, parts })) }
    }

    #[allow(clippy::too_many_arguments)]
    fn bonus(&self, b: usize, rule: &BonusRule, ar: Who, grade: Option<usize>, line: &[f64], n: usize, period_end: Option<period::Date>, warnings: &mut Vec<Warning>) -> (Decimal, Why) {
        let wb = self.wb;
        let figure = |id: &str| self.metric_index.get(id).map(|&mi| line[mi]).filter(|v| !v.is_nan()).and_then(money::decimal);
        // Only the rules that use it (a decimal per agent is not free).
        let total = || money::decimal(ar.total).unwrap_or(Decimal::ZERO);
        match &rule.kind {
            BonusKind::PoolByScore { pool, divisor } => {
                let total = total();
                // A negative total earns no share (it does not pay into the pool).
                let share = total.max(Decimal::ZERO);
                let amount = if divisor.is_zero() { Decimal::ZERO } else { share.checked_mul(*pool).and_then(|x| x.checked_div(*divisor)).unwrap_or(Decimal::ZERO) };
                (amount, Why::PoolByScore { total: ar.total })
            }
            BonusKind::PoolSplit { .. } => (Decimal::ZERO, Why::MissingFigure { metric: "".into() }),
            BonusKind::GradeCoefficient { base } => {
                let base = base.or(wb.agents[ar.agent].base_pay).unwrap_or(Decimal::ZERO);
                // Grade ids are unique (validation), so the band found by the total is it.
                let coefficient = grade.and_then(|g| self.grades.get(g)).and_then(|g| g.coefficient);
                let amount = coefficient.and_then(|c| base.checked_mul(c)).unwrap_or(Decimal::ZERO);
                (amount, Why::GradeCoefficient)
            }
            BonusKind::Commission { sales, completion, tiers, mode } => {
                let (Some(s), Some(c)) = (figure(sales), figure(completion)) else {
                    let metric = if figure(sales).is_none() { sales.clone() } else { completion.clone() };
                    return (Decimal::ZERO, Why::MissingFigure { metric: metric.into() });
                };
                if c <= Decimal::ZERO && s > Decimal::ZERO && *mode == CommissionMode::EachSliceAtItsRate {
                    warnings.push(Warning { agent: Some(wb.agents[ar.agent].id.clone()), indicator: None, kind: WarningKind::Commission { rule: b } });
                }
                let (amount, rate, slices) = money::commission(s, c, tiers, *mode);
                (amount, Why::Commission(Box::new(CommissionWhy { sales: s, completion: c, rate, slices })))
            }
            BonusKind::Product { factors } => {
                let mut product = Decimal::ONE;
                let mut used = Vec::with_capacity(factors.len());
                for f in factors {
                    let v = match (&f.metric, f.value) {
                        (Some(m), _) => {
                            let Some(v) = figure(m) else { return (Decimal::ZERO, Why::MissingFigure { metric: m.as_str().into() }) };
                            if wb.scheme.metric(m).is_some_and(|x| x.unit.trim() == "%") {
                                v / Decimal::ONE_HUNDRED
                            } else {
                                v
                            }
                        }
                        (None, Some(v)) => v,
                        (None, None) => Decimal::ONE,
                    };
                    used.push(v);
                    product = product.checked_mul(v).unwrap_or(Decimal::ZERO);
                }
                (product, Why::Product { factors: used.into() })
            }
            BonusKind::Tenure { steps } => {
                let Some(months) = self.months_of_service(ar.agent, period_end) else { return (Decimal::ZERO, Why::TenureUnknown) };
                let amount = steps.iter().filter(|s| months >= s.months).max_by_key(|s| s.months).map_or(Decimal::ZERO, |s| s.amount);
                (amount, Why::TenureAmount { months })
            }
            BonusKind::Formula { .. } => {
                let Some(f) = &self.bonus_formula[b] else { return (Decimal::ZERO, Why::MissingFigure { metric: "".into() }) };
                let extra = [ar.total, f64::from(ar.rank), n as f64];
                let nm = self.n_metrics;
                match f.with_inputs(|j| if j < nm { line[j] } else { extra.get(j - nm).copied().unwrap_or(f64::NAN) }, |f, v| f.number(v)) {
                    Ok(x) => (money::decimal_from_computed(x).unwrap_or(Decimal::ZERO), Why::FormulaAmount { value: x }),
                    Err(e) => {
                        warnings.push(Warning { agent: Some(wb.agents[ar.agent].id.clone()), indicator: None, kind: WarningKind::Formula { message: e.to_string() } });
                        (Decimal::ZERO, Why::FormulaFailed { message: e.to_string().into() })
                    }
                }
            }
        }
    }
}

/// An id as a hash key, compared byte by byte in line: a team is looked up for every
/// agent, where a call into `memcmp` per look-up costs more than the comparison.
#[derive(Clone, Copy)]
struct Id<'a>(&'a str);

impl PartialEq for Id<'_> {
    fn eq(&self, other: &Self) -> bool {
        validate::cmp_ids(self.0, other.0).is_eq()
    }
}

impl Eq for Id<'_> {}

impl std::hash::Hash for Id<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// A rank indicator in one period, worked out once every agent's figure is known.
struct Ranked<'a> {
    metric: usize,
    lower: bool,
    /// Whether agents are ranked within their team (else all together).
    by_team: bool,
    /// The rule's points by place, and for "worse than the group average".
    places: &'a [f64],
    below_average: Option<f64>,
    /// Per row: the agent's place in its group; 0 when it has no figure.
    place: Vec<u32>,
    /// Per group: how many agents were ranked, and the mean of their figures.
    size: Vec<u32>,
    average: Vec<f64>,
}

impl Ranked<'_> {
    /// The result of the agent in `row` (figures `line`, team number `team`).
    fn result(&self, row: usize, line: &[f64], team: usize) -> IndicatorResult {
        let place = self.place[row];
        if place == 0 {
            return IndicatorResult { value: None, points: 0.0, why: Why::Missing };
        }
        let value = line[self.metric];
        let group = if self.by_team { team } else { 0 };
        let (of, average) = (self.size[group], self.average[group]);
        let worse = if self.lower { value > average } else { value < average };
        let (points, why) = match (self.places.get(place as usize - 1), self.below_average) {
            (Some(&points), _) => (points, Why::Rank { place, of }),
            (None, Some(b)) if worse => (b, Why::RankBelowAverage { place, of, average }),
            _ => (0.0, Why::Rank { place, of }),
        };
        IndicatorResult { value: Some(value), points: clean(points), why }
    }
}

/// One money rule's parts in a period, in rank order.
enum Parts {
    /// The pool split's shares.
    Shares(std::vec::IntoIter<Decimal>),
    /// The amount by grade index, and for no grade.
    ByGrade(Vec<Decimal>, Decimal),
    /// Worked out agent by agent.
    Worked(std::vec::IntoIter<(Decimal, Why)>),
}

/// The agent a bonus is worked out for: its index in the workbook, total and rank.
#[derive(Clone, Copy)]
struct Who {
    agent: usize,
    total: f64,
    rank: u32,
}

/// Adds an indicator result to its agent's row, field by field in place. (`push`
/// builds the result on the stack in small pieces and then copies it in wide ones,
/// which the processor cannot forward from its store buffer: a stall of some 15
/// cycles for each of the 2,000,000 results of 100,000 agents, about 5 ms.)
#[inline(always)]
fn put(out: &mut Vec<IndicatorResult>, value: Option<f64>, points: f64, why: Why) {
    // The rows are made with room for every result (`Rows::next_row`); the else branch
    // is for safety's sake only.
    if let Some(slot) = out.spare_capacity_mut().first_mut() {
        let slot = slot.as_mut_ptr();
        // SAFETY: `slot` is the first unused place of `out`'s buffer (valid for writes,
        // aligned); all three fields are written before the length takes it in.
        unsafe {
            std::ptr::addr_of_mut!((*slot).why).write(why);
            std::ptr::addr_of_mut!((*slot).value).write(value);
            std::ptr::addr_of_mut!((*slot).points).write(points);
            out.set_len(out.len() + 1)
        }
    } else {
        out.push(IndicatorResult { value, points, why })
    }
}

/// Agents per tile of points on their way into the statistics' columns.
const TILE: usize = 64;

/// Removes binary drift (0.1 + 0.2) from points: rounds to 9 decimal places.
fn clean(x: f64) -> f64 {
    if !x.is_finite() || x.abs() > 1e12 {
        return x;
    }
    // Whole points (bands, places, tenure steps) are clean already: no division.
    if (x as i64) as f64 == x {
        return x;
    }
    round(x * 1e9) / 1e9
}

/// `f64::round` (half away from zero), without the call into libm that it compiles to
/// on targets without a rounding instruction; it runs for every point of every agent.
fn round(y: f64) -> f64 {
    // From 2⁵² on every f64 is a whole number.
    if y.is_nan() || y.abs() >= 4_503_599_627_370_496.0 {
        return y;
    }
    let t = y as i64 as f64; // towards zero, exact below 2⁵²
    let rest = y - t; // exact: y and t are within 1 of each other
    // Without branches (which way a fraction rounds is as good as random): one step
    // away from zero from half on; the sign is y's (-0.3 → -0.0, as `f64::round` does).
    let step = f64::from(i32::from(rest >= 0.5) - i32::from(rest <= -0.5));
    (t + step).copysign(y)
}

/// Rounds half away from zero to `decimals` places, through decimal text so that
/// 2.675 (stored as 2.67499999…) rounds to 2.68 as people expect.
pub fn round_half_up(x: f64, decimals: u32) -> f64 {
    // Fast path: integer arithmetic on x in units of 10⁻⁹ (exact for such numbers).
    if x.abs() < 1e6 && decimals <= 9 {
        let n = (x * 1e9).round();
        if n / 1e9 == x {
            let n = n as i64;
            let f = 10i64.pow(9 - decimals);
            let (mut q, r) = (n / f, n % f);
            if r.abs() * 2 >= f {
                q += r.signum();
            }
            return q as f64 / 10f64.powi(decimals as i32);
        }
    }
    match money::decimal(x) {
        Some(d) => d.round_dp_with_strategy(decimals, rust_decimal::RoundingStrategy::MidpointAwayFromZero).to_string().parse().unwrap_or(x),
        None => x,
    }
}

/// Mean, median, min and max of the finite values; the median by selection (linear,
/// not a full sort) over their order keys, gathered in `keys`.
fn stats(column: &[f64], keys: &mut Vec<u64>) -> Stats {
    // Four running sums, minima and maxima side by side: a single chain of each would
    // wait for its previous step at every figure.
    let (mut sum, mut lo, mut hi, mut finite) = ([0.0; 4], [f64::INFINITY; 4], [f64::NEG_INFINITY; 4], true);
    let mut quads = column.chunks_exact(4);
    for q in &mut quads {
        for j in 0..4 {
            let x = q[j];
            finite &= x.is_finite();
            sum[j] += x;
            lo[j] = if x < lo[j] { x } else { lo[j] };
            hi[j] = if x > hi[j] { x } else { hi[j] };
        }
    }
    for (j, &x) in quads.remainder().iter().enumerate() {
        finite &= x.is_finite();
        sum[j] += x;
        lo[j] = if x < lo[j] { x } else { lo[j] };
        hi[j] = if x > hi[j] { x } else { hi[j] };
    }
    if !finite {
        let only: Vec<f64> = column.iter().copied().filter(|x| x.is_finite()).collect();
        return stats(&only, keys);
    }
    let count = column.len();
    if count == 0 {
        return Stats::default();
    }
    let (min, max) = (lo.into_iter().fold(f64::INFINITY, f64::min), hi.into_iter().fold(f64::NEG_INFINITY, f64::max));
    let mean = clean((sum[0] + sum[1] + sum[2] + sum[3]) / count as f64);
    let median = if min == max {
        min
    } else {
        keys.clear();
        keys.extend(column.iter().map(|&x| radix::f64_key(x)));
        let (below, &mut upper, _) = keys.select_nth_unstable(count / 2);
        let upper = radix::f64_of_key(upper);
        if count % 2 == 1 {
            upper
        } else {
            clean((radix::f64_of_key(below.iter().copied().max().unwrap_or(0)) + upper) / 2.0)
        }
    };
    Stats { count, mean, median, min, max }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_as_written() {
        assert_eq!(round_half_up(2.675, 2), 2.68);
        assert_eq!(round_half_up(-2.675, 2), -2.68);
        assert_eq!(round_half_up(94.994999, 2), 94.99);
        assert_eq!(round_half_up(94.995, 2), 95.0);
        assert_eq!(round_half_up(0.1 + 0.2, 2), 0.3);
        assert_eq!(round_half_up(1234567.125, 2), 1234567.13);
        assert_eq!(round_half_up(12.5, 0), 13.0);
    }

    #[test]
    fn stats_agree_with_sorting() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut keys = Vec::new();
        for len in [0, 1, 2, 3, 4, 5, 7, 8, 9, 64, 101, 1000] {
            for kind in 0..4 {
                let column: Vec<f64> = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        match kind {
                            0 => (x % 1000) as f64 / 8.0 - 60.0,
                            1 => -((x % 4) as f64),
                            2 => 3.5,
                            _ => [f64::NAN, f64::INFINITY, 2.25, -7.0, 0.5][(x % 5) as usize],
                        }
                    })
                    .collect();
                let mut finite: Vec<f64> = column.iter().copied().filter(|v| v.is_finite()).collect();
                finite.sort_by(f64::total_cmp);
                let s = stats(&column, &mut keys);
                assert_eq!(s.count, finite.len(), "{kind} {len}");
                if finite.is_empty() {
                    assert_eq!(s, Stats::default());
                    continue;
                }
                let k = finite.len();
                let median = if k % 2 == 1 { finite[k / 2] } else { clean((finite[k / 2 - 1] + finite[k / 2]) / 2.0) };
                let mean = clean(finite.iter().sum::<f64>() / k as f64);
                assert_eq!((s.median, s.min, s.max), (median, finite[0], finite[k - 1]), "{kind} {len}");
                assert!((s.mean - mean).abs() < 1e-9, "{kind} {len}: {} vs {mean}", s.mean);
            }
        }
    }

    #[test]
    fn round_matches_the_standard_round() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut samples = vec![0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, 0.49999999999999994, -0.49999999999999994, 4503599627370495.5, 4503599627370496.0, -4503599627370497.0, 1e300, -1e300, f64::INFINITY, f64::NEG_INFINITY, 0.3, -0.3];
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            samples.push(f64::from_bits(x));
            samples.push((x % 2_000_000_001) as f64 / 1000.0 - 1_000_000.0);
            samples.push(((x % 20_001) as f64 - 10_000.0) / 2.0);
        }
        for y in samples {
            let (got, want) = (super::round(y), y.round());
            assert!(got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()), "{y}: {got} vs {want}");
        }
    }
}
