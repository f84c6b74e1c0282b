//! Each rule kind end to end, with the source documents' own figures
//! (../shared/DOMAIN.md): a workbook in, scores, ranks, grades, money and warnings out.

use scorecard::engine;
use scorecard::model::Workbook;
use scorecard::results::{PeriodResults, WarningKind};
use scorecard::validate::{self, Problem};
use scorecard::workbook;

fn wb(json: &str) -> Workbook {
    workbook::parse(json).unwrap_or_else(|e| panic!("test workbook does not load: {e}"))
}

fn period<'a>(r: &'a scorecard::results::Results, id: &str) -> &'a PeriodResults {
    r.period(id).unwrap_or_else(|| panic!("no period {id}"))
}

fn points(p: &PeriodResults, agent: &str, indicator: usize) -> f64 {
    p.agent(agent).unwrap_or_else(|| panic!("no agent {agent}")).indicators[indicator].points
}

#[test]
fn web_store_derived_ratios() {
    let w = wb(r#"{"format":"kpi-scorecard","version":1,"scheme":{
        "metrics":[
          {"id":"contacts"},{"id":"inquirers"},{"id":"orderers"},{"id":"final"},{"id":"later"},{"id":"lost"},{"id":"ordered"},
          {"id":"inquiry","unit":"%","formula":"inquirers / contacts * 100"},
          {"id":"payment","unit":"%","formula":"(final + later) / orderers * 100"},
          {"id":"churn","unit":"%","better":"lower","formula":"lost / ordered * 100"}],
        "indicators":[
          {"id":"i","metric":"inquiry","rule":{"kind":"formula","expr":"inquiry"}},
          {"id":"p","metric":"payment","rule":{"kind":"formula","expr":"payment"}},
          {"id":"c","metric":"churn","rule":{"kind":"bands","tables":[{"bands":[
             {"max":5,"points":1},{"min":5,"max":10,"max_inclusive":true,"points":0},{"min":10,"min_inclusive":false,"points":-1}]}]}}],
        "total":{"method":"sum"}},
      "agents":[{"id":"a"}],"periods":[{"id":"2026-W41"}],
      "records":[{"agent":"a","period":"2026-W41","figures":{"contacts":3076,"inquirers":2475,"orderers":915,"final":509,"later":317,"lost":77,"ordered":556}}]}"#);
    let r = engine::score(&w).unwrap();
    let p = period(&r, "2026-W41");
    let a = p.agent("a").unwrap();
    assert_eq!(engine::round_half_up(a.indicators[0].points, 2), 80.46);
    assert_eq!(engine::round_half_up(a.indicators[1].points, 2), 90.27);
    assert_eq!(engine::round_half_up(a.indicators[2].value.unwrap(), 2), 13.85);
    assert_eq!(a.indicators[2].points, -1.0, "churn above 10 % → −1");
}

/// The courier's calls table (seed 001), peak and off-peak, with February off-peak.
fn courier(month: &str, calls: f64) -> f64 {
    let json = format!(
        r#"{{"format":"kpi-scorecard","version":1,"scheme":{{
        "metrics":[{{"id":"calls"}}],
        "seasons":[{{"id":"peak","months":[9,10,11,12,1,3]}},{{"id":"off","months":[2,4,5,6,7,8]}}],
        "categories":[{{"id":"eff","full":20,"floor":0}}],
        "indicators":[{{"id":"calls","metric":"calls","category":"eff","rule":{{"kind":"bands","tables":[
          {{"season":"peak","bands":[{{"min":1150,"points":0}},{{"min":1100,"max":1150,"points":-1}},{{"min":1050,"max":1100,"points":-2}},{{"min":1000,"max":1050,"points":-3}},{{"max":1000,"points":-4}}]}},
          {{"season":"off","bands":[{{"min":650,"points":0}},{{"min":600,"max":650,"points":-1}},{{"min":550,"max":600,"points":-2}},{{"min":500,"max":550,"points":-3}},{{"max":500,"points":-4}}]}}]}}}}],
        "total":{{"method":"sum"}}}},
      "agents":[{{"id":"a"}}],"periods":[{{"id":"{month}"}}],
      "records":[{{"agent":"a","period":"{month}","figures":{{"calls":{calls}}}}}]}}"#
    );
    let r = engine::score(&wb(&json)).unwrap();
    points(period(&r, month), "a", 0)
}

