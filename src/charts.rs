//! Chart geometry as plain data: what to draw, where, with which CSS class. The UI
//! turns a [`Chart`] into SVG with one small generic component (no `inner_html`):
//!
//! ```ignore
//! let chart = charts::ranked_bars(&wb, &period_results, lang);
//! view! {
//!   <svg class="chart" viewBox=chart.view_box() role="img" aria-labelledby="c-t c-d">
//!     <title id="c-t">{chart.title.clone()}</title><desc id="c-d">{chart.desc.clone()}</desc>
//!     {chart.marks.iter().map(|m| match m {
//!        Mark::Rect { x, y, w, h, class, tip, .. } => view! { <rect x=*x y=*y width=*w height=*h class=class.clone()><title>{tip.clone()}</title></rect> }.into_any(),
//!        Mark::Line { x1, y1, x2, y2, class } => view! { <line x1=*x1 y1=*y1 x2=*x2 y2=*y2 class=class.clone()/> }.into_any(),
//!        Mark::Polyline { points, class } => view! { <polyline points=charts::points_attr(points) class=class.clone()/> }.into_any(),
//!        Mark::Circle { cx, cy, r, class, tip, .. } => view! { <circle cx=*cx cy=*cy r=*r class=class.clone()><title>{tip.clone()}</title></circle> }.into_any(),
//!        Mark::Text { x, y, text, anchor, class, transform } => view! { <text x=*x y=*y text-anchor=anchor.as_str() transform=transform.clone() class=class.clone()>{text.clone()}</text> }.into_any(),
//!     }).collect_view()}
//!   </svg>
//! }
//! ```
//!
//! [`Chart::items`] holds the data behind the marks (label, value), for a visually
//! hidden table that screen readers can read, and for tests.
//!
//! Colours are CSS classes, never hex, so print CSS can switch to greys and patterns:
//! `chart-band chart-band-{k}` (grade band k, 0 = best grade), `chart-band-label`,
//! `chart-grid`, `chart-axis`, `chart-tick`, `chart-bar`, `chart-grade-{k}` /
//! `chart-grade-none` (a bar's grade), `chart-bar-negative`, `chart-bar-max` (the
//! "out of" bar behind a category), `chart-value`, `chart-label`, `chart-heading`,
//! `chart-line`, `chart-dot`, `chart-slope`, `chart-up` / `chart-down` / `chart-same`,
//! `chart-new` / `chart-gone` (in only one of baseline and now).
//!
//! Charts: [`ranked_bars`] (totals in rank order with the grade bands behind),
//! [`agent_categories`] (one agent's points by category, or by indicator when the
//! scheme has no categories), [`agent_history`] (one agent's total across periods),
//! [`slope`] (baseline total → current total for every agent).

use crate::explain::num;
use crate::i18n::Lang;
use crate::model::Workbook;
use crate::results::{PeriodResults, Results};
use crate::store::Baseline;

/// A chart: its size (user units of the `viewBox`), accessible title and description,
/// marks in paint order, and the data behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub kind: ChartKind,
    pub width: f64,
    pub height: f64,
    /// For `<title>`.
    pub title: String,
    /// For `<desc>`: the chart in one or two sentences.
    pub desc: String,
    /// The plotting area inside the margins.
    pub plot: Rect,
    /// The value axis (y for vertical charts, x for horizontal bars).
    pub axis: Axis,
    pub marks: Vec<Mark>,
    pub items: Vec<Item>,
}

impl Chart {
    /// `0 0 width height`.
    pub fn view_box(&self) -> String {
        format!("0 0 {} {}", r1(self.width), r1(self.height))
    }

    /// The bars (class `chart-bar`), in order.
    pub fn bars(&self) -> Vec<&Mark> {
        self.marks.iter().filter(|m| matches!(m, Mark::Rect { class, .. } if class.split(' ').any(|c| c == "chart-bar"))).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    RankedBars,
    AgentCategories,
    AgentHistory,
    Slope,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// A value axis: its domain (after rounding to nice numbers) and ticks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Axis {
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<Tick>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub value: f64,
    /// Position along the axis in chart units.
    pub pos: f64,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    /// The `text-anchor` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// One drawing instruction.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        class: String,
        /// Tooltip (`<title>` inside the shape).
        tip: String,
        /// What it stands for (agent id, category id, period id), for tests and clicks.
        key: String,
    },
    Line { x1: f64, y1: f64, x2: f64, y2: f64, class: String },
    Polyline { points: Vec<(f64, f64)>, class: String },
    Circle { cx: f64, cy: f64, r: f64, class: String, tip: String, key: String },
    Text {
        x: f64,
        y: f64,
        text: String,
        anchor: Anchor,
        class: String,
        /// An SVG `transform` (e.g. `rotate(-40 120 300)` for slanted names), or empty.
        transform: String,
    },
}

