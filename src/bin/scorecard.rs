//! `scorecard`: the headless CLI over the same engine as the web app.
//!
//! ```text
//! scorecard score FILE [--lang en|zh-CN]   results JSON on stdout
//! scorecard check FILE [--lang en|zh-CN]   errors and warnings; exit 1 on errors
//! scorecard preset NAME                    a built-in workbook on stdout
//! scorecard presets                        the built-in template names
//! ```
//! `FILE` may be `-` for standard input. Bad input gives one clear message on stderr
//! and a non-zero exit; never a panic or backtrace.

use scorecard::explain;
use scorecard::i18n::Lang;
use scorecard::{engine, presets, report, validate, workbook};
use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage:
  scorecard score FILE [--lang en|zh-CN]   print the results as JSON
  scorecard check FILE [--lang en|zh-CN]   print errors and warnings (exit 1 on errors)
  scorecard preset NAME                    print a built-in workbook (general, courier, ecommerce, hotel)
  scorecard presets                        list the built-in workbooks
FILE may be - to read standard input.";

fn main() -> ExitCode {
    // A panic would be a bug; still, the user sees one line, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("scorecard: internal error: {info}");
    }));
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("scorecard: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut lang = Lang::En;
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--lang" => {
                let tag = it.next().ok_or("--lang needs a value: en or zh-CN")?;
                lang = Lang::from_tag(tag).ok_or_else(|| format!("unknown language {tag:?}: use en or zh-CN"))?;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            _ => positional.push(a.as_str()),
        }
    }
    match positional.as_slice() {
        ["score", file] => {
            let wb = read_workbook(file, lang)?;
            match engine::score(&wb) {
                Ok(results) => {
                    println!("{}", report::to_json(&report::document(&wb, &results, lang)));
                    Ok(ExitCode::SUCCESS)
                }
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{}", explain::issue(e, lang));
                    }
                    Err(format!("{file}: {} error(s); nothing was scored", errors.len()))
                }
            }
        }
        ["check", file] => {
            let wb = read_workbook(file, lang)?;
            let issues = validate::check(&wb);
            for i in &issues {
                println!("{}", explain::issue(i, lang));
            }
            if validate::has_errors(&issues) {
                return Ok(ExitCode::from(1));
            }
            // Scoring may add per-agent warnings (band gaps, division by zero).
            if let Ok(results) = engine::score(&wb) {
                for p in &results.periods {
                    for w in &p.warnings {
                        println!("{} · {}", p.period, explain::warning(&wb, w, lang));
                    }
                }
            }
            if issues.is_empty() {
                eprintln!("{file}: no problems found");
            }
            Ok(ExitCode::SUCCESS)
        }
        ["preset", name] => match presets::find(name) {
            Some(p) => {
                print!("{}", p.json);
                Ok(ExitCode::SUCCESS)
            }
            None => Err(format!("no preset named {name:?}; there are: {}", presets::PRESETS.iter().map(|p| p.id).collect::<Vec<_>>().join(", "))),
        },
        ["presets"] => {
            for p in presets::PRESETS {
                println!("{}", p.id);
            }
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(USAGE.to_string()),
    }
}

fn read_workbook(file: &str, lang: Lang) -> Result<scorecard::model::Workbook, String> {
    let text = if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin().take(workbook::MAX_BYTES as u64 + 1).read_to_end(&mut buf).map_err(|e| format!("cannot read standard input: {e}"))?;
        String::from_utf8(buf).map_err(|_| "standard input is not UTF-8 text".to_string())?
    } else {
        let meta = std::fs::metadata(file).map_err(|e| format!("cannot open {file}: {e}"))?;
        if meta.len() > workbook::MAX_BYTES as u64 {
            return Err(format!("{file}: {}", explain::load_error(&workbook::LoadError::TooLarge { bytes: meta.len() as usize }, lang)));
        }
        let bytes = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
        String::from_utf8(bytes).map_err(|_| format!("{file} is not UTF-8 text"))?
    };
    workbook::parse(&text).map_err(|e| format!("{file}: {}", explain::load_error(&e, lang)))
}
