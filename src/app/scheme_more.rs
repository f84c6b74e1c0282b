//! The rest of the scheme editor, as plain edits (the dialogs of the on-demand module
//! call these): metrics, seasons, categories, grades and quotas, bonus details
//! (commission tiers, product factors, tenure amounts), checklist items, and the
//! raters' scores and checklist ticks of a period.
//!
//! Removing something the scheme still uses is refused, and the refusal names the
//! users ([`InUse`]), so nothing is left pointing at a metric, season or category that
//! is gone. Ids are keys: a metric's or checklist item's id can change only where it is
//! safe (a metric no rule or formula uses; its figures follow it).

use super::data::unique_id;
use super::paste::{parse_figure, Figure};
use crate::i18n::{tx, Lang};
use crate::model::*;
use rust_decimal::Decimal;

/// Who still uses what someone wants to remove, by name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InUse {
    pub indicators: Vec<String>,
    pub metrics: Vec<String>,
    pub bonus: Vec<String>,
}

impl InUse {
    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty() && self.metrics.is_empty() && self.bonus.is_empty()
    }

    /// "Cannot remove: used by indicators A, B; bonus rules C."
    pub fn message(&self, lang: Lang) -> String {
        let sep = if lang == Lang::ZhCn { "、" } else { ", " };
        let mut parts = Vec::new();
        for (what, names) in [(tx(lang, "editors.used_by_indicators"), &self.indicators), (tx(lang, "editors.used_by_metrics"), &self.metrics), (tx(lang, "editors.used_by_bonus"), &self.bonus)] {
            if !names.is_empty() {
                parts.push(format!("{what}{}{}", if lang == Lang::ZhCn { "" } else { " " }, names.join(sep)));
            }
        }
        let (space, join, end) = if lang == Lang::ZhCn { ("", "；", "。") } else { (" ", "; ", ".") };
        format!("{}{space}{}{end}", tx(lang, "editors.cannot_remove"), parts.join(join))
    }
}

/// `name`, or the id when it has no name.
fn named(name: &str, id: &str) -> String {
    if name.trim().is_empty() {
        id.to_string()
    } else {
        name.to_string()
    }
}

/// Whether a formula mentions `name` as a word (a conservative reading: even a formula
/// that does not parse counts as a use).
pub fn mentions(formula: &str, name: &str) -> bool {
    formula.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == name)
}

