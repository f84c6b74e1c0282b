//! Words for the engine's data: explanation lines, warnings, validation issues and
//! file errors, in Simplified Chinese and English.
//!
//! Example: "calls 1120, peak season → band 1100 ≤ x < 1150 → −1".
//! Users' own names (indicators, metrics, agents) are inserted as given.

use crate::formula::FormulaError;
use crate::i18n::Lang;
use crate::model::{Band, BonusKind, Rule, Workbook};
use crate::results::{AgentResult, BonusPart, CommissionWhy, IndicatorResult, Warning, WarningKind, Why};
use crate::validate::{Issue, Problem, Severity};
use crate::workbook::LoadError;

/// Picks the sentence for the language.
fn l(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// A number as people write it: up to 2 decimals (4 for small shares), no trailing
/// zeros, a real minus sign.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let places = if x != 0.0 && x.abs() < 0.01 { 4 } else { 2 };
    let mut s = format!("{x:.places$}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s.replace('-', "−")
}

/// Points with an explicit sign: +3, −1, 0.
pub fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", num(x))
    } else {
        num(x)
    }
}

/// A band as an inequality: `1100 ≤ x < 1150`, `x ≥ 1150`, `x < 1000`.
pub fn band_text(b: &Band) -> String {
    let lo = b.min.map(|m| (num(m), if b.min_inclusive { "≤" } else { "<" }));
    let hi = b.max.map(|m| (num(m), if b.max_inclusive { "≤" } else { "<" }));
    match (lo, hi) {
        (Some((m, op)), Some((n, op2))) => format!("{m} {op} x {op2} {n}"),
        (Some((m, op)), None) => format!("x {} {m}", if op == "≤" { "≥" } else { ">" }),
        (None, Some((n, op2))) => format!("x {op2} {n}"),
        (None, None) => "x".into(),
    }
}

/// The display name of an indicator (its name, else its id).
pub fn indicator_name(wb: &Workbook, i: usize) -> String {
    wb.scheme.indicators.get(i).map_or_else(String::new, |x| if x.name.is_empty() { x.id.clone() } else { x.name.clone() })
}

fn metric_name(wb: &Workbook, i: usize) -> String {
    let ind = wb.scheme.indicators.get(i);
    match ind.and_then(|x| x.metric.as_deref()).and_then(|m| wb.scheme.metric(m)) {
        Some(m) if !m.name.is_empty() => m.name.clone(),
        Some(m) => m.id.clone(),
        None => indicator_name(wb, i),
    }
}

fn season_name(wb: &Workbook, season: Option<usize>, lang: Lang) -> String {
    match season.and_then(|s| wb.scheme.seasons.get(s)) {
        Some(s) => l(lang, format!("{}季", if s.name.is_empty() { &s.id } else { &s.name }), format!("{} season", if s.name.is_empty() { &s.id } else { &s.name })),
        None => String::new(),
    }
}

