//! The scheme editor's fields as data: for each setting, its label, its place in the
//! workbook (so validation issues land on the right field), what kind of input it is,
//! and plain functions to read and write it.
//!
//! The UI renders every field with one generic-free function, which keeps the web
//! module small (each hand-written form field would be its own copy of the rendering
//! code in the WebAssembly).

use crate::model::*;

/// Which part of the scheme a field belongs to: indicator (or category, or grade)
/// index, band table, band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Idx {
    pub i: usize,
    pub t: usize,
    pub b: usize,
}

impl Idx {
    pub fn new(i: usize) -> Idx {
        Idx { i, t: 0, b: 0 }
    }
}

/// A field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Num(Option<f64>),
    Text(String),
    Bool(bool),
    /// A choice, by its value.
    Pick(String),
}

/// A choice's label: an interface string, or the user's own text.
#[derive(Debug, Clone, PartialEq)]
pub enum Label {
    Key(&'static str),
    User(String),
}

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A number; blank means "none" when optional.
    Num { optional: bool },
    Text,
    /// A formula (monospace, with its error shown live).
    Formula,
    /// A list of numbers (`5, 3, 1`).
    List,
    Check,
    /// A choice among values.
    Choice(fn(&Scheme, Idx) -> Vec<(String, Label)>),
}

/// One setting of the scheme.
#[derive(Clone, Copy)]
pub struct Spec {
    /// Translation key of the label.
    pub label: &'static str,
    pub kind: Kind,
    /// Its place (`scheme.indicators[2].rule.target`), as validation names it.
    pub place: fn(Idx) -> String,
    pub get: fn(&Scheme, Idx) -> Val,
    /// Writes the value; false when it does not apply (wrong rule kind, gone).
    pub set: fn(&mut Scheme, Idx, Val) -> bool,
}

fn rule(s: &Scheme, x: Idx) -> Option<&Rule> {
    s.indicators.get(x.i).map(|i| &i.rule)
}

fn rule_mut(s: &mut Scheme, x: Idx) -> Option<&mut Rule> {
    s.indicators.get_mut(x.i).map(|i| &mut i.rule)
}

fn num(v: Val) -> Option<Option<f64>> {
    match v {
        Val::Num(x) => Some(x),
        _ => None,
    }
}

fn text(v: Val) -> Option<String> {
    match v {
        Val::Text(x) | Val::Pick(x) => Some(x),
        _ => None,
    }
}

/// A list of numbers as text and back.
pub fn list_text(v: &[f64]) -> String {
    super::scheme_edit::places_text(v)
}

macro_rules! rule_num {
    ($label:literal, $suffix:literal, $kind:ident, $field:ident, optional) => {
        Spec {
            label: $label,
            kind: Kind::Num { optional: true },
            place: |x| format!("scheme.indicators[{}].rule.{}", x.i, $suffix),
            get: |s, x| Val::Num(match rule(s, x) {
                Some(Rule::$kind { $field, .. }) => *$field,
                _ => None,
            }),
            set: |s, x, v| match (rule_mut(s, x), num(v)) {
                (Some(Rule::$kind { $field, .. }), Some(v)) => {
                    *$field = v;
                    true
                }
                _ => false,
            },
        }
    };
    ($label:literal, $suffix:literal, $kind:ident, $field:ident) => {
        Spec {
            label: $label,
            kind: Kind::Num { optional: false },
            place: |x| format!("scheme.indicators[{}].rule.{}", x.i, $suffix),
            get: |s, x| Val::Num(match rule(s, x) {
                Some(Rule::$kind { $field, .. }) => Some(*$field),
                _ => None,
            }),
            set: |s, x, v| match (rule_mut(s, x), num(v)) {
                (Some(Rule::$kind { $field, .. }), Some(Some(v))) => {
                    *$field = v;
                    true
                }
                _ => false,
            },
        }
    };
    ($label:literal, $suffix:literal, $kind:ident, $field:ident . $sub:ident) => {
        Spec {
            label: $label,
            kind: Kind::Num { optional: false },
            place: |x| format!("scheme.indicators[{}].rule.{}", x.i, $suffix),
            get: |s, x| Val::Num(match rule(s, x) {
                Some(Rule::$kind { $field, .. }) => Some($field.$sub),
                _ => None,
            }),
            set: |s, x, v| match (rule_mut(s, x), num(v)) {
                (Some(Rule::$kind { $field, .. }), Some(Some(v))) => {
                    $field.$sub = v;
                    true
                }
                _ => false,
            },
        }
    };
}

/// The indicator's name.
pub static NAME: Spec = Spec {
    label: "indicator.name",
    kind: Kind::Text,
    place: |x| format!("scheme.indicators[{}].name", x.i),
    get: |s, x| Val::Text(s.indicators.get(x.i).map(|i| i.name.clone()).unwrap_or_default()),
    set: |s, x, v| match (s.indicators.get_mut(x.i), text(v)) {
        (Some(i), Some(t)) => {
            i.name = t;
            true
        }
        _ => false,
    },
};

