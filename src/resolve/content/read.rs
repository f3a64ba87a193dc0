//! The resolve stage for one file: front matter to a typed `Document`, every key and every
//! reference to a vocabulary, evidence level or local authority checked where it is written.

use super::{
    CaseStudy, Common, DocSlug, Document, Evidence, EvidenceStatus, Home, Hypothesis,
    HypothesisStatus, Kind, Located, MAX_SLUG_BYTES, Section, SlugError, Unread, UnreadBody,
    doc_slug, placeholder,
};
use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::inputs::SourceFile;
use crate::names::date::{self, Date};
use crate::names::indicator::IndicatorId;
use crate::resolve::authorities::{Authorities, LaCode, LookupError};
use crate::resolve::content::split::split_front_matter;
use crate::resolve::data::indicators::Indicators;
use crate::resolve::frontmatter::Fields;
use crate::resolve::taxonomy::{Kind as TaxonomyKind, Level, Taxonomies, TermSlug, Vocabulary};
use crate::suggest::did_you_mean;

/// What references in front matter are checked against.
pub struct Lookups<'a> {
    pub taxonomies: &'a Taxonomies,
    pub authorities: &'a Authorities,
    pub indicators: &'a Indicators,
}

const SUMMARY_MAX: usize = 400;

/// Reads a document of `section`, reporting every problem in its front matter.
pub fn read_document(
    file: SourceFile,
    section: Section,
    lookups: &Lookups,
) -> Result<Document, Unread> {
    let split = split_front_matter(&file).map_err(|d| Unread::from(vec![d]))?;
    let body_offset = split.body_offset;
    let unread = |diags: Vec<Diagnostic>, file: SourceFile| Unread {
        diags,
        body: Some(Box::new(UnreadBody {
            text: file.text,
            body_offset,
        })),
    };
    let mut f = match Fields::parse(&file.rel, split.yaml, split.yaml_line) {
        Ok(f) => f,
        Err(d) => return Err(unread(vec![d], file)),
    };
    f.placeholders(placeholder::is_placeholder, |key| {
        placeholder::message(key, section, lookups.taxonomies)
    });
    let common = read_common(&mut f, file.stem(), section, lookups.taxonomies);
    let date = common.as_ref().and_then(|c| c.date);
    let kind = match section {
        Section::CaseStudies => read_case_study(&mut f, date, lookups).map(Kind::CaseStudy),
        Section::Hypotheses => read_status(
            &mut f,
            HypothesisStatus::parse,
            HypothesisStatus::ALL,
            HypothesisStatus::as_str,
        )
        .map(|status| {
            Kind::Hypothesis(Hypothesis {
                status,
                status_pos: f.key_pos("status"),
            })
        }),
        Section::Evidence => read_evidence(&mut f, date, lookups).map(Kind::Evidence),
        Section::Pages => Some(Kind::Page),
    };
    let diags = f.finish();
    match (common, kind) {
        (Some(common), Some(kind)) if diags.is_empty() => {
            let url = section.doc_url(&common.slug);
            Ok(Document {
                path: file.rel,
                text: file.text,
                body_offset,
                common,
                kind,
                url,
            })
        }
        _ => Err(unread(diags, file)),
    }
}

/// Reads `content/_index.md`, whose only key is an optional title.
pub fn read_home(file: SourceFile) -> Result<Home, Vec<Diagnostic>> {
    let split = split_front_matter(&file).map_err(|d| vec![d])?;
    let mut f = Fields::parse(&file.rel, split.yaml, split.yaml_line).map_err(|d| vec![d])?;
    let title = f.optional("title");
    let body_offset = split.body_offset;
    let diags = f.finish();
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Home {
        path: file.rel,
        text: file.text,
        body_offset,
        title,
    })
}

fn read_common(f: &mut Fields, stem: &str, section: Section, tax: &Taxonomies) -> Option<Common> {
    let listed = section != Section::Pages;
    let title: Option<String> = f.required("title");
    let summary: Option<String> = if listed {
        f.required("summary")
    } else {
        f.optional("summary")
    };
    if let Some(s) = &summary {
        let n = s.chars().count();
        if n > SUMMARY_MAX {
            let pos = f.key_pos("summary");
            f.error(
                Code::SummaryTooLong,
                pos,
                format!("`summary` is {n} characters long; the most is {SUMMARY_MAX}"),
                Some("shorten it: listings and search results show it whole".into()),
            );
        }
    }
    let summary_pos = f.key_pos("summary");
    let dated = matches!(section, Section::CaseStudies | Section::Evidence);
    let date = read_date(f, dated);
    let (slug, slug_pos) = read_slug(f, stem);
    let draft = f.optional("draft").unwrap_or(false);
    let themes = read_terms(f, &tax.themes, listed);
    let groups = read_terms(f, &tax.groups, listed);
    let outcomes = read_terms(f, &tax.outcomes, listed);
    let weight = f.optional("weight").unwrap_or(0);
    Some(Common {
        title: title?,
        summary,
        summary_pos,
        date,
        slug: slug?,
        slug_pos,
        draft,
        themes: themes?,
        groups: groups?,
        outcomes: outcomes?,
        weight,
    })
}

