//! Reading the site's CSV data files (local authorities, gap tables and their meta files,
//! statistical neighbours) one way: the header, then every record with its line, each
//! malformed record reported at its line instead of stopping the read.

use crate::diagnostic::{Bounded, Code, Diagnostic, Pos, ends_line};
use crate::suggest::did_you_mean;

/// A CSV file opened and its header read.
pub struct Csv<'a> {
    rel: &'a str,
    text: &'a str,
    reader: csv::Reader<&'a [u8]>,
    pub headers: Vec<String>,
}

impl<'a> Csv<'a> {
    /// Opens `text`. With `flexible`, records may have any number of fields (the caller
    /// checks them); without, a record of the wrong length is a diagnostic.
    pub fn open(rel: &'a str, text: &'a str, flexible: bool) -> Result<Csv<'a>, Diagnostic> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(flexible)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| {
                Diagnostic::at(
                    Code::MalformedCsv,
                    rel,
                    Pos::START,
                    format!("cannot read header: {e}"),
                )
            })?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        Ok(Csv {
            rel,
            text,
            reader,
            headers,
        })
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The indexes of `names`, or an error for each one the header lacks.
    pub fn require<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N], Vec<Diagnostic>> {
        let found = names.map(|n| self.column(n));
        let missing: Vec<Diagnostic> = names
            .iter()
            .zip(&found)
            .filter(|(_, f)| f.is_none())
            .map(|(n, _)| {
                Diagnostic::at(
                    Code::MissingColumn,
                    self.rel,
                    Pos::START,
                    format!("missing column `{n}`"),
                )
                .with_help(did_you_mean(n, self.headers.iter().map(String::as_str)))
            })
            .collect();
        if missing.is_empty() {
            Ok(found.map(|f| f.unwrap_or_default()))
        } else {
            Err(missing)
        }
    }

    /// Calls `each` with every well-formed record, its 1-based line and that line's text
    /// (for columns), reusing one record so that a large table is read without an allocation
    /// per row; malformed records are reported into `diags`, which `each` may add to as well.
    /// Lines are counted as `diagnostic::LineIndex` counts them, as the rows stream past.
    /// Past `diagnostic::PER_FILE` diagnostics, they are counted, not kept, so a huge bad
    /// file takes little memory.
    pub fn each(
        mut self,
        diags: &mut Vec<Diagnostic>,
        mut each: impl FnMut(usize, &str, &csv::StringRecord, &mut Vec<Diagnostic>),
    ) {
        let mut record = csv::StringRecord::new();
        let mut bound = Bounded::new(self.rel);
        let bytes = self.text.as_bytes();
        let (mut line, mut scanned) = (1, 0);
        let mut line_at = |offset: usize| {
            let offset = offset.min(bytes.len());
            line += (scanned..offset).filter(|&i| ends_line(bytes, i)).count();
            scanned = scanned.max(offset);
            line
        };
        loop {
            let from = diags.len();
            match self.reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let start = record.position().map_or(0, |p| p.byte() as usize);
                    let line = line_at(start);
                    let rest = self.text.get(start..).unwrap_or("");
                    let end = (0..rest.len())
                        .find(|&i| ends_line(rest.as_bytes(), i))
                        .unwrap_or(rest.len());
                    each(line, rest[..end].trim_end_matches('\r'), &record, diags);
                }
                Err(e) => {
                    let line = line_at(e.position().map_or(0, |p| p.byte() as usize));
                    diags.push(Diagnostic::at(
                        Code::MalformedCsv,
                        self.rel,
                        Pos::new(line, 1),
                        format!("malformed row: {}", message(&e)),
                    ));
                }
            }
            bound.keep(diags, from);
        }
        bound.finish(diags);
    }
}

/// The 1-based character column where field `n` (0-based) of a CSV line starts, so that an
/// editor can jump to the bad cell. Quoted fields may hold commas.
pub fn field_column(line: &str, n: usize) -> usize {
    let mut field = 0;
    let mut quoted = false;
    for (i, ch) in line.chars().enumerate() {
        if field == n {
            return i + 1;
        }
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => field += 1,
            _ => {}
        }
    }
    line.chars().count() + 1
}

/// A CSV error in words, without the csv crate's own position (diagnostics carry it).
fn message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!(
                "found record with {len} fields, but the previous record has {expected_len} fields"
            )
        }
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_string(),
        _ => e.to_string(),
    }
}
