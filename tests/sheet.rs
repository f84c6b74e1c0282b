//! Spreadsheets in and out, and chart geometry.
//!
//! Fixtures in `tests/fixtures/csv/`: the same October figures for the general preset
//! as UTF-8, UTF-8 with BOM, GBK and two .xlsx files (inline and shared strings,
//! percent and time formats); a messy tab-separated file; a semicolon file with
//! decimal commas; a file with an unclosed quote; a file with bad values.

use scorecard::charts::{self, Mark};
use scorecard::i18n::Lang;
use scorecard::model::Workbook;
use scorecard::sheet::{self, ColumnMapping, Decoded, Problem, Table, Target};
use scorecard::{engine, presets, store};
use std::collections::BTreeMap;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/csv/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn preset(id: &str) -> Workbook {
    presets::load(id).unwrap().unwrap()
}

/// What the UI does: decode (GBK through the browser's decoder, here encoding_rs),
/// then parse.
fn table_of(bytes: &[u8]) -> Table {
    if sheet::is_xlsx(bytes) {
        return sheet::read_xlsx(bytes).unwrap_or_else(|e| panic!("{}", e.message(Lang::En)));
    }
    let text = match sheet::decode(bytes) {
        Decoded::Text(t) => t,
        Decoded::NeedsGbk => {
            let (text, _, had_errors) = encoding_rs::GBK.decode(bytes);
            assert!(!had_errors);
            text.into_owned()
        }
    };
    Table::parse(&text).unwrap_or_else(|e| panic!("{}", e.message(Lang::En)))
}

fn figures(wb: &Workbook, period: &str) -> BTreeMap<String, BTreeMap<String, f64>> {
    wb.records.iter().filter(|r| r.period == period).map(|r| (r.agent.clone(), r.figures.iter().map(|(k, v)| (k.to_string(), *v)).collect())).collect()
}

fn import(wb: &Workbook, bytes: &[u8]) -> (Workbook, sheet::Summary) {
    let table = table_of(bytes);
    let mapping = sheet::guess(wb, &table, None);
    sheet::apply(wb, "2026-10", &mapping, &table, false).unwrap_or_else(|e| panic!("{:?}", e.iter().map(|e| e.message(Lang::En)).collect::<Vec<_>>()))
}