/// `date`, checked here rather than by serde so that a mistake is named at the value, with
/// the same day written as ntg reads it.
fn read_date(f: &mut Fields, required: bool) -> Option<Date> {
    let text: String = if required {
        f.required("date")
    } else {
        f.optional("date")
    }?;
    date::read(&text)
        .map_err(|e| {
            let pos = f.value_pos("date", &text);
            let code = match e.mistake {
                date::Mistake::Format => Code::DateFormat,
                date::Mistake::NoSuchDay => Code::InvalidDate,
            };
            f.error(code, pos, e.message, e.help);
        })
        .ok()
}

/// The help for a slug that is not one: a slug that is, made from it, or what to do when
/// nothing of it can be kept.
fn suggest_slug(s: &str, fix: &str) -> String {
    match doc_slug(s) {
        slug if slug.is_empty() => format!("{fix} with a-z, 0-9 and hyphens only"),
        slug => format!("try `{slug}`"),
    }
}

/// The slug, and where it is written: the `slug` key, or the file name (line 1).
fn read_slug(f: &mut Fields, stem: &str) -> (Option<DocSlug>, Pos) {
    let too_long =
        |n: usize| format!("is {n} bytes long, more than the {MAX_SLUG_BYTES} a slug may have");
    if let Some(s) = f.optional::<String>("slug") {
        let pos = f.value_pos("slug", &s);
        let parsed = DocSlug::check(&s);
        match parsed {
            Ok(_) => {}
            Err(SlugError::Characters) => f.error(
                Code::InvalidSlug,
                pos,
                format!("slug `{s}` may hold only a-z, 0-9 and single hyphens"),
                Some(suggest_slug(&s, "write it")),
            ),
            Err(SlugError::TooLong(n)) => f.error(
                Code::SlugTooLong,
                pos,
                format!("the slug {}", too_long(n)),
                Some("a slug names a folder of the site: shorten it".into()),
            ),
        }
        return (parsed.ok(), pos);
    }
    let parsed = DocSlug::check(stem);
    match parsed {
        Ok(_) => {}
        Err(SlugError::Characters) => f.error(
            Code::InvalidSlug,
            Pos::START,
            format!("file name `{stem}` is not a valid slug (a-z, 0-9 and single hyphens)"),
            Some(match doc_slug(stem) {
                slug if slug.is_empty() => suggest_slug(stem, "rename the file"),
                slug => format!("rename the file to `{slug}.md` or set `slug: {slug}`"),
            }),
        ),
        Err(SlugError::TooLong(n)) => f.error(
            Code::SlugTooLong,
            Pos::START,
            format!("the file name, this document's slug, {}", too_long(n)),
            Some("rename the file, or set a shorter `slug:`".into()),
        ),
    }
    (parsed.ok(), Pos::START)
}

