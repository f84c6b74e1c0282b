//! The session: the workbook being worked on, the period shown, the undo history, the
//! pinned baseline and the last results. Plain Rust, no web types: the UI holds one and
//! calls its methods; everything here is tested natively.
//!
//! Saving: [`Session::to_json`] gives the workbook file text and [`Session::from_json`]
//! reads it back; the web layer stores that text (see `ui::persist`).

use super::history::{cell_change, CellKey, CellValue, Changed, Edit, History};
use super::results_view::Baseline;
use crate::model::{Scheme, Workbook};
use crate::presets;
use crate::results::PeriodResults;
use crate::store::UiState;
use crate::validate::{self, Issue};
use crate::workbook::{self, LoadError};

pub struct Session {
    pub wb: Workbook,
    /// The id of the period shown.
    pub period: String,
    pub history: History,
    pub baseline: Option<Baseline>,
    /// Every validation finding for the workbook as it is now.
    pub issues: Vec<Issue>,
    /// The results of the shown period: the last ones computed from a valid workbook.
    pub results: Option<PeriodResults>,
    /// The workbook has errors: `results` are from before the last edits.
    pub stale: bool,
    /// Bumped each time `results` change.
    pub results_rev: u64,
    /// The agents whose cells the last undo or redo changed (the grid refreshes those).
    pub touched: Vec<String>,
    /// View settings saved with the workbook (`store::UiState::view`), e.g. the
    /// spreadsheet import's column mapping under `sheet::MAPPING_VIEW_KEY`.
    pub view: std::collections::BTreeMap<String, String>,
}

impl Session {
    /// A session on a workbook, showing its last period, scored.
    pub fn new(wb: Workbook) -> Session {
        let period = wb.periods.last().map(|p| p.id.clone()).unwrap_or_default();
        let mut s = Session { wb, period, history: History::new(), baseline: None, issues: Vec::new(), results: None, stale: false, results_rev: 0, touched: Vec::new(), view: Default::default() };
        s.rescore();
        s
    }

    /// A session on a built-in template.
    pub fn from_preset(id: &str) -> Option<Session> {
        presets::load(id)?.ok().map(Session::new)
    }

    /// The first-open session: the default template.
    pub fn default_session() -> Session {
        Session::from_preset(presets::DEFAULT).unwrap_or_else(|| Session::new(Workbook::new("")))
    }

    /// The workbook as file text (what gets saved).
    pub fn to_json(&self) -> String {
        workbook::to_json(&self.wb)
    }

    /// A session from saved file text.
    pub fn from_json(text: &str) -> Result<Session, LoadError> {
        workbook::parse(text).map(Session::new)
    }

    /// Replaces the whole workbook (a template, an opened file) as one undoable step.
    pub fn replace_workbook(&mut self, wb: Workbook) {
        let before = Box::new(std::mem::replace(&mut self.wb, wb));
        self.history.push(Edit::Workbook { before, after: Box::new(self.wb.clone()) }, None);
        self.period = self.wb.periods.last().map(|p| p.id.clone()).unwrap_or_default();
        self.baseline = None;
        self.rescore();
    }

    /// Opens a workbook in place of the current one as a fresh start (no undo back to
    /// the previous one): the address asked for a template that had to be fetched.
    pub fn open(&mut self, wb: Workbook) {
        self.wb = wb;
        self.history.clear();
        self.period = self.wb.periods.last().map(|p| p.id.clone()).unwrap_or_default();
        self.baseline = None;
        self.rescore();
    }

    /// Shows another period. Returns false if there is no such period.
    pub fn set_period(&mut self, id: &str) -> bool {
        if self.wb.period(id).is_none() {
            return false;
        }
        if self.period != id {
            self.period = id.to_string();
            self.rescore();
        }
        true
    }