fn m(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

// ---------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------

#[test]
fn utf8_bom_gbk_and_xlsx_import_to_the_same_figures() {
    let wb = preset("general");
    let utf8 = fixture("general-2026-10.csv");
    let bom = fixture("general-2026-10-bom.csv");
    let gbk = fixture("general-2026-10-gbk.csv");
    assert!(bom.starts_with(&[0xef, 0xbb, 0xbf]));
    assert_eq!(sheet::decode(&gbk), Decoded::NeedsGbk);
    // The committed GBK file is the UTF-8 file encoded as GBK.
    let text = String::from_utf8(utf8.clone()).unwrap();
    let (encoded, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert_eq!(encoded.as_ref(), gbk.as_slice());

    let (from_utf8, summary) = import(&wb, &utf8);
    let expected = figures(&from_utf8, "2026-10");
    assert_eq!(expected["a1"], m(&[("response", 21.0), ("tickets", 1012.0), ("solved", 990.0), ("csat", 96.5), ("per_day", 44.1), ("retention", 94.0)]));
    assert_eq!(expected["a2"]["response"], 35.0);
    assert_eq!(expected["a3"]["tickets"], 710.0, "full-width digits");
    assert_eq!(expected["a3"]["response"], 42.0, "42 秒");
    assert!(!expected["a3"].contains_key("retention"), "— clears the figure");
    assert_eq!(expected["a4"]["response"], 31.0, "0:31");
    assert_eq!(summary.agents, 8);
    assert_eq!(summary.total_rows, vec![11], "the 合计 row is skipped");
    assert_eq!(summary.cleared, 1);
    assert!(summary.new_agents.is_empty());
    // Other periods untouched.
    assert_eq!(figures(&from_utf8, "2026-09"), figures(&wb, "2026-09"));

    for (name, bytes) in [("bom", bom), ("gbk", gbk), ("xlsx", fixture("general-2026-10.xlsx")), ("xlsx shared strings", fixture("general-2026-10-shared.xlsx"))] {
        let (other, s) = import(&wb, &bytes);
        assert_eq!(figures(&other, "2026-10"), expected, "{name}");
        assert_eq!(s.agents, 8, "{name}");
    }
    // The imported workbook scores.
    let pr = engine::score_period(&from_utf8, "2026-10").unwrap();
    assert_eq!(pr.len(), 8);
}

#[test]
fn the_mapping_is_guessed_from_headers() {
    let wb = preset("general");
    let table = table_of(&fixture("general-2026-10.csv"));
    assert_eq!(table.header_row, 2, "the title line above the header is skipped");
    assert_eq!(table.delimiter, Some(','));
    // Quoted fields with a comma, a line break and doubled quotes.
    assert_eq!(table.rows[0].cells[8], "按时,准确");
    assert_eq!(table.rows[1].cells[8], "第一行\n第二行");
    assert_eq!(table.rows[3].cells[8], "说 \"很好\"");
    let mapping = sheet::guess(&wb, &table, None);
    let targets: Vec<String> = mapping.columns.iter().map(|c| c.target.key()).collect();
    assert_eq!(targets, ["agent_id", "agent_name", "metric:response", "metric:tickets", "metric:solved", "metric:csat", "metric:per_day", "metric:retention", "ignore"]);
    // The choices offered for a column: no derived metrics.
    let choices = sheet::targets(&wb, Lang::ZhCn);
    assert!(choices.iter().all(|(t, _)| t.key() != "metric:resolution"));
    assert_eq!(choices[1].1, "工号（客服 ID）");
}

#[test]
fn messy_values_parse() {
    let wb = preset("general");
    let table = table_of(&fixture("messy.tsv"));
    assert_eq!(table.delimiter, Some('\t'));
    let mut mapping = sheet::guess(&wb, &table, None);
    // "AHT" is not a name the scheme knows: the user maps it.
    assert_eq!(mapping.columns[2].target, Target::Ignore);
    assert_eq!(mapping.columns[0].target, Target::AgentId);
    assert_eq!(mapping.columns[1].target, Target::AgentName);
    mapping.set(2, Target::from_key("metric:response"));

    let preview = sheet::preview(&wb, "2026-10", &mapping, &table).unwrap();
    assert_eq!(preview.new_agents.len(), 1);
    assert_eq!(preview.new_agents[0].id, "a9");
    assert_eq!(preview.new_agents[0].name, "New Person");
    assert_eq!(preview.total_rows, vec![7]);
    assert!(preview.message(Lang::En).contains("1 agents not in this workbook were skipped: New Person"), "{}", preview.message(Lang::En));

    let (out, summary) = sheet::apply(&wb, "2026-10", &mapping, &table, true).unwrap();
    let f = figures(&out, "2026-10");
    assert_eq!(f["a1"], m(&[("response", 75.0), ("tickets", 12000.0), ("solved", 11000.0), ("csat", 95.5), ("per_day", 40.0), ("retention", 93.5)]), "A1 matches a1; 00:01:15, 1.2万, ９５．５％");
    assert_eq!(f["a2"]["response"], 65.0, "1m5s");
    assert!(!f["a2"].contains_key("retention"), "N/A clears");
    assert_eq!(f["a3"]["tickets"], 1200.0, "matched by name, 1 200");
    assert_eq!(f["a3"]["response"], 35.0, "35 sec");
    assert_eq!(f["a9"]["response"], 40.0);
    let added = out.agent("a9").unwrap();
    assert_eq!(added.name, "New Person");
    assert_eq!(added.team, wb.agents.last().unwrap().team);
    assert!(summary.added_new_agents);
    assert_eq!(summary.agents, 4);
    // a4..a8 were not in the file and keep their figures.
    assert_eq!(summary.not_in_file, ["a4", "a5", "a6", "a7", "a8"]);
    assert_eq!(f["a5"], figures(&wb, "2026-10")["a5"]);
    assert!(engine::score_period(&out, "2026-10").is_ok());

    // Without adding: a9's row is skipped, nobody is added.
    let (out, _) = sheet::apply(&wb, "2026-10", &mapping, &table, false).unwrap();
    assert!(out.agent("a9").is_none());
    assert_eq!(out.agents.len(), wb.agents.len());
}

#[test]
fn a_remembered_mapping_is_offered_again() {
    let wb = preset("general");
    let table = table_of(&fixture("messy.tsv"));
    let mut mapping = sheet::guess(&wb, &table, None);
    mapping.set(2, Target::Metric { metric: "response".into() });
    let json = mapping.to_json();
    // The same JSON as the serde form.
    assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap(), serde_json::to_value(&mapping).unwrap());
    assert!(json.contains(r#"{"header":"AHT","metric":"response","to":"metric"}"#), "{json}");
    assert_eq!(serde_json::from_str::<ColumnMapping>(&json).unwrap(), mapping);
    let remembered = ColumnMapping::from_json(&json).unwrap();
    assert_eq!(remembered, mapping);
    let again = sheet::guess(&wb, &table, Some(&remembered));
    assert_eq!(again.columns[2].target, Target::Metric { metric: "response".into() });
    // Setting a target another column has moves it.
    let mut moved = again.clone();
    moved.set(3, Target::Metric { metric: "response".into() });
    assert_eq!(moved.columns[2].target, Target::Ignore);
    assert!(ColumnMapping::from_json("not json").is_none());
}

#[test]
fn semicolon_files_with_decimal_commas() {
    let wb = preset("general");
    let table = table_of(&fixture("eu-semicolon.csv"));
    assert_eq!(table.delimiter, Some(';'));
    assert_eq!(table.header[0], "ID");
    let mapping = sheet::guess(&wb, &table, None);
    assert!(mapping.decimal_comma);
    let (out, _) = sheet::apply(&wb, "2026-10", &mapping, &table, false).unwrap();
    let f = figures(&out, "2026-10");
    assert_eq!(f["a1"]["csat"], 92.5);
    assert_eq!(f["a1"]["retention"], 91.25);
    assert_eq!(f["a1"]["per_day"], 1041.5);
    assert_eq!(f["a2"]["per_day"], 36.2);
}

#[test]
fn a_malformed_file_gets_a_clear_message_and_changes_nothing() {
    // An unclosed quote: the row where it opened.
    let text = String::from_utf8(fixture("bad-quote.csv")).unwrap();
    let err = Table::parse(&text).unwrap_err();
    assert_eq!(err.problem, Problem::UnclosedQuote);
    assert_eq!(err.message(Lang::ZhCn), "第 3 行，B 列：引号没有闭合（文件可能已损坏或不是 CSV）");
    assert_eq!(err.message(Lang::En), "Row 3, column B: a quote opened here never closes (the file may be damaged or not CSV)");

    // Bad values: every bad cell, by row and column; the workbook is untouched.
    let wb = preset("general");
    let before = wb.clone();
    let table = table_of(&fixture("bad-values.csv"));
    let mapping = sheet::guess(&wb, &table, None);
    let errors = sheet::apply(&wb, "2026-10", &mapping, &table, true).unwrap_err();
    let zh: Vec<String> = errors.iter().map(|e| e.message(Lang::ZhCn)).collect();
    let en: Vec<String> = errors.iter().map(|e| e.message(Lang::En)).collect();
    assert_eq!(
        zh,
        [
            "第 2 行，D 列（客户满意度）：“abc” 不是数字",
            "第 3 行，C 列（受理问题数）：“3.5” 应为整数（这是计数指标）",
            "第 3 行，E 列（平均响应时间）：“1:75” 不是有效的时长（应为 时:分:秒 或 分:秒）",
            "第 4 行，D 列（客户满意度）：“#DIV/0!” 是表格的错误值，请先在表格中修正",
        ]
    );
    assert_eq!(en[0], "Row 2, column D (客户满意度): “abc” is not a number");
    assert_eq!(wb, before);
    assert_eq!(sheet::preview(&wb, "2026-10", &mapping, &table).unwrap_err().len(), 4);

    // Not a table at all.
    assert_eq!(Table::parse("").unwrap_err().problem, Problem::Empty);
    assert_eq!(Table::parse("工号,姓名\n").unwrap_err().problem, Problem::NoRows);
    assert_eq!(sheet::read_xlsx(b"PK\x03\x04garbage").unwrap_err().problem, Problem::NotXlsx);

    // A mapping with no agent column, or into a period that does not exist.
    let table = table_of(&fixture("general-2026-10.csv"));
    let mut no_agent = sheet::guess(&wb, &table, None);
    no_agent.set(0, Target::Ignore);
    no_agent.set(1, Target::Ignore);
    let e = sheet::apply(&wb, "2026-10", &no_agent, &table, false).unwrap_err();
    assert_eq!(e[0].message(Lang::En), "Choose the column that holds the agent id or name");
    let mapping = sheet::guess(&wb, &table, None);
    let e = sheet::apply(&wb, "2030-01", &mapping, &table, false).unwrap_err();
    assert_eq!(e[0].message(Lang::ZhCn), "没有期间“2030-01”");
    // A derived metric cannot be imported.
    let mut derived = mapping.clone();
    derived.set(8, Target::Metric { metric: "resolution".into() });
    let e = sheet::apply(&wb, "2026-10", &derived, &table, false).unwrap_err();
    assert!(matches!(e[0].problem, Problem::DerivedMetric { .. }));
}

#[test]
fn duplicate_and_ambiguous_agents_are_refused() {
    let wb = preset("general");
    let table = Table::parse("工号,姓名,客户满意度\na1,林晓雯,90\na2,陈子豪,80\nA1,林晓雯,70\n").unwrap();
    let mapping = sheet::guess(&wb, &table, None);
    let e = sheet::apply(&wb, "2026-10", &mapping, &table, false).unwrap_err();
    assert_eq!(e[0].message(Lang::En), "Row 4, column A (工号): “A1” already appears on row 2");

    let mut twins = wb.clone();
    twins.agents[1].name = "林晓雯".into();
    let table = Table::parse("姓名,客户满意度\n林晓雯,90\n").unwrap();
    let mapping = sheet::guess(&twins, &table, None);
    let e = sheet::apply(&twins, "2026-10", &mapping, &table, false).unwrap_err();
    assert_eq!(e[0].message(Lang::ZhCn), "第 2 行，A 列（姓名）：有多名客服叫“林晓雯”（a1、a2），请加上工号列");
}

// ---------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------

#[test]
fn csv_export_has_the_bom_and_one_row_per_agent_in_rank_order() {
    let wb = preset("courier");
    let pr = engine::score_period(&wb, "2026-10").unwrap();
    let csv = sheet::results_csv(&wb, &pr, Lang::ZhCn);
    assert!(csv.as_bytes().starts_with(&[0xef, 0xbb, 0xbf]));
    assert!(csv.ends_with("\r\n"));
    let rows = sheet::csv::split(&csv, ',').unwrap();
    assert_eq!(rows.len(), pr.len() + 1);
    let n_ind = wb.scheme.indicators.len();
    let n_cat = wb.scheme.categories.len();
    let header = &rows[0];
    assert_eq!(header.len(), 3 + n_ind + n_cat + 3);
    assert_eq!(&header[..3], ["排名", "工号", "姓名"]);
    assert_eq!(&header[header.len() - 3..], ["总分", "等级", "奖金"]);
    assert_eq!(header[3 + n_ind], format!("{}小计", wb.scheme.categories[0].name));
    for (row, a) in rows[1..].iter().zip(pr.agents()) {
        assert_eq!(row[0], a.rank.to_string());
        assert_eq!(row[1], a.agent);
        assert_eq!(row[2], a.name);
        for (i, r) in a.indicators.iter().enumerate() {
            assert!((row[3 + i].parse::<f64>().unwrap() - r.points).abs() < 1e-6);
        }
        assert_eq!(row[row.len() - 3].parse::<f64>().unwrap(), a.total);
        assert_eq!(row[row.len() - 2], a.grade.unwrap_or_default());
        let mut bonus = a.bonus;
        bonus.rescale(2);
        assert_eq!(row[row.len() - 1], bonus.to_string(), "bonus as a decimal string with 2 places");
    }
    let ranks: Vec<u32> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
    // English headers.
    let en = sheet::results_csv(&wb, &pr, Lang::En);
    assert!(en.starts_with("\u{feff}Rank,Agent id,Name,"));
    assert!(en.lines().next().unwrap().ends_with("Total,Grade,Bonus"));
    assert_eq!(sheet::file_name(&wb, "2026-10", "csv"), format!("{}-2026-10-results.csv", store::sanitize_file_stem(&wb.meta.title)));
}

#[test]
fn csv_export_guards_against_formulas_but_keeps_negative_numbers() {
    let mut wb = preset("courier");
    wb.agents[0].name = "=HYPERLINK(\"http://x\",\"y\")".into();
    wb.agents[1].name = "@SUM(A1)".into();
    wb.agents[2].name = "-x, \"quoted\"".into();
    let pr = engine::score_period(&wb, "2026-10").unwrap();
    let csv = sheet::results_csv(&wb, &pr, Lang::En);
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""));
    assert!(csv.contains(",'@SUM(A1),"));
    assert!(csv.contains(",\"'-x, \"\"quoted\"\"\","));
    let rows = sheet::csv::split(&csv, ',').unwrap();
    // Negative points are numbers: no quote prefix.
    let negatives: Vec<&String> = rows[1..].iter().flat_map(|r| r.iter().skip(3)).filter(|c| c.starts_with('-')).collect();
    assert!(!negatives.is_empty(), "the courier preset has deductions");
    assert!(negatives.iter().all(|c| c.parse::<f64>().is_ok()));
    assert!(rows[1..].iter().flat_map(|r| r.iter()).all(|c| !c.starts_with("'-") || c.parse::<f64>().is_err()));
}

#[test]
fn xlsx_export_reads_back_with_the_same_numbers() {
    use calamine::{Data, Reader, Xlsx};
    for id in ["general", "courier", "ecommerce", "hotel"] {
        let wb = preset(id);
        let period = wb.periods.last().unwrap().id.clone();
        let pr = engine::score_period(&wb, &period).unwrap();
        for lang in Lang::ALL {
            let bytes = sheet::results_xlsx(&wb, &pr, lang);
            let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
            let names = book.sheet_names().to_vec();
            assert_eq!(names, if lang == Lang::ZhCn { ["结果", "说明"] } else { ["Results", "Explanations"] });
            let results = book.worksheet_range(&names[0]).unwrap();
            let rows: Vec<&[Data]> = results.rows().collect();
            assert_eq!(rows.len(), pr.len() + 1, "{id}");
            let width = rows[0].len();
            for (row, a) in rows[1..].iter().zip(pr.agents()) {
                assert_eq!(row[0], Data::Float(a.rank as f64));
                assert_eq!(row[1], Data::String(a.agent.to_string()));
                assert_eq!(row[2], Data::String(a.name.to_string()));
                for (i, r) in a.indicators.iter().enumerate() {
                    assert_eq!(row[3 + i], Data::Float(r.points), "{id} {} indicator {i}", a.agent);
                }
                for (c, r) in a.categories.iter().enumerate() {
                    assert_eq!(row[3 + a.indicators.len() + c], Data::Float(r.points));
                }
                assert_eq!(row[width - 3], Data::Float(a.total));
                let bonus: f64 = a.bonus.to_string().parse().unwrap();
                assert_eq!(row[width - 1], Data::Float(bonus));
            }
            let explanations = book.worksheet_range(&names[1]).unwrap();
            let per_agent = wb.scheme.indicators.len() + wb.scheme.categories.len() + 1;
            assert!(explanations.rows().count() > pr.len() * per_agent, "{id}");
            // Our own reader agrees.
            let back = sheet::read_xlsx_rows(&bytes).unwrap();
            assert_eq!(back.len(), pr.len() + 1);
            assert_eq!(back[1][width - 3].parse::<f64>().unwrap(), pr.agent_at(0).unwrap().total);
        }
    }
}

#[test]
fn explanations_sheet_has_a_line_per_indicator() {
    let wb = preset("general");
    let pr = engine::score_period(&wb, "2026-10").unwrap();
    let s = sheet::explanations_sheet(&wb, &pr, Lang::ZhCn);
    assert_eq!(s.header.last().unwrap(), "说明");
    let first = &pr.agent_at(0).unwrap();
    let lines: Vec<&sheet::Cell> = s.rows.iter().filter(|r| r[1] == sheet::Cell::Text(first.agent.to_string())).map(|r| &r[6]).collect();
    assert_eq!(lines.len(), wb.scheme.indicators.len() + wb.scheme.categories.len() + 1 + first.bonus_parts.len());
    let sheet::Cell::Text(line) = lines[0] else { panic!() };
    assert_eq!(*line, scorecard::explain::indicator(&wb, 0, &first.indicators[0], Lang::ZhCn));
}

// ---------------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------------

fn rect(m: &Mark) -> (f64, f64, f64, f64, &str, &str) {
    match m {
        Mark::Rect { x, y, w, h, class, key, .. } => (*x, *y, *w, *h, class.as_str(), key.as_str()),
        _ => panic!("not a rect"),
    }
}

#[test]
fn ranked_bars_one_per_agent_in_rank_order_best_tallest() {
    for id in ["general", "courier", "ecommerce", "hotel"] {
        let wb = preset(id);
        let period = wb.periods.last().unwrap().id.clone();
        let pr = engine::score_period(&wb, &period).unwrap();
        let chart = charts::ranked_bars(&wb, &pr, Lang::ZhCn);
        let bars = chart.bars();
        assert_eq!(bars.len(), pr.len(), "{id}");
        let keys: Vec<&str> = bars.iter().map(|b| rect(b).5).collect();
        let ranked: Vec<&str> = pr.agents().map(|a| a.agent).collect();
        assert_eq!(keys, ranked, "{id}: rank order");
        // Signed heights: a negative total's bar hangs below the zero line.
        let heights: Vec<f64> = bars.iter().map(|b| if rect(b).4.contains("chart-bar-negative") { -rect(b).3 } else { rect(b).3 }).collect();
        let tallest = heights.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(heights[0], tallest, "{id}: the best is tallest");
        assert!(heights.windows(2).all(|w| w[0] >= w[1] - 1e-9), "{id}: {heights:?}");
        // Left to right, inside the chart.
        let xs: Vec<f64> = bars.iter().map(|b| rect(b).0).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
        assert!(bars.iter().all(|b| {
            let (x, y, w, h, ..) = rect(b);
            x >= 0.0 && y >= 0.0 && x + w <= chart.width && y + h <= chart.height
        }));
        // Height proportional to the total over the axis.
        let (_, y0, _, h0, ..) = rect(bars[0]);
        let zero = chart.axis.ticks.iter().find(|t| t.value == 0.0).unwrap().pos;
        assert!((y0 + h0 - zero).abs() < 1e-6);
        let per_point = chart.plot.h / (chart.axis.max - chart.axis.min);
        assert!((h0 - pr.agent_at(0).unwrap().total * per_point).abs() < 1e-6);
        // Grade bands behind, one per grade within the axis.
        let bands = chart.marks.iter().filter(|m| matches!(m, Mark::Rect { class, .. } if class.starts_with("chart-band"))).count();
        assert_eq!(bands, wb.scheme.grades.bands.len(), "{id}");
        assert!(chart.title.starts_with("总分排名"));
        assert!(chart.desc.contains(pr.agent_at(0).unwrap().name));
        assert_eq!(chart.items.len(), pr.len());
        // Colours are classes, never hex.
        assert!(chart.marks.iter().all(|m| !format!("{m:?}").contains('#')));
    }
}

#[test]
fn agent_history_and_categories_and_slope() {
    let wb = preset("courier");
    let results = engine::score(&wb).unwrap();
    let pr = results.periods.last().unwrap();
    let a = &pr.agent_at(0).unwrap();

    let cats = charts::agent_categories(&wb, pr, a.agent, Lang::En).unwrap();
    assert_eq!(cats.bars().len(), wb.scheme.categories.len());
    for (item, c) in cats.items.iter().zip(a.categories) {
        assert_eq!(item.value, c.points);
    }
    assert_eq!(cats.items[0].other, wb.scheme.categories[0].full, "out of the category's full points");
    assert!(cats.title.contains("points by category"));
    assert!(charts::agent_categories(&wb, pr, "nobody", Lang::En).is_none());
    // No categories: by indicator.
    let general = preset("general");
    let gpr = engine::score_period(&general, "2026-10").unwrap();
    let by_ind = charts::agent_categories(&general, &gpr, "a1", Lang::ZhCn).unwrap();
    assert_eq!(by_ind.bars().len(), general.scheme.indicators.len());

    let history = charts::agent_history(&wb, &results, a.agent, Lang::ZhCn).unwrap();
    let dots: Vec<&Mark> = history.marks.iter().filter(|m| matches!(m, Mark::Circle { .. })).collect();
    assert_eq!(dots.len(), wb.periods.len());
    assert_eq!(history.items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), wb.periods.iter().map(|p| p.id.as_str()).collect::<Vec<_>>());
    assert!(history.marks.iter().any(|m| matches!(m, Mark::Polyline { points, .. } if points.len() == wb.periods.len())));
    // A month of weeks: only the month.
    let ecommerce = preset("ecommerce");
    let eres = engine::score(&ecommerce).unwrap();
    let h = charts::agent_history(&ecommerce, &eres, &ecommerce.agents[0].id, Lang::En).unwrap();
    assert_eq!(h.items.len(), 1);

    // Slope: pin the baseline, change a figure, compare.
    let baseline = store::Baseline::pin(pr, 1_790_000_000_000);
    let mut changed = wb.clone();
    let last = pr.agents().last().unwrap().agent.to_string();
    let period = pr.period.clone();
    for r in changed.records.iter_mut().filter(|r| r.period == period) {
        if r.agent == last {
            for v in r.figures.values_mut() {
                *v *= 2.0;
            }
        }
    }
    let now = engine::score_period(&changed, &period).unwrap();
    let chart = charts::slope(&changed, &baseline, &now, Lang::En);
    let slopes: Vec<&Mark> = chart.marks.iter().filter(|m| matches!(m, Mark::Line { class, .. } if class.starts_with("chart-slope"))).collect();
    assert_eq!(slopes.len(), now.len());
    assert!(chart.desc.starts_with(&format!("{} agents:", now.len())));
    // Labels never overlap on a side.
    let mut right: Vec<f64> = chart.marks.iter().filter_map(|m| match m {
        Mark::Text { y, anchor: charts::Anchor::Start, class, .. } if class == "chart-label" => Some(*y),
        _ => None,
    }).collect();
    right.sort_by(f64::total_cmp);
    assert!(right.windows(2).all(|w| w[1] - w[0] >= 14.0 - 1e-9), "{right:?}");
}