#[test]
fn courier_bands_in_both_seasons() {
    // Peak (October): ≥1150 → 0; 1100–1150 → −1; 1050–1100 → −2; 1000–1050 → −3; <1000 → −4.
    assert_eq!(courier("2026-10", 1200.0), 0.0);
    assert_eq!(courier("2026-10", 1150.0), 0.0);
    assert_eq!(courier("2026-10", 1120.0), -1.0);
    assert_eq!(courier("2026-10", 1060.0), -2.0);
    assert_eq!(courier("2026-10", 1000.0), -3.0);
    assert_eq!(courier("2026-10", 990.0), -4.0);
    // March is peak, January is peak.
    assert_eq!(courier("2026-03", 1120.0), -1.0);
    assert_eq!(courier("2027-01", 700.0), -4.0);
    // February is off-peak: 700 calls is fine there.
    assert_eq!(courier("2026-02", 700.0), 0.0);
    assert_eq!(courier("2026-02", 620.0), -1.0);
    assert_eq!(courier("2026-07", 499.0), -4.0);
}

#[test]
fn courier_explanation_names_the_band_and_season() {
    let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/presets/courier.json")).unwrap();
    let w = wb(&json);
    let r = engine::score(&w).unwrap();
    let p = &r.periods[0];
    let a = &p.agent_at(0).unwrap();
    let line = scorecard::explain::indicator(&w, 0, &a.indicators[0], scorecard::i18n::Lang::En);
    assert!(line.contains("season") && line.contains("band"), "{line}");
}

#[test]
fn deductions_from_full_marks_with_a_floor() {
    let w = wb(r#"{"format":"kpi-scorecard","version":1,"scheme":{
        "metrics":[{"id":"v","count":true}],
        "categories":[{"id":"ability","full":5,"floor":0}],
        "indicators":[{"id":"v","metric":"v","category":"ability","rule":{"kind":"per_occurrence","each":-0.5}}],
        "total":{"method":"sum"}},
      "agents":[{"id":"a"},{"id":"b"}],"periods":[{"id":"2026-10"}],
      "records":[{"agent":"a","period":"2026-10","figures":{"v":3}},{"agent":"b","period":"2026-10","figures":{"v":14}}]}"#);
    let r = engine::score(&w).unwrap();
    let p = period(&r, "2026-10");
    assert_eq!(p.agent("a").unwrap().total, 3.5);
    assert_eq!(p.agent("b").unwrap().indicators[0].points, -7.0);
    assert_eq!(p.agent("b").unwrap().total, 0.0, "a block never goes below 0");
}

#[test]
fn negative_counts_are_refused_with_their_place() {
    let w = wb(r#"{"format":"kpi-scorecard","version":1,"scheme":{"metrics":[{"id":"v","count":true}]},
      "agents":[{"id":"a"}],"periods":[{"id":"2026-10"}],
      "records":[{"agent":"a","period":"2026-10","figures":{"v":-2}}]}"#);
    let errors = engine::score(&w).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].place, "records[0].figures.v");
    assert_eq!(errors[0].problem, Problem::Negative);
}

#[test]
fn weekly_rankings_roll_up_into_the_month() {
    // Four agents, four weeks; places 1–3 get +3/+2/+1, worse than the average −1.
    let mut records = String::new();
    let weeks = ["2026-W40", "2026-W41", "2026-W42", "2026-W43"];
    let values = [[90, 80, 70, 10], [90, 80, 80, 10], [50, 80, 70, 90], [90, 80, 70, 60]];
    for (w, vals) in weeks.iter().zip(values) {
        for (a, v) in ["a", "b", "c", "d"].iter().zip(vals) {
            records += &format!(r#"{{"agent":"{a}","period":"{w}","figures":{{"x":{v}}}}},"#);
        }
    }
    records.pop();
    let json = format!(
        r#"{{"format":"kpi-scorecard","version":1,"scheme":{{"metrics":[{{"id":"x"}}],
        "indicators":[{{"id":"r","metric":"x","rollup":"sum","rule":{{"kind":"rank","places":[3,2,1],"below_average":-1,"ties":"competition","scope":"all"}}}}],
        "total":{{"method":"sum"}}}},
      "agents":[{{"id":"a"}},{{"id":"b"}},{{"id":"c"}},{{"id":"d"}}],
      "periods":[{{"id":"2026-10"}},{{"id":"2026-W40","parent":"2026-10"}},{{"id":"2026-W41","parent":"2026-10"}},{{"id":"2026-W42","parent":"2026-10"}},{{"id":"2026-W43","parent":"2026-10"}}],
      "records":[{records}]}}"#
    );
    let r = engine::score(&wb(&json)).unwrap();
    // W41: 90, 80, 80, 10 with competition ties: places 1, 2, 2, 4 → +3, +2, +2, d below average −1.
    let w41 = period(&r, "2026-W41");
    assert_eq!((points(w41, "a", 0), points(w41, "b", 0), points(w41, "c", 0), points(w41, "d", 0)), (3.0, 2.0, 2.0, -1.0));
    // W42: 50, 80, 70, 90 → d +3, b +2, c +1, a (50 < 72.5) −1.
    let w42 = period(&r, "2026-W42");
    assert_eq!(points(w42, "a", 0), -1.0);
    // The month sums the four weeks.
    let m = period(&r, "2026-10");
    assert_eq!(points(m, "a", 0), 3.0 + 3.0 - 1.0 + 3.0);
    assert_eq!(points(m, "d", 0), -1.0 - 1.0 + 3.0 + -1.0);
    assert_eq!(m.agent_at(0).unwrap().agent, "a");
}