/// One line explaining an indicator's points for an agent.
pub fn indicator(wb: &Workbook, i: usize, r: &IndicatorResult, lang: Lang) -> String {
    let metric = metric_name(wb, i);
    let pts = signed(r.points);
    let ind = wb.scheme.indicators.get(i);
    let rule = ind.map(|x| &x.rule);
    let weight = ind.and_then(|x| x.weight).unwrap_or(0.0);
    let v = num(r.value.unwrap_or(f64::NAN));
    match &r.why {
        Why::Missing => l(lang, format!("{metric}：未填写 → 0"), format!("{metric}: no figure → 0")),
        Why::NotApplicable => l(lang, format!("{}：本期间不适用", indicator_name(wb, i)), format!("{}: does not apply in this period", indicator_name(wb, i))),
        Why::Target { share } => {
            let target = match rule {
                Some(Rule::Target { target, .. }) => *target,
                _ => f64::NAN,
            };
            let lower = ind.and_then(|x| x.metric.as_deref()).and_then(|m| wb.scheme.metric(m)).is_some_and(|m| m.better == crate::model::Better::Lower);
            let ratio = if lower { format!("{} / {v}", num(target)) } else { format!("{v} / {}", num(target)) };
            l(
                lang,
                format!("{metric} {v}，目标 {} → 完成 {ratio} = {}% × 权重 {} → {pts}", num(target), num(share * 100.0), num(weight)),
                format!("{metric} {v}, target {} → {ratio} = {}% × weight {} → {pts}", num(target), num(share * 100.0), num(weight)),
            )
        }
        Why::LinearBelow => {
            let from = match rule {
                Some(Rule::Linear { from, .. }) => from.value,
                _ => f64::NAN,
            };
            l(lang, format!("{metric} {v} 低于 {} → {pts}", num(from)), format!("{metric} {v} is below {} → {pts}", num(from)))
        }
        Why::Linear { clamped } => {
            let (from, to) = match rule {
                Some(Rule::Linear { from, to, .. }) => (from.value, to.value),
                _ => (f64::NAN, f64::NAN),
            };
            if *clamped {
                l(lang, format!("{metric} {v} 超过 {}，按上限 → {pts}", num(to)), format!("{metric} {v} is beyond {}, capped → {pts}", num(to)))
            } else {
                l(lang, format!("{metric} {v}，在 {} 与 {} 之间按比例 → {pts}", num(from), num(to)), format!("{metric} {v}, in proportion between {} and {} → {pts}", num(from), num(to)))
            }
        }
        Why::Band { table, band, season } => {
            let b = band_of(wb, i, usize::from(*table), usize::from(*band)).map(|b| band_text(&b)).unwrap_or_default();
            let s = season_name(wb, season.map(usize::from), lang);
            let s = if s.is_empty() { String::new() } else { l(lang, format!("，{s}"), format!(", {s}")) };
            l(lang, format!("{metric} {v}{s} → 区间 {b} → {pts}"), format!("{metric} {v}{s} → band {b} → {pts}"))
        }
        Why::BandGap { season, .. } => {
            let s = season_name(wb, season.map(usize::from), lang);
            l(lang, format!("{metric} {v} {s}不在任何区间内（区间有缺口）→ 按设定 {pts}"), format!("{metric} {v} {s} falls in no band (the table has a gap) → set to {pts}"))
        }
        Why::NoBandTable { season } => {
            let s = season_name(wb, season.map(usize::from), lang);
            l(lang, format!("{metric}：{s}没有适用的区间表 → {pts}"), format!("{metric}: no band table applies in {s} → {pts}"))
        }
        Why::PerOccurrence { capped } => {
            let each = match rule {
                Some(Rule::PerOccurrence { each, .. }) => *each,
                _ => f64::NAN,
            };
            let cap = if *capped { l(lang, "（已封顶）".into(), " (capped)".into()) } else { String::new() };
            l(lang, format!("{metric} {v} 次 × {} → {pts}{cap}", signed(each)), format!("{metric} {v} × {} → {pts}{cap}", signed(each)))
        }
        Why::PerOccurrenceNone => l(lang, format!("{metric} 0 次 → 全无奖励 {pts}"), format!("{metric} none → clean-record bonus {pts}")),
        Why::Rank { place, of } => l(lang, format!("{metric} {v}，{of} 人中第 {place} 名 → {pts}"), format!("{metric} {v}, place {place} of {of} → {pts}")),
        Why::RankBelowAverage { place, of, average } => l(
            lang,
            format!("{metric} {v}，{of} 人中第 {place} 名，差于平均 {} → {pts}", num(*average)),
            format!("{metric} {v}, place {place} of {of}, worse than the average {} → {pts}", num(*average)),
        ),
        Why::Rating { dropped, scores } => {
            // The scale and weight are the rule's; the mean is recomputed as the engine did.
            let indicator = wb.scheme.indicators.get(i);
            let (min, max) = match indicator.map(|x| &x.rule) {
                Some(Rule::Rating { min, max, .. }) => (*min, *max),
                _ => (0.0, 0.0),
            };
            let weight = indicator.and_then(|x| x.weight).unwrap_or(0.0);
            let mean = crate::engine::rules::rating_mean(scores, *dropped);
            let (scores, dropped) = if *dropped { scores.split_at(scores.len().saturating_sub(2)) } else { (&scores[..], &[][..]) };
            let list = scores.iter().map(|s| num(*s)).collect::<Vec<_>>().join("、");
            let drop = if dropped.is_empty() { String::new() } else { l(lang, format!("（去掉最高最低 {}）", dropped.iter().map(|s| num(*s)).collect::<Vec<_>>().join("、")), format!(" (dropped highest and lowest: {})", dropped.iter().map(|s| num(*s)).collect::<Vec<_>>().join(", "))) };
            l(
                lang,
                format!("{} 评分 {list}{drop}，平均 {}（{}–{} 分制）× 权重 {} → {pts}", indicator_name(wb, i), num(mean), num(min), num(max), num(weight)),
                format!("{} ratings {}{drop}, mean {} on a {}–{} scale × weight {} → {pts}", indicator_name(wb, i), list.replace('、', ", "), num(mean), num(min), num(max), num(weight)),
            )
        }
        Why::RatingNa => l(lang, format!("{}：所有评分人都选了“不适用” → 0", indicator_name(wb, i)), format!("{}: every rater said N/A → 0", indicator_name(wb, i))),
        Why::Checklist { ticked, applicable, na } => {
            let na = if *na > 0 { l(lang, format!("，{na} 项不适用已剔除"), format!(", {na} N/A left out")) } else { String::new() };
            l(
                lang,
                format!("{} 勾选 {} / {}{na} × 权重 {} → {pts}", indicator_name(wb, i), num(*ticked), num(*applicable), num(weight)),
                format!("{} ticked {} of {}{na} × weight {} → {pts}", indicator_name(wb, i), num(*ticked), num(*applicable), num(weight)),
            )
        }
        Why::ChecklistNa => l(lang, format!("{}：全部不适用 → 0", indicator_name(wb, i)), format!("{}: every item N/A → 0", indicator_name(wb, i))),
        Why::CriticalOk => l(lang, format!("{}：未触发", indicator_name(wb, i)), format!("{}: not triggered", indicator_name(wb, i))),
        Why::CriticalHit => {
            if matches!(rule, Some(Rule::Critical { zeroes: crate::model::CriticalScope::Total, .. })) {
                l(lang, format!("{}：已触发 → 总分清零", indicator_name(wb, i)), format!("{}: triggered → the total is zeroed", indicator_name(wb, i)))
            } else {
                l(lang, format!("{}：已触发 → 所在类别清零", indicator_name(wb, i)), format!("{}: triggered → its category is zeroed", indicator_name(wb, i)))
            }
        }
        Why::Formula { value, clamped } => {
            let c = if *clamped { l(lang, format!("（公式值 {}，已限幅）", num(*value)), format!(" (formula gave {}, clamped)", num(*value))) } else { String::new() };
            l(lang, format!("{} 按公式 → {pts}{c}", indicator_name(wb, i)), format!("{} by formula → {pts}{c}", indicator_name(wb, i)))
        }
        Why::FormulaFailed { message } => l(lang, format!("{}：公式无法计算（{}）→ 0", indicator_name(wb, i), formula_message(message, lang)), format!("{}: the formula cannot be computed ({message}) → 0", indicator_name(wb, i))),
        Why::Tenure { months } => l(lang, format!("司龄 {months} 个月 → {pts}"), format!("{months} months of service → {pts}")),
        Why::TenureUnknown => l(lang, "没有入职日期或期间结束日期 → 0".into(), "no hire date or period end date → 0".into()),
        Why::Rollup(r) => {
            let list = r.parts.iter().map(|(p, x)| format!("{p} {}", signed(*x))).collect::<Vec<_>>().join(", ");
            if r.average {
                l(lang, format!("{} 各周平均：{list} → {pts}", indicator_name(wb, i)), format!("{} averaged over {}: {list} → {pts}", indicator_name(wb, i), r.parts.len()))
            } else {
                l(lang, format!("{} 各周合计：{list} → {pts}", indicator_name(wb, i)), format!("{} summed over {}: {list} → {pts}", indicator_name(wb, i), r.parts.len()))
            }
        }
        other => other_why(wb, None, other, lang),
    }
}

