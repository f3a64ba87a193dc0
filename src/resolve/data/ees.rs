//! Tables in the DfE explore-education-statistics (EES) tidy CSV layout: one row per time
//! period, place and combination of filters, with indicator columns holding numbers or DfE's
//! symbols for missing values. Every malformed row is reported at its line and column.

use crate::diagnostic::{Code, Diagnostic, Pos, printable};
use crate::names::gss::{CodeForm, GssCode, gss_help};
use crate::resolve::authorities::{Authorities, LaCode};
use crate::resolve::csvfile::{Csv, field_column};
use crate::suggest::did_you_mean;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// The geographic levels a gap is charted at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum GeoLevel {
    #[serde(rename = "National")]
    National,
    #[serde(rename = "Regional")]
    Regional,
    #[serde(rename = "Local authority")]
    LocalAuthority,
}

impl GeoLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            GeoLevel::National => "National",
            GeoLevel::Regional => "Regional",
            GeoLevel::LocalAuthority => "Local authority",
        }
    }
}

/// EES's other geographic levels: valid in a file, not charted by the digest.
const OTHER_LEVELS: &[&str] = &[
    "Local authority district",
    "Local skills improvement plan area",
    "Local enterprise partnership",
    "English devolved area",
    "Mayoral combined authority",
    "Opportunity area",
    "Parliamentary constituency",
    "Ward",
    "Multi-academy trust",
    "Sponsor",
    "School",
    "Provider",
    "Institution",
    "Planning area",
    "Police force area",
];

/// Why a value is missing, in DfE's own symbols. A missing value is never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Missing {
    Confidential,
    NotAvailable,
    NotApplicable,
    Low,
    Unreliable,
    LegacyNotAvailable,
    LegacyNegligible,
}

impl Missing {
    const ALL: [Missing; 7] = [
        Missing::Confidential,
        Missing::NotAvailable,
        Missing::NotApplicable,
        Missing::Low,
        Missing::Unreliable,
        Missing::LegacyNotAvailable,
        Missing::LegacyNegligible,
    ];

    pub fn symbol(self) -> &'static str {
        match self {
            Missing::Confidential => "c",
            Missing::NotAvailable => "x",
            Missing::NotApplicable => "z",
            Missing::Low => "low",
            Missing::Unreliable => "u",
            Missing::LegacyNotAvailable => ":",
            Missing::LegacyNegligible => "~",
        }
    }

    /// What the symbol means, as DfE's guidance puts it, for table cells and chart text.
    pub fn meaning(self) -> &'static str {
        match self {
            Missing::Confidential => "confidential: withheld to protect people's identity",
            Missing::NotAvailable => "not available",
            Missing::NotApplicable => "not applicable",
            Missing::Low => "a positive value that rounds to zero",
            Missing::Unreliable => "low reliability",
            Missing::LegacyNotAvailable => "not available",
            Missing::LegacyNegligible => "negligible: fewer than half the rounding unit",
        }
    }

    fn parse(s: &str) -> Option<Missing> {
        Missing::ALL.into_iter().find(|m| m.symbol() == s)
    }
}

/// One indicator cell.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Value {
    Number(f64),
    Missing(Missing),
}

impl Value {
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(n),
            Value::Missing(_) => None,
        }
    }

    /// Reads a cell: a number, or one of DfE's symbols.
    pub fn parse(s: &str) -> Option<Value> {
        let s = s.trim();
        if let Some(m) = Missing::parse(s) {
            return Some(Value::Missing(m));
        }
        s.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Value::Number)
    }
}

/// How a `time_identifier` writes its `time_period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PeriodShape {
    /// `201819`: a year and the next one's last two digits (academic, financial, tax years).
    TwoYears,
    /// `2018`.
    Year,
}