#[test]
fn dense_ties_give_1_2_2_3() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{"metrics":[{"id":"x"}],
        "indicators":[{"id":"r","metric":"x","rule":{"kind":"rank","places":[3,2,1],"ties":"dense","scope":"all"}}],"total":{"method":"sum"}},
      "agents":[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d"}],"periods":[{"id":"2026-10"}],
      "records":[{"agent":"a","period":"2026-10","figures":{"x":9}},{"agent":"b","period":"2026-10","figures":{"x":8}},
                 {"agent":"c","period":"2026-10","figures":{"x":8}},{"agent":"d","period":"2026-10","figures":{"x":7}}]}"#;
    let r = engine::score(&wb(json)).unwrap();
    let p = period(&r, "2026-10");
    assert_eq!(points(p, "d", 0), 1.0, "dense: d is third and gets +1");
    // Overall rank uses competition ties: 1, 2, 2, 4.
    assert_eq!(p.agents().map(|a| a.rank).collect::<Vec<_>>(), vec![1, 2, 2, 4]);
}

#[test]
fn hotel_raters_averaged_95_counts_as_100_and_pool_share() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{
        "indicators":[{"id":"work","weight":70,"rule":{"kind":"rating","min":0,"max":100}},
                      {"id":"sat","weight":30,"rule":{"kind":"rating","min":0,"max":100}}],
        "total":{"method":"weighted","round_up":{"from":95,"to":100}},
        "bonus":[{"id":"b","kind":"pool_by_score","pool":"3000.00"}]},
      "agents":[{"id":"a"},{"id":"b"}],"periods":[{"id":"2026-10","start":"2026-09-21","end":"2026-10-20"}],
      "records":[
        {"agent":"a","period":"2026-10","ratings":{"work":[96,94,95],"sat":[95,null,95]}},
        {"agent":"b","period":"2026-10","ratings":{"work":[90,88,86],"sat":[80,90,85]}}]}"#;
    let r = engine::score(&wb(json)).unwrap();
    let p = period(&r, "2026-10");
    let a = p.agent("a").unwrap();
    assert_eq!(a.raw_total, 95.0);
    assert_eq!(a.total, 100.0, "95 or more counts as 100");
    assert_eq!(a.bonus.to_string(), "3000.00");
    let b = p.agent("b").unwrap();
    // 0.7 × 88 + 0.3 × 85 = 61.6 + 25.5 = 87.1 → 87.1 / 100 × 3000 = 2613.00
    assert_eq!(b.total, 87.1);
    assert_eq!(b.bonus.to_string(), "2613.00");
}

#[test]
fn the_score_coefficient_bonus_is_exact_to_the_cent() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{
        "metrics":[{"id":"completion","unit":"%"},{"id":"conversion","unit":"%"},{"id":"sales"}],
        "bonus":[{"id":"k","kind":"product","factors":[{"metric":"completion"},{"metric":"conversion"},{"value":"0.01"},{"metric":"sales"}]}]},
      "agents":[{"id":"a"}],"periods":[{"id":"2026-10"}],
      "records":[{"agent":"a","period":"2026-10","figures":{"completion":47,"conversion":39.55,"sales":500135.60}}]}"#;
    let r = engine::score(&wb(json)).unwrap();
    assert_eq!(period(&r, "2026-10").agent_at(0).unwrap().bonus.to_string(), "929.68");
}

