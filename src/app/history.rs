//! Edits and their undo/redo history.
//!
//! Every change to the scheme or the data is an [`Edit`] that knows both its before and
//! after, so it can be applied either way. Figures are stored as small per-cell changes
//! (typing in a grid of 2,000 agents must not copy the workbook); the scheme, which is
//! small, as whole before/after copies; rare structural changes (adding an agent,
//! loading a template) as whole workbook copies, of which only a few are kept.
//!
//! Consecutive edits of the same field (typing 1, 14, 145 into one cell, or dragging a
//! weight slider) are merged into one step while the field stays "open": the UI calls
//! [`History::seal`] when the field loses focus or its change is committed.

use crate::model::{Record, Scheme, Workbook};

/// How many steps are kept.
pub const CAP: usize = 200;
/// How many whole-workbook steps are kept (each holds two copies of the workbook).
pub const WORKBOOK_CAP: usize = 20;

/// Which value of a record a cell edits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CellKey {
    /// An input metric's figure.
    Figure(String),
    /// A rating indicator's scores (one per rater).
    Ratings(String),
}

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    Figure(f64),
    Ratings(Vec<Option<f64>>),
}

/// One cell of one record, before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct CellChange {
    pub agent: String,
    pub period: String,
    pub key: CellKey,
    pub before: CellValue,
    pub after: CellValue,
    /// The record did not exist before this change (undo removes it again if empty).
    pub created: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Cells(Vec<CellChange>),
    Scheme { before: Box<Scheme>, after: Box<Scheme> },
    Workbook { before: Box<Workbook>, after: Box<Workbook> },
}

/// What kind of thing an edit changed (the UI refreshes accordingly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    Cells,
    Scheme,
    Workbook,
}

impl Edit {
    pub fn changed(&self) -> Changed {
        match self {
            Edit::Cells(_) => Changed::Cells,
            Edit::Scheme { .. } => Changed::Scheme,
            Edit::Workbook { .. } => Changed::Workbook,
        }
    }

    /// Applies the edit forwards (`true`) or backwards.
    pub fn apply(&self, wb: &mut Workbook, forward: bool) {
        match self {
            Edit::Cells(changes) => {
                if forward {
                    for c in changes {
                        set_cell(wb, &c.agent, &c.period, &c.key, &c.after);
                    }
                } else {
                    for c in changes.iter().rev() {
                        set_cell(wb, &c.agent, &c.period, &c.key, &c.before);
                        if c.created {
                            wb.records.retain(|r| !(r.agent == c.agent && r.period == c.period && is_empty(r)));
                        }
                    }
                }
            }
            Edit::Scheme { before, after } => wb.scheme = if forward { (**after).clone() } else { (**before).clone() },
            Edit::Workbook { before, after } => *wb = if forward { (**after).clone() } else { (**before).clone() },
        }
    }

    /// Whether the edit changes nothing.
    pub fn is_noop(&self) -> bool {
        match self {
            Edit::Cells(changes) => changes.iter().all(|c| c.before == c.after && !c.created),
            Edit::Scheme { before, after } => before == after,
            Edit::Workbook { before, after } => before == after,
        }
    }

    /// Folds a later edit of the same field into this one. Returns false if they
    /// cannot be merged.
    fn absorb(&mut self, later: &Edit) -> bool {
        match (self, later) {
            (Edit::Cells(a), Edit::Cells(b)) if a.len() == 1 && b.len() == 1 => {
                let (x, y) = (&mut a[0], &b[0]);
                if x.agent == y.agent && x.period == y.period && x.key == y.key {
                    x.after = y.after.clone();
                    true
                } else {
                    false
                }
            }
            (Edit::Scheme { after, .. }, Edit::Scheme { after: later_after, .. }) => {
                *after = later_after.clone();
                true
            }
            _ => false,
        }
    }
}

fn is_empty(r: &Record) -> bool {
    r.figures.is_empty() && r.ratings.is_empty() && r.checks.is_empty()
}

/// The current value of a cell.
pub fn get_cell(wb: &Workbook, agent: &str, period: &str, key: &CellKey) -> CellValue {
    let Some(r) = wb.record(agent, period) else { return CellValue::Empty };
    match key {
        CellKey::Figure(m) => r.figures.get(m).map_or(CellValue::Empty, |x| CellValue::Figure(*x)),
        CellKey::Ratings(i) => r.ratings.get(i).filter(|v| !v.is_empty()).map_or(CellValue::Empty, |v| CellValue::Ratings(v.clone())),
    }
}