// ---------------------------------------------------------------------------------
// Never a panic
// ---------------------------------------------------------------------------------

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn any_text_is_a_table_or_a_message(text in "[a-z0-9,;\t\"\r\n 工号姓名%:.万—-]{0,200}") {
            let wb = preset("general");
            if let Ok(table) = Table::parse(&text) {
                let mapping = sheet::guess(&wb, &table, None);
                let _ = sheet::preview(&wb, "2026-10", &mapping, &table);
                if let Err(errors) = sheet::apply(&wb, "2026-10", &mapping, &table, true) {
                    for e in errors {
                        prop_assert!(!e.message(Lang::En).is_empty());
                    }
                }
            }
        }

        #[test]
        fn any_cell_cleans_or_says_why(text in "\\PC{0,16}") {
            for unit in ["", "s", "min", "分", "%", "件"] {
                let _ = sheet::clean(&text, sheet::Expect { unit, count: unit == "件" }, sheet::NumberStyle::default());
                let _ = sheet::clean(&text, sheet::Expect { unit, count: false }, sheet::NumberStyle { decimal_comma: true });
            }
        }

        #[test]
        fn damaged_xlsx_is_refused_not_a_crash(flips in proptest::collection::vec((0usize..7000, any::<u8>()), 1..8), cut in 0usize..7000) {
            let mut bytes = fixture("general-2026-10-shared.xlsx");
            for (at, b) in flips {
                let n = bytes.len();
                bytes[at % n] = b;
            }
            let _ = sheet::read_xlsx(&bytes);
            bytes.truncate(cut.min(bytes.len()));
            let _ = sheet::read_xlsx(&bytes);
            let _ = sheet::decode(&bytes);
        }
    }
}