#[test]
fn commission_whole_versus_slices_named_plainly() {
    let doc = |mode: &str| {
        format!(
            r#"{{"format":"kpi-scorecard","version":1,"scheme":{{"metrics":[{{"id":"sales"}},{{"id":"completion","unit":"%"}}],
            "bonus":[{{"id":"c","kind":"commission","sales":"sales","completion":"completion","mode":"{mode}",
              "tiers":[{{"from":"0","rate":"5"}},{{"from":"60","rate":"8"}},{{"from":"100","rate":"9"}},{{"from":"130","rate":"10"}}]}}]}},
          "agents":[{{"id":"a"}}],"periods":[{{"id":"2026-10"}}],
          "records":[{{"agent":"a","period":"2026-10","figures":{{"sales":120000,"completion":120}}}}]}}"#
        )
    };
    let whole = engine::score(&wb(&doc("whole_at_tier_reached"))).unwrap();
    assert_eq!(whole.periods[0].agent_at(0).unwrap().bonus.to_string(), "1080.00");
    let slices = engine::score(&wb(&doc("each_slice_at_its_rate"))).unwrap();
    assert_eq!(slices.periods[0].agent_at(0).unwrap().bonus.to_string(), "800.00");
}

#[test]
fn pool_split_sums_exactly_to_the_pool() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{"metrics":[{"id":"x"}],
        "indicators":[{"id":"x","metric":"x","rule":{"kind":"formula","expr":"x"}}],"total":{"method":"sum"},
        "bonus":[{"id":"p","kind":"pool_split","pool":"1000.00"}]},
      "agents":[{"id":"a"},{"id":"b"},{"id":"c"}],"periods":[{"id":"2026-10"}],
      "records":[{"agent":"a","period":"2026-10","figures":{"x":1}},{"agent":"b","period":"2026-10","figures":{"x":1}},{"agent":"c","period":"2026-10","figures":{"x":1}}]}"#;
    let r = engine::score(&wb(json)).unwrap();
    let amounts: Vec<String> = r.periods[0].agents().map(|a| a.bonus.to_string()).collect();
    assert_eq!(amounts, vec!["333.34", "333.33", "333.33"]);
}

#[test]
fn band_gaps_are_flagged_and_never_a_silent_zero() {
    // Monthly completion: 0–50 % → −2, 60–80 % → +1, 80–100 % → +3, ≥130 % → +5.
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{"metrics":[{"id":"c","unit":"%"}],
        "indicators":[{"id":"c","metric":"c","rule":{"kind":"bands","gap_points":0,"tables":[{"bands":[
          {"min":0,"max":50,"points":-2},{"min":60,"max":80,"points":1},{"min":80,"max":100,"points":3},{"min":130,"points":5}]}]}}],
        "total":{"method":"sum"}},
      "agents":[{"id":"a"},{"id":"b"}],"periods":[{"id":"2026-10"}],
      "records":[{"agent":"a","period":"2026-10","figures":{"c":55}},{"agent":"b","period":"2026-10","figures":{"c":85}}]}"#;
    let w = wb(json);
    let issues = validate::check(&w);
    let gaps: Vec<_> = issues.iter().filter(|i| matches!(i.problem, Problem::BandGap { .. })).collect();
    assert_eq!(gaps.len(), 3, "below 0, 50–60 and 100–130: {gaps:#?}");
    assert_eq!(gaps[0].place, "scheme.indicators[0].rule.tables[0].bands");
    let r = engine::score(&w).unwrap();
    let p = period(&r, "2026-10");
    assert!(p.warnings.iter().any(|x| x.agent.as_deref() == Some("a") && matches!(x.kind, WarningKind::BandGap { value } if value == 55.0)));
    assert!(!p.warnings.iter().any(|x| x.agent.as_deref() == Some("b")));
    let line = scorecard::explain::indicator(&w, 0, &p.agent("a").unwrap().indicators[0], scorecard::i18n::Lang::En);
    assert!(line.contains("no band"), "{line}");
}

#[test]
fn division_by_zero_is_a_warning_for_that_agent() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{"metrics":[{"id":"paid"},{"id":"orders"},{"id":"rate","formula":"paid / orders * 100"}],
        "indicators":[{"id":"r","metric":"rate","weight":100,"rule":{"kind":"target","target":90}}]},
      "agents":[{"id":"a"},{"id":"b"}],"periods":[{"id":"2026-10"}],
      "records":[{"agent":"a","period":"2026-10","figures":{"paid":0,"orders":0}},{"agent":"b","period":"2026-10","figures":{"paid":45,"orders":50}}]}"#;
    let r = engine::score(&wb(json)).unwrap();
    let p = period(&r, "2026-10");
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.warnings[0].agent.as_deref(), Some("a"));
    assert!(matches!(&p.warnings[0].kind, WarningKind::DerivedMetric { metric, .. } if metric == "rate"));
    assert_eq!(p.agent("b").unwrap().total, 100.0);
    assert_eq!(p.agent("a").unwrap().total, 0.0);
}

