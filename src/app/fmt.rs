//! Numbers and money for display, per language. Chinese and English both group
//! thousands with `,` and use `.` for decimals; money is `¥1,234.50`. Minus is the real
//! minus sign `−`.

use crate::explain;
use crate::i18n::Lang;
use rust_decimal::Decimal;

/// Points and figures: up to 2 decimals, thousands grouped (`1,459`, `80.46`, `−1`).
pub fn number(x: f64, _lang: Lang) -> String {
    let s = explain::num(x);
    group(&s)
}

/// With an explicit sign for changes: `+3`, `−1.5`, `0`.
pub fn signed(x: f64, lang: Lang) -> String {
    let s = number(x, lang);
    if x > 0.0 && s != "0" {
        format!("+{s}")
    } else {
        s
    }
}

/// Money in the workbook's currency: `¥1,234.50`.
pub fn money(amount: Decimal, currency: &str, lang: Lang) -> String {
    explain::money(amount, currency, lang)
}

/// A change of money with its sign: `+¥12.00`, `−¥3.50`, `¥0.00`.
pub fn signed_money(amount: Decimal, currency: &str, lang: Lang) -> String {
    let s = money(amount, currency, lang);
    if amount > Decimal::ZERO {
        format!("+{s}")
    } else {
        s
    }
}

/// A percentage: `100%`, `92.5%`.
pub fn percent(x: f64, lang: Lang) -> String {
    format!("{}%", number(x, lang))
}

/// Inserts thousands separators into the integer part of a formatted number.
fn group(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('−') {
        Some(r) => ("−", r),
        None => ("", s),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if int.len() <= 3 || !int.chars().all(|c| c.is_ascii_digit()) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    out.push_str(sign);
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Places gained or lost in the ranking: `↑2`, `↓1`, `0`.
pub fn rank_change(places: i64) -> String {
    match places {
        0 => "0".into(),
        p if p > 0 => format!("↑{p}"),
        p => format!("↓{}", -p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn numbers() {
        let l = Lang::En;
        assert_eq!(number(1459.0, l), "1,459");
        assert_eq!(number(1234567.891, l), "1,234,567.89");
        assert_eq!(number(-1234.5, l), "−1,234.5");
        assert_eq!(number(80.4616, l), "80.46");
        assert_eq!(number(0.0, Lang::ZhCn), "0");
        assert_eq!(number(f64::NAN, l), "—");
        assert_eq!(signed(3.0, l), "+3");
        assert_eq!(signed(-1.5, l), "−1.5");
        assert_eq!(signed(0.0, l), "0");
        assert_eq!(signed(0.001, l), "+0.001");
        assert_eq!(percent(92.5, l), "92.5%");
        assert_eq!(rank_change(2), "↑2");
        assert_eq!(rank_change(-1), "↓1");
        assert_eq!(rank_change(0), "0");
    }

    #[test]
    fn money_for_display() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(money(d("1234.5"), "CNY", Lang::ZhCn), "¥1,234.50");
        assert_eq!(signed_money(d("12"), "CNY", Lang::En), "+¥12.00");
        assert_eq!(signed_money(d("-3.5"), "CNY", Lang::En), "−¥3.50");
        assert_eq!(signed_money(d("0"), "CNY", Lang::En), "¥0.00");
    }
}