fn band_of(wb: &Workbook, i: usize, table: usize, band: usize) -> Option<Band> {
    match &wb.scheme.indicators.get(i)?.rule {
        Rule::Bands { tables, .. } => tables.get(table)?.bands.get(band).copied(),
        _ => None,
    }
}

/// Sentences for the formula crate's messages are English; the common one is translated.
fn formula_message(message: &str, lang: Lang) -> String {
    if lang == Lang::ZhCn && message == FormulaError::DivisionByZero.to_string() {
        "除数为零".into()
    } else {
        message.to_string()
    }
}

/// One line for a category subtotal.
pub fn category(wb: &Workbook, c: usize, points: f64, why: &Why, lang: Lang) -> String {
    let name = wb.scheme.categories.get(c).map_or_else(String::new, |x| if x.name.is_empty() { x.id.clone() } else { x.name.clone() });
    let full = wb.scheme.categories.get(c).and_then(|x| x.full);
    match why {
        Why::Category { sum, floor_hit, cap_hit, zeroed } => {
            let start = match full {
                Some(f) => l(lang, format!("满分 {} {} ", num(f), if *sum < 0.0 { "" } else { "+" }), format!("full {} {} ", num(f), if *sum < 0.0 { "" } else { "+" })),
                None => String::new(),
            };
            let mut s = l(lang, format!("{name}：{start}{}", signed(*sum)), format!("{name}: {start}{}", signed(*sum)));
            if *floor_hit {
                s += &l(lang, "，不低于下限".into(), ", not below the floor".into());
            }
            if *cap_hit {
                s += &l(lang, "，不超过上限".into(), ", not above the cap".into());
            }
            if *zeroed {
                s += &l(lang, "，因否决项清零".into(), ", zeroed by a critical item".into());
            }
            format!("{s} → {}", num(points))
        }
        other => other_why(wb, None, other, lang),
    }
}