/// One datum, in the chart's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Agent, category, indicator or period id.
    pub key: String,
    pub label: String,
    pub value: f64,
    /// A second value: the "out of" of a category, the baseline of a slope.
    pub other: Option<f64>,
    /// A short note: the grade, the change.
    pub note: String,
}

/// `x,y x,y …` for a `points` attribute.
pub fn points_attr(points: &[(f64, f64)]) -> String {
    points.iter().map(|(x, y)| format!("{},{}", r1(*x), r1(*y))).collect::<Vec<_>>().join(" ")
}

/// A coordinate or value as SVG attribute text, rounded to 0.1 (`12.5`, `40`).
pub fn fmt_value(x: f64) -> String {
    format!("{}", r1(x))
}

/// Rounded to 0.1 for compact SVG.
fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

// ---------------------------------------------------------------------------------
// Scales and ticks
// ---------------------------------------------------------------------------------

/// A "nice" number near `x` (1, 2, 2.5, 5 × 10ⁿ): rounded, or the next one up.
fn nice_num(x: f64, round: bool) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    // x = f × 10^exp with 1 ≤ f < 10 (a loop rather than log10/powf, which would
    // add libm code to the wasm).
    let mut p = 1.0f64;
    while x / p >= 10.0 {
        p *= 10.0;
    }
    while x / p < 1.0 {
        p /= 10.0;
    }
    let f = x / p;
    let nf = if round {
        if f < 1.5 {
            1.0
        } else if f < 2.25 {
            2.0
        } else if f < 3.5 {
            2.5
        } else if f < 7.5 {
            5.0
        } else {
            10.0
        }
    } else if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nf * p
}

/// Nice ticks covering `lo..=hi` with about `count` intervals: the domain is widened
/// to whole steps (`3.2..=96.5` → `0, 20, 40, 60, 80, 100`).
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() { (lo.min(hi), lo.max(hi)) } else { (0.0, 1.0) };
    if hi - lo < 1e-9 {
        let pad = if lo.abs() > 1e-9 { lo.abs() * 0.1 } else { 1.0 };
        lo -= pad;
        hi += pad;
        if lo < 0.0 && lo + pad >= 0.0 {
            lo = 0.0;
        }
    }
    let range = nice_num(hi - lo, false);
    let step = nice_num(range / count.max(1) as f64, true);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let n = ((end - start) / step).round() as usize;
    (0..=n.min(100)).map(|i| clean_zero(((start + i as f64 * step) / step).round() * step)).collect()
}

fn clean_zero(x: f64) -> f64 {
    if x.abs() < 1e-12 {
        0.0
    } else {
        // Trim floating noise (0.30000000000000004 → 0.3).
        (x * 1e9).round() / 1e9
    }
}

/// A linear map from a domain to a range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    pub fn map(&self, v: f64) -> f64 {
        if (self.d1 - self.d0).abs() < 1e-12 {
            return self.r0;
        }
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

fn axis(lo: f64, hi: f64, scale_to: (f64, f64), count: usize) -> (Axis, Scale) {
    let ticks = nice_ticks(lo, hi, count);
    let min = ticks.first().copied().unwrap_or(lo);
    let max = ticks.last().copied().unwrap_or(hi);
    let scale = Scale { d0: min, d1: max, r0: scale_to.0, r1: scale_to.1 };
    let ticks = ticks.into_iter().map(|v| Tick { value: v, pos: scale.map(v), label: num(v) }).collect();
    (Axis { min, max, ticks }, scale)
}

/// Rough text width in chart units: CJK characters are square, Latin ones narrower.
fn text_px(s: &str, size: f64) -> f64 {
    s.chars().map(|c| if (c as u32) >= 0x2e80 { size } else { size * 0.6 }).sum()
}