#[test]
fn critical_items_zero_a_category_or_the_total() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{"metrics":[{"id":"x"},{"id":"fraud","count":true},{"id":"rude","count":true}],
        "categories":[{"id":"q","full":50},{"id":"w","full":50}],
        "indicators":[
          {"id":"rude","category":"q","rule":{"kind":"critical","when":"rude > 0","zeroes":"category"}},
          {"id":"fraud","rule":{"kind":"critical","when":"fraud > 0","zeroes":"total"}}],
        "total":{"method":"sum"}},
      "agents":[{"id":"a"},{"id":"b"},{"id":"c"}],"periods":[{"id":"2026-10"}],
      "records":[{"agent":"a","period":"2026-10","figures":{"fraud":0,"rude":0}},
                 {"agent":"b","period":"2026-10","figures":{"fraud":0,"rude":2}},
                 {"agent":"c","period":"2026-10","figures":{"fraud":1,"rude":0}}]}"#;
    let r = engine::score(&wb(json)).unwrap();
    let p = period(&r, "2026-10");
    assert_eq!(p.agent("a").unwrap().total, 100.0);
    assert_eq!(p.agent("b").unwrap().total, 50.0);
    assert_eq!(p.agent("c").unwrap().total, 0.0);
}

#[test]
fn checklists_renormalise_over_applicable_items() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{
        "indicators":[{"id":"att","weight":100,"rule":{"kind":"checklist","items":[{"id":"greet"},{"id":"listen"},{"id":"thank"},{"id":"follow"}]}}]},
      "agents":[{"id":"a"}],"periods":[{"id":"2026-10"}],
      "records":[{"agent":"a","period":"2026-10","checks":{"att":{"greet":"yes","listen":"yes","thank":"no","follow":"na"}}}]}"#;
    let r = engine::score(&wb(json)).unwrap();
    assert_eq!(engine::round_half_up(r.periods[0].agent_at(0).unwrap().total, 2), 66.67);
}

#[test]
fn grades_and_forced_distribution_quotas() {
    let mut recs = Vec::new();
    for (i, x) in [95, 92, 85, 75, 65].iter().enumerate() {
        recs.push(format!(r#"{{"agent":"a{i}","period":"2026-10","figures":{{"x":{x}}}}}"#));
    }
    let agents: Vec<String> = (0..5).map(|i| format!(r#"{{"id":"a{i}"}}"#)).collect();
    let json = format!(
        r#"{{"format":"kpi-scorecard","version":1,"scheme":{{"metrics":[{{"id":"x"}}],
        "indicators":[{{"id":"x","metric":"x","rule":{{"kind":"formula","expr":"x"}}}}],"total":{{"method":"sum"}},
        "grades":{{"bands":[{{"grade":"S","min":90}},{{"grade":"A","min":80}},{{"grade":"B","min":70}},{{"grade":"C","min":0}}],
                   "quotas":[{{"grade":"S","max_percent":20}}]}}}},
      "agents":[{}],"periods":[{{"id":"2026-10"}}],"records":[{}]}}"#,
        agents.join(","),
        recs.join(",")
    );
    let r = engine::score(&wb(&json)).unwrap();
    let p = &r.periods[0];
    let grades: Vec<_> = p.agents().map(|a| a.grade.unwrap()).collect();
    assert_eq!(grades, vec!["S", "S", "A", "B", "C"]);
    assert!(p.warnings.iter().any(|w| matches!(&w.kind, WarningKind::QuotaBroken { grade, count: 2, allowed: 1, over: true } if grade == "S")));
}

#[test]
fn weights_not_totalling_100_are_a_warning_with_the_fix_offered() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{"metrics":[{"id":"x"}],
        "indicators":[{"id":"a","metric":"x","weight":60,"rule":{"kind":"target","target":10}},{"id":"b","metric":"x","weight":30,"rule":{"kind":"target","target":10}}]}}"#;
    let w = wb(json);
    let issues = validate::check(&w);
    assert!(issues.iter().all(|i| !i.is_error()));
    assert!(issues.iter().any(|i| i.problem == Problem::WeightsNot100 { total: 90.0 }));
    assert!(engine::score(&w).is_ok());
}