/// Lines from the raw total to the total.
pub fn total(wb: &Workbook, ar: &AgentResult, lang: Lang) -> Vec<String> {
    let mut lines = vec![l(lang, format!("合计 {}", num(ar.raw_total)), format!("sum {}", num(ar.raw_total)))];
    for step in ar.total_steps {
        lines.push(other_why(wb, None, step, lang));
    }
    lines.push(l(lang, format!("总分 {}", num(ar.total)), format!("total {}", num(ar.total))));
    lines
}

/// One line for a bonus part.
/// `ar` is the agent's result the part belongs to (its grade and base pay are read for
/// the grade coefficient rule).
pub fn bonus(wb: &Workbook, ar: &AgentResult, part: &BonusPart, lang: Lang) -> String {
    let rule = wb.scheme.bonus.get(part.rule);
    let name = rule.map_or_else(String::new, |b| if b.name.is_empty() { b.id.clone() } else { b.name.clone() });
    let why = match (&part.why, rule.map(|r| &r.kind)) {
        (Why::GradeCoefficient, Some(BonusKind::GradeCoefficient { base })) => {
            let base = base.or(wb.agents.get(ar.agent_index).and_then(|a| a.base_pay)).unwrap_or(rust_decimal::Decimal::ZERO);
            let coefficient = ar.grade.and_then(|g| wb.scheme.grades.bands.iter().find(|b| b.grade == g)).and_then(|b| b.coefficient);
            match coefficient {
                Some(c) => l(lang, format!("基数 {base} × 等级系数 {c}"), format!("base {base} × grade coefficient {c}")),
                None => l(lang, "该等级没有系数 → 0".into(), "no coefficient for this grade → 0".into()),
            }
        }
        _ => other_why(wb, Some(part.rule), &part.why, lang),
    };
    format!("{name}: {why} → {}", money(part.amount, &wb.meta.currency, lang))
}

/// Money for display: ¥1,234.50 (CNY), or the code before the amount.
pub fn money(amount: rust_decimal::Decimal, currency: &str, _lang: Lang) -> String {
    let mut a = amount;
    a.rescale(2);
    let text = a.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if a.is_sign_negative() && !a.is_zero() { "−" } else { "" };
    let symbol = match currency {
        "CNY" | "RMB" | "" => "¥".to_string(),
        "USD" => "$".to_string(),
        "EUR" => "€".to_string(),
        other => format!("{other} "),
    };
    format!("{sign}{symbol}{grouped}.{frac}")
}

