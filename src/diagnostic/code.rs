//! The kinds of diagnostic, each with a stable kebab-case name: what an editor, a CI check or
//! a script matches on, since messages are worded for people and may change. The README
//! lists the same names and descriptions, and a test keeps the two equal.

macro_rules! codes {
    ($($variant:ident = $name:literal, $description:literal;)*) => {
        /// What kind of problem a diagnostic reports. Adding one is a line here and the same
        /// line in the README's list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $description] $variant,)*
        }

        impl Code {
            /// Every code, in the order of the README's list.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable name: `unknown-theme`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// One line on what the code reports, for SARIF rules and the README.
            pub fn description(self) -> &'static str {
                match self {
                    $(Code::$variant => $description,)*
                }
            }
        }
    };
}

codes! {
    // Reading the site's files.
    UnreadableFile = "unreadable-file", "A file or folder of the site cannot be read.";
    MissingFile = "missing-file", "A file the site needs does not exist.";
    InvalidUtf8 = "invalid-utf8", "A text file is not valid UTF-8.";
    SkippedSymlink = "skipped-symlink", "A symbolic link in a folder ntg reads was skipped.";
    LinkedFile = "linked-file", "A file read by name is a symbolic link, which ntg does not follow.";
    StrayFile = "stray-file", "A file under content/ is not in a content section.";
    MisplacedIndex = "misplaced-index", "An _index.md where none is read.";
    SectionIndexBody = "section-index-body", "A section's _index.md has a body, which its listing does not show.";
    // Front matter and YAML.
    NoFrontMatter = "no-front-matter", "A document does not start with front matter.";
    UnclosedFrontMatter = "unclosed-front-matter", "A document's front matter has no closing `---` line.";
    InvalidYaml = "invalid-yaml", "YAML that does not parse.";
    YamlUnquotedColon = "yaml-unquoted-colon", "An unquoted value with `: ` in it, which YAML reads as a key.";
    YamlTabIndent = "yaml-tab-indent", "A tab in YAML indentation, which takes spaces only.";
    YamlBadIndent = "yaml-bad-indent", "A YAML line indented out of step with the line above it.";
    YamlUnclosedQuote = "yaml-unclosed-quote", "A quoted YAML value whose quote is not closed.";
    DuplicateKey = "duplicate-key", "A key written twice in one YAML mapping.";
    MultipleYamlDocuments = "multiple-yaml-documents", "A second YAML document in a file that holds one.";
    YamlTooDeep = "yaml-too-deep", "YAML nested deeper than ntg reads.";
    YamlTooLarge = "yaml-too-large", "YAML with more values than ntg reads.";
    YamlAliasLimit = "yaml-alias-limit", "YAML aliases that expand further than ntg reads.";
    NotAMapping = "not-a-mapping", "YAML that should be `key: value` lines is something else.";
    NotAList = "not-a-list", "YAML that should be a list is something else.";
    WrongType = "wrong-type", "A value of the wrong type, such as text where a number belongs.";
    DateFormat = "date-format", "A date not written as YYYY-MM-DD.";
    InvalidDate = "invalid-date", "A date written as YYYY-MM-DD that is not a day of the calendar.";
    MissingRequiredKey = "missing-required-key", "A required key is missing.";
    UnknownKey = "unknown-key", "A key that is not part of the format.";
    EmptyValue = "empty-value", "A key with no value, or an empty one.";
    Placeholder = "placeholder", "A value `ntg new` wrote for the writer to replace, still in place.";
    ConflictingKeys = "conflicting-keys", "Two keys that may not be given together.";
    // Documents' values.
    SummaryTooLong = "summary-too-long", "A summary longer than listings show.";
    InvalidSlug = "invalid-slug", "A slug or file name with characters a slug may not have.";
    SlugTooLong = "slug-too-long", "A slug or file name longer than a slug may be.";
    UnknownTheme = "unknown-theme", "A theme that data/taxonomies.yaml does not define.";
    UnknownGroup = "unknown-group", "A group of children that data/taxonomies.yaml does not define.";
    UnknownOutcome = "unknown-outcome", "An outcome that data/taxonomies.yaml does not define.";
    UnknownEvidenceLevel = "unknown-evidence-level", "An evidence level that data/taxonomies.yaml does not define.";
    UnknownStatus = "unknown-status", "A status that is not one of the format's.";
    UnknownLocalAuthority = "unknown-local-authority", "A local authority that data/local-authorities.csv does not list.";
    LocalAuthorityWithoutPage = "local-authority-without-page", "A local authority row that stands for several or none, so has no page.";
    AmbiguousLocalAuthority = "ambiguous-local-authority", "A local authority name that matches more than one.";
    InvalidReference = "invalid-reference", "A reference to another document that is not a slug.";
    UnknownReference = "unknown-reference", "A reference to a document that does not exist.";
    UnpublishedReference = "unpublished-reference", "A reference to a document that is not published.";
    UnknownIndicator = "unknown-indicator", "An indicator that data/indicators.yaml does not define.";
    DuplicateSlug = "duplicate-slug", "Two documents with the same URL.";
    ReservedUrl = "reserved-url", "A document at a URL that ntg generates.";
    StaticFileClash = "static-file-clash", "A static file at the address of a generated page.";
    // Legal, but probably not meant: warnings.
    UnsupportedStatus = "unsupported-status", "A hypothesis `supported`, `mixed` or `refuted` that no case study supports or challenges.";
    NoIndicators = "no-indicators", "A case study naming no `indicators` though some measure its groups and outcomes, with figures for its councils.";
    PromotionNotLinkedBack = "promotion-not-linked-back", "A submission `promoted_to` a case study that cannot link back, since the submission is not published.";
    SummaryRepeatsTitle = "summary-repeats-title", "A summary that only repeats the title.";
    // site.yaml.
    InvalidBaseUrl = "invalid-base-url", "A `base_url` that is not a web address a site can be served from.";
    InvalidLanguage = "invalid-language", "A `language` that is not a BCP 47 tag.";
    InvalidSiteTheme = "invalid-site-theme", "A site `theme` that is not a folder name.";
    MissingSiteTheme = "missing-site-theme", "A site `theme` with no folder under themes/.";
    // Vocabularies and data files.
    InvalidTermSlug = "invalid-term-slug", "A vocabulary term in data/taxonomies.yaml whose slug is not valid.";
    DuplicateTerm = "duplicate-term", "A vocabulary term or evidence level defined twice.";
    InvalidLaCode = "invalid-la-code", "A local authority code that is not a GSS code, combined code or `z`.";
    DuplicateLaCode = "duplicate-la-code", "A local authority code listed twice.";
    MalformedCsv = "malformed-csv", "A CSV header or row that does not parse.";
    WrongFieldCount = "wrong-field-count", "A CSV row with more or fewer fields than its header.";
    MissingColumn = "missing-column", "A CSV file without a column it must have.";
    UnknownTimeIdentifier = "unknown-time-identifier", "A gap file's `time_identifier` that ntg does not read.";
    InvalidTimePeriod = "invalid-time-period", "A gap file's `time_period` that does not match its `time_identifier`.";
    UnknownGeographicLevel = "unknown-geographic-level", "A gap file's `geographic_level` that ntg does not know.";
    InvalidGssCode = "invalid-gss-code", "A code in a gap file that is not a GSS code.";
    MissingPlaceCode = "missing-place-code", "A gap file row without the code of its place.";
    UnknownLaCode = "unknown-la-code", "A local authority code that data/local-authorities.csv does not list.";
    InvalidNumber = "invalid-number", "A value that should be a number or a DfE missing-value symbol.";
    InvalidColumnType = "invalid-column-type", "A `col_type` in a .meta.csv that is neither `Filter` nor `Indicator`.";
    InvalidDecimalPlaces = "invalid-decimal-places", "An `indicator_dp` in a .meta.csv that is not 0 to 6.";
    EmptyColumnName = "empty-column-name", "A .meta.csv row with an empty `col_name`.";
    DuplicateGapRow = "duplicate-gap-row", "A second row of a gap file for the same place, period and filters.";
    InvalidRank = "invalid-rank", "A statistical neighbour's rank that is not a whole number from 1.";
    // data/indicators.yaml.
    DuplicateIndicator = "duplicate-indicator", "An indicator defined twice.";
    InvalidIndicatorId = "invalid-indicator-id", "An indicator id that is not a valid slug or is reserved.";
    InvalidTolerance = "invalid-tolerance", "A negative `tolerance`.";
    InvalidSourceUrl = "invalid-source-url", "A `source_url` that is not a web address.";
    DuplicateGroup = "duplicate-group", "A group listed twice in one indicator.";
    MisusedGroupsNote = "misused-groups-note", "A `groups_note` on an indicator with one group.";
    MissingGroupsNote = "missing-groups-note", "An indicator naming several groups without a `groups_note`.";
    UnknownGapFile = "unknown-gap-file", "An indicator naming a gap file that does not exist.";
    UnknownGapColumn = "unknown-gap-column", "An indicator naming a column its gap file has not as an indicator.";
    UnknownFilterColumn = "unknown-filter-column", "An indicator filtering on a column its gap file does not have.";
    NoMatchingRows = "no-matching-rows", "An indicator filter value that no row of its gap file has.";
    // Bodies, links and templates.
    BrokenLink = "broken-link", "A link to a file or page that does not exist.";
    BrokenAnchor = "broken-anchor", "A link to a heading that its page does not have.";
    UncheckableAnchor = "uncheckable-anchor", "A link to a heading of a generated page, which cannot be checked.";
    UnpublishedLink = "unpublished-link", "A link to a document that is not published.";
    NestingTooDeep = "nesting-too-deep", "Lists, block quotes or raw HTML nested deeper than ntg renders.";
    TemplateSyntax = "template-syntax", "A template that does not parse.";
    TemplateRender = "template-render", "A template that fails while rendering a page.";
    MissingParentTemplate = "missing-parent-template", "A template that extends one that does not exist.";
    TemplateError = "template-error", "Another failure of the template engine.";
    // Writing the output.
    OutputRefused = "output-refused", "An output folder or file that ntg will not write, to keep data safe.";
    WriteFailed = "write-failed", "A file or folder of the output that could not be written.";
    LockFailed = "lock-failed", "The site's build lock that could not be taken.";
    SearchIndexFailed = "search-index-failed", "The search index that could not be built or kept.";
    RestoreFailed = "restore-failed", "A previous site that could not be moved back after a stopped build.";
    CacheNotSaved = "cache-not-saved", "The build cache that could not be saved.";
    CleanupFailed = "cleanup-failed", "A leftover folder that could not be removed.";
    // The report itself.
    MoreInFile = "more-in-file", "Stands for a file's diagnostics past the first 20 of a severity.";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's list of codes: the `- \`name\`: description` lines under its heading.
    fn readme_codes() -> Vec<(String, String)> {
        let readme = include_str!("../../README.md");
        let section = readme
            .split_once("\n### Diagnostic codes\n")
            .expect("README has a `### Diagnostic codes` section")
            .1;
        let section = section.split("\n#").next().unwrap_or(section);
        section
            .lines()
            .filter_map(|l| l.strip_prefix("- `"))
            .map(|l| {
                let (name, description) = l.split_once("`: ").expect("- `name`: description");
                (name.to_string(), description.to_string())
            })
            .collect()
    }

    #[test]
    fn the_readme_lists_every_code_with_its_description() {
        let listed: Vec<(String, String)> = Code::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), c.description().to_string()))
            .collect();
        assert_eq!(readme_codes(), listed);
    }

    #[test]
    fn names_are_kebab_case_and_distinct() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        for name in &names {
            assert!(
                name.split('-').all(|w| !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{name}"
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }
}
