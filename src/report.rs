//! The results as JSON: the public format `scorecard score` prints and exports embed.
//!
//! Names that are part of the public format: per period `period`, `agents` (in rank
//! order), and per agent `agent` (its id), `name`, `total`, `rank`, `grade`, `bonus`
//! (a decimal string, e.g. "929.68"), and `indicators` with `id`, `value`, `points`,
//! `explanation`. Other fields may be added; these will not change meaning.

use crate::explain;
use crate::i18n::Lang;
use crate::model::Workbook;
use crate::results::Results;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsDoc {
    pub format: String,
    pub version: u32,
    pub periods: Vec<PeriodDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodDoc {
    pub period: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<String>,
    pub agents: Vec<AgentDoc>,
    /// Per indicator: mean, median, min, max of the points.
    #[serde(default)]
    pub stats: Vec<StatsDoc>,
    #[serde(default)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentDoc {
    pub agent: String,
    pub name: String,
    pub total: f64,
    pub rank: u32,
    pub grade: Option<String>,
    pub bonus: String,
    pub indicators: Vec<IndicatorDoc>,
    #[serde(default)]
    pub categories: Vec<LineDoc>,
    #[serde(default)]
    pub bonus_parts: Vec<LineDoc>,
    #[serde(default)]
    pub total_explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDoc {
    pub id: String,
    pub value: Option<f64>,
    pub points: f64,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineDoc {
    pub id: String,
    /// Points for a category, a decimal string for money.
    pub amount: serde_json::Value,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsDoc {
    pub indicator: String,
    pub mean: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

/// Builds the results document, with explanations in `lang`.
pub fn document(wb: &Workbook, results: &Results, lang: Lang) -> ResultsDoc {
    let s = &wb.scheme;
    let periods = results
        .periods
        .iter()
        .map(|p| PeriodDoc {
            period: p.period.clone(),
            season: p.season.and_then(|i| s.seasons.get(i)).map(|x| x.id.clone()),
            agents: p
                .agents()
                .map(|a| AgentDoc {
                    agent: a.agent.to_string(),
                    name: a.name.to_string(),
                    total: a.total,
                    rank: a.rank,
                    grade: a.grade.map(String::from),
                    bonus: a.bonus.to_string(),
                    indicators: a
                        .indicators
                        .iter()
                        .enumerate()
                        .map(|(i, r)| IndicatorDoc { id: s.indicators[i].id.clone(), value: r.value, points: r.points, explanation: explain::indicator(wb, i, r, lang) })
                        .collect(),
                    categories: a
                        .categories
                        .iter()
                        .enumerate()
                        .map(|(c, r)| LineDoc { id: s.categories[c].id.clone(), amount: serde_json::json!(r.points), explanation: explain::category(wb, c, r.points, &r.why, lang) })
                        .collect(),
                    bonus_parts: a
                        .bonus_parts
                        .iter()
                        .map(|b| LineDoc { id: s.bonus[b.rule].id.clone(), amount: serde_json::json!(b.amount.to_string()), explanation: explain::bonus(wb, &a, b, lang) })
                        .collect(),
                    total_explanation: explain::total(wb, &a, lang),
                })
                .collect(),
            stats: p.stats.iter().enumerate().map(|(i, st)| StatsDoc { indicator: s.indicators[i].id.clone(), mean: st.mean, median: st.median, min: st.min, max: st.max }).collect(),
            warnings: p.warnings.iter().map(|w| explain::warning(wb, w, lang)).collect(),
        })
        .collect();
    ResultsDoc { format: "kpi-scorecard-results".into(), version: 1, periods }
}

/// The document as pretty JSON text.
pub fn to_json(doc: &ResultsDoc) -> String {
    crate::workbook::write_json(doc, true)
}