/// Total steps and money lines; `rule` is the bonus rule (index) for money lines.
fn other_why(wb: &Workbook, rule: Option<usize>, why: &Why, lang: Lang) -> String {
    let bonus = rule.and_then(|r| wb.scheme.bonus.get(r)).map(|b| &b.kind);
    let (pool, divisor) = match bonus {
        Some(BonusKind::PoolByScore { pool, divisor }) => (*pool, *divisor),
        Some(BonusKind::PoolSplit { pool }) => (*pool, rust_decimal::Decimal::ZERO),
        _ => (rust_decimal::Decimal::ZERO, rust_decimal::Decimal::ZERO),
    };
    match why {
        Why::TotalClamped { from, to } => l(lang, format!("{} 限定在范围内 → {}", num(*from), num(*to)), format!("{} kept within the limits → {}", num(*from), num(*to))),
        Why::TotalZeroedBy { indicator } => l(lang, format!("否决项“{}”触发 → 0", indicator_name(wb, *indicator as usize)), format!("critical item “{}” triggered → 0", indicator_name(wb, *indicator as usize))),
        Why::TotalRoundedUp { from, to } => l(lang, format!("{} ≥ {} 按 {} 计", num(*from), num(wb.scheme.total.round_up.map_or(*to, |r| r.from)), num(*to)), format!("{} ≥ {} counts as {}", num(*from), num(wb.scheme.total.round_up.map_or(*to, |r| r.from)), num(*to))),
        Why::PoolByScore { total } => l(lang, format!("{} / {divisor} × 奖金池 {pool}", num(*total)), format!("{} / {divisor} × pool {pool}", num(*total))),
        Why::PoolSplit { total, sum } => l(lang, format!("{} / 总分合计 {} × 奖金池 {pool}（最大余数法分到分）", num(*total), num(*sum)), format!("{} / sum of totals {} × pool {pool} (largest remainder, to the cent)", num(*total), num(*sum))),
        Why::Commission(c) => {
            let CommissionWhy { sales, completion, rate, slices } = c.as_ref();
            if slices.is_empty() {
                l(lang, format!("销售额 {sales}，完成率 {completion}% → 整额按 {rate}‰"), format!("sales {sales}, completion {completion}% → the whole amount at {rate}‰"))
            } else {
                let parts = slices.iter().map(|(s, r)| format!("{} × {r}‰", s.round_dp(2))).collect::<Vec<_>>().join(" + ");
                l(lang, format!("销售额 {sales}，完成率 {completion}% → 分段计提：{parts}"), format!("sales {sales}, completion {completion}% → each slice at its rate: {parts}"))
            }
        }
        Why::Product { factors } => factors.iter().map(|f| f.normalize().to_string()).collect::<Vec<_>>().join(" × "),
        Why::TenureAmount { months } => l(lang, format!("司龄 {months} 个月"), format!("{months} months of service")),
        Why::FormulaAmount { value } => l(lang, format!("按公式 = {}", num(*value)), format!("by formula = {}", num(*value))),
        Why::FormulaFailed { message } => l(lang, format!("公式无法计算（{}）", formula_message(message, lang)), format!("the formula cannot be computed ({message})")),
        Why::MissingFigure { metric } => l(lang, format!("缺少数据 {metric} → 0"), format!("figure {metric} is missing → 0")),
        Why::TenureUnknown => l(lang, "没有入职日期 → 0".into(), "no hire date → 0".into()),
        _ => String::new(),
    }
}

/// A warning about a period's results.
pub fn warning(wb: &Workbook, w: &Warning, lang: Lang) -> String {
    let who = w.agent.as_deref().map(|a| wb.agent(a).map_or(a.to_string(), |x| if x.name.is_empty() { x.id.clone() } else { x.name.clone() }));
    let what = w.indicator.map(|i| indicator_name(wb, i));
    let prefix = match (&who, &what) {
        (Some(a), Some(i)) => format!("{a} · {i}: "),
        (Some(a), None) => format!("{a}: "),
        (None, Some(i)) => format!("{i}: "),
        (None, None) => String::new(),
    };
    let body = match &w.kind {
        WarningKind::BandGap { value } => l(lang, format!("{} 落在区间的缺口里，按设定分数计；请补全区间表", num(*value)), format!("{} falls in a gap between bands and got the stated gap points; complete the band table", num(*value))),
        WarningKind::Formula { message } => l(lang, format!("公式无法计算：{}", formula_message(message, lang)), format!("the formula cannot be computed: {message}")),
        WarningKind::DerivedMetric { metric, message } => l(lang, format!("无法计算 {metric}：{}", formula_message(message, lang)), format!("{metric} cannot be computed: {message}")),
        WarningKind::QuotaBroken { grade, count, allowed, over } => {
            if *over {
                l(lang, format!("等级 {grade} 有 {count} 人，超过配额 {allowed} 人"), format!("grade {grade} has {count} people, more than its quota of {allowed}"))
            } else {
                l(lang, format!("等级 {grade} 只有 {count} 人，少于要求的 {allowed} 人"), format!("grade {grade} has {count} people, fewer than the {allowed} required"))
            }
        }
        WarningKind::PoolNotSplit { rule } => {
            let name = wb.scheme.bonus.get(*rule).map_or_else(String::new, |b| b.name.clone());
            l(lang, format!("奖金池“{name}”无法分配：总分合计不大于 0"), format!("pool “{name}” cannot be split: the totals add up to zero or less"))
        }
        WarningKind::NotRanked => l(lang, "没有数据，未参加排名".into(), "no figure, not ranked".into()),
        WarningKind::Commission { .. } => l(lang, "完成率为 0 但有销售额，无法分段计提".into(), "completion is 0 while there are sales: slices cannot be computed".into()),
    };
    format!("{prefix}{body}")
}