/// Whether a text is a usable id in formulas: letters, digits and `_`, not starting
/// with a digit.
pub fn is_id(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

// ----- metrics -----

/// The indicators, derived metrics and bonus rules that use metric `id`.
pub fn metric_users(scheme: &Scheme, id: &str) -> InUse {
    let mut out = InUse::default();
    for ind in &scheme.indicators {
        let uses = ind.metric.as_deref() == Some(id)
            || match &ind.rule {
                Rule::Critical { when, .. } => mentions(when, id),
                Rule::Formula { expr, .. } => mentions(expr, id),
                _ => false,
            };
        if uses {
            out.indicators.push(named(&ind.name, &ind.id));
        }
    }
    for m in &scheme.metrics {
        if m.id != id && m.formula.as_deref().is_some_and(|f| mentions(f, id)) {
            out.metrics.push(named(&m.name, &m.id));
        }
    }
    for b in &scheme.bonus {
        let uses = match &b.kind {
            BonusKind::Commission { sales, completion, .. } => sales == id || completion == id,
            BonusKind::Product { factors } => factors.iter().any(|f| f.metric.as_deref() == Some(id)),
            BonusKind::Formula { expr } => mentions(expr, id),
            _ => false,
        };
        if uses {
            out.bonus.push(named(&b.name, &b.id));
        }
    }
    out
}

/// Adds an input metric at the end; returns its index.
pub fn add_metric(scheme: &mut Scheme) -> usize {
    let id = unique_id("m", |id| scheme.metrics.iter().any(|m| m.id == id));
    scheme.metrics.push(Metric { id, name: String::new(), unit: String::new(), better: Better::Higher, count: false, formula: None });
    scheme.metrics.len() - 1
}

/// Removes metric `i` and the figures typed for it, unless the scheme uses it.
/// Returns how many figures went with it.
pub fn remove_metric(wb: &mut Workbook, i: usize) -> Result<usize, InUse> {
    let Some(id) = wb.scheme.metrics.get(i).map(|m| m.id.clone()) else { return Ok(0) };
    let users = metric_users(&wb.scheme, &id);
    if !users.is_empty() {
        return Err(users);
    }
    wb.scheme.metrics.remove(i);
    let mut dropped = 0;
    for r in &mut wb.records {
        dropped += usize::from(r.figures.remove(&id).is_some());
    }
    Ok(dropped)
}

/// Gives metric `i` a new id: only while no rule, formula or bonus uses it (its
/// figures are renamed with it). Err is the translation key of why not.
pub fn rename_metric(wb: &mut Workbook, i: usize, new: &str) -> Result<(), &'static str> {
    let new = new.trim();
    let Some(old) = wb.scheme.metrics.get(i).map(|m| m.id.clone()) else { return Err("editors.gone") };
    if old == new {
        return Ok(());
    }
    if new.is_empty() {
        return Err("editors.id_required");
    }
    if !is_id(new) {
        return Err("editors.id_chars");
    }
    if wb.scheme.metrics.iter().any(|m| m.id == new) {
        return Err("editors.id_taken");
    }
    if !metric_users(&wb.scheme, &old).is_empty() {
        return Err("editors.id_in_use");
    }
    if let Some(m) = wb.scheme.metrics.get_mut(i) {
        m.id = new.to_string();
    }
    for r in &mut wb.records {
        if let Some(x) = r.figures.remove(&old) {
            r.figures.insert(new.to_string(), x);
        }
    }
    Ok(())
}

/// Sets metric `i`'s formula; blank makes it an input metric again.
pub fn set_formula(scheme: &mut Scheme, i: usize, text: &str) {
    if let Some(m) = scheme.metrics.get_mut(i) {
        m.formula = (!text.trim().is_empty()).then(|| text.trim().to_string());
    }
}

// ----- seasons -----

/// Adds a season with no months yet; returns its index.
pub fn add_season(scheme: &mut Scheme) -> usize {
    let id = unique_id("s", |id| scheme.seasons.iter().any(|s| s.id == id));
    scheme.seasons.push(Season { id, name: String::new(), months: Vec::new() });
    scheme.seasons.len() - 1
}

/// The indicators with a band table for season `id`.
pub fn season_users(scheme: &Scheme, id: &str) -> InUse {
    let indicators = scheme
        .indicators
        .iter()
        .filter(|ind| matches!(&ind.rule, Rule::Bands { tables, .. } if tables.iter().any(|t| t.season.as_deref() == Some(id))))
        .map(|ind| named(&ind.name, &ind.id))
        .collect();
    InUse { indicators, ..InUse::default() }
}

/// Removes season `i` unless a band table is for it.
pub fn remove_season(scheme: &mut Scheme, i: usize) -> Result<(), InUse> {
    let Some(id) = scheme.seasons.get(i).map(|s| s.id.clone()) else { return Ok(()) };
    let users = season_users(scheme, &id);
    if !users.is_empty() {
        return Err(users);
    }
    scheme.seasons.remove(i);
    Ok(())
}

/// Puts month `month` (1–12) in season `i` or takes it out; months stay in order.
pub fn set_month(scheme: &mut Scheme, i: usize, month: u32, on: bool) {
    if !(1..=12).contains(&month) {
        return;
    }
    if let Some(s) = scheme.seasons.get_mut(i) {
        s.months.retain(|&m| m != month);
        if on {
            s.months.push(month);
            s.months.sort_unstable();
        }
    }
}

// ----- categories -----

