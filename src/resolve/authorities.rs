//! `data/local-authorities.csv`: English local authorities by GSS code, name and region.

use crate::diagnostic::{Code, Diagnostic, Pos, printable};
use crate::inputs::SourceFile;
use crate::names::gss::{CodeForm, GssCode, gss_help};
use crate::resolve::csvfile::{Csv, field_column};
use crate::suggest::did_you_mean;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// The GSS code of a row of local-authorities.csv: only these become addresses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct LaCode(GssCode);

impl LaCode {
    /// The code as written: `E08000035`.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for LaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct LocalAuthority {
    pub code: LaCode,
    pub name: String,
    pub region: String,
}

/// Why a local authority reference did not resolve.
#[derive(Debug, PartialEq, Eq)]
pub enum LookupError {
    Unknown {
        help: Option<String>,
    },
    /// A row in DfE's combined form or `z`: valid in the table, but no one authority.
    NoPage {
        help: String,
    },
    Ambiguous {
        codes: Vec<String>,
    },
}

#[derive(Debug, Default)]
pub struct Authorities {
    /// The rows with a GSS code, in file order.
    list: Vec<LocalAuthority>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    /// The codes and names of rows in DfE's combined form or `z`: valid, but no page, so a
    /// reference to one is told why.
    no_page: HashMap<String, String>,
}

impl Authorities {
    pub fn get(&self, code: &LaCode) -> &LocalAuthority {
        &self.list[self.by_code[code.as_str()]]
    }

    /// The code of a row of the table, by its GSS code only (data files use codes).
    pub fn code(&self, s: &str) -> Option<LaCode> {
        self.by_code.get(s).map(|&i| self.list[i].code.clone())
    }

    /// Every row's region, in file order, repeats included.
    pub fn regions(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|la| la.region.as_str())
    }

    /// Every GSS code, for suggestions.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|la| la.code.as_str())
    }

    /// Resolves a GSS code or an exact name.
    pub fn lookup(&self, s: &str) -> Result<LaCode, LookupError> {
        if let Some(&i) = self.by_code.get(s) {
            return Ok(self.list[i].code.clone());
        }
        match self.by_name.get(s).map(Vec::as_slice) {
            Some([i]) => Ok(self.list[*i].code.clone()),
            Some(many) => Err(LookupError::Ambiguous {
                codes: many
                    .iter()
                    .map(|&i| self.list[i].code.to_string())
                    .collect(),
            }),
            None => match self.no_page.get(s) {
                Some(why) => Err(LookupError::NoPage { help: why.clone() }),
                None => Err(LookupError::Unknown {
                    help: did_you_mean(
                        s,
                        self.list
                            .iter()
                            .flat_map(|la| [la.code.as_str(), la.name.as_str()]),
                    ),
                }),
            },
        }
    }

    /// Reads `code,name,region[,...]`; extra columns are allowed and ignored. Every code
    /// must be a GSS code, DfE's combined form or `z`; only GSS codes make rows that
    /// documents and data can name and that get pages.
    pub fn parse(file: &SourceFile) -> Result<Authorities, Vec<Diagnostic>> {
        let table = Csv::open(&file.rel, &file.text, false).map_err(|d| vec![d])?;
        let [c_code, c_name, c_region] = table.require(["code", "name", "region"])?;
        let mut out = Authorities::default();
        let mut seen = HashSet::new();
        let mut diags = Vec::new();
        table.each(&mut diags, |line, raw, record, diags| {
            let code = record[c_code].trim();
            let at = || Pos::new(line, field_column(raw, c_code));
            let Some(form) = CodeForm::parse(code) else {
                let also = ", DfE's combined form `E06000061 / E06000062`, or its placeholder `z`";
                diags.push(
                    Diagnostic::at(
                        Code::InvalidLaCode,
                        &file.rel,
                        at(),
                        format!("`{}` is not a local authority code", printable(code)),
                    )
                    .with_help(Some(gss_help(code, "E08000035", also))),
                );
                return;
            };
            if !seen.insert(code.to_string()) {
                diags.push(Diagnostic::at(
                    Code::DuplicateLaCode,
                    &file.rel,
                    Pos::new(line, 1),
                    format!("local authority code `{code}` is listed twice"),
                ));
                return;
            }
            let name = record[c_name].trim().to_string();
            let gss = match form {
                CodeForm::Gss(gss) => gss,
                other => {
                    let why = other.instead().unwrap_or_default();
                    out.no_page.insert(code.to_string(), why.clone());
                    out.no_page.entry(name).or_insert(why);
                    return;
                }
            };
            let idx = out.list.len();
            out.by_code.insert(code.to_string(), idx);
            out.by_name.entry(name.clone()).or_default().push(idx);
            out.list.push(LocalAuthority {
                code: LaCode(gss),
                name,
                region: record[c_region].trim().to_string(),
            });
        });
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(diags)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Authorities {
        let file = SourceFile {
            rel: "las.csv".into(),
            text: "code,name,region\nE08000035,Leeds,Yorkshire\nE06000048,Northumberland,North East\nE06000057,Northumberland,North East\nE06000061 / E06000062,Two / Together,East Midlands\nz,Overseas,\n".into(),
        };
        Authorities::parse(&file).unwrap()
    }

    #[test]
    fn resolves_codes_and_unique_names() {
        let t = table();
        assert_eq!(t.lookup("E08000035").unwrap().as_str(), "E08000035");
        assert_eq!(t.lookup("Leeds").unwrap().as_str(), "E08000035");
    }

    #[test]
    fn a_name_with_two_codes_is_ambiguous() {
        assert_eq!(
            table().lookup("Northumberland"),
            Err(LookupError::Ambiguous {
                codes: vec!["E06000048".into(), "E06000057".into()]
            })
        );
    }

    #[test]
    fn combined_codes_and_z_are_valid_but_name_no_authority() {
        let t = table();
        assert_eq!(t.codes().count(), 3);
        for s in ["E06000061 / E06000062", "Two / Together", "z", "Overseas"] {
            let Err(LookupError::NoPage { help }) = t.lookup(s) else {
                panic!("{s} resolved");
            };
            assert!(help.contains("DfE"), "{help}");
        }
    }

    #[test]
    fn code_forms() {
        assert!(matches!(
            CodeForm::parse("W06000015"),
            Some(CodeForm::Gss(_))
        ));
        assert_eq!(
            CodeForm::parse("E09000021 / E09000027"),
            Some(CodeForm::Combined(vec![
                GssCode::parse("E09000021").unwrap(),
                GssCode::parse("E09000027").unwrap()
            ]))
        );
        assert_eq!(CodeForm::parse("z"), Some(CodeForm::Placeholder));
        for bad in [
            "../../../x",
            "E0600006",
            "E060000611",
            "e06000061",
            "X06000061",
            "E06000061 /",
            "E06000061/E06000062",
            "Z",
            "",
            "E０6000061",
        ] {
            assert_eq!(CodeForm::parse(bad), None, "{bad}");
        }
        assert_eq!(gss_help("e06000061", "E1", ""), "did you mean `E06000061`?");
    }

    #[test]
    fn unknown_names_get_a_suggestion() {
        assert_eq!(
            table().lookup("Leds"),
            Err(LookupError::Unknown {
                help: Some("did you mean `Leeds`?".into())
            })
        );
    }
}