/// A validation finding, with its place.
pub fn issue(i: &Issue, lang: Lang) -> String {
    let sev = match (i.severity, lang) {
        (Severity::Error, Lang::ZhCn) => "错误",
        (Severity::Error, Lang::En) => "Error",
        (Severity::Warning, Lang::ZhCn) => "提示",
        (Severity::Warning, Lang::En) => "Warning",
    };
    format!("{sev} · {}: {}", i.place, problem(&i.problem, lang))
}

/// What is wrong, in words.
pub fn problem(p: &Problem, lang: Lang) -> String {
    let edge = |v: Option<f64>, incl: bool, lower: bool| match v {
        None => if lower { "−∞".to_string() } else { "+∞".to_string() },
        Some(x) => format!("{}{}", num(x), if incl { String::new() } else { l(lang, "（不含）".into(), " (excl.)".into()) }),
    };
    match p {
        Problem::EmptyId => l(lang, "编号不能为空".into(), "the id is empty".into()),
        Problem::DuplicateId { id } => l(lang, format!("编号“{id}”重复了"), format!("the id “{id}” is used twice")),
        Problem::Unknown { what, id } => l(lang, format!("找不到{}“{id}”", what_zh(what)), format!("there is no {what} “{id}”")),
        Problem::NotFinite => l(lang, "不是有效数字".into(), "not a valid number".into()),
        Problem::Negative => l(lang, "不能为负数".into(), "must not be negative".into()),
        Problem::NotWhole => l(lang, "次数必须是整数".into(), "a count must be a whole number".into()),
        Problem::OutOfRange { min, max } => l(lang, format!("应在 {} 到 {} 之间", num(*min), num(*max)), format!("must be between {} and {}", num(*min), num(*max))),
        Problem::WeightsNot100 { total } => l(lang, format!("权重合计 {}%，不是 100%；可一键按比例调整", num(*total)), format!("the weights total {}%, not 100%; normalise to fix", num(*total))),
        Problem::NeedsMetric => l(lang, "这条规则需要选择一个指标数据".into(), "this rule needs a metric".into()),
        Problem::NeedsWeight => l(lang, "这条规则需要设置权重（满分）".into(), "this rule needs a weight (full points)".into()),
        Problem::Formula(e) => match (e, lang) {
            (FormulaError::Empty, Lang::ZhCn) => "公式为空".into(),
            (FormulaError::TooLong { len }, Lang::ZhCn) => format!("公式太长（{len} 个字符，最多 {}）", crate::formula::MAX_LEN),
            (FormulaError::Syntax(m), Lang::ZhCn) => format!("公式写法有误：{m}"),
            (FormulaError::DivisionByZero, Lang::ZhCn) => "除数为零".into(),
            (other, Lang::ZhCn) => format!("公式有误：{other}"),
            (other, Lang::En) => other.to_string(),
        },
        Problem::FormulaCycle { metrics } => l(lang, format!("公式互相引用成环：{}", metrics.join(" → ")), format!("formulas refer to each other in a circle: {}", metrics.join(" → "))),
        Problem::FormulaUnknownName { name } => l(lang, format!("公式中的“{name}”不是已定义的指标数据"), format!("“{name}” in the formula is not a defined metric")),
        Problem::BandEmpty => l(lang, "区间下限大于上限，这个区间不包含任何数值".into(), "the band's lower edge is above its upper edge: it holds no value".into()),
        Problem::BandsOverlap { first, second, at } => l(lang, format!("第 {} 与第 {} 个区间重叠（例如 {}），先出现的生效", first + 1, second + 1, num(*at)), format!("bands {} and {} overlap (e.g. at {}); the first one wins", first + 1, second + 1, num(*at))),
        Problem::BandGap { from, from_inclusive, to, to_inclusive } => {
            let a = edge(*from, *from_inclusive, true);
            let b = edge(*to, *to_inclusive, false);
            l(lang, format!("区间有缺口：{a} 到 {b} 之间的数值不属于任何区间"), format!("the bands leave a gap: values from {a} to {b} fall in no band"))
        }
        Problem::Empty => l(lang, "不能为空".into(), "must not be empty".into()),
        Problem::MonthInTwoSeasons { month } => l(lang, format!("{month} 月同时属于两个季节"), format!("month {month} is in two seasons")),
        Problem::DuplicateSeasonTable => l(lang, "同一季节有两张区间表".into(), "two band tables for the same season".into()),
        Problem::NoPlaces => l(lang, "排名规则需要至少一个名次分数".into(), "a rank rule needs points for at least one place".into()),
        Problem::RatingScale => l(lang, "评分上限必须大于下限".into(), "the scale's highest score must be above its lowest".into()),
        Problem::BadDate { text } => l(lang, format!("“{text}”不是有效日期（格式 2026-10-31）"), format!("“{text}” is not a valid date (write 2026-10-31)")),
        Problem::PeriodCycle => l(lang, "期间的上级期间绕回了自己".into(), "the period is its own parent (through a loop)".into()),
        Problem::DuplicateRecord { agent, period } => l(lang, format!("{agent} 在 {period} 有两条记录"), format!("{agent} has two records for {period}")),
        Problem::FigureForDerived { metric } => l(lang, format!("“{metric}”由公式计算，填写的数值会被忽略"), format!("“{metric}” is computed by its formula; the figure given is ignored")),
        Problem::TiersNotAscending => l(lang, "提成档位的起点必须从小到大".into(), "commission tiers must start at increasing completion".into()),
        Problem::FloorAboveCap => l(lang, "下限大于上限".into(), "the floor is above the cap".into()),
        Problem::NotThatKind { expected } => l(lang, format!("这个考核项不是“{}”类型", what_zh(expected)), format!("this indicator is not of kind {expected}")),
        Problem::TooManyDecimals => l(lang, "小数位太多".into(), "too many decimal places".into()),
        Problem::NegativeMoney => l(lang, "金额不能为负".into(), "the amount must not be negative".into()),
    }
}

