//! Reading what people type or paste into the data grid.
//!
//! A block copied from Excel or WPS arrives as tab-separated text: rows end in `\r\n`
//! (Windows) or `\n`, usually with a trailing line break, and a cell holding a line
//! break or a quote is wrapped in quotes. Figures come as people write them: `1,459`,
//! `92.5%`, `¥1,234.50`, full-width digits from a Chinese input method, a real minus
//! sign `−`, or nothing at all (a blank cell clears the figure).

/// One cell of a figure column, read.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// Empty: the figure is cleared.
    Blank,
    Number(f64),
}

/// Why a cell could not be read as a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number at all (`abc`).
    NotANumber,
    /// Thousands separators in the wrong places (`1,45`).
    BadGrouping,
    /// Too large to be a figure.
    TooLarge,
}

impl NumberError {
    /// The translation key of the message.
    pub fn key(self) -> &'static str {
        match self {
            NumberError::NotANumber => "error.not_a_number",
            NumberError::BadGrouping => "error.bad_grouping",
            NumberError::TooLarge => "error.too_large",
        }
    }
}

/// The largest figure accepted (validation allows up to 1e15).
pub use crate::sheet::clean::MAX_FIGURE;

/// Splits pasted text into rows of cells. Handles `\r\n`, `\r` and `\n` line ends, a
/// trailing line break (ignored), and quoted cells (`"a ""b"""`). Rows keep their cell
/// count; ragged rows are fine.
pub fn parse_block(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut at_cell_start = true;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                quoted = true;
                at_cell_start = false;
            }
            '\t' => {
                row.push(std::mem::take(&mut cell));
                at_cell_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                at_cell_start = true;
            }
            _ => {
                cell.push(c);
                at_cell_start = false;
            }
        }
    }
    // The last line, unless the text ended with a line break.
    if !cell.is_empty() || !row.is_empty() || !at_cell_start {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// Whether pasted text is a block (several cells) rather than one value.
pub fn is_block(text: &str) -> bool {
    let t = text.trim_end_matches(['\r', '\n']);
    t.contains('\t') || t.contains('\n') || t.contains('\r')
}

/// Full-width forms (from Chinese input methods) to ASCII: `１２３．５` → `123.5`.
fn halfwidth(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{2212}' | '\u{2013}' | '\u{fe63}' => '-',
        '\u{3002}' => '.',
        _ => c,
    }
}

/// Reads one figure: blank, or a number written as people write it. The same cleaning
/// as a spreadsheet import ([`crate::sheet::clean`]): `1,459`, `92.5%`, `¥1,234.50`,
/// `(12)`, full-width digits, `35s`, `00:01:15`, `1.2万`; `-`, `—`, `N/A` are blank.
pub fn parse_figure(text: &str) -> Result<Figure, NumberError> {
    use crate::sheet::{clean, Expect, NumberStyle, ValueError};
    match clean(text, Expect::default(), NumberStyle::default()) {
        Ok(None) => Ok(Figure::Blank),
        Ok(Some(x)) => Ok(Figure::Number(x)),
        Err(ValueError::BadGrouping) => Err(NumberError::BadGrouping),
        Err(ValueError::TooLarge) => Err(NumberError::TooLarge),
        Err(_) => Err(NumberError::NotANumber),
    }
}

/// Reads raters' scores: `4.5 4.5 5`, `4.5, 4.5, 5`, `4.5、5`; `-`, `NA`, `N/A` or
/// `不适用` is a rater who gave N/A. A blank cell means no ratings.
pub fn parse_ratings(text: &str) -> Result<Vec<Option<f64>>, NumberError> {
    let s: String = text.chars().map(halfwidth).collect();
    let mut out = Vec::new();
    for token in s.split(|c: char| c.is_whitespace() || matches!(c, ',' | '、' | ';' | '；' | '|')).filter(|t| !t.is_empty()) {
        let lower = token.to_ascii_lowercase();
        if matches!(lower.as_str(), "-" | "—" | "na" | "n/a" | "不适用") {
            out.push(None);
            continue;
        }
        match parse_figure(token)? {
            Figure::Number(x) => out.push(Some(x)),
            Figure::Blank => {}
        }
    }
    Ok(out)
}

/// Raters' scores as text for the grid: `4.5 4.5 5`, N/A as `-`.
pub fn ratings_text(scores: &[Option<f64>]) -> String {
    scores.iter().map(|s| s.map_or_else(|| "-".to_string(), plain_number)).collect::<Vec<_>>().join(" ")
}

