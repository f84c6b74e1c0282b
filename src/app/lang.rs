//! Which interface language to show.
//!
//! `?lang=en` / `?lang=zh-CN` in the address wins; then the language the person chose
//! before (remembered under [`STORAGE_KEY`]); then the browser's: Simplified Chinese
//! when it prefers Chinese, English otherwise.

use crate::i18n::Lang;

/// The localStorage key of the chosen language.
pub const STORAGE_KEY: &str = "kpi-scorecard.lang";

pub fn choose(url_param: Option<&str>, remembered: Option<&str>, browser: &[String]) -> Lang {
    if let Some(l) = url_param.and_then(Lang::from_tag) {
        return l;
    }
    if let Some(l) = remembered.and_then(Lang::from_tag) {
        return l;
    }
    // The first of the browser's languages we have.
    browser.iter().find_map(|t| Lang::from_tag(t)).unwrap_or(Lang::En)
}

/// A value of a URL query parameter (`?a=1&lang=en` → `lang` → `en`), decoded for the
/// simple cases the app uses (`%2D`, `+`).
pub fn query_param(search: &str, name: &str) -> Option<String> {
    let q = search.strip_prefix('?').unwrap_or(search);
    q.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(b) => {
                    out.push(b);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn url_then_remembered_then_browser() {
        assert_eq!(choose(Some("en"), Some("zh-CN"), &langs(&["zh-CN"])), Lang::En);
        assert_eq!(choose(Some("zh-CN"), None, &langs(&["en-US"])), Lang::ZhCn);
        assert_eq!(choose(Some("fr"), Some("en"), &langs(&["zh-CN"])), Lang::En);
        assert_eq!(choose(None, Some("zh-CN"), &langs(&["en-US"])), Lang::ZhCn);
        assert_eq!(choose(None, None, &langs(&["zh-TW"])), Lang::ZhCn);
        assert_eq!(choose(None, None, &langs(&["fr-FR", "zh"])), Lang::ZhCn);
        assert_eq!(choose(None, None, &langs(&["en-GB"])), Lang::En);
        assert_eq!(choose(None, None, &langs(&["de"])), Lang::En);
        assert_eq!(choose(None, None, &[]), Lang::En);
    }

    #[test]
    fn query_params() {
        assert_eq!(query_param("?lang=en", "lang").as_deref(), Some("en"));
        assert_eq!(query_param("?preset=courier&lang=zh%2DCN", "lang").as_deref(), Some("zh-CN"));
        assert_eq!(query_param("?preset=courier&lang=zh-CN", "preset").as_deref(), Some("courier"));
        assert_eq!(query_param("", "lang"), None);
        assert_eq!(query_param("?langx=en", "lang"), None);
        assert_eq!(query_param("?a=%", "a").as_deref(), Some("%"));
        assert_eq!(query_param("?a=%4", "a").as_deref(), Some("%4"));
        assert_eq!(query_param("?a=%zz", "a").as_deref(), Some("%zz"));
    }
}
