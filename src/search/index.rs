//! The tantivy index: built once per build from the rendered documents, in one segment so
//! that a document's id is its position in the build's document order, kept beside the site
//! (not in the output) to answer `ntg search`.

use super::analysed::{Analysed, BODY, Dictionary};
use super::analyzer;
use super::doc::SearchDoc;
use crate::join::facets::Facet;
use std::path::Path;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager, WhitespaceTokenizer};
use tantivy::{Index, TantivyDocument};

/// The tokenizer of the body field, which the index is given already analysed (each term as
/// often as it occurs, between spaces): analysing is most of indexing, and a build that
/// kept a document's analysis need not do it again. Terms are alphanumeric, so splitting at
/// spaces gives them back exactly.
const ANALYSED: &str = "ntg-analysed";

/// How much more a word in the title counts than one in the body. A power of two, so that
/// scaling a score by it is exact in f32 whichever way it is applied, and the browser's
/// arithmetic can follow tantivy's to the last bit.
pub const TITLE_BOOST: f32 = 2.0;

/// The index's fields.
#[derive(Clone, Copy)]
pub struct Fields {
    pub title: Field,
    pub body: Field,
    pub url: Field,
    pub facets: [Field; Facet::ALL.len()],
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
        };
        let title = b.add_text_field("title", text(analyzer::NAME).set_stored());
        let body = b.add_text_field("body", text(ANALYSED));
        let url = b.add_text_field("url", STRING | STORED);
        let facets = Facet::ALL.map(|f| b.add_text_field(f.key(), STRING));
        (
            b.build(),
            Fields {
                title,
                body,
                url,
                facets,
            },
        )
    }

    pub fn of(index: &Index) -> tantivy::Result<Fields> {
        let schema = index.schema();
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            title: get("title")?,
            body: get("body")?,
            url: get("url")?,
            facets: Facet::ALL
                .map(|f| get(f.key()))
                .into_iter()
                .collect::<Result<Vec<_>, _>>()?
                .try_into()
                .map_err(|_| tantivy::TantivyError::SchemaError("facet fields".into()))?,
        })
    }

    /// The two text fields with their boosts, in the order scores are summed.
    pub fn text(&self) -> [(Field, f32); 2] {
        [(self.title, TITLE_BOOST), (self.body, 1.0)]
    }
}

/// Registers the tokenizers the schema names.
fn register(tokenizers: &TokenizerManager) {
    tokenizers.register(analyzer::NAME, analyzer::analyzer());
    tokenizers.register(ANALYSED, TextAnalyzer::from(WhitespaceTokenizer::default()));
}

/// Opens an index written by `write`, with its tokenizers registered.
pub fn open(dir: &Path) -> tantivy::Result<(Index, Fields)> {
    let index = Index::open_in_dir(dir)?;
    register(index.tokenizers());
    let fields = Fields::of(&index)?;
    Ok((index, fields))
}

/// Writes the index of `docs`, whose analyses (in `dict`'s numbers) are `analysed`, into
/// the empty folder `dir`; document `i` gets id `i`.
pub fn write(
    dir: &Path,
    docs: &[SearchDoc],
    analysed: &[&Analysed],
    dict: &Dictionary,
) -> tantivy::Result<()> {
    let (schema, fields) = Fields::schema();
    let directory = tantivy::directory::MmapDirectory::open(dir)?;
    let tokenizers = TokenizerManager::default();
    register(&tokenizers);
    let builder = Index::builder().schema(schema).tokenizers(tokenizers);
    // One writer on one thread makes one segment whose doc ids follow insertion order; a
    // pool of writers would interleave documents differently on every run.
    let mut writer = builder.single_segment_index_writer(directory, 200_000_000)?;
    let mut body = String::new();
    for (d, a) in docs.iter().zip(analysed) {
        body.clear();
        for &(t, tf) in &a.fields[BODY] {
            for _ in 0..tf {
                body.push_str(dict.term(t));
                body.push(' ');
            }
        }
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.title, &d.title);
        doc.add_text(fields.body, &body);
        doc.add_text(fields.url, &d.url);
        for (f, values) in Facet::ALL.iter().zip(&d.facets) {
            for v in values {
                doc.add_text(fields.facets[*f as usize], v);
            }
        }
        writer.add_document(doc)?;
    }
    writer.finalize()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analysed::{TEXT_FIELDS, analyse};
    use tantivy::postings::Postings;
    use tantivy::{DocSet, TERMINATED};

    fn doc(title: &str, text: &str) -> SearchDoc {
        SearchDoc {
            url: "/x/".into(),
            title: title.into(),
            summary: None,
            text: text.into(),
            type_label: "Case study",
            facets: Default::default(),
        }
    }

    /// The export's postings come from the analyses, the index's from what tantivy makes of
    /// the same documents: they must agree term for term, frequency for frequency and norm
    /// for norm, or the browser would rank apart from `ntg search`.
    #[test]
    fn the_index_holds_what_the_analyses_say() {
        let docs = [
            doc(
                "Family learning",
                "Families learn together; the family LEARNS. Naïve cafés!",
            ),
            doc("", ""),
            doc("Carers & care", &"care carers caring ".repeat(70)),
        ];
        let mut dict = Dictionary::default();
        let mut a = crate::search::analyzer::analyzer();
        let mut words = crate::search::analyzer::analyzer();
        let analysed: Vec<Analysed> = docs
            .iter()
            .map(|d| analyse(&mut a, d, true).intern(&mut dict, &mut words))
            .collect();
        let refs: Vec<&Analysed> = analysed.iter().collect();
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &docs, &refs, &dict).unwrap();
        let (index, fields) = open(dir.path()).unwrap();
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        for (f, &(field, _)) in fields.text().iter().enumerate().take(TEXT_FIELDS) {
            let inv = segment.inverted_index(field).unwrap();
            let norms = segment.get_fieldnorms_reader(field).unwrap();
            let mut theirs = Vec::new();
            let mut stream = inv.terms().stream().unwrap();
            while stream.advance() {
                let term = String::from_utf8(stream.key().to_vec()).unwrap();
                let mut p = inv
                    .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)
                    .unwrap();
                while p.doc() != TERMINATED {
                    theirs.push((term.clone(), p.doc(), p.term_freq()));
                    p.advance();
                }
            }
            let mut ours: Vec<(String, u32, u32)> = analysed
                .iter()
                .enumerate()
                .flat_map(|(d, a)| {
                    a.fields[f]
                        .iter()
                        .map(move |&(t, tf)| (t, d as u32, tf))
                        .collect::<Vec<_>>()
                })
                .map(|(t, d, tf)| (dict.term(t).to_string(), d, tf))
                .collect();
            ours.sort();
            assert!(!ours.is_empty());
            assert_eq!(ours, theirs, "field {f}");
            let lens: u64 = analysed.iter().map(|a| u64::from(a.len(f))).sum();
            assert_eq!(inv.total_num_tokens(), lens);
            for (d, a) in analysed.iter().enumerate() {
                assert_eq!(
                    norms.fieldnorm_id(d as u32),
                    tantivy::fieldnorm::FieldNormReader::fieldnorm_to_id(a.len(f)),
                    "field {f} doc {d}"
                );
            }
        }
    }
}