    /// Sets cells of the shown period (typing: one cell with a `merge` key; pasting:
    /// many, no key). Returns whether anything changed.
    pub fn set_cells(&mut self, cells: Vec<(String, CellKey, CellValue)>, merge: Option<String>) -> bool {
        let mut changes = Vec::with_capacity(cells.len());
        for (agent, key, value) in cells {
            let c = cell_change(&self.wb, &agent, &self.period, key, value);
            if c.before == c.after {
                continue;
            }
            // Apply one by one: a later cell of the same record must see it created.
            Edit::Cells(vec![c.clone()]).apply(&mut self.wb, true);
            changes.push(c);
        }
        if changes.is_empty() {
            return false;
        }
        self.history.push(Edit::Cells(changes), merge);
        self.rescore();
        true
    }

    /// Changes the scheme with `f` as one step (merged with the previous step of the
    /// same `merge` key while that field is being edited).
    pub fn edit_scheme(&mut self, merge: Option<String>, f: impl FnOnce(&mut Scheme)) -> bool {
        let mut after = self.wb.scheme.clone();
        f(&mut after);
        if after == self.wb.scheme {
            return false;
        }
        let before = Box::new(std::mem::replace(&mut self.wb.scheme, after));
        self.history.push(Edit::Scheme { before, after: Box::new(self.wb.scheme.clone()) }, merge);
        self.rescore();
        true
    }

    /// Changes anything in the workbook with `f` as one step.
    pub fn edit_workbook(&mut self, f: impl FnOnce(&mut Workbook)) -> bool {
        let mut after = self.wb.clone();
        f(&mut after);
        if after == self.wb {
            return false;
        }
        let before = Box::new(std::mem::replace(&mut self.wb, after));
        self.history.push(Edit::Workbook { before, after: Box::new(self.wb.clone()) }, None);
        self.fix_period();
        self.rescore();
        true
    }

    pub fn undo(&mut self) -> Option<Changed> {
        let edit = self.history.undo(&mut self.wb)?;
        self.touched = touched(edit);
        let changed = edit.changed();
        self.fix_period();
        self.rescore();
        Some(changed)
    }

    pub fn redo(&mut self) -> Option<Changed> {
        let edit = self.history.redo(&mut self.wb)?;
        self.touched = touched(edit);
        let changed = edit.changed();
        self.fix_period();
        self.rescore();
        Some(changed)
    }

    /// After a structural change the shown period may be gone: show the last one.
    fn fix_period(&mut self) {
        if self.wb.period(&self.period).is_none() {
            self.period = self.wb.periods.last().map(|p| p.id.clone()).unwrap_or_default();
        }
    }

    /// Validates and scores the shown period. With errors, the last valid results stay
    /// (marked stale) — unless they are of another period.
    pub fn rescore(&mut self) {
        self.issues = validate::check(&self.wb);
        if validate::has_errors(&self.issues) {
            self.stale = true;
            if self.results.as_ref().is_some_and(|r| r.period != self.period) {
                self.results = None;
                self.results_rev += 1;
            }
            return;
        }
        match crate::engine::score_period_checked(&self.wb, &self.period, &self.issues) {
            Ok(r) => {
                self.results = Some(r);
                self.stale = false;
            }
            Err(issues) => {
                // Cannot happen (validation passed above); keep the last results.
                self.issues = issues;
                self.stale = true;
            }
        }
        self.results_rev += 1;
    }

    /// Pins the shown results as the baseline to compare against.
    pub fn pin_baseline(&mut self) -> bool {
        match &self.results {
            Some(r) if !self.stale => {
                self.baseline = Some(Baseline::pin(r));
                self.results_rev += 1;
                true
            }
            _ => false,
        }
    }

    pub fn clear_baseline(&mut self) {
        if self.baseline.take().is_some() {
            self.results_rev += 1;
        }
    }

    /// What is saved with the workbook besides it: the shown period and the pinned
    /// baseline (see [`crate::store::UiState`]).
    pub fn ui_state(&self) -> UiState {
        UiState { period: Some(self.period.clone()), baseline: self.baseline.as_ref().map(Baseline::to_stored), view: self.view.clone() }
    }

    /// Puts back what [`Session::ui_state`] saved (after a reload, or when switching
    /// workbooks). A period that no longer exists is ignored.
    pub fn restore_ui(&mut self, ui: &UiState) {
        if let Some(p) = &ui.period {
            self.set_period(p);
        }
        self.baseline = ui.baseline.as_ref().map(Baseline::from_stored);
        self.view = ui.view.clone();
        self.results_rev += 1;
    }

