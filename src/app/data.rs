//! Agents and periods: add, rename, remove; a new period after the last one with the
//! last period's agents.

use crate::model::{Agent, Period, Record, Workbook};
use crate::period::{days_in_month, Date, PeriodId};

/// An id not used yet: `prefix1`, `prefix2`, …
pub fn unique_id(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..).map(|n| format!("{prefix}{n}")).find(|id| !taken(id)).unwrap_or_else(|| prefix.to_string())
}

/// Adds an agent (named `name`) to the workbook and to `period` (an empty record).
/// Returns the new agent's id.
pub fn add_agent(wb: &mut Workbook, name: &str, period: &str) -> String {
    let id = unique_id("a", |id| wb.agents.iter().any(|a| a.id == id));
    let team = wb.agents.last().map(|a| a.team.clone()).unwrap_or_default();
    wb.agents.push(Agent { id: id.clone(), name: name.trim().to_string(), team, hire_date: None, base_pay: None });
    if wb.period(period).is_some() {
        wb.records.push(Record { agent: id.clone(), period: period.to_string(), ..Record::default() });
    }
    id
}

pub fn rename_agent(wb: &mut Workbook, id: &str, name: &str) -> bool {
    match wb.agents.iter_mut().find(|a| a.id == id) {
        Some(a) if a.name != name => {
            a.name = name.to_string();
            true
        }
        _ => false,
    }
}

/// Removes an agent and all of their records.
pub fn remove_agent(wb: &mut Workbook, id: &str) -> bool {
    let before = wb.agents.len();
    wb.agents.retain(|a| a.id != id);
    wb.records.retain(|r| r.agent != id);
    wb.agents.len() != before
}

/// The agents with a record in `period`, in workbook order.
pub fn agents_in(wb: &Workbook, period: &str) -> Vec<String> {
    wb.agents.iter().filter(|a| wb.record(&a.id, period).is_some()).map(|a| a.id.clone()).collect()
}

/// Adds the period after the last one (the next month or week, dates shifted along),
/// with an empty record for each of the last period's agents. Returns its id.
pub fn add_period(wb: &mut Workbook) -> String {
    let last = wb.periods.last().cloned();
    let taken = |id: &str, wb: &Workbook| wb.periods.iter().any(|p| p.id == id);
    let mut new = match &last {
        Some(p) => next_period(p),
        None => Period { id: String::new(), name: String::new(), start: None, end: None, parent: None },
    };
    if new.id.is_empty() || taken(&new.id, wb) {
        new.id = unique_id("P", |id| taken(id, wb));
        new.start = None;
        new.end = None;
    }
    let id = new.id.clone();
    if let Some(last) = last {
        let agents = agents_in(wb, &last.id);
        for a in agents {
            wb.records.push(Record { agent: a, period: id.clone(), ..Record::default() });
        }
    } else {
        for a in wb.agents.iter().map(|a| a.id.clone()).collect::<Vec<_>>() {
            wb.records.push(Record { agent: a, period: id.clone(), ..Record::default() });
        }
    }
    wb.periods.push(new);
    id
}

fn next_period(p: &Period) -> Period {
    let shift = |d: &Option<String>| d.as_deref().and_then(Date::parse).map(|d| add_month(d).to_string());
    match PeriodId::parse(&p.id) {
        PeriodId::Month { year, month } => {
            let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
            let (start, end) = if p.start.is_some() || p.end.is_some() {
                (shift(&p.start), shift(&p.end))
            } else {
                (None, None)
            };
            Period { id: format!("{y:04}-{m:02}"), name: String::new(), start, end, parent: None }
        }
        PeriodId::Week { year, week } => {
            let (y, w) = if week >= crate::period::iso_weeks_in_year(year) { (year + 1, 1) } else { (year, week + 1) };
            Period { id: format!("{y:04}-W{w:02}"), name: String::new(), start: None, end: None, parent: None }
        }
        PeriodId::Other => Period { id: String::new(), name: String::new(), start: None, end: None, parent: None },
    }
}

/// The same day a month later (the last day of the month when it has fewer days).
fn add_month(d: Date) -> DateText {
    let (y, m) = if d.month == 12 { (d.year + 1, 1) } else { (d.year, d.month + 1) };
    let day = d.day.min(days_in_month(y, m));
    DateText(y, m, day)
}

struct DateText(i32, u32, u32);

impl std::fmt::Display for DateText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0, self.1, self.2)
    }
}

/// The display name of an agent: their name, else their id.
pub fn agent_name(wb: &Workbook, id: &str) -> String {
    wb.agent(id).map_or_else(|| id.to_string(), |a| if a.name.trim().is_empty() { a.id.clone() } else { a.name.clone() })
}

/// The display name of a period: its name, else its id.
pub fn period_name(p: &Period) -> String {
    if p.name.trim().is_empty() {
        p.id.clone()
    } else {
        p.name.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{engine, presets, validate};

    fn load(id: &str) -> Workbook {
        presets::load(id).unwrap().unwrap()
    }

    #[test]
    fn agents_added_renamed_removed() {
        let mut wb = load("general");
        let id = add_agent(&mut wb, "  新人 ", "2026-10");
        assert_eq!(id, "a9");
        assert_eq!(wb.agent("a9").unwrap().name, "新人");
        let r = engine::score_period(&wb, "2026-10").unwrap();
        assert!(r.agent("a9").is_some());
        assert!(rename_agent(&mut wb, "a9", "Li"));
        assert!(!rename_agent(&mut wb, "a9", "Li"));
        assert_eq!(agent_name(&wb, "a9"), "Li");
        assert!(remove_agent(&mut wb, "a1"));
        assert!(wb.records.iter().all(|r| r.agent != "a1"));
        assert!(!remove_agent(&mut wb, "a1"));
        assert!(!validate::has_errors(&validate::check(&wb)));
    }

    #[test]
    fn next_month_with_the_last_periods_agents() {
        let mut wb = load("general");
        let id = add_period(&mut wb);
        assert_eq!(id, "2026-11");
        let p = wb.period("2026-11").unwrap();
        assert_eq!(p.start.as_deref(), Some("2026-11-01"));
        assert_eq!(p.end.as_deref(), Some("2026-11-30"));
        assert_eq!(agents_in(&wb, "2026-11"), agents_in(&wb, "2026-10"));
        assert!(!validate::has_errors(&validate::check(&wb)));
        let r = engine::score_period(&wb, "2026-11").unwrap();
        assert_eq!(r.len(), 8);
        // Another: December, then January of the next year.
        add_period(&mut wb);
        assert_eq!(add_period(&mut wb), "2027-01");
    }

    #[test]
    fn shifted_custom_dates_and_weeks() {
        let mut wb = load("hotel");
        assert_eq!(add_period(&mut wb), "2026-12");
        let p = wb.period("2026-12").unwrap();
        assert_eq!((p.start.as_deref(), p.end.as_deref()), (Some("2026-11-21"), Some("2026-12-20")));
        assert!(!validate::has_errors(&validate::check(&wb)));

        let mut wb = Workbook::new("t");
        wb.periods.push(Period { id: "2026-W52".into(), name: String::new(), start: None, end: None, parent: None });
        assert_eq!(add_period(&mut wb), "2026-W53");
        assert_eq!(add_period(&mut wb), "2027-W01");
        let mut wb = Workbook::new("t");
        assert_eq!(add_period(&mut wb), "P1");
        wb.periods[0].id = "Q3".into();
        assert_eq!(add_period(&mut wb), "P1");
        assert_eq!(add_period(&mut wb), "P2");
    }
}