/// Adds a category; returns its index.
pub fn add_category(scheme: &mut Scheme) -> usize {
    let id = unique_id("c", |id| scheme.categories.iter().any(|c| c.id == id));
    scheme.categories.push(Category { id, name: String::new(), full: None, cap: None, floor: None });
    scheme.categories.len() - 1
}

/// Removes category `i` unless indicators are in it (they are named).
pub fn remove_category(scheme: &mut Scheme, i: usize) -> Result<(), InUse> {
    let Some(id) = scheme.categories.get(i).map(|c| c.id.clone()) else { return Ok(()) };
    let indicators: Vec<String> = scheme.indicators.iter().filter(|x| x.category.as_deref() == Some(id.as_str())).map(|x| named(&x.name, &x.id)).collect();
    if !indicators.is_empty() {
        return Err(InUse { indicators, ..InUse::default() });
    }
    scheme.categories.remove(i);
    Ok(())
}

// ----- grades -----

/// Adds a grade below the lowest one; returns its index.
pub fn add_grade(scheme: &mut Scheme) -> usize {
    let grade = unique_id("G", |g| scheme.grades.bands.iter().any(|b| b.grade == g));
    let min = scheme.grades.bands.iter().map(|b| b.min).fold(None, |lo: Option<f64>, m| Some(lo.map_or(m, |lo| lo.min(m))));
    let min = min.map_or(0.0, |m| (m - 10.0).max(0.0));
    scheme.grades.bands.push(GradeBand { grade, min, coefficient: None });
    scheme.grades.bands.len() - 1
}

/// Removes grade band `i` and the quotas for that grade.
pub fn remove_grade(scheme: &mut Scheme, i: usize) {
    if i < scheme.grades.bands.len() {
        let g = scheme.grades.bands.remove(i);
        scheme.grades.quotas.retain(|q| q.grade != g.grade);
    }
}

/// Renames grade `i`; its quotas follow.
pub fn rename_grade(scheme: &mut Scheme, i: usize, new: &str) {
    let Some(old) = scheme.grades.bands.get(i).map(|g| g.grade.clone()) else { return };
    let taken = scheme.grades.bands.iter().enumerate().any(|(j, g)| j != i && g.grade == old);
    if let Some(g) = scheme.grades.bands.get_mut(i) {
        g.grade = new.to_string();
    }
    if !taken {
        for q in scheme.grades.quotas.iter_mut().filter(|q| q.grade == old) {
            q.grade = new.to_string();
        }
    }
}

/// Adds a quota ("at most 20 % get the top grade"); returns its index.
pub fn add_quota(scheme: &mut Scheme) -> usize {
    let grade = scheme.grades.bands.first().map(|g| g.grade.clone()).unwrap_or_default();
    scheme.grades.quotas.push(GradeQuota { grade, max_percent: Some(20.0), min_percent: None });
    scheme.grades.quotas.len() - 1
}

pub fn remove_quota(scheme: &mut Scheme, i: usize) {
    if i < scheme.grades.quotas.len() {
        scheme.grades.quotas.remove(i);
    }
}

// ----- money and whole numbers typed as text -----

/// Reads an amount of money or a rate exactly: `1,234.50`, `¥800`, `１２.５`, `-3`.
/// Err is the translation key of why not.
pub fn parse_money(text: &str) -> Result<Decimal, &'static str> {
    let mut s = String::with_capacity(text.len());
    for c in text.trim().chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '−' | '－' => '-',
            other => other,
        };
        if !matches!(c, ',' | '，' | '¥' | '￥' | ' ' | '\u{a0}' | '_') {
            s.push(c);
        }
    }
    if s.is_empty() {
        return Err("error.required");
    }
    if s.contains(['e', 'E']) {
        return Err("error.not_a_number");
    }
    match Decimal::from_str_exact(&s) {
        Ok(d) if d.abs() > Decimal::from(1_000_000_000_000_i64) => Err("error.too_large"),
        Ok(d) => Ok(d),
        Err(_) => Err("error.not_a_number"),
    }
}

