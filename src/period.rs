//! Periods and dates: which month a period falls in (for seasons), when it ends (for
//! tenure), and which periods roll up into which.
//!
//! Period ids are `YYYY-MM` (a month), `YYYY-Www` (an ISO week) or free text with
//! explicit `start`/`end` dates. Dates are `YYYY-MM-DD`. Nothing here panics.

use crate::model::{Period, Workbook};

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        // The usual form, `2026-10-31`, read digit by digit (validation reads every
        // agent's hire date on every edit); anything else by the general reading below,
        // which gives the same date for this form.
        if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *s.as_bytes() {
            let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
            if digits.iter().all(u8::is_ascii_digit) {
                let n = |d: &[u8]| d.iter().fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'));
                let (year, month, day) = (n(&digits[..4]) as i32, n(&digits[4..6]), n(&digits[6..]));
                if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
                    return None;
                }
                return Some(Date { year, month, day });
            }
        }
        Date::parse_any(s)
    }

    /// Any form `year-month-day` that `str::parse` reads, spaces around allowed.
    fn parse_any(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let year: i32 = it.next()?.parse().ok()?;
        let month: u32 = it.next()?.parse().ok()?;
        let day: u32 = it.next()?.parse().ok()?;
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 0001-01-01 (proleptic Gregorian), for week arithmetic.
    fn ordinal(self) -> i64 {
        let y = i64::from(self.year) - 1;
        let mut days = y * 365 + y / 4 - y / 100 + y / 400;
        for m in 1..self.month {
            days += i64::from(days_in_month(self.year, m));
        }
        days + i64::from(self.day) - 1
    }

    fn from_ordinal(mut n: i64) -> Date {
        // Good enough for the years people appraise staff in: walk from a near year.
        let mut year = (n / 366) as i32 + 1;
        loop {
            let start = Date { year: year + 1, month: 1, day: 1 }.ordinal();
            if start <= n {
                year += 1;
            } else {
                break;
            }
        }
        n -= Date { year, month: 1, day: 1 }.ordinal();
        let mut month = 1;
        while n >= i64::from(days_in_month(year, month)) {
            n -= i64::from(days_in_month(year, month));
            month += 1;
        }
        Date { year, month, day: n as u32 + 1 }
    }

    /// Monday = 0 … Sunday = 6.
    fn weekday(self) -> i64 {
        // 0001-01-01 was a Monday.
        self.ordinal().rem_euclid(7)
    }

    /// Whole months from `self` to `later` (0 when `later` is earlier).
    pub fn months_until(self, later: Date) -> u32 {
        let mut months = (later.year - self.year) * 12 + later.month as i32 - self.month as i32;
        if later.day < self.day && later.day < days_in_month(later.year, later.month) {
            months -= 1;
        }
        months.max(0) as u32
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// What a period id says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodId {
    Month { year: i32, month: u32 },
    Week { year: i32, week: u32 },
    Other,
}

impl PeriodId {
    pub fn parse(id: &str) -> PeriodId {
        let id = id.trim();
        if let Some((y, rest)) = id.split_once('-') {
            if let Ok(year) = y.parse::<i32>() {
                if y.len() == 4 {
                    if let Some(w) = rest.strip_prefix('W').or_else(|| rest.strip_prefix('w')) {
                        if let Ok(week) = w.parse::<u32>() {
                            if (1..=iso_weeks_in_year(year)).contains(&week) {
                                return PeriodId::Week { year, week };
                            }
                        }
                    } else if let Ok(month) = rest.parse::<u32>() {
                        if rest.len() == 2 && (1..=12).contains(&month) {
                            return PeriodId::Month { year, month };
                        }
                    }
                }
            }
        }
        PeriodId::Other
    }
}

/// ISO weeks in a year: 53 when 1 January is a Thursday, or a Wednesday in a leap year.
pub fn iso_weeks_in_year(year: i32) -> u32 {
    let jan1 = Date { year, month: 1, day: 1 }.weekday();
    if jan1 == 3 || (jan1 == 2 && is_leap(year)) {
        53
    } else {
        52
    }
}

/// Monday of ISO week `week` of `year`.
fn iso_week_monday(year: i32, week: u32) -> Date {
    let jan4 = Date { year, month: 1, day: 4 };
    let week1_monday = jan4.ordinal() - jan4.weekday();
    Date::from_ordinal(week1_monday + i64::from(week - 1) * 7)
}

/// The month (1–12) a period belongs to, for seasons: a month id's month; a week's
/// parent month, else the month of its Thursday; else the month of its `end` date.
pub fn month_of(wb: &Workbook, period: &Period) -> Option<u32> {
    month_of_depth(wb, period, 0)
}

fn month_of_depth(wb: &Workbook, period: &Period, depth: usize) -> Option<u32> {
    match PeriodId::parse(&period.id) {
        PeriodId::Month { month, .. } => Some(month),
        PeriodId::Week { year, week } => {
            if depth < 8 {
                if let Some(parent) = period.parent.as_deref().and_then(|p| wb.period(p)) {
                    if let Some(m) = month_of_depth(wb, parent, depth + 1) {
                        return Some(m);
                    }
                }
            }
            let thursday = Date::from_ordinal(iso_week_monday(year, week).ordinal() + 3);
            Some(thursday.month)
        }
        PeriodId::Other => period.end.as_deref().and_then(Date::parse).map(|d| d.month),
    }
}

/// The last day of a period: its `end`, else the month's last day, else the week's Sunday.
pub fn end_of(period: &Period) -> Option<Date> {
    if let Some(end) = period.end.as_deref().and_then(Date::parse) {
        return Some(end);
    }
    match PeriodId::parse(&period.id) {
        PeriodId::Month { year, month } => Some(Date { year, month, day: days_in_month(year, month) }),
        PeriodId::Week { year, week } => Some(Date::from_ordinal(iso_week_monday(year, week).ordinal() + 6)),
        PeriodId::Other => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Workbook;

    #[test]
    fn the_usual_date_form_reads_as_the_general_reading_does() {
        let mut texts = vec!["0000-01-01".to_string(), "0001-01-01".into(), "9999-12-31".into(), "2024-02-29".into(), "2023-02-29".into(), "2100-02-29".into(), "2000-02-29".into()];
        for y in ["0000", "0001", "1999", "2024", "2026", "9999", "20a6", "+202"] {
            for m in ["00", "01", "02", "09", "12", "13", "1a", "+1", "-1"] {
                for d in ["00", "01", "28", "29", "30", "31", "32", "9x"] {
                    texts.push(format!("{y}-{m}-{d}"));
                }
            }
        }
        for t in &texts {
            assert_eq!(Date::parse(t), Date::parse_any(t), "{t}");
        }
        assert_eq!(Date::parse("2026-10-31"), Some(Date { year: 2026, month: 10, day: 31 }));
        assert_eq!(Date::parse(" 2026-10-31 "), Some(Date { year: 2026, month: 10, day: 31 }));
    }

    fn period(id: &str) -> Period {
        Period { id: id.to_string(), name: String::new(), start: None, end: None, parent: None }
    }

    #[test]
    fn reads_period_ids() {
        assert_eq!(PeriodId::parse("2026-10"), PeriodId::Month { year: 2026, month: 10 });
        assert_eq!(PeriodId::parse("2026-W41"), PeriodId::Week { year: 2026, week: 41 });
        assert_eq!(PeriodId::parse("2026-13"), PeriodId::Other);
        assert_eq!(PeriodId::parse("2026-W54"), PeriodId::Other);
        assert_eq!(PeriodId::parse("Q4"), PeriodId::Other);
    }

    #[test]
    fn weeks_fall_in_the_month_of_their_thursday_or_parent() {
        let wb = Workbook::new("t");
        // 2026-W40 runs Mon 28 Sep – Sun 4 Oct 2026; its Thursday is 1 Oct.
        assert_eq!(iso_week_monday(2026, 40), Date { year: 2026, month: 9, day: 28 });
        assert_eq!(month_of(&wb, &period("2026-W40")), Some(10));
        assert_eq!(end_of(&period("2026-W40")), Some(Date { year: 2026, month: 10, day: 4 }));
        let mut wb = Workbook::new("t");
        wb.periods.push(period("2026-09"));
        let mut w = period("2026-W40");
        w.parent = Some("2026-09".into());
        assert_eq!(month_of(&wb, &w), Some(9));
    }

    #[test]
    fn hotel_period_ends_on_the_20th() {
        let mut p = period("2026-10");
        p.start = Some("2026-09-21".into());
        p.end = Some("2026-10-20".into());
        assert_eq!(end_of(&p), Some(Date { year: 2026, month: 10, day: 20 }));
        assert_eq!(month_of(&Workbook::new("t"), &p), Some(10));
        assert_eq!(end_of(&period("2024-02")), Some(Date { year: 2024, month: 2, day: 29 }));
    }

    #[test]
    fn counts_whole_months_of_service() {
        let d = |s| Date::parse(s).unwrap();
        assert_eq!(d("2026-04-30").months_until(d("2026-10-31")), 6);
        assert_eq!(d("2026-05-01").months_until(d("2026-10-31")), 5);
        assert_eq!(d("2025-10-31").months_until(d("2026-10-30")), 11);
        assert_eq!(d("2026-01-31").months_until(d("2026-02-28")), 1);
        assert_eq!(d("2027-01-01").months_until(d("2026-10-31")), 0);
        assert_eq!(Date::parse("2026-02-30"), None);
        assert_eq!(Date::parse("garbage"), None);
    }
}