fn what_zh(what: &str) -> &'static str {
    match what {
        "metric" => "指标数据",
        "category" => "类别",
        "season" => "季节",
        "agent" => "客服",
        "period" => "期间",
        "grade" => "等级",
        "indicator" => "考核项",
        "checklist item" => "清单项",
        "format" => "文件格式",
        "rating" => "评分",
        "checklist" => "勾选清单",
        _ => "项目",
    }
}

/// Why a file could not be opened.
pub fn load_error(e: &LoadError, lang: Lang) -> String {
    match e {
        LoadError::TooLarge { bytes } => l(lang, format!("文件太大（{} MB），上限 5 MB", num(*bytes as f64 / 1048576.0)), format!("the file is too large ({} MB); the limit is 5 MB", num(*bytes as f64 / 1048576.0))),
        LoadError::NotJson { line, column, .. } => l(lang, format!("这不是有效的 JSON 文件（第 {line} 行第 {column} 列）"), format!("this is not a valid JSON file (line {line}, column {column})")),
        LoadError::TooDeep => l(lang, "文件嵌套层次太深，无法读取".into(), "the file is nested too deeply to read".into()),
        LoadError::NotAnObject => l(lang, "这不是计分卡文件（最外层不是对象）".into(), "this is not a scorecard file (the top level is not an object)".into()),
        LoadError::WrongFormat { found: Some(f) } => l(lang, format!("这不是计分卡文件（format 为“{f}”）"), format!("this is not a scorecard file (format is “{f}”)")),
        LoadError::WrongFormat { found: None } => l(lang, "这不是计分卡文件（缺少 format: \"kpi-scorecard\"）".into(), "this is not a scorecard file (no format: \"kpi-scorecard\")".into()),
        LoadError::MissingVersion => l(lang, "文件缺少版本号".into(), "the file has no version".into()),
        LoadError::Newer { version } => l(lang, format!("此文件由更新版本的程序制作（版本 {version}），请升级后再打开"), format!("this file was made by a newer version (format version {version}); please update the app")),
        LoadError::BadVersion => l(lang, "文件版本号无效".into(), "the file's version is not valid".into()),
        LoadError::Shape { place, message } => l(lang, format!("文件内容不完整或类型不对（{}）：{message}", if place.is_empty() { "?" } else { place }), format!("the file is incomplete or has a wrong type ({}): {message}", if place.is_empty() { "?" } else { place })),
        LoadError::BadNumber { place } => l(lang, format!("{place} 的数值无效或过大"), format!("the number at {place} is not valid or too large")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn numbers_and_money_read_naturally() {
        assert_eq!(num(80.4616), "80.46");
        assert_eq!(num(-1.0), "−1");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(signed(3.0), "+3");
        assert_eq!(money(Decimal::from_str("1234.5").unwrap(), "CNY", Lang::ZhCn), "¥1,234.50");
        assert_eq!(money(Decimal::from_str("-929.68").unwrap(), "CNY", Lang::En), "−¥929.68");
        assert_eq!(money(Decimal::from_str("1000000").unwrap(), "USD", Lang::En), "$1,000,000.00");
    }

    #[test]
    fn bands_read_as_inequalities() {
        let b = Band { min: Some(1100.0), min_inclusive: true, max: Some(1150.0), max_inclusive: false, points: -1.0 };
        assert_eq!(band_text(&b), "1100 ≤ x < 1150");
        let b = Band { min: Some(1150.0), min_inclusive: true, max: None, max_inclusive: false, points: 0.0 };
        assert_eq!(band_text(&b), "x ≥ 1150");
        let b = Band { min: None, min_inclusive: true, max: Some(1000.0), max_inclusive: false, points: -4.0 };
        assert_eq!(band_text(&b), "x < 1000");
    }

    #[test]
    fn ratings_and_grade_coefficients_are_explained_from_the_workbook() {
        // The explanation keeps only the scores; scale, weight, base and coefficient are
        // read back from the workbook and must read as before.
        let mut wb = crate::presets::load("hotel").and_then(Result::ok).expect("hotel preset");
        let i = wb.scheme.indicators.iter().position(|x| matches!(x.rule, Rule::Rating { .. })).expect("a rating indicator");
        if let Rule::Rating { drop_extremes, .. } = &mut wb.scheme.indicators[i].rule {
            *drop_extremes = true;
        }
        let (min, max) = match wb.scheme.indicators[i].rule {
            Rule::Rating { min, max, .. } => (min, max),
            _ => unreachable!(),
        };
        let weight = wb.scheme.indicators[i].weight.unwrap_or(0.0);
        let (points, why) = crate::engine::rules::rating(&[Some(max), Some(min), None, Some(max - 1.0), Some(max - 2.0)], min, max, true, weight);
        let text = indicator(&wb, i, &IndicatorResult { value: None, points, why }, Lang::En);
        let mean = ((max - 1.0) + (max - 2.0)) / 2.0;
        assert!(text.contains(&format!("ratings {}, {}", num(max - 2.0), num(max - 1.0))), "{text}");
        assert!(text.contains(&format!("(dropped highest and lowest: {}, {})", num(min), num(max))), "{text}");
        assert!(text.contains(&format!("mean {} on a {}–{} scale × weight {}", num(mean), num(min), num(max), num(weight))), "{text}");

        let mut wb = crate::presets::load("general").and_then(Result::ok).expect("general preset");
        let results = crate::engine::score(&wb).expect("scores");
        let b = wb.scheme.bonus.iter().position(|r| matches!(r.kind, BonusKind::GradeCoefficient { .. })).expect("a grade bonus");
        let ar = results.periods[0].agents().find(|a| a.grade.is_some()).expect("a graded agent");
        let part = ar.bonus_parts.iter().find(|p| p.rule == b).expect("its part");
        let band = wb.scheme.grades.bands.iter().find(|g| Some(g.grade.as_str()) == ar.grade).expect("its band");
        let base = match &wb.scheme.bonus[b].kind {
            BonusKind::GradeCoefficient { base } => base.or(wb.agents[ar.agent_index].base_pay).unwrap_or_default(),
            _ => unreachable!(),
        };
        let line = bonus(&wb, &ar, part, Lang::En);
        match band.coefficient {
            Some(c) => assert!(line.contains(&format!("base {base} × grade coefficient {c}")), "{line}"),
            None => assert!(line.contains("no coefficient for this grade"), "{line}"),
        }
        // Without a coefficient for the grade: said so.
        for g in &mut wb.scheme.grades.bands {
            g.coefficient = None;
        }
        assert!(bonus(&wb, &ar, part, Lang::En).contains("no coefficient for this grade → 0"));
    }
}