/// Sets a cell, creating the record if needed (never for an empty value).
pub fn set_cell(wb: &mut Workbook, agent: &str, period: &str, key: &CellKey, value: &CellValue) {
    if *value == CellValue::Empty && wb.record(agent, period).is_none() {
        return;
    }
    let r = wb.record_mut(agent, period);
    match (key, value) {
        (CellKey::Figure(m), CellValue::Figure(x)) => {
            r.figures.insert(m.clone(), *x);
        }
        (CellKey::Figure(m), _) => {
            r.figures.remove(m);
        }
        (CellKey::Ratings(i), CellValue::Ratings(v)) if !v.is_empty() => {
            r.ratings.insert(i.clone(), v.clone());
        }
        (CellKey::Ratings(i), _) => {
            r.ratings.remove(i);
        }
    }
}

/// A change of one cell to `after`, read against the workbook as it is now.
pub fn cell_change(wb: &Workbook, agent: &str, period: &str, key: CellKey, after: CellValue) -> CellChange {
    let before = get_cell(wb, agent, period, &key);
    let created = wb.record(agent, period).is_none() && after != CellValue::Empty;
    CellChange { agent: agent.to_string(), period: period.to_string(), key, before, after, created }
}

struct Entry {
    edit: Edit,
    /// The field this edit belongs to, for merging consecutive edits.
    key: Option<String>,
}

/// The undo and redo stacks.
#[derive(Default)]
pub struct History {
    done: Vec<Entry>,
    undone: Vec<Entry>,
    /// The field whose edits are still being merged.
    open: Option<String>,
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an edit that has already been applied. `key` names the field for merging
    /// (`None`: never merged).
    pub fn push(&mut self, edit: Edit, key: Option<String>) {
        if edit.is_noop() {
            return;
        }
        self.undone.clear();
        if key.is_some() && key == self.open {
            if let Some(last) = self.done.last_mut() {
                if last.key == key && last.edit.absorb(&edit) {
                    if last.edit.is_noop() {
                        self.done.pop();
                        self.open = None;
                    }
                    return;
                }
            }
        }
        self.done.push(Entry { edit, key: key.clone() });
        self.open = key;
        self.trim();
    }

    /// Ends merging: the next edit is a new step.
    pub fn seal(&mut self) {
        self.open = None;
    }