fn metric_choices(s: &Scheme, x: Idx) -> Vec<(String, Label)> {
    let mut v = Vec::new();
    if s.indicators.get(x.i).is_some_and(|i| i.metric.is_none()) {
        v.push((String::new(), Label::Key("field.choose")));
    }
    v.extend(s.metrics.iter().map(|m| (m.id.clone(), Label::User(if m.name.is_empty() { m.id.clone() } else { m.name.clone() }))));
    v
}

/// The metric the indicator's rule reads.
pub static METRIC: Spec = Spec {
    label: "indicator.metric",
    kind: Kind::Choice(metric_choices),
    place: |x| format!("scheme.indicators[{}].metric", x.i),
    get: |s, x| Val::Pick(s.indicators.get(x.i).and_then(|i| i.metric.clone()).unwrap_or_default()),
    set: |s, x, v| match (s.indicators.get_mut(x.i), text(v)) {
        (Some(i), Some(m)) if !m.is_empty() => {
            i.metric = Some(m);
            true
        }
        _ => false,
    },
};

fn category_choices(s: &Scheme, _: Idx) -> Vec<(String, Label)> {
    let mut v = vec![(String::new(), Label::Key("indicator.no_category"))];
    v.extend(s.categories.iter().map(|c| (c.id.clone(), Label::User(if c.name.is_empty() { c.id.clone() } else { c.name.clone() }))));
    v
}

pub static CATEGORY: Spec = Spec {
    label: "indicator.category",
    kind: Kind::Choice(category_choices),
    place: |x| format!("scheme.indicators[{}].category", x.i),
    get: |s, x| Val::Pick(s.indicators.get(x.i).and_then(|i| i.category.clone()).unwrap_or_default()),
    set: |s, x, v| match (s.indicators.get_mut(x.i), text(v)) {
        (Some(i), Some(c)) => {
            i.category = (!c.is_empty()).then_some(c);
            true
        }
        _ => false,
    },
};

