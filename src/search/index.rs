//! The tantivy index: built once per build from the rendered documents, in one segment so
//! that a document's id is its position in the build's document order, kept beside the site
//! (not in the output) to answer `ntg search`, and read back for the static export.

use super::analyzer;
use super::doc::SearchDoc;
use crate::join::facets::Facet;
use std::path::Path;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, TantivyDocument};

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
        let text = |stored: bool| {
            let o = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer::NAME)
                    .set_index_option(IndexRecordOption::WithFreqs),
            );
            if stored { o.set_stored() } else { o }
        };
        let title = b.add_text_field("title", text(true));
        let body = b.add_text_field("body", text(false));
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

/// Opens an index written by `write`, with its analyzer registered.
pub fn open(dir: &Path) -> tantivy::Result<(Index, Fields)> {
    let index = Index::open_in_dir(dir)?;
    index
        .tokenizers()
        .register(analyzer::NAME, analyzer::analyzer());
    let fields = Fields::of(&index)?;
    Ok((index, fields))
}

/// Writes the index of `docs` into the empty folder `dir`; document `i` gets id `i`.
pub fn write(dir: &Path, docs: &[SearchDoc]) -> tantivy::Result<(Index, Fields)> {
    let (schema, fields) = Fields::schema();
    let directory = tantivy::directory::MmapDirectory::open(dir)?;
    let tokenizers = tantivy::tokenizer::TokenizerManager::default();
    tokenizers.register(analyzer::NAME, analyzer::analyzer());
    let builder = Index::builder().schema(schema).tokenizers(tokenizers);
    // One writer on one thread makes one segment whose doc ids follow insertion order; a
    // pool of writers would interleave documents differently on every run.
    let mut writer = builder.single_segment_index_writer(directory, 200_000_000)?;
    for d in docs {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.title, &d.title);
        doc.add_text(fields.body, &d.text);
        doc.add_text(fields.url, &d.url);
        for (f, values) in Facet::ALL.iter().zip(&d.facets) {
            for v in values {
                doc.add_text(fields.facets[*f as usize], v);
            }
        }
        writer.add_document(doc)?;
    }
    Ok((writer.finalize()?, fields))
}