#[test]
fn errors_name_their_place() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{
        "metrics":[{"id":"a","formula":"b + 1"},{"id":"b","formula":"a * 2"},{"id":"x"}],
        "indicators":[
          {"id":"i0","metric":"nope","weight":10,"rule":{"kind":"target","target":5}},
          {"id":"i1","metric":"x","rule":{"kind":"bands","tables":[{"bands":[{"min":0,"max":10,"points":1},{"min":20,"max":15,"points":2}]}]}},
          {"id":"i2","rule":{"kind":"formula","expr":"x +"}},
          {"id":"i3","metric":"x","rule":{"kind":"bands","tables":[{"season":"winter","bands":[{"points":0}]}]}}]}}"#;
    let errors = engine::score(&wb(json)).unwrap_err();
    let places: Vec<&str> = errors.iter().map(|e| e.place.as_str()).collect();
    for expected in [
        "scheme.indicators[0].metric",
        "scheme.indicators[1].rule.tables[0].bands[1].min",
        "scheme.indicators[2].rule.expr",
        "scheme.indicators[3].rule.tables[0].season",
    ] {
        assert!(places.contains(&expected), "missing {expected} in {places:?}");
    }
    assert!(errors.iter().any(|e| matches!(&e.problem, Problem::FormulaCycle { metrics } if metrics.len() == 2)));
    // Every message reads in both languages.
    for e in &errors {
        let zh = scorecard::explain::issue(e, scorecard::i18n::Lang::ZhCn);
        let en = scorecard::explain::issue(e, scorecard::i18n::Lang::En);
        assert!(zh.contains(&e.place) && en.contains(&e.place) && zh != en);
    }
}

#[test]
fn tenure_points_by_months_of_service_at_period_end() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{
        "indicators":[{"id":"t","rule":{"kind":"tenure","steps":[{"months":6,"points":2},{"months":12,"points":3},{"months":24,"points":5},{"months":36,"points":8}]}}],
        "total":{"method":"sum"}},
      "agents":[{"id":"new","hire_date":"2026-05-01"},{"id":"six","hire_date":"2026-04-30"},{"id":"old","hire_date":"2022-01-01"},{"id":"unknown"}],
      "periods":[{"id":"2026-10"}],
      "records":[{"agent":"new","period":"2026-10"},{"agent":"six","period":"2026-10"},{"agent":"old","period":"2026-10"},{"agent":"unknown","period":"2026-10"}]}"#;
    let r = engine::score(&wb(json)).unwrap();
    let p = &r.periods[0];
    assert_eq!(p.agent("new").unwrap().total, 0.0);
    assert_eq!(p.agent("six").unwrap().total, 2.0);
    assert_eq!(p.agent("old").unwrap().total, 8.0);
    assert_eq!(p.agent("unknown").unwrap().total, 0.0);
}

#[test]
fn team_statistics() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{"metrics":[{"id":"x"}],
        "indicators":[{"id":"x","metric":"x","rule":{"kind":"formula","expr":"x"}}],"total":{"method":"sum"}},
      "agents":[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d"}],"periods":[{"id":"2026-10"}],
      "records":[{"agent":"a","period":"2026-10","figures":{"x":1}},{"agent":"b","period":"2026-10","figures":{"x":2}},
                 {"agent":"c","period":"2026-10","figures":{"x":3}},{"agent":"d","period":"2026-10","figures":{"x":10}}]}"#;
    let r = engine::score(&wb(json)).unwrap();
    let s = r.periods[0].stats[0];
    assert_eq!((s.count, s.mean, s.median, s.min, s.max), (4, 4.0, 2.5, 1.0, 10.0));
}

/// Every template, with its records in another order (reversed, then interleaved):
/// results are the same, and scoring one period after validation (`score_period`) or
/// with the caller's issues (`score_period_checked`) agrees with scoring them all.
/// Validation resolves each record's agent, period, figures, ratings and ticks by index
/// and the engine reads them by that index; this catches a record read for the wrong
/// agent or period.
#[test]
fn record_order_and_entry_point_do_not_change_results() {
    for p in scorecard::presets::PRESETS {
        let wb = scorecard::presets::load(p.id).expect("known preset").expect("preset loads");
        let expected = engine::score(&wb).unwrap();
        let mut reversed = wb.clone();
        reversed.records.reverse();
        let mut interleaved = wb.clone();
        let n = interleaved.records.len();
        interleaved.records = (0..n).map(|k| if k % 2 == 0 { k / 2 } else { n - 1 - k / 2 }).map(|k| wb.records[k].clone()).collect();
        for other in [&reversed, &interleaved] {
            assert_eq!(engine::score(other).unwrap(), expected, "{}: record order changed the results", p.id);
        }
        let issues = validate::check(&wb);
        for period in &wb.periods {
            let want = expected.period(&period.id).unwrap();
            assert_eq!(&engine::score_period(&wb, &period.id).unwrap(), want, "{} {}", p.id, period.id);
            assert_eq!(&engine::score_period_checked(&reversed, &period.id, &issues).unwrap(), want, "{} {}", p.id, period.id);
        }
    }
}