fn period_shape(identifier: &str) -> Option<PeriodShape> {
    const TWO_YEARS: &[&str] = &[
        "Academic year",
        "Financial year",
        "Tax year",
        "Autumn term",
        "Spring term",
        "Summer term",
        "Autumn and spring term",
        "Financial year part 1",
        "Financial year part 2",
    ];
    // Identifiers whose period is a year alone, as are the months' and calendar quarters'.
    const YEAR: &[&str] = &["Calendar year", "Reporting year"];
    let quarter = |base: &str| {
        identifier
            .strip_prefix(base)
            .is_some_and(|q| matches!(q, " Q1" | " Q2" | " Q3" | " Q4" | " Q1-Q2" | " Q1-Q3"))
    };
    let week = identifier
        .strip_prefix("Week ")
        .is_some_and(|n| n.parse::<u8>().is_ok_and(|n| (1..=53).contains(&n)));
    if TWO_YEARS.contains(&identifier)
        || ["Academic year", "Financial year", "Tax year"]
            .into_iter()
            .any(quarter)
    {
        Some(PeriodShape::TwoYears)
    } else if YEAR.contains(&identifier)
        || crate::names::date::MONTHS.contains(&identifier)
        || quarter("Calendar year")
        || week
    {
        Some(PeriodShape::Year)
    } else {
        None
    }
}

/// A time period as the source writes it, known to match its identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimePeriod {
    code: u32,
    two_years: bool,
}

impl TimePeriod {
    fn parse(period: &str, shape: PeriodShape) -> Option<TimePeriod> {
        let digits = period.bytes().all(|b| b.is_ascii_digit());
        let code: u32 = period.parse().ok().filter(|_| digits)?;
        match shape {
            PeriodShape::Year if period.len() == 4 => Some(TimePeriod {
                code,
                two_years: false,
            }),
            PeriodShape::TwoYears if period.len() == 6 && (code / 100 + 1) % 100 == code % 100 => {
                Some(TimePeriod {
                    code,
                    two_years: true,
                })
            }
            _ => None,
        }
    }

    #[cfg(test)]
    pub fn parse_academic(code: &str) -> TimePeriod {
        TimePeriod::parse(code, PeriodShape::TwoYears).expect("an academic year")
    }

    /// As the source writes it: `201819`.
    pub fn code(&self) -> String {
        self.code.to_string()
    }

    /// As people read it: `2018/19`.
    pub fn label(&self) -> String {
        if self.two_years {
            format!("{}/{:02}", self.code / 100, self.code % 100)
        } else {
            self.code.to_string()
        }
    }
}

impl fmt::Display for TimePeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Where a row's figures are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceKey {
    pub level: GeoLevel,
    /// The GSS code of the country, region or local authority.
    pub code: GssCode,
    pub name: String,
    /// A local authority's region, as its row gives it.
    pub region_code: Option<GssCode>,
    /// A local authority row's code, known to local-authorities.csv.
    pub la: Option<LaCode>,
}

/// One data row of a charted place: its figures are in the table's flat columns at the
/// row's index.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub period: TimePeriod,
    /// Index in `Table::places`.
    pub place: usize,
}

/// A filter column and the values its rows hold, each stored once.
#[derive(Debug, Default)]
pub struct FilterColumn {
    pub name: String,
    index: usize,
    values: Vec<String>,
    ids: HashMap<String, u32>,
}

impl FilterColumn {
    /// The id rows hold for `value`, if any row holds it.
    pub fn id(&self, value: &str) -> Option<u32> {
        self.ids.get(value).copied()
    }

    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(String::as_str)
    }

    fn intern(&mut self, value: &str) -> u32 {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(value.to_string());
        self.ids.insert(value.to_string(), id);
        id
    }
}

/// What a `.meta.csv` says about one column that the digest uses: whether it is an
/// indicator, and its decimal places (labels and units come from indicators.yaml).
#[derive(Debug, Clone, Default)]
pub struct ColumnMeta {
    pub decimals: Option<u8>,
    pub indicator: bool,
}