fn choices(list: &[(&str, &'static str)]) -> Vec<(String, Label)> {
    list.iter().map(|(v, k)| (v.to_string(), Label::Key(k))).collect()
}

static TARGET: [Spec; 2] = [rule_num!("rule.target.target", "target", Target, target), rule_num!("rule.target.cap", "cap", Target, cap)];

static LINEAR: [Spec; 5] = [
    rule_num!("rule.linear.from_value", "from.value", Linear, from.value),
    rule_num!("rule.linear.from_points", "from.points", Linear, from.points),
    rule_num!("rule.linear.to_value", "to.value", Linear, to.value),
    rule_num!("rule.linear.to_points", "to.points", Linear, to.points),
    rule_num!("rule.linear.below", "below", Linear, below),
];

static PER_OCCURRENCE: [Spec; 3] = [
    rule_num!("rule.per_occurrence.each", "each", PerOccurrence, each),
    rule_num!("rule.per_occurrence.cap", "cap", PerOccurrence, cap, optional),
    rule_num!("rule.per_occurrence.none_bonus", "none_bonus", PerOccurrence, none_bonus),
];

static RANK: [Spec; 4] = [
    Spec {
        label: "rule.rank.places",
        kind: Kind::List,
        place: |x| format!("scheme.indicators[{}].rule.places", x.i),
        get: |s, x| Val::Text(match rule(s, x) {
            Some(Rule::Rank { places, .. }) => list_text(places),
            _ => String::new(),
        }),
        set: |s, x, v| match (rule_mut(s, x), text(v).map(|t| super::scheme_edit::parse_places(&t))) {
            (Some(Rule::Rank { places, .. }), Some(Ok(p))) => {
                *places = p;
                true
            }
            _ => false,
        },
    },
    Spec {
        label: "rule.rank.ties",
        kind: Kind::Choice(|_, _| choices(&[("competition", "rule.rank.competition"), ("dense", "rule.rank.dense")])),
        place: |x| format!("scheme.indicators[{}].rule.ties", x.i),
        get: |s, x| Val::Pick(match rule(s, x) {
            Some(Rule::Rank { ties: TiePolicy::Dense, .. }) => "dense".into(),
            _ => "competition".into(),
        }),
        set: |s, x, v| match (rule_mut(s, x), text(v)) {
            (Some(Rule::Rank { ties, .. }), Some(t)) => {
                *ties = if t == "dense" { TiePolicy::Dense } else { TiePolicy::Competition };
                true
            }
            _ => false,
        },
    },
    Spec {
        label: "rule.rank.scope",
        kind: Kind::Choice(|_, _| choices(&[("team", "rule.rank.team"), ("all", "rule.rank.all")])),
        place: |x| format!("scheme.indicators[{}].rule.scope", x.i),
        get: |s, x| Val::Pick(match rule(s, x) {
            Some(Rule::Rank { scope: RankScope::All, .. }) => "all".into(),
            _ => "team".into(),
        }),
        set: |s, x, v| match (rule_mut(s, x), text(v)) {
            (Some(Rule::Rank { scope, .. }), Some(t)) => {
                *scope = if t == "all" { RankScope::All } else { RankScope::Team };
                true
            }
            _ => false,
        },
    },
    rule_num!("rule.rank.below_average", "below_average", Rank, below_average, optional),
];

static RATING: [Spec; 3] = [
    rule_num!("rule.rating.min", "min", Rating, min),
    rule_num!("rule.rating.max", "max", Rating, max),
    Spec {
        label: "rule.rating.drop_extremes",
        kind: Kind::Check,
        place: |x| format!("scheme.indicators[{}].rule.drop_extremes", x.i),
        get: |s, x| Val::Bool(matches!(rule(s, x), Some(Rule::Rating { drop_extremes: true, .. }))),
        set: |s, x, v| match (rule_mut(s, x), v) {
            (Some(Rule::Rating { drop_extremes, .. }), Val::Bool(b)) => {
                *drop_extremes = b;
                true
            }
            _ => false,
        },
    },
];

static CRITICAL: [Spec; 2] = [
    Spec {
        label: "rule.critical.when",
        kind: Kind::Formula,
        place: |x| format!("scheme.indicators[{}].rule.when", x.i),
        get: |s, x| Val::Text(match rule(s, x) {
            Some(Rule::Critical { when, .. }) => when.clone(),
            _ => String::new(),
        }),
        set: |s, x, v| match (rule_mut(s, x), text(v)) {
            (Some(Rule::Critical { when, .. }), Some(t)) => {
                *when = t;
                true
            }
            _ => false,
        },
    },
    Spec {
        label: "rule.critical.zeroes",
        kind: Kind::Choice(|_, _| choices(&[("category", "rule.critical.category"), ("total", "rule.critical.total")])),
        place: |x| format!("scheme.indicators[{}].rule.zeroes", x.i),
        get: |s, x| Val::Pick(match rule(s, x) {
            Some(Rule::Critical { zeroes: CriticalScope::Total, .. }) => "total".into(),
            _ => "category".into(),
        }),
        set: |s, x, v| match (rule_mut(s, x), text(v)) {
            (Some(Rule::Critical { zeroes, .. }), Some(t)) => {
                *zeroes = if t == "total" { CriticalScope::Total } else { CriticalScope::Category };
                true
            }
            _ => false,
        },
    },
];

static FORMULA: [Spec; 3] = [
    Spec {
        label: "rule.formula.expr",
        kind: Kind::Formula,
        place: |x| format!("scheme.indicators[{}].rule.expr", x.i),
        get: |s, x| Val::Text(match rule(s, x) {
            Some(Rule::Formula { expr, .. }) => expr.clone(),
            _ => String::new(),
        }),
        set: |s, x, v| match (rule_mut(s, x), text(v)) {
            (Some(Rule::Formula { expr, .. }), Some(t)) => {
                *expr = t;
                true
            }
            _ => false,
        },
    },
    rule_num!("rule.formula.min", "min", Formula, min, optional),
    rule_num!("rule.formula.max", "max", Formula, max, optional),
];

static CHECKLIST_ITEM: [Spec; 2] = [
    Spec {
        label: "rule.checklist.item",
        kind: Kind::Text,
        place: |x| format!("scheme.indicators[{}].rule.items[{}].text", x.i, x.b),
        get: |s, x| Val::Text(match rule(s, x) {
            Some(Rule::Checklist { items }) => items.get(x.b).map(|t| t.text.clone()).unwrap_or_default(),
            _ => String::new(),
        }),
        set: |s, x, v| match (rule_mut(s, x), text(v)) {
            (Some(Rule::Checklist { items }), Some(t)) => items.get_mut(x.b).map(|it| it.text = t).is_some(),
            _ => false,
        },
    },
    Spec {
        label: "rule.checklist.weight",
        kind: Kind::Num { optional: false },
        place: |x| format!("scheme.indicators[{}].rule.items[{}].weight", x.i, x.b),
        get: |s, x| Val::Num(match rule(s, x) {
            Some(Rule::Checklist { items }) => items.get(x.b).map(|t| t.weight),
            _ => None,
        }),
        set: |s, x, v| match (rule_mut(s, x), num(v)) {
            (Some(Rule::Checklist { items }), Some(Some(w))) => items.get_mut(x.b).map(|it| it.weight = w).is_some(),
            _ => false,
        },
    },
];

static TENURE_STEP: [Spec; 2] = [
    Spec {
        label: "rule.tenure.months",
        kind: Kind::Num { optional: false },
        place: |x| format!("scheme.indicators[{}].rule.steps[{}].months", x.i, x.b),
        get: |s, x| Val::Num(match rule(s, x) {
            Some(Rule::Tenure { steps }) => steps.get(x.b).map(|t| f64::from(t.months)),
            _ => None,
        }),
        set: |s, x, v| match (rule_mut(s, x), num(v)) {
            (Some(Rule::Tenure { steps }), Some(Some(m))) if (0.0..=1200.0).contains(&m) && m.fract() == 0.0 => steps.get_mut(x.b).map(|st| st.months = m as u32).is_some(),
            _ => false,
        },
    },
    Spec {
        label: "rule.tenure.points",
        kind: Kind::Num { optional: false },
        place: |x| format!("scheme.indicators[{}].rule.steps[{}].points", x.i, x.b),
        get: |s, x| Val::Num(match rule(s, x) {
            Some(Rule::Tenure { steps }) => steps.get(x.b).map(|t| t.points),
            _ => None,
        }),
        set: |s, x, v| match (rule_mut(s, x), num(v)) {
            (Some(Rule::Tenure { steps }), Some(Some(p))) => steps.get_mut(x.b).map(|st| st.points = p).is_some(),
            _ => false,
        },
    },
];

/// The fields of a rule's settings (bands have their own table editor; checklist items
/// and tenure steps are per row: see [`row_fields`]).
pub fn rule_fields(rule: &Rule) -> &'static [Spec] {
    match rule {
        Rule::Target { .. } => &TARGET,
        Rule::Linear { .. } => &LINEAR,
        Rule::PerOccurrence { .. } => &PER_OCCURRENCE,
        Rule::Rank { .. } => &RANK,
        Rule::Rating { .. } => &RATING,
        Rule::Critical { .. } => &CRITICAL,
        Rule::Formula { .. } => &FORMULA,
        Rule::Bands { .. } | Rule::Checklist { .. } | Rule::Tenure { .. } => &[],
    }
}

/// Per-row fields (checklist items, tenure steps) and how many rows there are.
pub fn row_fields(rule: &Rule) -> (&'static [Spec], usize) {
    match rule {
        Rule::Checklist { items } => (&CHECKLIST_ITEM, items.len()),
        Rule::Tenure { steps } => (&TENURE_STEP, steps.len()),
        _ => (&[], 0),
    }
}

fn band(s: &Scheme, x: Idx) -> Option<&Band> {
    match rule(s, x)? {
        Rule::Bands { tables, .. } => tables.get(x.t)?.bands.get(x.b),
        _ => None,
    }
}

fn band_mut(s: &mut Scheme, x: Idx) -> Option<&mut Band> {
    match rule_mut(s, x)? {
        Rule::Bands { tables, .. } => tables.get_mut(x.t)?.bands.get_mut(x.b),
        _ => None,
    }
}

/// A band's fields: lower edge (blank = open), whether it is included (`≥` or `>`),
/// upper edge, whether it is included (`≤` or `<`), points.
pub static BAND: [Spec; 5] = [
    Spec {
        label: "bands.lower_op",
        kind: Kind::Choice(|_, _| vec![("ge".into(), Label::User("≥".into())), ("gt".into(), Label::User(">".into()))]),
        place: |x| format!("scheme.indicators[{}].rule.tables[{}].bands[{}].min_inclusive", x.i, x.t, x.b),
        get: |s, x| Val::Pick(if band(s, x).is_none_or(|b| b.min_inclusive) { "ge".into() } else { "gt".into() }),
        set: |s, x, v| match (band_mut(s, x), text(v)) {
            (Some(b), Some(t)) => {
                b.min_inclusive = t == "ge";
                true
            }
            _ => false,
        },
    },
    Spec {
        label: "bands.lower",
        kind: Kind::Num { optional: true },
        place: |x| format!("scheme.indicators[{}].rule.tables[{}].bands[{}].min", x.i, x.t, x.b),
        get: |s, x| Val::Num(band(s, x).and_then(|b| b.min)),
        set: |s, x, v| match (band_mut(s, x), num(v)) {
            (Some(b), Some(m)) => {
                b.min = m;
                true
            }
            _ => false,
        },
    },
    Spec {
        label: "bands.upper_op",
        kind: Kind::Choice(|_, _| vec![("lt".into(), Label::User("<".into())), ("le".into(), Label::User("≤".into()))]),
        place: |x| format!("scheme.indicators[{}].rule.tables[{}].bands[{}].max_inclusive", x.i, x.t, x.b),
        get: |s, x| Val::Pick(if band(s, x).is_some_and(|b| b.max_inclusive) { "le".into() } else { "lt".into() }),
        set: |s, x, v| match (band_mut(s, x), text(v)) {
            (Some(b), Some(t)) => {
                b.max_inclusive = t == "le";
                true
            }
            _ => false,
        },
    },
    Spec {
        label: "bands.upper",
        kind: Kind::Num { optional: true },
        place: |x| format!("scheme.indicators[{}].rule.tables[{}].bands[{}].max", x.i, x.t, x.b),
        get: |s, x| Val::Num(band(s, x).and_then(|b| b.max)),
        set: |s, x, v| match (band_mut(s, x), num(v)) {
            (Some(b), Some(m)) => {
                b.max = m;
                true
            }
            _ => false,
        },
    },
    Spec {
        label: "bands.points",
        kind: Kind::Num { optional: false },
        place: |x| format!("scheme.indicators[{}].rule.tables[{}].bands[{}].points", x.i, x.t, x.b),
        get: |s, x| Val::Num(band(s, x).map(|b| b.points)),
        set: |s, x, v| match (band_mut(s, x), num(v)) {
            (Some(b), Some(Some(p))) => {
                b.points = p;
                true
            }
            _ => false,
        },
    },
];

pub static GAP_POINTS: Spec = rule_num!("bands.gap_points", "gap_points", Bands, gap_points);

macro_rules! opt_num {
    ($label:literal, $list:ident, $base:literal, $field:ident) => {
        Spec {
            label: $label,
            kind: Kind::Num { optional: true },
            place: |x| format!(concat!($base, "[{}].", stringify!($field)), x.i),
            get: |s, x| Val::Num(s.$list.get(x.i).and_then(|c| c.$field)),
            set: |s, x, v| match (s.$list.get_mut(x.i), num(v)) {
                (Some(c), Some(v)) => {
                    c.$field = v;
                    true
                }
                _ => false,
            },
        }
    };
}

/// A category's settings.
pub static CATEGORY_FIELDS: [Spec; 4] = [
    Spec {
        label: "category.name",
        kind: Kind::Text,
        place: |x| format!("scheme.categories[{}].name", x.i),
        get: |s, x| Val::Text(s.categories.get(x.i).map(|c| c.name.clone()).unwrap_or_default()),
        set: |s, x, v| match (s.categories.get_mut(x.i), text(v)) {
            (Some(c), Some(t)) => {
                c.name = t;
                true
            }
            _ => false,
        },
    },
    opt_num!("category.full", categories, "scheme.categories", full),
    opt_num!("category.cap", categories, "scheme.categories", cap),
    opt_num!("category.floor", categories, "scheme.categories", floor),
];

/// A grade band's settings.
pub static GRADE_FIELDS: [Spec; 3] = [
    Spec {
        label: "grade.name",
        kind: Kind::Text,
        place: |x| format!("scheme.grades.bands[{}].grade", x.i),
        get: |s, x| Val::Text(s.grades.bands.get(x.i).map(|g| g.grade.clone()).unwrap_or_default()),
        set: |s, x, v| match (s.grades.bands.get_mut(x.i), text(v)) {
            (Some(g), Some(t)) => {
                g.grade = t;
                true
            }
            _ => false,
        },
    },
    Spec {
        label: "grade.min",
        kind: Kind::Num { optional: false },
        place: |x| format!("scheme.grades.bands[{}].min", x.i),
        get: |s, x| Val::Num(s.grades.bands.get(x.i).map(|g| g.min)),
        set: |s, x, v| match (s.grades.bands.get_mut(x.i), num(v)) {
            (Some(g), Some(Some(m))) => {
                g.min = m;
                true
            }
            _ => false,
        },
    },
    Spec {
        label: "grade.coefficient",
        kind: Kind::Num { optional: true },
        place: |x| format!("scheme.grades.bands[{}].coefficient", x.i),
        get: |s, x| Val::Num(s.grades.bands.get(x.i).and_then(|g| g.coefficient).and_then(|d| d.to_string().parse().ok())),
        set: |s, x, v| match (s.grades.bands.get_mut(x.i), num(v)) {
            (Some(g), Some(None)) => {
                g.coefficient = None;
                true
            }
            (Some(g), Some(Some(c))) => match rust_decimal::Decimal::from_str_exact(&super::paste::plain_number(c)) {
                Ok(d) => {
                    g.coefficient = Some(d);
                    true
                }
                Err(_) => false,
            },
            _ => false,
        },
    },
];

/// The total rule's settings.
pub static TOTAL_FIELDS: [Spec; 4] = [
    Spec {
        label: "total.method",
        kind: Kind::Choice(|_, _| choices(&[("weighted", "total.weighted"), ("sum", "total.sum")])),
        place: |_| "scheme.total.method".into(),
        get: |s, _| Val::Pick(if s.total.method == TotalMethod::Sum { "sum".into() } else { "weighted".into() }),
        set: |s, _, v| match text(v) {
            Some(t) => {
                s.total.method = if t == "sum" { TotalMethod::Sum } else { TotalMethod::Weighted };
                true
            }
            None => false,
        },
    },
    Spec {
        label: "total.base",
        kind: Kind::Num { optional: false },
        place: |_| "scheme.total.base".into(),
        get: |s, _| Val::Num(Some(s.total.base)),
        set: |s, _, v| match num(v) {
            Some(Some(b)) => {
                s.total.base = b;
                true
            }
            _ => false,
        },
    },
    Spec {
        label: "total.min",
        kind: Kind::Num { optional: true },
        place: |_| "scheme.total.min".into(),
        get: |s, _| Val::Num(s.total.min),
        set: |s, _, v| match num(v) {
            Some(m) => {
                s.total.min = m;
                true
            }
            None => false,
        },
    },
    Spec {
        label: "total.max",
        kind: Kind::Num { optional: true },
        place: |_| "scheme.total.max".into(),
        get: |s, _| Val::Num(s.total.max),
        set: |s, _, v| match num(v) {
            Some(m) => {
                s.total.max = m;
                true
            }
            None => false,
        },
    },
];

fn money_of(d: rust_decimal::Decimal) -> Option<f64> {
    d.to_string().parse().ok()
}

fn decimal_of(x: f64) -> Option<rust_decimal::Decimal> {
    rust_decimal::Decimal::from_str_exact(&super::paste::plain_number(x)).ok()
}

fn bonus(s: &Scheme, x: Idx) -> Option<&BonusKind> {
    s.bonus.get(x.i).map(|b| &b.kind)
}

fn bonus_mut(s: &mut Scheme, x: Idx) -> Option<&mut BonusKind> {
    s.bonus.get_mut(x.i).map(|b| &mut b.kind)
}

macro_rules! bonus_money {
    ($label:literal, $suffix:literal, $kind:ident, $field:ident) => {
        Spec {
            label: $label,
            kind: Kind::Num { optional: false },
            place: |x| format!("scheme.bonus[{}].{}", x.i, $suffix),
            get: |s, x| Val::Num(match bonus(s, x) {
                Some(BonusKind::$kind { $field, .. }) => money_of(*$field),
                _ => None,
            }),
            set: |s, x, v| match (bonus_mut(s, x), num(v).flatten().and_then(decimal_of)) {
                (Some(BonusKind::$kind { $field, .. }), Some(d)) => {
                    *$field = d;
                    true
                }
                _ => false,
            },
        }
    };
}

/// A money rule's name.
pub static BONUS_NAME: Spec = Spec {
    label: "bonus.name",
    kind: Kind::Text,
    place: |x| format!("scheme.bonus[{}].name", x.i),
    get: |s, x| Val::Text(s.bonus.get(x.i).map(|b| b.name.clone()).unwrap_or_default()),
    set: |s, x, v| match (s.bonus.get_mut(x.i), text(v)) {
        (Some(b), Some(t)) => {
            b.name = t;
            true
        }
        _ => false,
    },
};

static POOL_BY_SCORE: [Spec; 2] = [bonus_money!("bonus.pool", "pool", PoolByScore, pool), bonus_money!("bonus.divisor", "divisor", PoolByScore, divisor)];
static POOL_SPLIT: [Spec; 1] = [bonus_money!("bonus.pool", "pool", PoolSplit, pool)];
static GRADE_COEFFICIENT: [Spec; 1] = [Spec {
    label: "bonus.base",
    kind: Kind::Num { optional: true },
    place: |x| format!("scheme.bonus[{}].base", x.i),
    get: |s, x| Val::Num(match bonus(s, x) {
        Some(BonusKind::GradeCoefficient { base }) => base.and_then(money_of),
        _ => None,
    }),
    set: |s, x, v| match (bonus_mut(s, x), num(v)) {
        (Some(BonusKind::GradeCoefficient { base }), Some(None)) => {
            *base = None;
            true
        }
        (Some(BonusKind::GradeCoefficient { base }), Some(Some(b))) => match decimal_of(b) {
            Some(d) => {
                *base = Some(d);
                true
            }
            None => false,
        },
        _ => false,
    },
}];
static BONUS_FORMULA: [Spec; 1] = [Spec {
    label: "bonus.expr",
    kind: Kind::Formula,
    place: |x| format!("scheme.bonus[{}].expr", x.i),
    get: |s, x| Val::Text(match bonus(s, x) {
        Some(BonusKind::Formula { expr }) => expr.clone(),
        _ => String::new(),
    }),
    set: |s, x, v| match (bonus_mut(s, x), text(v)) {
        (Some(BonusKind::Formula { expr }), Some(t)) => {
            *expr = t;
            true
        }
        _ => false,
    },
}];

/// The settings of a money rule that the editor offers (commission tiers, products and
/// tenure amounts are kept as they are).
pub fn bonus_fields(kind: &BonusKind) -> &'static [Spec] {
    match kind {
        BonusKind::PoolByScore { .. } => &POOL_BY_SCORE,
        BonusKind::PoolSplit { .. } => &POOL_SPLIT,
        BonusKind::GradeCoefficient { .. } => &GRADE_COEFFICIENT,
        BonusKind::Formula { .. } => &BONUS_FORMULA,
        _ => &[],
    }
}