fn cut(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max_chars.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn zh(lang: Lang) -> bool {
    lang == Lang::ZhCn
}

fn period_label(wb: &Workbook, id: &str) -> String {
    match wb.period(id) {
        Some(p) if !p.name.is_empty() => p.name.clone(),
        _ => id.to_string(),
    }
}

fn agent_label(name: &str, id: &str) -> String {
    if name.is_empty() {
        id.to_string()
    } else {
        name.to_string()
    }
}

/// Grade bands, best first: (name, min).
fn grades(wb: &Workbook) -> Vec<(String, f64)> {
    let mut g: Vec<(String, f64)> = wb.scheme.grades.bands.iter().filter(|b| b.min.is_finite()).map(|b| (b.grade.clone(), b.min)).collect();
    crate::sort::sort_by(&mut g, |a, b| b.1.total_cmp(&a.1));
    g
}

fn grade_class(grades: &[(String, f64)], grade: Option<&str>) -> String {
    match grade.and_then(|g| grades.iter().position(|(n, _)| n == g)) {
        Some(k) => format!("chart-grade-{k}"),
        None => "chart-grade-none".into(),
    }
}

/// Background stripes for the grade bands over a vertical value scale, with their
/// names at the right edge of the plot.
fn grade_stripes(marks: &mut Vec<Mark>, grades: &[(String, f64)], plot: Rect, scale: &Scale, axis: &Axis, lang: Lang) {
    for (k, (name, min)) in grades.iter().enumerate() {
        let top = if k == 0 { axis.max } else { grades[k - 1].1 };
        let lo = min.max(axis.min);
        let hi = top.min(axis.max);
        if hi <= lo {
            continue;
        }
        let (y0, y1) = (scale.map(hi), scale.map(lo));
        let tip = if zh(lang) { format!("{name}：≥ {}", num(*min)) } else { format!("{name}: ≥ {}", num(*min)) };
        marks.push(Mark::Rect { x: plot.x, y: y0, w: plot.w, h: y1 - y0, class: format!("chart-band chart-band-{k}"), tip, key: name.clone() });
        if y1 - y0 >= 10.0 {
            marks.push(Mark::Text { x: plot.x + plot.w + 6.0, y: (y0 + y1) / 2.0 + 4.0, text: cut(name, 6), anchor: Anchor::Start, class: "chart-band-label".into(), transform: String::new() });
        }
    }
}

/// Horizontal grid lines and tick labels on the left of a vertical value axis.
fn y_grid(marks: &mut Vec<Mark>, plot: Rect, axis: &Axis) {
    for t in &axis.ticks {
        let class = if t.value == 0.0 { "chart-axis" } else { "chart-grid" };
        marks.push(Mark::Line { x1: plot.x, y1: t.pos, x2: plot.x + plot.w, y2: t.pos, class: class.into() });
        marks.push(Mark::Text { x: plot.x - 6.0, y: t.pos + 4.0, text: t.label.clone(), anchor: Anchor::End, class: "chart-tick".into(), transform: String::new() });
    }
}

/// The value domain for totals: the totals, 0, the scheme's total limits and the
/// grade minimums (so every band shows).
fn total_domain(wb: &Workbook, values: impl Iterator<Item = f64>, grades: &[(String, f64)]) -> (f64, f64) {
    let mut lo = 0.0f64;
    let mut hi = f64::NEG_INFINITY;
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if let Some(m) = wb.scheme.total.max.filter(|m| m.is_finite()) {
        hi = hi.max(m);
    }
    for (_, m) in grades {
        if *m > lo {
            hi = hi.max(*m);
        }
    }
    if !hi.is_finite() || hi <= lo {
        hi = lo + 100.0;
    }
    (lo, hi)
}

// ---------------------------------------------------------------------------------
// (a) Ranked bars
// ---------------------------------------------------------------------------------

/// Totals as vertical bars, one per agent in rank order (the best first and
/// tallest), grade bands as background stripes, names under the bars.
pub fn ranked_bars(wb: &Workbook, pr: &PeriodResults, lang: Lang) -> Chart {
    let n = pr.len();
    let grades = grades(wb);
    let step = (640.0 / n.max(1) as f64).clamp(18.0, 56.0);
    let slant = step < 44.0;
    let longest = pr.agents().map(|a| text_px(&cut(&agent_label(a.name, a.agent), 8), 12.0)).fold(0.0, f64::max);
    let bottom = if slant { 16.0 + longest * 0.7 } else { 28.0 };
    let right = 8.0 + grades.iter().map(|(g, _)| text_px(&cut(g, 6), 11.0)).fold(0.0, f64::max) + 6.0;
    let plot = Rect { x: 44.0, y: 16.0, w: step * n.max(1) as f64, h: 240.0 };
    let width = (plot.x + plot.w + right).max(320.0);
    let height = plot.y + plot.h + bottom;
    let (lo, hi) = total_domain(wb, pr.agents().map(|a| a.total), &grades);
    let (axis, scale) = axis(lo, hi, (plot.y + plot.h, plot.y), 5);
    let mut marks = Vec::new();
    grade_stripes(&mut marks, &grades, plot, &scale, &axis, lang);
    y_grid(&mut marks, plot, &axis);
    let zero = scale.map(0.0_f64.clamp(axis.min, axis.max));
    let mut items = Vec::new();
    for (i, a) in pr.agents().enumerate() {
        let name = agent_label(a.name, a.agent);
        let x = plot.x + i as f64 * step;
        let bw = step * 0.7;
        let bx = x + (step - bw) / 2.0;
        let v = if a.total.is_finite() { a.total } else { 0.0 };
        let y = scale.map(v);
        let (top, h) = if v >= 0.0 { (y, zero - y) } else { (zero, y - zero) };
        let grade = a.grade;
        let mut class = format!("chart-bar {}", grade_class(&grades, grade));
        if v < 0.0 {
            class += " chart-bar-negative";
        }
        let note = grade.unwrap_or("").to_string();
        let tip = if note.is_empty() { format!("{}. {name} {}", a.rank, num(v)) } else { format!("{}. {name} {} ({note})", a.rank, num(v)) };
        marks.push(Mark::Rect { x: bx, y: top, w: bw, h, class, tip, key: a.agent.to_string() });
        if step >= 24.0 {
            let ty = if v >= 0.0 { top - 4.0 } else { top + h + 12.0 };
            marks.push(Mark::Text { x: x + step / 2.0, y: ty, text: num(v), anchor: Anchor::Middle, class: "chart-value".into(), transform: String::new() });
        }
        let lx = x + step / 2.0;
        let ly = plot.y + plot.h + 16.0;
        let (anchor, transform) = if slant { (Anchor::End, format!("rotate(-40 {} {})", r1(lx), r1(ly))) } else { (Anchor::Middle, String::new()) };
        marks.push(Mark::Text { x: lx, y: ly, text: cut(&name, 8), anchor, class: "chart-label".into(), transform });
        items.push(Item { key: a.agent.to_string(), label: name, value: v, other: None, note });
    }
    let period = period_label(wb, &pr.period);
    let title = if zh(lang) { format!("总分排名 · {period}") } else { format!("Totals by rank · {period}") };
    let desc = ranked_desc(&items, &grades, lang);
    Chart { kind: ChartKind::RankedBars, width, height, title, desc, plot, axis, marks, items }
}

fn ranked_desc(items: &[Item], grades: &[(String, f64)], lang: Lang) -> String {
    let bands = grades.iter().map(|(g, m)| format!("{g} ≥ {}", num(*m))).collect::<Vec<_>>();
    let z = zh(lang);
    let mut s = match (items.first(), items.last()) {
        (Some(best), Some(last)) if items.len() > 1 => {
            if z {
                format!("{} 名客服按总分从高到低排列。最高：{} {}；最低：{} {}。", items.len(), best.label, num(best.value), last.label, num(last.value))
            } else {
                format!("{} agents by total, highest first. Highest: {} {}; lowest: {} {}.", items.len(), best.label, num(best.value), last.label, num(last.value))
            }
        }
        (Some(one), _) => {
            if z {
                format!("1 名客服：{} {}。", one.label, num(one.value))
            } else {
                format!("1 agent: {} {}.", one.label, num(one.value))
            }
        }
        _ => if z { "本期没有结果。" } else { "No results in this period." }.to_string(),
    };
    if !bands.is_empty() {
        s += &if z { format!("背景色带为等级：{}。", bands.join("，")) } else { format!(" Background bands are the grades: {}.", bands.join(", ")) };
    }
    s
}

// ---------------------------------------------------------------------------------
// (b) One agent by category
// ---------------------------------------------------------------------------------

/// One agent's points by category as horizontal bars, each over a lighter bar of the
/// category's "out of" (its cap, its full points, or its indicators' weights). With
/// no categories in the scheme, by indicator (out of each weight). `None` when the
/// agent has no result in the period.
pub fn agent_categories(wb: &Workbook, pr: &PeriodResults, agent: &str, lang: Lang) -> Option<Chart> {
    let a = pr.agent(agent)?;
    let s = &wb.scheme;
    let z = zh(lang);
    // (key, label, points, out of)
    let mut rows: Vec<(String, String, f64, Option<f64>)> = Vec::new();
    let by_category = !s.categories.is_empty();
    if by_category {
        for (c, cat) in s.categories.iter().enumerate() {
            let members: Vec<_> = s.indicators.iter().filter(|i| i.category.as_deref() == Some(cat.id.as_str())).collect();
            let weights: Option<f64> = if !members.is_empty() && members.iter().all(|i| i.weight.is_some()) { Some(members.iter().filter_map(|i| i.weight).sum()) } else { None };
            let out_of = cat.cap.or(cat.full).or(weights);
            let pts = a.categories.get(c).map_or(0.0, |r| r.points);
            rows.push((cat.id.clone(), agent_label(&cat.name, &cat.id), pts, out_of));
        }
        let loose: Vec<usize> = s.indicators.iter().enumerate().filter(|(_, i)| i.category.as_deref().is_none_or(|c| s.category(c).is_none())).map(|(k, _)| k).collect();
        if !loose.is_empty() {
            let pts: f64 = loose.iter().filter_map(|&k| a.indicators.get(k)).map(|r| r.points).sum();
            let out_of = if loose.iter().all(|&k| s.indicators[k].weight.is_some()) { Some(loose.iter().filter_map(|&k| s.indicators[k].weight).sum()) } else { None };
            rows.push((String::new(), if z { "其他" } else { "Other" }.to_string(), pts, out_of));
        }
    } else {
        for (k, ind) in s.indicators.iter().enumerate() {
            let pts = a.indicators.get(k).map_or(0.0, |r| r.points);
            rows.push((ind.id.clone(), crate::explain::indicator_name(wb, k), pts, ind.weight));
        }
    }
    let label_w = rows.iter().map(|r| text_px(&cut(&r.1, 10), 12.0)).fold(40.0, f64::max) + 12.0;
    let row_h = 30.0;
    let plot = Rect { x: label_w, y: 24.0, w: 360.0, h: row_h * rows.len().max(1) as f64 };
    let width = plot.x + plot.w + 72.0;
    let height = plot.y + plot.h + 12.0;
    let mut lo = 0.0f64;
    let mut hi = 0.0f64;
    for (_, _, p, m) in &rows {
        lo = lo.min(*p);
        hi = hi.max(*p).max(m.unwrap_or(0.0));
    }
    if hi <= lo {
        hi = lo + 1.0;
    }
    let (axis, scale) = axis(lo, hi, (plot.x, plot.x + plot.w), 5);
    let mut marks = Vec::new();
    for t in &axis.ticks {
        let class = if t.value == 0.0 { "chart-axis" } else { "chart-grid" };
        marks.push(Mark::Line { x1: t.pos, y1: plot.y, x2: t.pos, y2: plot.y + plot.h, class: class.into() });
        marks.push(Mark::Text { x: t.pos, y: plot.y - 8.0, text: t.label.clone(), anchor: Anchor::Middle, class: "chart-tick".into(), transform: String::new() });
    }
    let zero = scale.map(0.0_f64.clamp(axis.min, axis.max));
    let mut items = Vec::new();
    for (i, (key, label, pts, out_of)) in rows.iter().enumerate() {
        let y = plot.y + i as f64 * row_h;
        let bh = row_h * 0.6;
        let by = y + (row_h - bh) / 2.0;
        if let Some(m) = out_of.filter(|m| *m > 0.0) {
            let xm = scale.map(m);
            marks.push(Mark::Rect { x: zero, y: by, w: xm - zero, h: bh, class: "chart-bar-max".into(), tip: if z { format!("{label}：满分 {}", num(m)) } else { format!("{label}: out of {}", num(m)) }, key: key.clone() });
        }
        let xv = scale.map(*pts);
        let (x, w) = if *pts >= 0.0 { (zero, xv - zero) } else { (xv, zero - xv) };
        let mut class = format!("chart-bar chart-cat-{i}");
        if *pts < 0.0 {
            class += " chart-bar-negative";
        }
        let value_text = match out_of {
            Some(m) => format!("{} / {}", num(*pts), num(*m)),
            None => num(*pts),
        };
        marks.push(Mark::Rect { x, y: by, w, h: bh, class, tip: format!("{label}: {value_text}"), key: key.clone() });
        marks.push(Mark::Text { x: plot.x - 8.0, y: y + row_h / 2.0 + 4.0, text: cut(label, 10), anchor: Anchor::End, class: "chart-label".into(), transform: String::new() });
        let end = scale.map(pts.max(out_of.unwrap_or(*pts)).max(0.0));
        marks.push(Mark::Text { x: end + 6.0, y: y + row_h / 2.0 + 4.0, text: value_text, anchor: Anchor::Start, class: "chart-value".into(), transform: String::new() });
        items.push(Item { key: key.clone(), label: label.clone(), value: *pts, other: *out_of, note: String::new() });
    }
    let who = agent_label(a.name, a.agent);
    let period = period_label(wb, &pr.period);
    let title = match (z, by_category) {
        (true, true) => format!("{who} · 各类别得分 · {period}"),
        (true, false) => format!("{who} · 各指标得分 · {period}"),
        (false, true) => format!("{who} · points by category · {period}"),
        (false, false) => format!("{who} · points by indicator · {period}"),
    };
    let parts = items
        .iter()
        .map(|it| match it.other {
            Some(m) => format!("{} {}/{}", it.label, num(it.value), num(m)),
            None => format!("{} {}", it.label, num(it.value)),
        })
        .collect::<Vec<_>>();
    let desc = if z { format!("总分 {}。{}。", num(a.total), parts.join("，")) } else { format!("Total {}. {}.", num(a.total), parts.join(", ")) };
    Some(Chart { kind: ChartKind::AgentCategories, width, height, title, desc, plot, axis, marks, items })
}

// ---------------------------------------------------------------------------------
// (c) One agent across periods
// ---------------------------------------------------------------------------------

/// One agent's total across periods (workbook order; periods that roll up into
/// another — weeks of a month — are left out when the workbook has top-level ones),
/// a line with a dot per period, breaks where the agent has no result, grade bands
/// behind. `None` when the agent has no result in any period.
pub fn agent_history(wb: &Workbook, results: &Results, agent: &str, lang: Lang) -> Option<Chart> {
    let top_level: Vec<&PeriodResults> = results.periods.iter().filter(|p| wb.period(&p.period).is_none_or(|x| x.parent.is_none())).collect();
    let periods: Vec<&PeriodResults> = if top_level.iter().any(|p| p.agent(agent).is_some()) { top_level } else { results.periods.iter().collect() };
    // (period id, label, the agent's total, grade and rank there)
    type Point = (String, String, Option<(f64, Option<String>, u32)>);
    let points: Vec<Point> =
        periods.iter().map(|p| (p.period.clone(), period_label(wb, &p.period), p.agent(agent).map(|a| (a.total, a.grade.map(String::from), a.rank)))).collect();
    if points.iter().all(|p| p.2.is_none()) {
        return None;
    }
    let name = periods.iter().find_map(|p| p.agent(agent)).map(|a| agent_label(a.name, a.agent)).unwrap_or_else(|| agent.to_string());
    let grades = grades(wb);
    let n = points.len();
    let step = (560.0 / n as f64).clamp(40.0, 96.0);
    let slant = step < 72.0;
    let plot = Rect { x: 44.0, y: 20.0, w: step * n as f64, h: 220.0 };
    let right = 8.0 + grades.iter().map(|(g, _)| text_px(&cut(g, 6), 11.0)).fold(0.0, f64::max) + 6.0;
    let longest = points.iter().map(|p| text_px(&cut(&p.1, 10), 12.0)).fold(0.0, f64::max);
    let width = (plot.x + plot.w + right).max(320.0);
    let height = plot.y + plot.h + if slant { 16.0 + longest * 0.7 } else { 28.0 };
    let (lo, hi) = total_domain(wb, points.iter().filter_map(|p| p.2.as_ref().map(|x| x.0)), &grades);
    let (axis, scale) = axis(lo, hi, (plot.y + plot.h, plot.y), 5);
    let mut marks = Vec::new();
    grade_stripes(&mut marks, &grades, plot, &scale, &axis, lang);
    y_grid(&mut marks, plot, &axis);
    let x_of = |i: usize| plot.x + (i as f64 + 0.5) * step;
    // The line, broken at gaps.
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        match &p.2 {
            Some((t, _, _)) => run.push((x_of(i), scale.map(*t))),
            None => {
                if run.len() > 1 {
                    marks.push(Mark::Polyline { points: std::mem::take(&mut run), class: "chart-line".into() });
                }
                run.clear();
            }
        }
    }
    if run.len() > 1 {
        marks.push(Mark::Polyline { points: run, class: "chart-line".into() });
    }
    let mut items = Vec::new();
    for (i, (id, label, v)) in points.iter().enumerate() {
        let x = x_of(i);
        let ly = plot.y + plot.h + 16.0;
        let (anchor, transform) = if slant { (Anchor::End, format!("rotate(-40 {} {})", r1(x), r1(ly))) } else { (Anchor::Middle, String::new()) };
        marks.push(Mark::Text { x, y: ly, text: cut(label, 10), anchor, class: "chart-label".into(), transform });
        if let Some((t, grade, rank)) = v {
            let y = scale.map(*t);
            let note = grade.clone().unwrap_or_default();
            let tip = if zh(lang) { format!("{label}：{}（第 {rank} 名{}）", num(*t), if note.is_empty() { String::new() } else { format!("，{note}") }) } else { format!("{label}: {} (rank {rank}{})", num(*t), if note.is_empty() { String::new() } else { format!(", {note}") }) };
            marks.push(Mark::Circle { cx: x, cy: y, r: 4.0, class: format!("chart-dot {}", grade_class(&grades, grade.as_deref())), tip, key: id.clone() });
            marks.push(Mark::Text { x, y: y - 9.0, text: num(*t), anchor: Anchor::Middle, class: "chart-value".into(), transform: String::new() });
            items.push(Item { key: id.clone(), label: label.clone(), value: *t, other: None, note });
        }
    }
    let title = if zh(lang) { format!("{name} · 各期总分") } else { format!("{name} · total by period") };
    let list = items.iter().map(|it| format!("{} {}", it.label, num(it.value))).collect::<Vec<_>>();
    let desc = if zh(lang) { format!("{name}在 {} 个期间的总分：{}。", items.len(), list.join("，")) } else { format!("{name}'s total in {} periods: {}.", items.len(), list.join(", ")) };
    Some(Chart { kind: ChartKind::AgentHistory, width, height, title, desc, plot, axis, marks, items })
}