/// One gap file, read and checked. Only rows of the levels the digest charts are kept, and
/// their filter values and places are interned: a table of tens of thousands of rows holds a
/// few hundred distinct strings.
#[derive(Debug)]
pub struct Table {
    /// Path from the site root: `data/gaps/outcome-gaps.csv`.
    pub rel: String,
    pub columns: Vec<String>,
    /// Indexes of the indicator columns.
    pub indicators: Vec<usize>,
    pub meta: HashMap<String, ColumnMeta>,
    pub rows: Vec<Row>,
    pub places: Vec<PlaceKey>,
    pub filters: Vec<FilterColumn>,
    /// Row `r`'s indicator values are `values[r * indicators.len()..]`, its filter value ids
    /// `filter_ids[r * filters.len()..]`.
    values: Vec<Value>,
    filter_ids: Vec<u32>,
}

/// England's GSS code.
const ENGLAND: &str = "E92000001";

/// Columns of the EES layout that are neither filters nor indicators.
pub const STANDARD_COLUMNS: &[&str] = &[
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
];

const REQUIRED_COLUMNS: [&str; 4] = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
];

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// A filter column by name.
    pub fn filter(&self, name: &str) -> Option<(usize, &FilterColumn)> {
        self.filters
            .iter()
            .enumerate()
            .find(|(_, f)| f.name == name)
    }

    pub fn values(&self, row: usize) -> &[Value] {
        let n = self.indicators.len();
        &self.values[row * n..(row + 1) * n]
    }

    pub fn filter_ids(&self, row: usize) -> &[u32] {
        let n = self.filters.len();
        &self.filter_ids[row * n..(row + 1) * n]
    }

    /// Reads a table whose indicator columns are those the meta file marks, or, without one,
    /// `indicator_columns` (the columns indicators.yaml reads).
    pub fn parse(
        rel: &str,
        text: &str,
        meta: HashMap<String, ColumnMeta>,
        indicator_columns: &[&str],
        authorities: &Authorities,
    ) -> Result<Table, Vec<Diagnostic>> {
        let table = Csv::open(rel, text, true).map_err(|d| vec![d])?;
        let [period, identifier, level, country] = table.require(REQUIRED_COLUMNS)?;
        let columns = table.headers.clone();
        let has_meta = !meta.is_empty();
        let indicators: Vec<usize> = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                if has_meta {
                    meta.get(*c).is_some_and(|m| m.indicator)
                } else {
                    indicator_columns.contains(&c.as_str())
                }
            })
            .map(|(i, _)| i)
            .collect();
        let col = |name: &str| columns.iter().position(|c| c == name);
        let c = Cols {
            period,
            identifier,
            level,
            country,
            country_name: col("country_name"),
            region: col("region_code"),
            region_name: col("region_name"),
            la: col("new_la_code"),
            la_name: col("la_name"),
        };
        let mut filters: Vec<FilterColumn> = (0..columns.len())
            .filter(|i| {
                !indicators.contains(i) && !STANDARD_COLUMNS.contains(&columns[*i].as_str())
            })
            .map(|index| FilterColumn {
                name: columns[index].clone(),
                index,
                ..FilterColumn::default()
            })
            .collect();
        let mut rows = Vec::new();
        let mut places: Vec<PlaceKey> = Vec::new();
        let mut place_ids: HashMap<(GeoLevel, GssCode), usize> = HashMap::new();
        let mut values = Vec::new();
        let mut filter_ids = Vec::new();
        let mut diags = Vec::new();
        table.each(&mut diags, |line, raw, record, diags| {
            let at = |field: usize| Pos::new(line, field_column(raw, field));
            if record.len() != columns.len() {
                diags.push(Diagnostic::at(
                    Code::WrongFieldCount,
                    rel,
                    Pos::new(line, 1),
                    format!(
                        "row has {} fields, but the header has {}",
                        record.len(),
                        columns.len()
                    ),
                ));
                return;
            }
            let cells: Vec<&str> = record.iter().map(str::trim).collect();
            let mut row_ok = true;
            let mut error = |code: Code, field: usize, message: String, help: Option<String>| {
                row_ok = false;
                diags.push(Diagnostic::at(code, rel, at(field), message).with_help(help));
            };
            let identifier = cells[c.identifier];
            let period = match period_shape(identifier) {
                None => {
                    error(
                        Code::UnknownTimeIdentifier,
                        c.identifier,
                        format!("unknown time_identifier `{identifier}`"),
                        did_you_mean(
                            identifier,
                            ["Academic year", "Calendar year", "Financial year"],
                        ),
                    );
                    None
                }
                Some(shape) => {
                    let p = TimePeriod::parse(cells[c.period], shape);
                    if p.is_none() {
                        let example = match shape {
                            PeriodShape::TwoYears => "six digits for two years, such as `201819`",
                            PeriodShape::Year => "four digits, such as `2019`",
                        };
                        error(
                            Code::InvalidTimePeriod,
                            c.period,
                            format!(
                                "time_period `{}` does not match time_identifier `{identifier}`",
                                cells[c.period]
                            ),
                            Some(format!("write {example}")),
                        );
                    }
                    p
                }
            };
            let level_text = cells[c.level];
            let level = match level_text {
                "National" => Some(Some(GeoLevel::National)),
                "Regional" => Some(Some(GeoLevel::Regional)),
                "Local authority" => Some(Some(GeoLevel::LocalAuthority)),
                other if OTHER_LEVELS.contains(&other) => Some(None),
                other => {
                    let known = ["National", "Regional", "Local authority"]
                        .into_iter()
                        .chain(OTHER_LEVELS.iter().copied());
                    error(
                        Code::UnknownGeographicLevel,
                        c.level,
                        format!("unknown geographic_level `{other}`"),
                        did_you_mean(other, known),
                    );
                    None
                }
            };
            let cell = |i: Option<usize>| {
                i.map(|i| cells[i])
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            // Codes become chart ids and addresses: each must be a GSS code.
            let gss = |i: Option<usize>, example: &str| match cell(i) {
                None => Ok(None),
                Some(text) => GssCode::parse(&text).map(Some).ok_or_else(|| {
                    let i = i.unwrap_or(c.level);
                    let message =
                        format!("{} `{}` is not a GSS code", columns[i], printable(&text));
                    (i, message, Some(gss_help(&text, example, "")))
                }),
            };
            let place = match level {
                Some(Some(level)) => {
                    let (code_col, name, example) = match level {
                        GeoLevel::National => (Some(c.country), c.country_name, "E92000001"),
                        GeoLevel::Regional => (c.region, c.region_name, "E12000003"),
                        GeoLevel::LocalAuthority => (c.la, c.la_name, "E08000035"),
                    };
                    let code_name = match level {
                        GeoLevel::National => "country_code",
                        GeoLevel::Regional => "region_code",
                        GeoLevel::LocalAuthority => "new_la_code",
                    };
                    let la_form = match level {
                        GeoLevel::LocalAuthority => cell(c.la).and_then(|s| CodeForm::parse(&s)),
                        _ => None,
                    };
                    let code = match la_form {
                        // Authorities reported together, or none: valid, with no page to
                        // chart on.
                        Some(CodeForm::Combined(_) | CodeForm::Placeholder) => Ok(None),
                        _ => gss(code_col, example),
                    };
                    match (code, gss(c.region, "E12000003")) {
                        (Err((i, message, help)), _) | (_, Err((i, message, help))) => {
                            error(Code::InvalidGssCode, i, message, help);
                            None
                        }
                        (Ok(None), _) if la_form.is_some() => None,
                        (Ok(None), _) => {
                            error(
                                Code::MissingPlaceCode,
                                code_col.unwrap_or(c.level),
                                format!("a {} row needs a `{code_name}`", level.as_str()),
                                None,
                            );
                            None
                        }
                        (Ok(Some(code)), Ok(region_code)) => {
                            let la = match level {
                                GeoLevel::LocalAuthority => match authorities.code(code.as_str()) {
                                    Some(la) => Some(la),
                                    None => {
                                        error(
                                            Code::UnknownLaCode,
                                            code_col.unwrap_or(c.level),
                                            format!(
                                                "`{code}` is not in data/local-authorities.csv"
                                            ),
                                            did_you_mean(code.as_str(), authorities.codes()),
                                        );
                                        None
                                    }
                                },
                                _ => None,
                            };
                            let name = cell(name).unwrap_or_else(|| match code.as_str() {
                                // EES files may leave the country's name out.
                                ENGLAND => "England".into(),
                                _ => code.to_string(),
                            });
                            (la.is_some() || level != GeoLevel::LocalAuthority).then_some(
                                PlaceKey {
                                    level,
                                    code,
                                    name,
                                    region_code,
                                    la,
                                },
                            )
                        }
                    }
                }
                _ => None,
            };
            let mut row_values = Vec::with_capacity(indicators.len());
            for &i in &indicators {
                match Value::parse(cells[i]) {
                    Some(v) => row_values.push(v),
                    None => error(
                        Code::InvalidNumber,
                        i,
                        if cells[i].is_empty() {
                            format!("`{}` is empty", columns[i])
                        } else {
                            format!("`{}` is not a number: `{}`", columns[i], cells[i])
                        },
                        Some(
                            "write a number, or a DfE symbol for a missing value: c, x, z, low, u"
                                .into(),
                        ),
                    ),
                }
            }
            let (true, Some(period), Some(place)) = (row_ok, period, place) else {
                return;
            };
            let key = (place.level, place.code.clone());
            let place = *place_ids.entry(key).or_insert_with(|| {
                places.push(place);
                places.len() - 1
            });
            rows.push(Row {
                line,
                period,
                place,
            });
            values.extend(row_values);
            filter_ids.extend(filters.iter_mut().map(|f| f.intern(cells[f.index])));
        });
        if diags.is_empty() {
            Ok(Table {
                rel: rel.to_string(),
                columns,
                indicators,
                meta,
                rows,
                places,
                filters,
                values,
                filter_ids,
            })
        } else {
            Err(diags)
        }
    }
}

