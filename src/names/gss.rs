//! Codes of the Government Statistical Service (GSS) for places: checked against the GSS
//! pattern once, where they are read, so every later use may take them as safe.

use serde::Serialize;
use std::fmt;

/// A GSS code: a letter for the nation (`E`, `W`, `S` or `N`) and eight digits, such as
/// `E08000035`. Checked once where it is read, so it is safe as an address segment, a file
/// name and an HTML id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct GssCode(String);

impl GssCode {
    /// `s` if it is a GSS code, exactly: upper-case letter, eight ASCII digits, no spaces.
    pub fn parse(s: &str) -> Option<GssCode> {
        let b = s.as_bytes();
        (b.len() == 9 && b"EWSN".contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit))
            .then(|| GssCode(s.to_string()))
    }

    /// The code as written: `E12000003`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GssCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The help for a code that is not a GSS code: its upper-case spelling if that is one, else
/// the rule, with `example` and any other forms allowed.
pub fn gss_help(s: &str, example: &str, also: &str) -> String {
    match GssCode::parse(&s.to_uppercase()) {
        Some(code) => format!("did you mean `{code}`?"),
        None => format!(
            "write a GSS code: a letter E, W, S or N and eight digits, such as `{example}`{also}"
        ),
    }
}

/// The forms a `code` of local-authorities.csv (and DfE's `new_la_code`) may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeForm {
    /// One authority: the only form that has a page.
    Gss(GssCode),
    /// DfE's code for authorities reported together: `E06000061 / E06000062`.
    Combined(Vec<GssCode>),
    /// DfE's `z`: no local authority applies.
    Placeholder,
}

impl CodeForm {
    /// The form `s` takes, or `None` if it is none of them.
    pub fn parse(s: &str) -> Option<CodeForm> {
        if s == "z" {
            return Some(CodeForm::Placeholder);
        }
        if let Some(code) = GssCode::parse(s) {
            return Some(CodeForm::Gss(code));
        }
        let parts: Option<Vec<GssCode>> = s.split(" / ").map(GssCode::parse).collect();
        parts.filter(|p| p.len() >= 2).map(CodeForm::Combined)
    }

    /// What to write instead of a reference to this form; `None` for a GSS code.
    pub fn instead(&self) -> Option<String> {
        match self {
            CodeForm::Gss(_) => None,
            CodeForm::Combined(codes) => Some(format!(
                "DfE's combined form stands for authorities reported together; name each one: {}",
                codes
                    .iter()
                    .map(GssCode::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            CodeForm::Placeholder => Some(
                "`z` is DfE's placeholder where no local authority applies; name the authority \
                 the document is about"
                    .into(),
            ),
        }
    }
}