/// The translation key of a money rule's kind.
pub fn bonus_kind_key(kind: &BonusKind) -> &'static str {
    match kind {
        BonusKind::PoolByScore { .. } => "bonus.kind.pool_by_score",
        BonusKind::PoolSplit { .. } => "bonus.kind.pool_split",
        BonusKind::GradeCoefficient { .. } => "bonus.kind.grade_coefficient",
        BonusKind::Commission { .. } => "bonus.kind.commission",
        BonusKind::Product { .. } => "bonus.kind.product",
        BonusKind::Tenure { .. } => "bonus.kind.tenure",
        BonusKind::Formula { .. } => "bonus.kind.formula",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::scheme_edit::{change_kind, KINDS};
    use crate::{presets, validate};

    fn all_specs() -> Vec<&'static Spec> {
        let mut v: Vec<&'static Spec> = vec![&NAME, &METRIC, &CATEGORY, &GAP_POINTS];
        v.push(&BONUS_NAME);
        for list in [&TARGET[..], &LINEAR, &PER_OCCURRENCE, &RANK, &RATING, &CRITICAL, &FORMULA, &CHECKLIST_ITEM, &TENURE_STEP, &BAND, &CATEGORY_FIELDS, &GRADE_FIELDS, &TOTAL_FIELDS, &POOL_BY_SCORE, &POOL_SPLIT, &GRADE_COEFFICIENT, &BONUS_FORMULA] {
            v.extend(list.iter());
        }
        v
    }

    /// Every rule field reads what it writes, and its place is a place validation
    /// uses (checked by making the value invalid where that is possible).
    #[test]
    fn rule_fields_round_trip() {
        for kind in KINDS {
            let mut wb = presets::load("general").unwrap().unwrap();
            assert!(change_kind(&mut wb, 0, kind) || wb.scheme.indicators[0].rule.kind() == *kind);
            let x = Idx::new(0);
            let (rows, n) = row_fields(&wb.scheme.indicators[0].rule);
            let mut specs: Vec<(&Spec, Idx)> = rule_fields(&wb.scheme.indicators[0].rule).iter().map(|s| (s, x)).collect();
            for b in 0..n {
                specs.extend(rows.iter().map(|s| (s, Idx { b, ..x })));
            }
            if *kind == "bands" {
                specs.extend(BAND.iter().map(|s| (s, Idx { i: 0, t: 0, b: 1 })));
                specs.push((&GAP_POINTS, x));
            }
            assert!(!specs.is_empty() || *kind == "critical", "{kind} has no fields");
            for (spec, at) in specs {
                let before = (spec.get)(&wb.scheme, at);
                let new = match (&spec.kind, &before) {
                    (Kind::Num { .. }, _) => Val::Num(Some(7.0)),
                    (Kind::Check, Val::Bool(b)) => Val::Bool(!b),
                    (Kind::Choice(f), _) => Val::Pick(f(&wb.scheme, at).last().unwrap().0.clone()),
                    (Kind::List, _) => Val::Text("7, 3".into()),
                    (Kind::Text | Kind::Formula, _) => Val::Text("csat > 7".into()),
                    _ => unreachable!(),
                };
                assert!((spec.set)(&mut wb.scheme, at, new.clone()), "{kind}: {} not set", spec.label);
                let got = (spec.get)(&wb.scheme, at);
                match (&new, &got) {
                    (Val::Text(a), Val::Text(b)) if spec.label == "rule.rank.places" => assert_eq!((a.as_str(), b.as_str()), ("7, 3", "7, 3")),
                    _ => assert_eq!(got, new, "{kind}: {}", spec.label),
                }
                let place = (spec.place)(at);
                assert!(place.starts_with("scheme.indicators[0]"), "{place}");
            }
        }
    }

    #[test]
    fn places_match_validation() {
        let mut wb = presets::load("general").unwrap().unwrap();
        // A negative target is an error at the target field's place.
        change_kind(&mut wb, 0, "target");
        assert!((TARGET[0].set)(&mut wb.scheme, Idx::new(0), Val::Num(Some(-1.0))));
        let issues = validate::check(&wb);
        assert!(issues.iter().any(|i| i.place == (TARGET[0].place)(Idx::new(0))), "{issues:#?}");
        // An empty band at the band's min.
        let mut wb = presets::load("courier").unwrap().unwrap();
        let i = wb.scheme.indicators.iter().position(|x| x.rule.kind() == "bands").unwrap();
        let at = Idx { i, t: 0, b: 1 };
        assert!((BAND[1].set)(&mut wb.scheme, at, Val::Num(Some(1e9))));
        let issues = validate::check(&wb);
        assert!(issues.iter().any(|x| x.place == (BAND[1].place)(at)), "{issues:#?}");
        // A grade quota / category floor above its cap.
        let mut wb = presets::load("ecommerce").unwrap().unwrap();
        assert!((CATEGORY_FIELDS[3].set)(&mut wb.scheme, Idx::new(2), Val::Num(Some(100.0))));
        let issues = validate::check(&wb);
        assert!(issues.iter().any(|x| x.place == (CATEGORY_FIELDS[3].place)(Idx::new(2))), "{issues:#?}");
    }

    #[test]
    fn writes_that_do_not_apply_are_refused() {
        let mut wb = presets::load("general").unwrap().unwrap();
        change_kind(&mut wb, 0, "target");
        // A target field on a rating indicator, a required number left blank, a gone index.
        assert!(!(RATING[0].set)(&mut wb.scheme, Idx::new(0), Val::Num(Some(1.0))));
        assert!(!(TARGET[0].set)(&mut wb.scheme, Idx::new(0), Val::Num(None)));
        assert!(!(NAME.set)(&mut wb.scheme, Idx::new(99), Val::Text("x".into())));
        assert!(!(RANK[0].set)(&mut wb.scheme, Idx::new(0), Val::Text("x".into())));
        assert!(!(TENURE_STEP[0].set)(&mut wb.scheme, Idx::new(0), Val::Num(Some(1.5))));
        // Every spec has a label key.
        for s in all_specs() {
            assert_ne!(crate::i18n::tr(crate::i18n::Lang::En, s.label), s.label, "{} has no translation", s.label);
        }
    }

    #[test]
    fn money_rules() {
        let mut wb = presets::load("general").unwrap().unwrap();
        let pool = wb.scheme.bonus.iter().position(|b| matches!(b.kind, BonusKind::PoolSplit { .. })).unwrap();
        let x = Idx::new(pool);
        let specs = bonus_fields(&wb.scheme.bonus[pool].kind);
        assert_eq!((specs[0].get)(&wb.scheme, x), Val::Num(Some(10000.0)));
        assert!((specs[0].set)(&mut wb.scheme, x, Val::Num(Some(12345.67))));
        assert_eq!(wb.scheme.bonus[pool].kind, BonusKind::PoolSplit { pool: "12345.67".parse().unwrap() });
        assert!(!(specs[0].set)(&mut wb.scheme, x, Val::Num(None)));
        // A negative pool is an error at the pool field's place.
        assert!((specs[0].set)(&mut wb.scheme, x, Val::Num(Some(-1.0))));
        assert!(validate::check(&wb).iter().any(|i| i.place == (specs[0].place)(x) && i.is_error()));
        let coef = wb.scheme.bonus.iter().position(|b| matches!(b.kind, BonusKind::GradeCoefficient { .. })).unwrap();
        let x = Idx::new(coef);
        let specs = bonus_fields(&wb.scheme.bonus[coef].kind);
        assert!((specs[0].set)(&mut wb.scheme, x, Val::Num(Some(3000.0))));
        assert_eq!((specs[0].get)(&wb.scheme, x), Val::Num(Some(3000.0)));
        assert!((specs[0].set)(&mut wb.scheme, x, Val::Num(None)));
        assert_eq!((specs[0].get)(&wb.scheme, x), Val::Num(None));
        assert!((BONUS_NAME.set)(&mut wb.scheme, x, Val::Text("绩效".into())));
        assert_eq!(bonus_kind_key(&wb.scheme.bonus[coef].kind), "bonus.kind.grade_coefficient");
    }

    #[test]
    fn totals_grades_categories() {
        let mut wb = presets::load("ecommerce").unwrap().unwrap();
        let x = Idx::new(0);
        for s in TOTAL_FIELDS.iter() {
            let v = (s.get)(&wb.scheme, x);
            assert!((s.set)(&mut wb.scheme, x, v.clone()), "{}", s.label);
            assert_eq!((s.get)(&wb.scheme, x), v);
        }
        let mut wb = presets::load("general").unwrap().unwrap();
        assert!((GRADE_FIELDS[2].set)(&mut wb.scheme, x, Val::Num(Some(1.25))));
        assert_eq!(wb.scheme.grades.bands[0].coefficient, Some("1.25".parse().unwrap()));
        assert_eq!((GRADE_FIELDS[2].get)(&wb.scheme, x), Val::Num(Some(1.25)));
        assert!((GRADE_FIELDS[2].set)(&mut wb.scheme, x, Val::Num(None)));
        assert_eq!(wb.scheme.grades.bands[0].coefficient, None);
        assert!(!validate::has_errors(&validate::check(&wb)));
    }
}