struct Cols {
    period: usize,
    identifier: usize,
    level: usize,
    country: usize,
    country_name: Option<usize>,
    region: Option<usize>,
    region_name: Option<usize>,
    la: Option<usize>,
    la_name: Option<usize>,
}

/// Reads a `.meta.csv`: which columns are indicators, with their labels, units and decimals.
pub fn parse_meta(rel: &str, text: &str) -> Result<HashMap<String, ColumnMeta>, Vec<Diagnostic>> {
    let table = Csv::open(rel, text, false).map_err(|d| vec![d])?;
    let [c_name, c_type] = table.require(["col_name", "col_type"])?;
    let c_dp = table.column("indicator_dp");
    let mut out = HashMap::new();
    let mut diags = Vec::new();
    table.each(&mut diags, |line, _, record, diags| {
        let get = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let indicator = match record.get(c_type).map(str::trim) {
            Some("Indicator") => true,
            Some("Filter") => false,
            other => {
                diags.push(Diagnostic::at(
                    Code::InvalidColumnType,
                    rel,
                    Pos::new(line, 1),
                    format!(
                        "col_type `{}` is neither `Filter` nor `Indicator`",
                        other.unwrap_or("")
                    ),
                ));
                return;
            }
        };
        let decimals = match get(c_dp) {
            None => None,
            Some(s) => match s.parse::<u8>() {
                Ok(n) if n <= 6 => Some(n),
                _ => {
                    diags.push(Diagnostic::at(
                        Code::InvalidDecimalPlaces,
                        rel,
                        Pos::new(line, 1),
                        format!("indicator_dp `{s}` is not a number of decimal places from 0 to 6"),
                    ));
                    return;
                }
            },
        };
        let Some(name) = get(Some(c_name)) else {
            diags.push(Diagnostic::at(
                Code::EmptyColumnName,
                rel,
                Pos::new(line, 1),
                "col_name is empty",
            ));
            return;
        };
        out.insert(
            name,
            ColumnMeta {
                decimals,
                indicator,
            },
        );
    });
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "time_period,time_identifier,geographic_level,country_code,region_code,new_la_code,la_name,pupil_group,value\n";

    fn parse(rows: &str) -> Result<Table, Vec<Diagnostic>> {
        let las = Authorities::parse(&crate::inputs::SourceFile {
            rel: "las.csv".into(),
            text: "code,name,region\nE08000035,Leeds,Yorkshire and The Humber\n".into(),
        })
        .unwrap();
        Table::parse(
            "g.csv",
            &format!("{HEADER}{rows}"),
            HashMap::new(),
            &["value"],
            &las,
        )
    }

    fn messages(rows: &str) -> Vec<(usize, usize, String)> {
        parse(rows)
            .unwrap_err()
            .into_iter()
            .map(|d| {
                let p = d.pos.unwrap();
                (p.line, p.col, d.message)
            })
            .collect()
    }

    #[test]
    fn symbols_are_missing_values_not_zero() {
        let t = parse(
            "201819,Academic year,National,E92000001,,,,A,c\n\
             201819,Academic year,National,E92000001,,,,B,x\n\
             201819,Academic year,National,E92000001,,,,C,:\n\
             201819,Academic year,National,E92000001,,,,D,12.5\n",
        )
        .unwrap();
        let values: Vec<Value> = (0..t.rows.len()).map(|r| t.values(r)[0]).collect();
        assert_eq!(
            values,
            vec![
                Value::Missing(Missing::Confidential),
                Value::Missing(Missing::NotAvailable),
                Value::Missing(Missing::LegacyNotAvailable),
                Value::Number(12.5)
            ]
        );
        assert_eq!(t.rows[0].period.label(), "2018/19");
    }

    #[test]
    fn each_malformed_row_is_reported_at_its_cell() {
        assert_eq!(
            messages(
                "201819,Academic year,National,E92000001,,,,A\n\
                 201819,Academic year,National,E92000001,,,,A,12,5\n\
                 201819,Academic year,National,E92000001,,,,A,twelve\n\
                 201819,Academic year,Country,E92000001,,,,A,1\n\
                 2018,Academic year,National,E92000001,,,,A,1\n\
                 201820,Academic year,National,E92000001,,,,A,1\n\
                 2018,Calender year,National,E92000001,,,,A,1\n\
                 2018,Calendar year,Local authority,E92000001,E12000003,,,A,1\n\
                 2018,Calendar year,Local authority,E92000001,E12000003,E08000036,,A,1\n"
            ),
            vec![
                (2, 1, "row has 8 fields, but the header has 9".into()),
                (3, 1, "row has 10 fields, but the header has 9".into()),
                (4, 46, "`value` is not a number: `twelve`".into()),
                (5, 22, "unknown geographic_level `Country`".into()),
                (
                    6,
                    1,
                    "time_period `2018` does not match time_identifier `Academic year`".into()
                ),
                (
                    7,
                    1,
                    "time_period `201820` does not match time_identifier `Academic year`".into()
                ),
                (8, 6, "unknown time_identifier `Calender year`".into()),
                (9, 56, "a Local authority row needs a `new_la_code`".into()),
                (
                    10,
                    56,
                    "`E08000036` is not in data/local-authorities.csv".into()
                ),
            ]
        );
    }

    #[test]
    fn months_weeks_and_quarters_write_one_year() {
        for id in ["March", "Week 12", "Calendar year Q2", "Reporting year"] {
            assert_eq!(period_shape(id), Some(PeriodShape::Year), "{id}");
        }
        for id in ["Financial year Q3", "Spring term", "Tax year"] {
            assert_eq!(period_shape(id), Some(PeriodShape::TwoYears), "{id}");
        }
        assert_eq!(period_shape("Marchh"), None);
    }

    #[test]
    fn field_columns_count_characters_and_respect_quotes() {
        assert_eq!(field_column("a,\"b,c\",d", 2), 9);
        assert_eq!(field_column("é,x", 1), 3);
    }
}