// ---------------------------------------------------------------------------------
// (d) Slope: baseline → now
// ---------------------------------------------------------------------------------

/// Moves label positions apart by at least `gap`, keeping their order, within `lo..hi`
/// as far as they fit.
fn spread(ys: &mut [f64], gap: f64, lo: f64, hi: f64) {
    let n = ys.len();
    for i in 0..n {
        if i == 0 {
            ys[0] = ys[0].max(lo);
        } else {
            ys[i] = ys[i].max(ys[i - 1] + gap);
        }
    }
    if n > 0 && ys[n - 1] > hi {
        ys[n - 1] = hi;
        for i in (0..n - 1).rev() {
            ys[i] = ys[i].min(ys[i + 1] - gap);
        }
    }
}

/// Every agent's total at the pinned baseline (left) and now (right), one line each,
/// `chart-up` / `chart-down` / `chart-same`; agents in only one of them get a dot
/// (`chart-new` / `chart-gone`). Labels are moved apart so they never overlap.
pub fn slope(wb: &Workbook, baseline: &Baseline, pr: &PeriodResults, lang: Lang) -> Chart {
    let z = zh(lang);
    // (key, label, before, now)
    let mut rows: Vec<(String, String, Option<f64>, Option<f64>)> = pr.agents().map(|a| (a.agent.to_string(), agent_label(a.name, a.agent), baseline.agent(a.agent).map(|b| b.total), Some(a.total))).collect();
    for b in &baseline.agents {
        if pr.agent(&b.agent).is_none() {
            let label = wb.agent(&b.agent).map_or_else(|| b.agent.clone(), |x| agent_label(&x.name, &x.id));
            rows.push((b.agent.clone(), label, Some(b.total), None));
        }
    }
    let n = rows.len();
    let gap = 14.0;
    let label_w = rows.iter().map(|r| text_px(&cut(&r.1, 8), 12.0)).fold(40.0, f64::max) + 48.0;
    let plot_h = (n as f64 * gap).max(240.0);
    let plot = Rect { x: label_w, y: 36.0, w: 220.0, h: plot_h };
    let width = plot.x + plot.w + label_w;
    let height = plot.y + plot.h + 16.0;
    let values = rows.iter().flat_map(|r| [r.2, r.3]).flatten();
    let (lo, hi) = total_domain(wb, values, &[]);
    let (axis, scale) = axis(lo, hi, (plot.y + plot.h, plot.y), 5);
    let (xl, xr) = (plot.x, plot.x + plot.w);
    let mut marks = Vec::new();
    for t in &axis.ticks {
        marks.push(Mark::Line { x1: xl, y1: t.pos, x2: xr, y2: t.pos, class: "chart-grid".into() });
    }
    marks.push(Mark::Line { x1: xl, y1: plot.y, x2: xl, y2: plot.y + plot.h, class: "chart-axis".into() });
    marks.push(Mark::Line { x1: xr, y1: plot.y, x2: xr, y2: plot.y + plot.h, class: "chart-axis".into() });
    let pinned = baseline.pinned_at.get(..10).unwrap_or("");
    let left_head = if z { format!("基线 {pinned}") } else { format!("Baseline {pinned}") };
    marks.push(Mark::Text { x: xl, y: plot.y - 16.0, text: left_head.trim().to_string(), anchor: Anchor::Middle, class: "chart-heading".into(), transform: String::new() });
    marks.push(Mark::Text { x: xr, y: plot.y - 16.0, text: if z { "现在" } else { "Now" }.into(), anchor: Anchor::Middle, class: "chart-heading".into(), transform: String::new() });

    let mut items = Vec::new();
    let (mut up, mut down, mut same) = (0, 0, 0);
    let mut biggest: Option<(f64, String)> = None;
    for (key, label, before, now) in &rows {
        let (class, note) = match (before, now) {
            (Some(b), Some(c)) => {
                let d = c - b;
                if let Some((best, _)) = &biggest {
                    if d.abs() > best.abs() {
                        biggest = Some((d, label.clone()));
                    }
                } else if d != 0.0 {
                    biggest = Some((d, label.clone()));
                }
                if d.abs() < 1e-9 {
                    same += 1;
                    ("chart-same", "0".to_string())
                } else if d > 0.0 {
                    up += 1;
                    ("chart-up", crate::explain::signed(d))
                } else {
                    down += 1;
                    ("chart-down", crate::explain::signed(d))
                }
            }
            (None, Some(_)) => ("chart-new", if z { "新增" } else { "new" }.to_string()),
            (Some(_), None) => ("chart-gone", if z { "本期没有" } else { "not in this period" }.to_string()),
            (None, None) => continue,
        };
        let tip = match (before, now) {
            (Some(b), Some(c)) => format!("{label}: {} → {} ({note})", num(*b), num(*c)),
            (None, Some(c)) => format!("{label}: {} ({note})", num(*c)),
            (Some(b), None) => format!("{label}: {} ({note})", num(*b)),
            (None, None) => String::new(),
        };
        if let (Some(b), Some(c)) = (before, now) {
            marks.push(Mark::Line { x1: xl, y1: scale.map(*b), x2: xr, y2: scale.map(*c), class: format!("chart-slope {class}") });
        }
        if let Some(b) = before {
            marks.push(Mark::Circle { cx: xl, cy: scale.map(*b), r: 3.5, class: format!("chart-dot {class}"), tip: tip.clone(), key: key.clone() });
        }
        if let Some(c) = now {
            marks.push(Mark::Circle { cx: xr, cy: scale.map(*c), r: 3.5, class: format!("chart-dot {class}"), tip: tip.clone(), key: key.clone() });
        }
        items.push(Item { key: key.clone(), label: label.clone(), value: now.unwrap_or(f64::NAN), other: *before, note });
    }
    // Labels, moved apart on each side.
    for side in [0, 1] {
        let mut at: Vec<(f64, String)> = rows
            .iter()
            .filter_map(|(_, label, b, c)| {
                let v = if side == 0 { *b } else { *c };
                v.map(|v| (scale.map(v) + 4.0, if side == 0 { format!("{} {}", cut(label, 8), num(v)) } else { format!("{} {}", num(v), cut(label, 8)) }))
            })
            .collect();
        crate::sort::sort_by(&mut at, |a, b| a.0.total_cmp(&b.0));
        let mut ys: Vec<f64> = at.iter().map(|a| a.0).collect();
        spread(&mut ys, gap, plot.y + 4.0, plot.y + plot.h + 4.0);
        for ((_, text), y) in at.into_iter().zip(ys) {
            let (x, anchor) = if side == 0 { (xl - 8.0, Anchor::End) } else { (xr + 8.0, Anchor::Start) };
            marks.push(Mark::Text { x, y, text, anchor, class: "chart-label".into(), transform: String::new() });
        }
    }
    let period = period_label(wb, &pr.period);
    let title = if z { format!("与基线相比 · {period}") } else { format!("Compared with the baseline · {period}") };
    let mut desc = if z { format!("{n} 名客服：{up} 人上升，{down} 人下降，{same} 人不变。") } else { format!("{n} agents: {up} up, {down} down, {same} unchanged.") };
    if let Some((d, who)) = biggest {
        desc += &if z { format!("变化最大：{who} {}。", crate::explain::signed(d)) } else { format!(" Largest change: {who} {}.", crate::explain::signed(d)) };
    }
    Chart { kind: ChartKind::Slope, width, height, title, desc, plot, axis, marks, items }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice() {
        assert_eq!(nice_ticks(3.2, 96.5, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(0.0, 100.0, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(-3.0, 12.0, 5), vec![-5.0, 0.0, 5.0, 10.0, 15.0]);
        assert_eq!(nice_ticks(0.0, 0.7, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8]);
        let t = nice_ticks(5.0, 5.0, 5);
        assert!(t[0] < 5.0 && *t.last().unwrap() > 5.0, "{t:?}");
        assert!(nice_ticks(f64::NAN, 1.0, 5).len() >= 2);
    }

    #[test]
    fn labels_spread() {
        let mut ys = vec![10.0, 11.0, 12.0, 50.0];
        spread(&mut ys, 14.0, 0.0, 100.0);
        assert_eq!(ys, vec![10.0, 24.0, 38.0, 52.0]);
        let mut ys = vec![95.0, 96.0];
        spread(&mut ys, 14.0, 0.0, 100.0);
        assert_eq!(ys, vec![86.0, 100.0]);
    }
}
