//! `data/statistical-neighbours.csv`: for each local authority, the ten most like it on DfE's
//! statistical neighbour model, so a council can compare itself with councils like it.

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::inputs::SourceFile;
use crate::resolve::authorities::{Authorities, LaCode};
use crate::resolve::csvfile::Csv;
use crate::suggest::did_you_mean;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Neighbour {
    pub code: LaCode,
    pub rank: u8,
    /// DfE's closeness band, such as `Very Close`.
    pub closeness: Option<String>,
}

#[derive(Debug, Default)]
pub struct Neighbours {
    by_la: BTreeMap<LaCode, Vec<Neighbour>>,
}

impl Neighbours {
    /// An authority's neighbours, closest first.
    pub fn of(&self, la: &LaCode) -> &[Neighbour] {
        self.by_la.get(la).map_or(&[], Vec::as_slice)
    }

    /// Reads `code,rank,neighbour_code[,closeness]`; other columns (names) are allowed.
    pub fn parse(file: &SourceFile, las: &Authorities) -> Result<Neighbours, Vec<Diagnostic>> {
        let rel = file.rel.as_str();
        let table = Csv::open(rel, &file.text, false).map_err(|d| vec![d])?;
        let [c_code, c_rank, c_neighbour] = table.require(["code", "rank", "neighbour_code"])?;
        let c_close = table.column("closeness");
        let mut out = Neighbours::default();
        let mut diags = Vec::new();
        table.each(&mut diags, |line, _, record, diags| {
            let field = |i: usize| record.get(i).unwrap_or("").trim();
            let mut code = |i: usize, what: &str| {
                let s = field(i);
                let la = las.code(s);
                if la.is_none() {
                    diags.push(
                        Diagnostic::at(
                            Code::UnknownLaCode,
                            rel,
                            Pos::new(line, 1),
                            format!("{what} `{s}` is not in data/local-authorities.csv"),
                        )
                        .with_help(did_you_mean(s, las.codes())),
                    );
                }
                la
            };
            let (la, neighbour) = (code(c_code, "code"), code(c_neighbour, "neighbour_code"));
            let rank = match field(c_rank).parse::<u8>() {
                Ok(r) if r >= 1 => Some(r),
                _ => {
                    diags.push(Diagnostic::at(
                        Code::InvalidRank,
                        rel,
                        Pos::new(line, 1),
                        format!("rank `{}` is not a whole number from 1", field(c_rank)),
                    ));
                    None
                }
            };
            if let (Some(la), Some(code), Some(rank)) = (la, neighbour, rank) {
                out.by_la.entry(la).or_default().push(Neighbour {
                    code,
                    rank,
                    closeness: c_close
                        .map(field)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                });
            }
        });
        for list in out.by_la.values_mut() {
            list.sort_by_key(|n| n.rank);
        }
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(diags)
        }
    }
}
