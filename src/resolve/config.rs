//! `site.yaml`, and the base URL every link and canonical address is built on.

use crate::diagnostic::{Code, Diagnostic, printable};
use crate::inputs::{Inputs, SourceFile};
use crate::resolve::frontmatter::Fields;
use std::fmt;

/// An absolute http(s) URL, split so a site served from a sub-path links correctly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://example.org`, no trailing slash.
    origin: String,
    /// `` or `/digest`: no trailing slash.
    prefix: String,
}

/// Whether `c` is never part of a URL as written: white space, a control character, a quote,
/// an angle bracket, a backslash or a backtick. An address from a site's files that holds one
/// is a mistake or an attack: each is one missed escape from leaving its attribute.
pub fn not_in_a_url(c: char) -> bool {
    c.is_whitespace() || c.is_control() || "\"<>\\`".contains(c)
}

impl BaseUrl {
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| {
                format!(
                    "base URL `{}` must start with https:// or http://",
                    printable(s)
                )
            })?;
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        // A newline would add lines to robots.txt, which holds the base URL as written.
        let stray = |c: char| not_in_a_url(c) || c == '?' || c == '#';
        if host.is_empty() || host.contains(stray) || path.contains(stray) {
            return Err(format!(
                "base URL `{}` is not a valid absolute URL",
                printable(s)
            ));
        }
        let scheme_len = s.len() - rest.len();
        Ok(BaseUrl {
            origin: s[..scheme_len + host.len()].to_string(),
            prefix: path.trim_end_matches('/').to_string(),
        })
    }

    /// The href for a site path (`/themes/`), usable from any page of the site.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.prefix, path)
    }

    /// The absolute URL of a site path, for canonical links, feeds and the sitemap.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}{}", self.origin, self.prefix, path)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.prefix)
    }
}

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub base_url: BaseUrl,
    pub language: String,
    pub description: Option<String>,
    pub theme: Option<String>,
    pub publish_all_evidence: bool,
    /// Raw HTML in case studies, hypotheses and pages passes through unsanitised.
    /// Submissions are sanitised whatever this says.
    pub trusted_raw_html: bool,
}

impl SiteConfig {
    /// Reads site.yaml; `base_url_override` is `--base-url`, checked the same way. A theme
    /// it names must be a folder of `inputs`.
    pub fn parse(
        file: &SourceFile,
        base_url_override: Option<&str>,
        inputs: &Inputs,
    ) -> Result<SiteConfig, Vec<Diagnostic>> {
        let mut f = Fields::parse(&file.rel, &file.text, 1).map_err(|d| vec![d])?;
        let title: Option<String> = f.required("title");
        let base: Option<String> = f.required("base_url");
        let language: Option<String> = f.optional("language");
        let description = f.optional("description");
        let theme: Option<String> = f.optional("theme");
        let publish_all_evidence = f.optional("publish_all_evidence").unwrap_or(false);
        let trusted_raw_html = f.optional("trusted_raw_html").unwrap_or(false);
        let base_pos = f.key_pos("base_url");
        let base_url = match base_url_override.map(str::to_string).or(base) {
            Some(b) => BaseUrl::parse(&b)
                .map_err(|msg| {
                    let help = "write the address the site is served from, such as \
                                `https://example.org/digest/`, with no spaces, quotes or \
                                angle brackets";
                    f.error(Code::InvalidBaseUrl, base_pos, msg, Some(help.into()))
                })
                .ok(),
            None => None,
        };
        if let Some(lang) = &language
            && !is_language_tag(lang)
        {
            let pos = f.key_pos("language");
            f.error(
                Code::InvalidLanguage,
                pos,
                format!("`{lang}` is not a BCP 47 language tag"),
                Some("use a tag such as `en` or `en-GB`".into()),
            );
        }
        if let Some(t) = &theme {
            let pos = f.key_pos("theme");
            if !crate::names::is_slug(t) {
                f.error(
                    Code::InvalidSiteTheme,
                    pos,
                    format!("theme `{t}` is not a folder name"),
                    None,
                );
            } else if !inputs.is_folder(&format!("themes/{t}")) {
                f.error(
                    Code::MissingSiteTheme,
                    pos,
                    format!("theme `{t}` not found: there is no folder themes/{t}/"),
                    None,
                );
            }
        }
        let diags = f.finish();
        match (title, base_url, diags.is_empty()) {
            (Some(title), Some(base_url), true) => Ok(SiteConfig {
                title,
                base_url,
                language: language.unwrap_or_else(|| "en".into()),
                description,
                theme,
                publish_all_evidence,
                trusted_raw_html,
            }),
            _ => Err(diags),
        }
    }
}

fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_a_sub_path() {
        let b = BaseUrl::parse("https://example.org/digest/").unwrap();
        assert_eq!(b.href("/themes/"), "/digest/themes/");
        assert_eq!(b.absolute("/"), "https://example.org/digest/");
        let root = BaseUrl::parse("http://127.0.0.1:1111").unwrap();
        assert_eq!(root.href("/"), "/");
    }

    #[test]
    fn rejects_relative_base_urls() {
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
    }

    #[test]
    fn rejects_base_urls_that_would_break_out_of_robots_txt_or_an_attribute() {
        for bad in [
            "https://example.org/\nDisallow: /",
            "https://example.org/a\"onload=\"x",
            "https://example.org/<script>",
            "https://exa\tmple.org",
        ] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad:?}");
        }
        assert!(BaseUrl::parse("https://example.org/a-b_c.d~e/%20").is_ok());
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en-GB"));
        assert!(!is_language_tag("english please"));
    }
}
