//! `data/local-authorities.csv`: English local authorities by GSS code, name and region.

use crate::csvfile::Csv;
use crate::diagnostic::{Diagnostic, Pos};
use crate::source::SourceFile;
use crate::suggest::did_you_mean;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// A GSS code present in local-authorities.csv.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct LaCode(String);

impl LaCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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
    Unknown { help: Option<String> },
    Ambiguous { codes: Vec<String> },
}

#[derive(Debug, Default)]
pub struct Authorities {
    list: Vec<LocalAuthority>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
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
                codes: many.iter().map(|&i| self.list[i].code.0.clone()).collect(),
            }),
            None => Err(LookupError::Unknown {
                help: did_you_mean(
                    s,
                    self.list
                        .iter()
                        .flat_map(|la| [la.code.as_str(), la.name.as_str()]),
                ),
            }),
        }
    }

    /// Reads `code,name,region[,...]`; extra columns are allowed and ignored.
    pub fn parse(file: &SourceFile) -> Result<Authorities, Vec<Diagnostic>> {
        let table = Csv::open(&file.rel, &file.text, false).map_err(|d| vec![d])?;
        let [c_code, c_name, c_region] = table.require(["code", "name", "region"])?;
        let mut out = Authorities::default();
        let mut diags = Vec::new();
        table.each(&mut diags, |line, record, diags| {
            let code = record[c_code].trim().to_string();
            if out.by_code.contains_key(&code) {
                diags.push(Diagnostic::at(
                    &file.rel,
                    Pos::new(line, 1),
                    format!("local authority code `{code}` is listed twice"),
                ));
                return;
            }
            let idx = out.list.len();
            out.by_code.insert(code.clone(), idx);
            let name = record[c_name].trim().to_string();
            out.by_name.entry(name.clone()).or_default().push(idx);
            out.list.push(LocalAuthority {
                code: LaCode(code),
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
    use std::path::PathBuf;

    fn table() -> Authorities {
        let file = SourceFile {
            abs: PathBuf::from("las.csv"),
            rel: "las.csv".into(),
            text: "code,name,region\nE1,Leeds,Yorkshire\nE2,Northumberland,North East\nE3,Northumberland,North East\n".into(),
        };
        Authorities::parse(&file).unwrap()
    }

    #[test]
    fn resolves_codes_and_unique_names() {
        let t = table();
        assert_eq!(t.lookup("E1").unwrap().as_str(), "E1");
        assert_eq!(t.lookup("Leeds").unwrap().as_str(), "E1");
    }

    #[test]
    fn a_name_with_two_codes_is_ambiguous() {
        assert_eq!(
            table().lookup("Northumberland"),
            Err(LookupError::Ambiguous {
                codes: vec!["E2".into(), "E3".into()]
            })
        );
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