    fn trim(&mut self) {
        let mut excess = self.done.len().saturating_sub(CAP);
        let mut workbooks = self.done.iter().filter(|e| matches!(e.edit, Edit::Workbook { .. })).count();
        let mut cut = 0;
        while cut < self.done.len() && (excess > 0 || workbooks > WORKBOOK_CAP) {
            if matches!(self.done[cut].edit, Edit::Workbook { .. }) {
                workbooks -= 1;
            }
            excess = excess.saturating_sub(1);
            cut += 1;
        }
        self.done.drain(..cut);
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// Undoes the last step on `wb`; returns the edit undone.
    pub fn undo(&mut self, wb: &mut Workbook) -> Option<&Edit> {
        self.open = None;
        let e = self.done.pop()?;
        e.edit.apply(wb, false);
        self.undone.push(e);
        self.undone.last().map(|e| &e.edit)
    }

    /// Redoes the last undone step on `wb`; returns the edit redone.
    pub fn redo(&mut self, wb: &mut Workbook) -> Option<&Edit> {
        self.open = None;
        let e = self.undone.pop()?;
        e.edit.apply(wb, true);
        self.done.push(e);
        self.done.last().map(|e| &e.edit)
    }

    pub fn len(&self) -> usize {
        self.done.len()
    }

    pub fn is_empty(&self) -> bool {
        self.done.is_empty()
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn general() -> Workbook {
        presets::load("general").unwrap().unwrap()
    }

    fn type_figure(wb: &mut Workbook, h: &mut History, agent: &str, metric: &str, x: Option<f64>) {
        let after = x.map_or(CellValue::Empty, CellValue::Figure);
        let c = cell_change(wb, agent, "2026-10", CellKey::Figure(metric.into()), after);
        let e = Edit::Cells(vec![c]);
        e.apply(wb, true);
        h.push(e, Some(format!("{agent}/{metric}")));
    }

    #[test]
    fn typing_in_one_cell_is_one_step() {
        let mut wb = general();
        let original = wb.clone();
        let mut h = History::new();
        for x in [1.0, 14.0, 145.0] {
            type_figure(&mut wb, &mut h, "a1", "csat", Some(x));
        }
        assert_eq!(h.len(), 1);
        assert_eq!(wb.record("a1", "2026-10").unwrap().figures["csat"], 145.0);
        h.seal();
        type_figure(&mut wb, &mut h, "a1", "csat", Some(99.0));
        assert_eq!(h.len(), 2);
        h.undo(&mut wb);
        assert_eq!(wb.record("a1", "2026-10").unwrap().figures["csat"], 145.0);
        h.undo(&mut wb);
        assert_eq!(wb, original);
        assert!(!h.can_undo());
        h.redo(&mut wb);
        h.redo(&mut wb);
        assert_eq!(wb.record("a1", "2026-10").unwrap().figures["csat"], 99.0);
        assert!(!h.can_redo());
    }

    #[test]
    fn typing_back_to_the_original_leaves_no_step() {
        let mut wb = general();
        let mut h = History::new();
        let was = wb.record("a1", "2026-10").unwrap().figures["csat"];
        type_figure(&mut wb, &mut h, "a1", "csat", Some(1.0));
        type_figure(&mut wb, &mut h, "a1", "csat", Some(was));
        assert!(h.is_empty());
    }

    #[test]
    fn a_new_edit_clears_redo() {
        let mut wb = general();
        let mut h = History::new();
        type_figure(&mut wb, &mut h, "a1", "csat", Some(1.0));
        h.undo(&mut wb);
        assert!(h.can_redo());
        type_figure(&mut wb, &mut h, "a2", "csat", Some(2.0));
        assert!(!h.can_redo());
    }

    #[test]
    fn undo_removes_a_record_it_created() {
        let mut wb = general();
        let original = wb.clone();
        let mut h = History::new();
        let c = cell_change(&wb, "a1", "2099-01", CellKey::Figure("csat".into()), CellValue::Figure(5.0));
        assert!(c.created);
        let e = Edit::Cells(vec![c]);
        e.apply(&mut wb, true);
        h.push(e, None);
        assert!(wb.record("a1", "2099-01").is_some());
        h.undo(&mut wb);
        assert_eq!(wb, original);
    }

    #[test]
    fn clearing_a_figure_and_ratings() {
        let mut wb = general();
        let original = wb.clone();
        let mut h = History::new();
        type_figure(&mut wb, &mut h, "a1", "csat", None);
        assert!(!wb.record("a1", "2026-10").unwrap().figures.contains_key("csat"));
        h.seal();
        let c = cell_change(&wb, "a1", "2026-10", CellKey::Ratings("quality".into()), CellValue::Ratings(vec![Some(1.0), None]));
        assert!(matches!(c.before, CellValue::Ratings(_)));
        let e = Edit::Cells(vec![c]);
        e.apply(&mut wb, true);
        h.push(e, None);
        assert_eq!(wb.record("a1", "2026-10").unwrap().ratings["quality"], vec![Some(1.0), None]);
        h.undo(&mut wb);
        h.undo(&mut wb);
        assert_eq!(wb, original);
    }

    #[test]
    fn scheme_edits_merge_while_dragging() {
        let mut wb = general();
        let original = wb.clone();
        let mut h = History::new();
        for w in [16.0, 17.0, 18.0] {
            let before = Box::new(wb.scheme.clone());
            wb.scheme.indicators[0].weight = Some(w);
            h.push(Edit::Scheme { before, after: Box::new(wb.scheme.clone()) }, Some("weight/0".into()));
        }
        assert_eq!(h.len(), 1);
        h.undo(&mut wb);
        assert_eq!(wb, original);
        h.redo(&mut wb);
        assert_eq!(wb.scheme.indicators[0].weight, Some(18.0));
    }

    #[test]
    fn history_is_capped() {
        let mut wb = general();
        let mut h = History::new();
        for k in 0..(CAP + 50) {
            type_figure(&mut wb, &mut h, "a1", "csat", Some(k as f64 + 1000.0));
            h.seal();
        }
        assert_eq!(h.len(), CAP);
        let mut n = 0;
        while h.undo(&mut wb).is_some() {
            n += 1;
        }
        assert_eq!(n, CAP);
        // The oldest 50 steps were dropped: undoing everything kept leaves step 50's before.
        assert_eq!(wb.record("a1", "2026-10").unwrap().figures["csat"], 1049.0);

        let mut h = History::new();
        for k in 0..(WORKBOOK_CAP + 5) {
            let before = Box::new(wb.clone());
            wb.meta.title = format!("t{k}");
            h.push(Edit::Workbook { before, after: Box::new(wb.clone()) }, None);
        }
        assert_eq!(h.len(), WORKBOOK_CAP);
    }
}