    /// Whether a baseline for the shown period is pinned.
    pub fn has_baseline(&self) -> bool {
        self.baseline.as_ref().is_some_and(|b| b.period == self.period)
    }

    /// The validation errors and warnings at exactly `place`.
    pub fn issues_for<'a>(&'a self, place: &'a str) -> impl Iterator<Item = &'a Issue> + 'a {
        self.issues.iter().filter(move |i| i.place == place)
    }
}

/// The agents whose cells an edit changes.
fn touched(edit: &Edit) -> Vec<String> {
    match edit {
        Edit::Cells(changes) => {
            let mut v: Vec<String> = changes.iter().map(|c| c.agent.clone()).collect();
            v.sort();
            v.dedup();
            v
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::results_view;
    use crate::model::Rule;

    fn figure(s: &Session, agent: &str, metric: &str) -> Option<f64> {
        s.wb.record(agent, &s.period).and_then(|r| r.figures.get(metric).copied())
    }

    #[test]
    fn first_open_shows_the_general_template_last_period() {
        let s = Session::default_session();
        assert_eq!(s.period, "2026-10");
        let r = s.results.as_ref().unwrap();
        assert_eq!(r.len(), 8);
        assert!(!s.stale);
        assert!(!validate::has_errors(&s.issues));
    }

    #[test]
    fn editing_a_figure_rescores_and_undo_restores() {
        let mut s = Session::default_session();
        let before = s.results.clone().unwrap();
        let last = before.agents().last().unwrap().agent.to_string();
        // The last agent gets excellent figures and moves up.
        let cells = vec![
            (last.clone(), CellKey::Figure("csat".into()), CellValue::Figure(100.0)),
            (last.clone(), CellKey::Figure("retention".into()), CellValue::Figure(100.0)),
            (last.clone(), CellKey::Figure("per_day".into()), CellValue::Figure(60.0)),
            (last.clone(), CellKey::Figure("response".into()), CellValue::Figure(10.0)),
        ];
        assert!(s.set_cells(cells, None));
        let after = s.results.clone().unwrap();
        let (b, a) = (before.agent(&last).unwrap(), after.agent(&last).unwrap());
        assert!(a.total > b.total);
        assert!(a.rank < b.rank);
        assert_eq!(s.undo(), Some(Changed::Cells));
        assert_eq!(s.touched, vec![last.clone()]);
        assert_eq!(s.results.as_ref().unwrap(), &before);
        assert_eq!(s.redo(), Some(Changed::Cells));
        assert_eq!(s.results.as_ref().unwrap(), &after);
        // Setting the same value again is not an edit.
        assert!(!s.set_cells(vec![(last.clone(), CellKey::Figure("csat".into()), CellValue::Figure(100.0))], None));
        assert_eq!(figure(&s, &last, "csat"), Some(100.0));
    }

    #[test]
    fn an_invalid_edit_keeps_the_last_results_marked_stale() {
        let mut s = Session::default_session();
        let before = s.results.clone().unwrap();
        let rev = s.results_rev;
        assert!(s.edit_scheme(Some("w0".into()), |sc| sc.indicators[0].weight = Some(-5.0)));
        assert!(s.stale);
        assert_eq!(s.results.as_ref().unwrap(), &before);
        assert_eq!(s.results_rev, rev);
        assert_eq!(s.issues_for("scheme.indicators[0].weight").count(), 1);
        // Fixing it (same field: merged into one step) scores again.
        assert!(s.edit_scheme(Some("w0".into()), |sc| sc.indicators[0].weight = Some(25.0)));
        assert!(!s.stale);
        assert_ne!(s.results.as_ref().unwrap(), &before);
        assert_eq!(s.history.len(), 1);
        s.undo();
        assert_eq!(s.results.as_ref().unwrap(), &before);
    }

    #[test]
    fn a_formula_error_is_placed() {
        let mut s = Session::default_session();
        s.edit_workbook(|wb| {
            wb.scheme.indicators[0].rule = Rule::Formula { expr: "csat + (".into(), min: None, max: None };
        });
        assert!(s.stale);
        assert_eq!(s.issues_for("scheme.indicators[0].rule.expr").count(), 1);
    }

    #[test]
    fn periods_and_baseline() {
        let mut s = Session::default_session();
        assert!(s.set_period("2026-09"));
        assert_eq!(s.results.as_ref().unwrap().period, "2026-09");
        assert!(!s.set_period("1999-01"));
        assert!(s.pin_baseline());
        assert!(s.has_baseline());
        s.set_period("2026-10");
        assert!(!s.has_baseline());
        s.clear_baseline();
        assert!(s.baseline.is_none());
        // Removing the shown period by undoing its creation shows the last one again.
        s.edit_workbook(|wb| {
            super::super::data::add_period(wb);
        });
        s.set_period("2026-11");
        s.undo();
        assert_eq!(s.period, "2026-10");
        assert_eq!(s.results.as_ref().unwrap().period, "2026-10");
    }

    #[test]
    fn the_period_and_the_pinned_baseline_are_saved_and_restored() {
        let mut s = Session::default_session();
        s.set_period("2026-09");
        assert!(s.pin_baseline());
        let pinned_rows = results_view::rows(s.results.as_ref().unwrap(), s.baseline.as_ref());
        // Try a change: the deltas are no longer zero.
        s.edit_scheme(None, |sc| {
            sc.indicators[0].weight = Some(5.0);
            sc.indicators[1].weight = Some(30.0);
        });
        let tried = results_view::rows(s.results.as_ref().unwrap(), s.baseline.as_ref());
        assert_ne!(tried, pinned_rows);
        let ui = s.ui_state();
        assert_eq!(ui.period.as_deref(), Some("2026-09"));
        // The same state saves as the same text (no needless writes).
        let text = serde_json::to_string(&ui).unwrap();
        assert_eq!(serde_json::to_string(&s.ui_state()).unwrap(), text);
        // "Reload": a new session on the saved workbook and view state.
        let (back, dropped) = crate::store::decode_ui(serde_json::from_str(&text).unwrap());
        assert!(!dropped);
        let mut t = Session::new(s.wb.clone());
        assert_eq!(t.period, "2026-10");
        t.restore_ui(&back);
        assert_eq!(t.period, "2026-09");
        assert!(t.has_baseline());
        assert_eq!(results_view::rows(t.results.as_ref().unwrap(), t.baseline.as_ref()), tried);
        assert_eq!(t.ui_state(), ui);
        // A saved period that is gone is ignored; no baseline saved, none restored.
        let mut u = Session::default_session();
        u.restore_ui(&UiState { period: Some("1999-01".into()), ..Default::default() });
        assert_eq!(u.period, "2026-10");
        assert!(u.baseline.is_none());
    }

    #[test]
    fn saved_text_round_trips() {
        let mut s = Session::default_session();
        s.set_cells(vec![("a1".into(), CellKey::Figure("csat".into()), CellValue::Figure(77.5))], None);
        let text = s.to_json();
        let t = Session::from_json(&text).unwrap();
        assert_eq!(t.wb, s.wb);
        assert_eq!(t.period, "2026-10");
        assert!(Session::from_json("{").is_err());
    }

    #[test]
    fn opening_a_workbook_starts_afresh() {
        let mut s = Session::default_session();
        s.set_cells(vec![("a1".into(), CellKey::Figure("csat".into()), CellValue::Figure(1.0))], None);
        s.pin_baseline();
        let courier = crate::workbook::parse(include_str!("../../presets/courier.json")).unwrap();
        s.open(courier.clone());
        assert_eq!(s.wb, courier);
        assert!(!s.history.can_undo());
        assert!(s.baseline.is_none());
        assert_eq!(s.results.as_ref().unwrap().period, s.period);
    }

    #[test]
    fn templates_replace_the_workbook_undoably() {
        let mut s = Session::default_session();
        let general = s.wb.clone();
        s.replace_workbook(crate::workbook::parse(include_str!("../../presets/courier.json")).unwrap());
        assert_eq!(s.period, "2026-10");
        assert!(s.results.as_ref().unwrap().len() >= 6);
        s.undo();
        assert_eq!(s.wb, general);
    }
}
