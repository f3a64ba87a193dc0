//! The ids of indicators: slugs, since each names a page and its open-data files.

use super::is_slug;
use serde::Serialize;
use std::fmt;

/// The id of an indicator defined in indicators.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct IndicatorId(String);

impl IndicatorId {
    /// `s` as an id, if it is a slug.
    pub fn parse(s: &str) -> Option<IndicatorId> {
        is_slug(s).then(|| IndicatorId(s.to_string()))
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IndicatorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