/// Reads a whole number of months (0 or more).
pub fn parse_months(text: &str) -> Result<u32, &'static str> {
    match parse_figure(text) {
        Ok(Figure::Number(x)) if x >= 0.0 && x.fract() == 0.0 && x <= 1200.0 => Ok(x as u32),
        Ok(Figure::Number(_)) => Err("editors.whole_months"),
        Ok(Figure::Blank) => Err("error.required"),
        Err(e) => Err(e.key()),
    }
}

// ----- bonus details -----

fn commission(scheme: &mut Scheme, b: usize) -> Option<&mut Vec<CommissionTier>> {
    match &mut scheme.bonus.get_mut(b)?.kind {
        BonusKind::Commission { tiers, .. } => Some(tiers),
        _ => None,
    }
}

/// Adds a tier 10 % above the last one, at its rate.
pub fn add_tier(scheme: &mut Scheme, b: usize) {
    if let Some(tiers) = commission(scheme, b) {
        let new = match tiers.last() {
            Some(t) => CommissionTier { from: t.from + Decimal::TEN, rate: t.rate },
            None => CommissionTier { from: Decimal::ZERO, rate: Decimal::ONE },
        };
        tiers.push(new);
    }
}

/// Removes tier `t` (a commission keeps at least one tier).
pub fn remove_tier(scheme: &mut Scheme, b: usize, t: usize) {
    if let Some(tiers) = commission(scheme, b) {
        if tiers.len() > 1 && t < tiers.len() {
            tiers.remove(t);
        }
    }
}

fn factors(scheme: &mut Scheme, b: usize) -> Option<&mut Vec<Factor>> {
    match &mut scheme.bonus.get_mut(b)?.kind {
        BonusKind::Product { factors } => Some(factors),
        _ => None,
    }
}

/// Adds a constant factor of 1.
pub fn add_factor(scheme: &mut Scheme, b: usize) {
    if let Some(f) = factors(scheme, b) {
        f.push(Factor { metric: None, value: Some(Decimal::ONE) });
    }
}

/// Removes factor `k` (a product keeps at least one factor).
pub fn remove_factor(scheme: &mut Scheme, b: usize, k: usize) {
    if let Some(f) = factors(scheme, b) {
        if f.len() > 1 && k < f.len() {
            f.remove(k);
        }
    }
}

/// Makes factor `k` a metric (`Some(id)`) or a constant (`None`, keeping its value or 1).
pub fn set_factor_metric(scheme: &mut Scheme, b: usize, k: usize, metric: Option<String>) {
    if let Some(f) = factors(scheme, b).and_then(|f| f.get_mut(k)) {
        match metric {
            Some(m) => {
                f.metric = Some(m);
                f.value = None;
            }
            None => {
                f.metric = None;
                f.value = Some(f.value.unwrap_or(Decimal::ONE));
            }
        }
    }
}

fn tenure_steps(scheme: &mut Scheme, b: usize) -> Option<&mut Vec<TenureAmount>> {
    match &mut scheme.bonus.get_mut(b)?.kind {
        BonusKind::Tenure { steps } => Some(steps),
        _ => None,
    }
}

/// Adds a tenure step a year after the last one, with its amount.
pub fn add_tenure(scheme: &mut Scheme, b: usize) {
    if let Some(steps) = tenure_steps(scheme, b) {
        let new = match steps.last() {
            Some(s) => TenureAmount { months: s.months.saturating_add(12), amount: s.amount },
            None => TenureAmount { months: 12, amount: Decimal::ZERO },
        };
        steps.push(new);
    }
}

pub fn remove_tenure(scheme: &mut Scheme, b: usize, k: usize) {
    if let Some(steps) = tenure_steps(scheme, b) {
        if k < steps.len() {
            steps.remove(k);
        }
    }
}

// ----- checklist items and ticks -----

