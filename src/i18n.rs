//! The translation layer: every user-visible interface string, in Simplified Chinese
//! and English. Users' own text (names, titles, notes) is never translated.
//!
//! Interface strings are looked up by key with [`tr`]; a test checks that every key
//! has both languages and that every key used in `src/` exists. Sentences built from
//! engine data (explanations, warnings, validation messages) live in
//! [`crate::explain`], which formats them per language.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag (`zh-CN`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a tag as found in `?lang=` or `navigator.language` (`zh`, `zh-CN`,
    /// `zh-Hans`, `en-US` …). Unknown tags give `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase();
        if t == "zh" || t.starts_with("zh-") || t.starts_with("zh_") {
            Some(Lang::ZhCn)
        } else if t == "en" || t.starts_with("en-") || t.starts_with("en_") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// (key, Simplified Chinese, English). Keep sorted by key: lookup is a binary search
/// and a test checks the order.
pub static STRINGS: &[(&str, &str, &str)] = &[
    ("app.title", "客服绩效计分卡", "KPI Scorecard"),
];

/// The interface string for `key`. An unknown key returns the key itself (and a test
/// makes sure that never ships).
pub fn tr(lang: Lang, key: &'static str) -> &'static str {
    match STRINGS.binary_search_by(|(k, _, _)| k.cmp(&key)) {
        Ok(i) => match lang {
            Lang::ZhCn => STRINGS[i].1,
            Lang::En => STRINGS[i].2,
        },
        Err(_) => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_unique_and_translated() {
        for w in STRINGS.windows(2) {
            assert!(w[0].0 < w[1].0, "keys out of order or duplicated: {} / {}", w[0].0, w[1].0);
        }
        for (k, zh, en) in STRINGS {
            assert!(!zh.is_empty() && !en.is_empty(), "key {k} lacks a translation");
        }
    }

    #[test]
    fn every_key_used_in_src_exists() {
        // Scan the sources for tr(lang, "key") / t("key") calls.
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src is readable") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("source is UTF-8");
                    for key in used_keys(&text) {
                        if STRINGS.binary_search_by(|(k, _, _)| k.cmp(&key.as_str())).is_err() {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:#?}");
    }

    /// Keys passed as string literals to `tr(…, "key")` or `t("key")`.
    fn used_keys(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for marker in ["tr(lang, \"", "tr(l, \"", "t(\"", "tr(self.lang, \""] {
            let mut rest = text;
            while let Some(pos) = rest.find(marker) {
                let after = &rest[pos + marker.len()..];
                if let Some(end) = after.find('"') {
                    let key = &after[..end];
                    if key.contains('.') && !key.contains(' ') {
                        keys.push(key.to_string());
                    }
                }
                rest = &rest[pos + marker.len()..];
            }
        }
        keys
    }

    #[test]
    fn parses_language_tags() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("zh-Hans"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("en-US"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(tr(Lang::En, "app.title"), "KPI Scorecard");
        assert_eq!(tr(Lang::ZhCn, "app.title"), "客服绩效计分卡");
    }
}
