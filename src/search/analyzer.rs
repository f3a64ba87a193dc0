//! The one text analyzer of search: tantivy's simple tokenizer, a length limit, lower-casing,
//! English stop words and the English stemmer. The browser client (`static/search/`)
//! reproduces it token for token; the stop words and the limit reach it through the index's
//! meta file, so there is one list.

use std::collections::HashMap;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// The name the analyzer is registered under in the index.
pub const NAME: &str = "ntg";

/// Tokens of this many bytes or more are dropped (tantivy's `RemoveLongFilter`): they are
/// identifiers, URLs or noise, not words anyone types.
pub const TOKEN_LIMIT: usize = 40;

/// Lucene's English stop words, the list tantivy uses for English.
pub const STOP_WORDS: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(TOKEN_LIMIT))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(STOP_WORDS.map(String::from)))
        .filter(CachedStemmer)
        .build()
}

/// tantivy's English stemmer (frostem's Snowball English, the crate tantivy's `Stemmer`
/// calls), remembering each word's stem: a corpus repeats its words so much that stemming
/// each occurrence afresh was a third of indexing time.
#[derive(Clone, Copy)]
pub struct CachedStemmer;

/// Words remembered before the cache starts again, to bound its memory on a huge site.
const STEM_CACHE: usize = 200_000;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner,
            cache: HashMap::new(),
        }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: HashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            cache: &mut self.cache,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

pub struct CachedStemmerStream<'a, T> {
    tail: T,
    cache: &'a mut HashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.cache.get(&token.text) {
            token.text.clone_from(stem);
            return true;
        }
        let stem = self.stemmer.stem(&token.text).into_owned();
        if self.cache.len() >= STEM_CACHE {
            self.cache.clear();
        }
        self.cache
            .insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The terms `text` is indexed or searched as, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The lower-cased word the last query word is typed as, for prefix matching: stemming a
/// half-typed word would be meaningless.
pub fn lower_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    each_lower_word(text, |w| words.push(w.to_string()));
    words
}

/// Calls `f` with each lower-cased word of `text` (as `lower_words` gives them), in one
/// buffer reused from word to word, for a caller that counts rather than keeps them.
pub fn each_lower_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() < TOKEN_LIMIT)
    {
        word.clear();
        word.extend(w.chars().flat_map(char::to_lowercase));
        f(&word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_stop_words_and_stems() {
        let mut a = analyzer();
        assert_eq!(
            terms(
                &mut a,
                "The Families of children in care, LEARNING together!"
            ),
            ["famili", "children", "care", "learn", "togeth"]
        );
    }

    #[test]
    fn stems_as_tantivys_own_english_stemmer() {
        use tantivy::tokenizer::{Language, Stemmer};
        let mut theirs = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(TOKEN_LIMIT))
            .filter(LowerCaser)
            .filter(StopWordFilter::remove(STOP_WORDS.map(String::from)))
            .filter(Stemmer::new(Language::English))
            .build();
        let text = "Generous communities organise early help; skies, dying, exceeded, \
                    proceedings and universities: naïve cafés, 2019 KS2 results. Generous again.";
        assert_eq!(terms(&mut analyzer(), text), terms(&mut theirs, text));
    }

    #[test]
    fn drops_tokens_at_the_length_limit() {
        let mut a = analyzer();
        let long = "x".repeat(TOKEN_LIMIT);
        let short = "y".repeat(TOKEN_LIMIT - 1);
        assert_eq!(terms(&mut a, &format!("{long} {short}")), [short]);
    }
}