/// Reads a list of slugs of one vocabulary; each unknown slug is its own error.
fn read_terms<K: TaxonomyKind>(
    f: &mut Fields,
    vocab: &Vocabulary<K>,
    required: bool,
) -> Option<Vec<TermSlug<K>>> {
    let raw: Vec<String> = if required {
        f.required(K::KEY)?
    } else {
        f.optional(K::KEY).unwrap_or_default()
    };
    if required && raw.is_empty() {
        let pos = f.key_pos(K::KEY);
        f.error(
            Code::EmptyValue,
            pos,
            format!("`{}` needs at least one {}", K::KEY, K::SINGULAR),
            None,
        );
        return None;
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut ok = true;
    for s in &raw {
        match vocab.resolve(s) {
            Ok(slug) if !out.contains(&slug) => out.push(slug),
            Ok(_) => {}
            Err(help) => {
                ok = false;
                let pos = f.value_pos(K::KEY, s);
                f.error(
                    K::UNKNOWN,
                    pos,
                    format!("unknown {} `{s}`", K::SINGULAR),
                    help,
                );
            }
        }
    }
    ok.then_some(out)
}

fn read_level(f: &mut Fields, tax: &Taxonomies) -> Option<Level> {
    let n: i64 = f.required("evidence_level")?;
    match tax.level(n) {
        Ok(l) => Some(l),
        Err(help) => {
            let pos = f.key_pos("evidence_level");
            f.error(
                Code::UnknownEvidenceLevel,
                pos,
                format!("unknown evidence level `{n}`"),
                help,
            );
            None
        }
    }
}

fn read_status<T: Copy>(
    f: &mut Fields,
    parse: fn(&str) -> Option<T>,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Option<T> {
    let s: String = f.required("status")?;
    let parsed = parse(&s);
    if parsed.is_none() {
        let names: Vec<&str> = all.iter().map(|&w| name(w)).collect();
        let help = did_you_mean(&s, names.iter().copied())
            .unwrap_or_else(|| format!("use one of: {}", names.join(", ")));
        let pos = f.value_pos("status", &s);
        f.error(
            Code::UnknownStatus,
            pos,
            format!("unknown status `{s}`"),
            Some(help),
        );
    }
    parsed
}

fn read_authorities(f: &mut Fields, las: &Authorities, required: bool) -> Option<Vec<LaCode>> {
    const KEY: &str = "local_authorities";
    let raw: Vec<String> = if required {
        f.required(KEY)?
    } else {
        f.optional(KEY).unwrap_or_default()
    };
    if required && raw.is_empty() {
        let pos = f.key_pos(KEY);
        f.error(
            Code::EmptyValue,
            pos,
            "`local_authorities` needs at least one local authority".into(),
            None,
        );
        return None;
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut ok = true;
    for s in &raw {
        let pos = f.value_pos(KEY, s);
        match las.lookup(s) {
            Ok(code) if !out.contains(&code) => out.push(code),
            Ok(_) => {}
            Err(LookupError::Unknown { help }) => {
                ok = false;
                f.error(
                    Code::UnknownLocalAuthority,
                    pos,
                    format!("unknown local authority `{s}`"),
                    help,
                );
            }
            Err(LookupError::NoPage { help }) => {
                ok = false;
                f.error(
                    Code::LocalAuthorityWithoutPage,
                    pos,
                    format!("`{s}` is not one local authority, so it has no page"),
                    Some(help),
                );
            }
            Err(LookupError::Ambiguous { codes }) => {
                ok = false;
                f.error(
                    Code::AmbiguousLocalAuthority,
                    pos,
                    format!(
                        "local authority name `{s}` is ambiguous: it matches {}",
                        codes.join(" and ")
                    ),
                    Some("write the GSS code of the one you mean".into()),
                );
            }
        }
    }
    ok.then_some(out)
}

/// Reads a list of document slugs, keeping each one's position for the cross-check.
fn read_refs(f: &mut Fields, key: &'static str) -> Option<Vec<Located<DocSlug>>> {
    let raw: Vec<String> = f.optional(key).unwrap_or_default();
    let mut ok = true;
    let mut out = Vec::with_capacity(raw.len());
    for s in &raw {
        let pos = f.value_pos(key, s);
        match DocSlug::parse(s) {
            Some(value) => out.push(Located { value, pos }),
            None => {
                ok = false;
                f.error(
                    Code::InvalidReference,
                    pos,
                    format!("`{s}` is not a document slug"),
                    None,
                );
            }
        }
    }
    ok.then_some(out)
}

/// `date` is the common key, which is required for case studies.
fn read_case_study(f: &mut Fields, date: Option<Date>, lookups: &Lookups) -> Option<CaseStudy> {
    let local_authorities = read_authorities(f, lookups.authorities, true);
    let evidence_level = read_level(f, lookups.taxonomies);
    let supports = read_refs(f, "supports");
    let challenges = read_refs(f, "challenges");
    let names: Vec<String> = f.optional("indicators").unwrap_or_default();
    let indicators_pos = f.key_pos("indicators");
    let mut indicators: Option<Vec<IndicatorId>> = Some(Vec::with_capacity(names.len()));
    for id in &names {
        match lookups.indicators.resolve(id) {
            Ok(i) => indicators.iter_mut().for_each(|list| list.push(i.clone())),
            Err(help) => {
                indicators = None;
                let pos = f.value_pos("indicators", id);
                let help =
                    help.or_else(|| Some("indicators are defined in data/indicators.yaml".into()));
                f.error(
                    Code::UnknownIndicator,
                    pos,
                    format!("unknown indicator `{id}`"),
                    help,
                );
            }
        }
    }
    let age_range = f.optional("age_range");
    let organisation = f.optional("organisation");
    Some(CaseStudy {
        date: date?,
        local_authorities: local_authorities?,
        evidence_level: evidence_level?,
        supports: supports?,
        challenges: challenges?,
        indicators: indicators?,
        indicators_pos,
        age_range,
        organisation,
    })
}

fn read_evidence(f: &mut Fields, date: Option<Date>, lookups: &Lookups) -> Option<Evidence> {
    let organisation = f.required("organisation");
    let status = read_status(
        f,
        EvidenceStatus::parse,
        EvidenceStatus::ALL,
        EvidenceStatus::as_str,
    );
    let evidence_level = read_level(f, lookups.taxonomies);
    let hearing = f.optional("hearing").unwrap_or(false);
    let promoted_to = match f.optional::<String>("promoted_to") {
        None => Ok(None),
        Some(s) => {
            let pos = f.value_pos("promoted_to", &s);
            match DocSlug::parse(&s) {
                Some(value) => Ok(Some(Located { value, pos })),
                None => {
                    f.error(
                        Code::InvalidReference,
                        pos,
                        format!("`{s}` is not a case-study slug"),
                        None,
                    );
                    Err(())
                }
            }
        }
    };
    let local_authorities = read_authorities(f, lookups.authorities, false);
    Some(Evidence {
        date: date?,
        organisation: organisation?,
        status: status?,
        evidence_level: evidence_level?,
        hearing,
        promoted_to: promoted_to.ok()?,
        local_authorities: local_authorities?,
    })
}