#[test]
fn duplicate_records_are_found_wherever_they_are() {
    // The second record for a/2026-10 comes after a record of another period.
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{"metrics":[{"id":"x"}],
        "indicators":[{"id":"x","metric":"x","rule":{"kind":"formula","expr":"x"}}],"total":{"method":"sum"}},
      "agents":[{"id":"a"},{"id":"b"}],"periods":[{"id":"2026-10"},{"id":"2026-11"}],
      "records":[{"agent":"a","period":"2026-10","figures":{"x":1}},{"agent":"b","period":"2026-10","figures":{"x":1}},
                 {"agent":"a","period":"2026-11","figures":{"x":1}},{"agent":"a","period":"2026-10","figures":{"x":2}}]}"#;
    let issues = validate::check(&wb(json));
    let dup: Vec<&str> = issues.iter().filter(|i| matches!(i.problem, Problem::DuplicateRecord { .. })).map(|i| i.place.as_str()).collect();
    assert_eq!(dup, vec!["records[3]"]);
    assert!(engine::score(&wb(json)).is_err());
    // In order, one record per agent and period: no duplicate.
    let fine = json.replace(r#",{"agent":"a","period":"2026-10","figures":{"x":2}}"#, "");
    assert!(validate::check(&wb(&fine)).iter().all(|i| !matches!(i.problem, Problem::DuplicateRecord { .. })));
}

#[test]
fn records_for_unknown_agents_periods_and_metrics_are_refused_with_their_place() {
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{"metrics":[{"id":"m"},{"id":"x"}],
        "indicators":[{"id":"x","metric":"x","rule":{"kind":"formula","expr":"x"}}],"total":{"method":"sum"}},
      "agents":[{"id":"a"},{"id":"b"}],"periods":[{"id":"2026-10"}],
      "records":[{"agent":"a","period":"2026-10","figures":{"x":1}},{"agent":"zed","period":"2026-10","figures":{"x":1}},
                 {"agent":"b","period":"2026-13","figures":{"x":1}},{"agent":"b","period":"2026-10","figures":{"a":1,"x":1,"y":2,"zz":3}}]}"#;
    let places: Vec<String> = validate::check(&wb(json)).into_iter().filter(|i| i.is_error()).map(|i| i.place).collect();
    assert_eq!(places, vec!["records[1].agent", "records[2].period", "records[3].figures.a", "records[3].figures.y", "records[3].figures.zz"]);
    assert!(engine::score_period(&wb(json), "2026-10").is_err());
}

#[test]
fn missing_figures_are_missing_for_that_agent_only() {
    // b has no figure for y and no record at all for the second period; c has no record.
    let json = r#"{"format":"kpi-scorecard","version":1,"scheme":{"metrics":[{"id":"x"},{"id":"y"},{"id":"r","formula":"x + y"}],
        "indicators":[{"id":"x","metric":"x","rule":{"kind":"formula","expr":"x"}},{"id":"y","metric":"y","rule":{"kind":"formula","expr":"y * 2"}},
                      {"id":"r","metric":"r","rule":{"kind":"rank","places":[5,3],"scope":"all"}}],"total":{"method":"sum"}},
      "agents":[{"id":"a"},{"id":"b"},{"id":"c"}],"periods":[{"id":"2026-10"},{"id":"2026-11"}],
      "records":[{"agent":"b","period":"2026-10","figures":{"x":4}},{"agent":"a","period":"2026-11","figures":{"x":9,"y":9}},
                 {"agent":"a","period":"2026-10","figures":{"x":1,"y":3}}]}"#;
    let r = engine::score(&wb(json)).unwrap();
    let oct = period(&r, "2026-10");
    assert_eq!(oct.len(), 2, "c has no record: not in the period");
    let a = oct.agent("a").unwrap();
    let b = oct.agent("b").unwrap();
    assert_eq!((a.indicators[0].points, a.indicators[1].points, a.indicators[2].points), (1.0, 6.0, 5.0));
    assert_eq!((b.indicators[0].points, b.indicators[0].value), (4.0, Some(4.0)));
    assert_eq!((b.indicators[1].points, b.indicators[1].value), (0.0, None));
    assert_eq!(b.indicators[1].why, scorecard::results::Why::Missing);
    assert_eq!(b.indicators[2].value, None, "the derived figure is missing too: not ranked");
    assert!(oct.warnings.iter().any(|w| w.agent.as_deref() == Some("b") && w.kind == WarningKind::NotRanked));
    let nov = period(&r, "2026-11");
    assert_eq!(nov.agents().map(|a| a.agent).collect::<Vec<_>>(), vec!["a"]);
    assert_eq!(nov.agent_at(0).unwrap().total, 9.0 + 18.0 + 5.0);
}