/// The items of indicator `i`, if it is a checklist.
pub fn items_mut(scheme: &mut Scheme, i: usize) -> Option<&mut Vec<ChecklistItem>> {
    match &mut scheme.indicators.get_mut(i)?.rule {
        Rule::Checklist { items } => Some(items),
        _ => None,
    }
}

/// Adds an item to checklist `i`; returns its index.
pub fn add_item(scheme: &mut Scheme, i: usize) -> Option<usize> {
    let items = items_mut(scheme, i)?;
    let id = unique_id("c", |id| items.iter().any(|x| x.id == id));
    items.push(ChecklistItem { id, text: String::new(), weight: 1.0 });
    Some(items.len() - 1)
}

/// Removes item `k` of checklist `i` and its ticks (a checklist keeps one item).
pub fn remove_item(wb: &mut Workbook, i: usize, k: usize) {
    let Some(ind_id) = wb.scheme.indicators.get(i).map(|x| x.id.clone()) else { return };
    let Some(items) = items_mut(&mut wb.scheme, i) else { return };
    if items.len() <= 1 || k >= items.len() {
        return;
    }
    let item = items.remove(k);
    for r in &mut wb.records {
        if let Some(c) = r.checks.get_mut(&ind_id) {
            c.remove(&item.id);
        }
    }
}

/// Gives item `k` of checklist `i` a new id; the ticks recorded for it follow.
pub fn rename_item(wb: &mut Workbook, i: usize, k: usize, new: &str) -> Result<(), &'static str> {
    let new = new.trim();
    let Some(ind_id) = wb.scheme.indicators.get(i).map(|x| x.id.clone()) else { return Err("editors.gone") };
    let Some(items) = items_mut(&mut wb.scheme, i) else { return Err("editors.gone") };
    let Some(old) = items.get(k).map(|x| x.id.clone()) else { return Err("editors.gone") };
    if old == new {
        return Ok(());
    }
    if new.is_empty() {
        return Err("editors.id_required");
    }
    if items.iter().any(|x| x.id == new) {
        return Err("editors.id_taken");
    }
    if let Some(item) = items.get_mut(k) {
        item.id = new.to_string();
    }
    for r in &mut wb.records {
        if let Some(c) = r.checks.get_mut(&ind_id) {
            if let Some(x) = c.remove(&old) {
                c.insert(new.to_string(), x);
            }
        }
    }
    Ok(())
}

/// The agents with a record in `period`, in the agents' order.
pub fn period_agents(wb: &Workbook, period: &str) -> Vec<String> {
    wb.agents.iter().filter(|a| wb.record(&a.id, period).is_some()).map(|a| a.id.clone()).collect()
}

/// Sets an agent's tick for one item (`None` removes it: counts as not ticked).
pub fn set_tick(wb: &mut Workbook, period: &str, agent: &str, indicator: &str, item: &str, tick: Option<Check>) {
    let r = wb.record_mut(agent, period);
    let map = r.checks.entry(indicator.to_string()).or_default();
    match tick {
        Some(t) => {
            map.insert(item.to_string(), t);
        }
        None => {
            map.remove(item);
        }
    }
    if map.is_empty() {
        r.checks.remove(indicator);
    }
}

// ----- raters' scores -----

/// How many raters' columns the period has for rating indicator `indicator` (at least 1).
pub fn raters(wb: &Workbook, period: &str, indicator: &str) -> usize {
    wb.records.iter().filter(|r| r.period == period).filter_map(|r| r.ratings.get(indicator)).map(Vec::len).max().unwrap_or(0).max(1)
}

/// Sets rater `k`'s score for an agent (`None` = N/A).
pub fn set_score(wb: &mut Workbook, period: &str, agent: &str, indicator: &str, k: usize, score: Option<f64>) {
    let n = raters(wb, period, indicator).max(k + 1);
    let r = wb.record_mut(agent, period);
    let v = r.ratings.entry(indicator.to_string()).or_default();
    if v.len() < n {
        v.resize(n, None);
    }
    v[k] = score;
    if v.iter().all(Option::is_none) {
        r.ratings.remove(indicator);
    }
}