/// A figure as plain editable text (defined with the CSV writer, which writes the same).
pub use crate::sheet::csv::plain_number;

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: f64) -> Result<Figure, NumberError> {
        Ok(Figure::Number(x))
    }

    #[test]
    fn blocks_from_excel_and_wps() {
        // Windows line ends and the trailing line break Excel adds.
        assert_eq!(parse_block("1\t2\r\n3\t4\r\n"), vec![vec!["1", "2"], vec!["3", "4"]]);
        // Unix line ends, no trailing break.
        assert_eq!(parse_block("1\t2\n3\t4"), vec![vec!["1", "2"], vec!["3", "4"]]);
        // Old Mac line ends.
        assert_eq!(parse_block("1\r2\r"), vec![vec!["1"], vec!["2"]]);
        // Blank cells are kept in place.
        assert_eq!(parse_block("1\t\t3\n\t5\t\n"), vec![vec!["1", "", "3"], vec!["", "5", ""]]);
        // A blank line in the middle is a row of one blank cell.
        assert_eq!(parse_block("1\n\n3\n"), vec![vec!["1"], vec![""], vec!["3"]]);
        // Quoted cells (a cell with a line break or quote inside).
        assert_eq!(parse_block("\"a\nb\"\t\"say \"\"hi\"\"\"\n"), vec![vec!["a\nb", "say \"hi\""]]);
        // A single value with a trailing break is one cell.
        assert_eq!(parse_block("1,459\r\n"), vec![vec!["1,459"]]);
        assert_eq!(parse_block(""), Vec::<Vec<String>>::new());
        // A byte-order mark is dropped.
        assert_eq!(parse_block("\u{feff}7\t8"), vec![vec!["7", "8"]]);
    }

    #[test]
    fn block_or_single_value() {
        assert!(is_block("1\t2"));
        assert!(is_block("1\n2\n"));
        assert!(!is_block("1459\r\n"));
        assert!(!is_block("92.5%"));
    }

    #[test]
    fn figures_as_people_write_them() {
        assert_eq!(parse_figure("1,459"), n(1459.0));
        assert_eq!(parse_figure("1,234,567.25"), n(1234567.25));
        assert_eq!(parse_figure("92.5%"), n(92.5));
        assert_eq!(parse_figure(" 42 "), n(42.0));
        assert_eq!(parse_figure(""), Ok(Figure::Blank));
        assert_eq!(parse_figure("   "), Ok(Figure::Blank));
        assert_eq!(parse_figure("\u{3000}"), Ok(Figure::Blank));
        assert_eq!(parse_figure("¥1,234.50"), n(1234.5));
        assert_eq!(parse_figure("￥-12"), n(-12.0));
        assert_eq!(parse_figure("−3"), n(-3.0));
        assert_eq!(parse_figure("-0"), n(0.0));
        assert_eq!(parse_figure("(12)"), n(-12.0));
        assert_eq!(parse_figure("+7"), n(7.0));
        assert_eq!(parse_figure(".5"), n(0.5));
        assert_eq!(parse_figure("１２３．５"), n(123.5));
        assert_eq!(parse_figure("１，４５９"), n(1459.0));
        assert_eq!(parse_figure("1e3"), n(1000.0));
        assert_eq!(parse_figure("1 459"), n(1459.0));
    }

    #[test]
    fn reads_what_a_spreadsheet_import_reads() {
        // The grid and CSV import share one cleaning: dashes are blank, times are seconds.
        assert_eq!(parse_figure("-"), Ok(Figure::Blank));
        assert_eq!(parse_figure("—"), Ok(Figure::Blank));
        assert_eq!(parse_figure("35s"), n(35.0));
        assert_eq!(parse_figure("00:01:15"), n(75.0));
        assert_eq!(parse_figure("1.2万"), n(12000.0));
    }

    #[test]
    fn refuses_what_is_not_a_figure() {
        assert_eq!(parse_figure("abc"), Err(NumberError::NotANumber));
        assert_eq!(parse_figure("1,45"), Err(NumberError::BadGrouping));
        assert_eq!(parse_figure("1,4567"), Err(NumberError::BadGrouping));
        assert_eq!(parse_figure(",459"), Err(NumberError::BadGrouping));
        assert_eq!(parse_figure("1.2,3"), Err(NumberError::BadGrouping));
        assert_eq!(parse_figure("%"), Err(NumberError::NotANumber));
        assert_eq!(parse_figure("1.2.3"), Err(NumberError::NotANumber));
        assert_eq!(parse_figure("NaN"), Err(NumberError::NotANumber));
        assert_eq!(parse_figure("inf"), Err(NumberError::NotANumber));
        assert_eq!(parse_figure("infinity"), Err(NumberError::NotANumber));
        assert_eq!(parse_figure("1e400"), Err(NumberError::TooLarge));
        assert_eq!(parse_figure("2e15"), Err(NumberError::TooLarge));
        assert_eq!(parse_figure("e5"), Err(NumberError::NotANumber));
    }

    #[test]
    fn ratings_lists() {
        assert_eq!(parse_ratings("4.5 4.5 5"), Ok(vec![Some(4.5), Some(4.5), Some(5.0)]));
        assert_eq!(parse_ratings("4.5, 4.5,5"), Ok(vec![Some(4.5), Some(4.5), Some(5.0)]));
        assert_eq!(parse_ratings("4、N/A、3"), Ok(vec![Some(4.0), None, Some(3.0)]));
        assert_eq!(parse_ratings("  "), Ok(vec![]));
        assert_eq!(parse_ratings("4 x"), Err(NumberError::NotANumber));
        assert_eq!(ratings_text(&[Some(4.5), None, Some(5.0)]), "4.5 - 5");
        assert_eq!(parse_ratings(&ratings_text(&[Some(4.5), None, Some(5.0)])), Ok(vec![Some(4.5), None, Some(5.0)]));
    }

    #[test]
    fn plain_numbers_round_trip() {
        for x in [0.0, 1459.0, 92.5, -3.25, 0.1 + 0.2, 1e-7, 123456789.125] {
            let s = plain_number(x);
            assert_eq!(parse_figure(&s), n(x), "{x} → {s}");
        }
        assert_eq!(plain_number(1459.0), "1459");
        assert_eq!(plain_number(-0.0), "0");
    }
}