/// The results keep every agent's indicator, category and bonus results in a few lists
/// per period (blocks of 1,024 rows) and hand out views: each agent, read in rank order,
/// gets its own results — across block boundaries, with agents missing from the period.
#[test]
fn each_agent_reads_its_own_results_in_rank_order() {
    use scorecard::model::*;
    let mut w = Workbook::new("layout");
    let metric = |id: &str, count: bool| Metric { id: id.into(), name: String::new(), unit: String::new(), better: Better::Higher, count, formula: None };
    w.scheme.metrics = vec![metric("sales", false), metric("slips", true)];
    w.scheme.categories.push(Category { id: "care".into(), name: String::new(), full: Some(10.0), cap: None, floor: Some(0.0) });
    let ind = |id: &str, metric: &str, category: Option<&str>, rule: Rule| Indicator { id: id.into(), name: String::new(), metric: Some(metric.into()), weight: Some(50.0), category: category.map(String::from), rule, rollup: Rollup::Own, applies_to: AppliesTo::All };
    w.scheme.indicators.push(ind("sales", "sales", None, Rule::Target { target: 3000.0, cap: 1.5 }));
    w.scheme.indicators.push(ind("slips", "slips", Some("care"), Rule::PerOccurrence { each: -1.0, cap: None, none_bonus: 0.0 }));
    w.scheme.grades.bands = [("A", 40.0), ("B", 20.0), ("C", -1e9)].iter().map(|(g, m)| GradeBand { grade: g.to_string(), min: *m, coefficient: Some(rust_decimal::Decimal::ONE) }).collect();
    w.scheme.bonus.push(BonusRule { id: "pool".into(), name: String::new(), applies_to: AppliesTo::All, kind: BonusKind::PoolSplit { pool: rust_decimal::Decimal::new(1_000_000, 2) } });
    w.scheme.bonus.push(BonusRule { id: "grade".into(), name: String::new(), applies_to: AppliesTo::All, kind: BonusKind::GradeCoefficient { base: Some(rust_decimal::Decimal::new(10_000, 2)) } });
    w.periods.push(Period { id: "2026-10".into(), name: String::new(), start: None, end: None, parent: None });
    for k in 0..2_500u32 {
        w.agents.push(Agent { id: format!("a{k}"), name: format!("Agent {k}"), team: String::new(), hire_date: None, base_pay: None });
        // Every seventh agent has no record this period: not among its agents.
        if k % 7 != 3 {
            let mut r = Record { agent: format!("a{k}"), period: "2026-10".into(), ..Record::default() };
            // Each agent's own sales figure tells it apart; slips vary too.
            r.figures.insert("sales", f64::from(k * 37 % 3_001));
            r.figures.insert("slips", f64::from(k % 5));
            w.records.push(r);
        }
    }
    let r = engine::score(&w).expect("valid");
    let p = period(&r, "2026-10");
    let expected = w.records.len();
    assert_eq!((p.len(), p.agents().len(), p.agents().count()), (expected, expected, expected));
    assert!(p.agent_at(expected).is_none());
    let mut last_total = f64::INFINITY;
    for (pos, a) in p.agents().enumerate() {
        let agent = &w.agents[a.agent_index];
        assert_eq!((a.agent, a.name), (agent.id.as_str(), agent.name.as_str()));
        let k: u32 = agent.id[1..].parse().unwrap();
        assert_eq!(a.indicators.len(), 2);
        assert_eq!(a.indicators[0].value, Some(f64::from(k * 37 % 3_001)), "{} at {pos}", a.agent);
        assert_eq!(a.indicators[1].value, Some(f64::from(k % 5)));
        assert_eq!(a.categories.len(), 1);
        assert_eq!(a.categories[0].points, (10.0 - f64::from(k % 5)).max(0.0));
        assert_eq!(a.bonus_parts.iter().map(|b| b.rule).collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(a.bonus, a.bonus_parts.iter().map(|b| b.amount).sum::<rust_decimal::Decimal>());
        assert!(a.total <= last_total);
        last_total = a.total;
        let grade = w.scheme.grades.bands.iter().find(|g| a.total >= g.min).map(|g| g.grade.as_str());
        assert_eq!(a.grade, grade);
        assert_eq!(p.agent_at(pos), Some(a));
        assert_eq!(p.agent(a.agent), Some(a));
    }
    // The report reads the same views: one entry per agent, in rank order.
    let doc = scorecard::report::document(&w, &r, scorecard::i18n::Lang::En);
    let ids: Vec<&str> = doc.periods[0].agents.iter().map(|a| a.agent.as_str()).collect();
    assert_eq!(ids, p.agents().map(|a| a.agent).collect::<Vec<_>>());
}