/// Adds a rater's column (N/A for every agent until scores are typed).
pub fn add_rater(wb: &mut Workbook, period: &str, indicator: &str) {
    let n = raters(wb, period, indicator) + 1;
    for agent in period_agents(wb, period) {
        let v = wb.record_mut(&agent, period).ratings.entry(indicator.to_string()).or_default();
        v.resize(n, None);
    }
}

/// Removes rater `k`'s column (one column always stays).
pub fn remove_rater(wb: &mut Workbook, period: &str, indicator: &str, k: usize) {
    if raters(wb, period, indicator) <= 1 {
        return;
    }
    for r in wb.records.iter_mut().filter(|r| r.period == period) {
        if let Some(v) = r.ratings.get_mut(indicator) {
            if k < v.len() {
                v.remove(k);
            }
            if v.is_empty() {
                r.ratings.remove(indicator);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{engine, presets, validate};

    fn load(id: &str) -> Workbook {
        presets::load(id).unwrap().unwrap()
    }

    fn clean(wb: &Workbook) -> bool {
        !validate::has_errors(&validate::check(wb))
    }

    #[test]
    fn metrics_added_renamed_and_removed() {
        let mut wb = load("general");
        let i = add_metric(&mut wb.scheme);
        assert!(clean(&wb));
        assert_eq!(rename_metric(&mut wb, i, "a b"), Err("editors.id_chars"));
        assert_eq!(rename_metric(&mut wb, i, ""), Err("editors.id_required"));
        let taken = wb.scheme.metrics[0].id.clone();
        assert_eq!(rename_metric(&mut wb, i, &taken), Err("editors.id_taken"));
        assert_eq!(rename_metric(&mut wb, i, "ratio"), Ok(()));
        set_formula(&mut wb.scheme, i, "1 +");
        assert!(!clean(&wb), "a bad formula is an error");
        set_formula(&mut wb.scheme, i, &format!("{taken} * 2"));
        assert!(clean(&wb));
        // The first metric is used by the new formula (and by indicators): refused.
        let refused = remove_metric(&mut wb, 0).unwrap_err();
        assert!(refused.metrics.contains(&"ratio".to_string()), "{refused:?}");
        assert_eq!(refused.message(Lang::En), "Cannot remove: still in use by indicators: 问题解决率; metrics' formulas: ratio.".replace("问题解决率", &refused.indicators.join(", ")));
        assert!(refused.message(Lang::ZhCn).starts_with("无法删除：仍在使用，考核指标："));
        assert_eq!(rename_metric(&mut wb, 0, "zz"), Err("editors.id_in_use"));
        // The new one is unused: it goes.
        assert_eq!(remove_metric(&mut wb, i), Ok(0));
        assert!(clean(&wb));
    }

    #[test]
    fn removing_an_unused_input_metric_takes_its_figures() {
        let mut wb = load("general");
        let i = add_metric(&mut wb.scheme);
        let id = wb.scheme.metrics[i].id.clone();
        let agent = wb.agents[0].id.clone();
        let period = wb.periods[0].id.clone();
        wb.record_mut(&agent, &period).figures.insert(id.clone(), 3.0);
        assert_eq!(rename_metric(&mut wb, i, "extra"), Ok(()));
        assert_eq!(wb.record(&agent, &period).unwrap().figures.get("extra"), Some(&3.0));
        assert_eq!(remove_metric(&mut wb, i), Ok(1));
        assert!(clean(&wb));
    }

    #[test]
    fn words_in_formulas() {
        assert!(mentions("paid / orders * 100", "orders"));
        assert!(!mentions("paid / orders2", "orders"));
        assert!(is_id("calls_2") && is_id("通话") && !is_id("2x") && !is_id("a-b"));
    }

    #[test]
    fn seasons_months_and_refusals() {
        let mut wb = load("courier");
        let peak = wb.scheme.seasons.iter().position(|s| s.id == "peak").unwrap();
        let refused = remove_season(&mut wb.scheme, peak).unwrap_err();
        assert!(!refused.indicators.is_empty());
        let off = wb.scheme.seasons.iter().position(|s| s.id != "peak").unwrap();
        let m = wb.scheme.seasons[peak].months[0];
        set_month(&mut wb.scheme, off, m, true);
        assert!(!clean(&wb), "a month in two seasons is an error");
        set_month(&mut wb.scheme, peak, m, false);
        assert!(clean(&wb));
        set_month(&mut wb.scheme, off, 13, true);
        assert!(!wb.scheme.seasons[off].months.contains(&13));
        let s = add_season(&mut wb.scheme);
        assert!(clean(&wb));
        assert_eq!(remove_season(&mut wb.scheme, s), Ok(()));
    }

    #[test]
    fn categories_and_grades() {
        let mut wb = load("general");
        let c = add_category(&mut wb.scheme);
        assert!(clean(&wb));
        assert_eq!(remove_category(&mut wb.scheme, c), Ok(()));
        if let Some(used) = wb.scheme.indicators.iter().find_map(|x| x.category.clone()) {
            let k = wb.scheme.categories.iter().position(|c| c.id == used).unwrap();
            assert!(remove_category(&mut wb.scheme, k).is_err());
        }
        let g = add_grade(&mut wb.scheme);
        let q = add_quota(&mut wb.scheme);
        assert!(clean(&wb));
        let first = wb.scheme.grades.bands[0].grade.clone();
        rename_grade(&mut wb.scheme, 0, "Top");
        assert_eq!(wb.scheme.grades.quotas[q].grade, "Top");
        assert!(clean(&wb));
        rename_grade(&mut wb.scheme, 0, &first);
        remove_grade(&mut wb.scheme, 0);
        assert!(wb.scheme.grades.quotas.iter().all(|x| x.grade != first));
        remove_grade(&mut wb.scheme, g - 1);
        remove_quota(&mut wb.scheme, 99);
        assert!(clean(&wb));
        assert!(engine::score(&wb).is_ok());
    }

    #[test]
    fn money_text() {
        assert_eq!(parse_money("1,234.50"), Ok(Decimal::new(123450, 2)));
        assert_eq!(parse_money("¥800"), Ok(Decimal::new(800, 0)));
        assert_eq!(parse_money("１２．５"), Ok(Decimal::new(125, 1)));
        assert_eq!(parse_money("−3"), Ok(Decimal::new(-3, 0)));
        assert_eq!(parse_money(""), Err("error.required"));
        assert_eq!(parse_money("abc"), Err("error.not_a_number"));
        assert_eq!(parse_money("1e3"), Err("error.not_a_number"));
        assert_eq!(parse_money("99999999999999999999999"), Err("error.too_large"));
        assert_eq!(parse_months("12"), Ok(12));
        assert_eq!(parse_months("1.5"), Err("editors.whole_months"));
        assert_eq!(parse_months("-1"), Err("editors.whole_months"));
    }

    #[test]
    fn bonus_rows() {
        let mut wb = load("ecommerce");
        let b = wb.scheme.bonus.iter().position(|b| matches!(b.kind, BonusKind::Commission { .. })).unwrap();
        let n = match &wb.scheme.bonus[b].kind {
            BonusKind::Commission { tiers, .. } => tiers.len(),
            _ => 0,
        };
        add_tier(&mut wb.scheme, b);
        assert!(clean(&wb));
        remove_tier(&mut wb.scheme, b, n);
        for _ in 0..10 {
            remove_tier(&mut wb.scheme, b, 0);
        }
        assert!(matches!(&wb.scheme.bonus[b].kind, BonusKind::Commission { tiers, .. } if tiers.len() == 1));
        assert!(clean(&wb));
        // Product and tenure on a scheme that has them.
        wb.scheme.bonus.push(BonusRule { id: "p".into(), name: String::new(), applies_to: AppliesTo::All, kind: BonusKind::Product { factors: vec![Factor { metric: None, value: Some(Decimal::ONE) }] } });
        wb.scheme.bonus.push(BonusRule { id: "t".into(), name: String::new(), applies_to: AppliesTo::All, kind: BonusKind::Tenure { steps: vec![] } });
        let p = wb.scheme.bonus.len() - 2;
        add_factor(&mut wb.scheme, p);
        let first = wb.scheme.metrics[0].id.clone();
        set_factor_metric(&mut wb.scheme, p, 1, Some(first));
        assert!(clean(&wb));
        set_factor_metric(&mut wb.scheme, p, 1, None);
        remove_factor(&mut wb.scheme, p, 1);
        remove_factor(&mut wb.scheme, p, 0);
        assert!(matches!(&wb.scheme.bonus[p].kind, BonusKind::Product { factors } if factors.len() == 1));
        add_tenure(&mut wb.scheme, p + 1);
        add_tenure(&mut wb.scheme, p + 1);
        assert!(matches!(&wb.scheme.bonus[p + 1].kind, BonusKind::Tenure { steps } if steps[1].months == 24));
        remove_tenure(&mut wb.scheme, p + 1, 0);
        assert!(clean(&wb));
        assert!(engine::score(&wb).is_ok());
    }

    #[test]
    fn checklist_items_and_ticks() {
        let mut wb = load("general");
        let i = add_indicator_checklist(&mut wb);
        let ind = wb.scheme.indicators[i].id.clone();
        let period = wb.periods[0].id.clone();
        let agent = period_agents(&wb, &period)[0].clone();
        let k = add_item(&mut wb.scheme, i).unwrap();
        set_tick(&mut wb, &period, &agent, &ind, "c2", Some(Check::Yes));
        assert_eq!(rename_item(&mut wb, i, k, "c1"), Err("editors.id_taken"));
        assert_eq!(rename_item(&mut wb, i, k, "smile"), Ok(()));
        assert_eq!(wb.record(&agent, &period).unwrap().checks[&ind].get("smile"), Some(&Check::Yes));
        assert!(clean(&wb));
        remove_item(&mut wb, i, k);
        assert!(wb.record(&agent, &period).unwrap().checks.get(&ind).is_none_or(|c| c.is_empty()));
        remove_item(&mut wb, i, 0);
        assert!(clean(&wb));
        set_tick(&mut wb, &period, &agent, &ind, "c1", None);
        assert!(!wb.record(&agent, &period).unwrap().checks.contains_key(&ind));
    }

    fn add_indicator_checklist(wb: &mut Workbook) -> usize {
        let i = super::super::scheme_edit::add_indicator(&mut wb.scheme);
        super::super::scheme_edit::change_kind(wb, i, "checklist");
        i
    }

    #[test]
    fn raters_columns_and_scores() {
        let mut wb = load("hotel");
        let ind = wb.scheme.indicators.iter().find(|x| matches!(x.rule, Rule::Rating { .. })).unwrap().id.clone();
        let period = wb.periods.last().unwrap().id.clone();
        let agents = period_agents(&wb, &period);
        let n = raters(&wb, &period, &ind);
        add_rater(&mut wb, &period, &ind);
        assert_eq!(raters(&wb, &period, &ind), n + 1);
        assert!(clean(&wb));
        set_score(&mut wb, &period, &agents[0], &ind, n, Some(1.0));
        assert_eq!(wb.record(&agents[0], &period).unwrap().ratings[&ind][n], Some(1.0));
        remove_rater(&mut wb, &period, &ind, n);
        assert_eq!(raters(&wb, &period, &ind), n);
        assert!(clean(&wb));
        for _ in 0..n + 2 {
            remove_rater(&mut wb, &period, &ind, 0);
        }
        assert_eq!(raters(&wb, &period, &ind), 1);
        assert!(clean(&wb));
        assert!(engine::score(&wb).is_ok());
    }
}
