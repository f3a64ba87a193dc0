//! Warnings for what is legal but probably wrong across documents: a claim no case study
//! backs, a case study silent on the figures that measure it, a promotion its case study
//! cannot show, a summary that only says the title again. Read from the joined facts, so
//! each rule costs a look-up per document, never a scan of all of them.

use super::Facts;
use crate::diagnostic::{Code, Diagnostic};
use crate::resolve::content::{
    CaseStudy, Document, EvidenceStatus, Hypothesis, HypothesisStatus, Kind,
};
use crate::resolve::site::{DocId, Site};

/// At most this many indicators are named in a `no-indicators` warning's help.
const NAMED: usize = 3;

/// At most this many words besides the title's make a summary that only repeats it.
const FEW_WORDS: usize = 3;

/// Every warning the rules find on `site`, in document order.
pub fn warnings(site: &Site, facts: &Facts) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (id, d) in site.docs.iter().enumerate() {
        out.extend(summary_repeats_title(d));
        match &d.kind {
            Kind::Hypothesis(h) => out.extend(unsupported_status(d, id, h, facts)),
            Kind::CaseStudy(c) => out.extend(no_indicators(site, d, c, facts)),
            Kind::Evidence(_) | Kind::Page => {}
        }
    }
    // Only an unpublished submission can go unlisted by the case study it was promoted to:
    // the join lists every published one there.
    for w in &site.unpublished {
        out.extend(promotion_not_linked_back(site, &w.doc));
    }
    out
}

/// A hypothesis whose status says the evidence is in, though no case study gives any.
fn unsupported_status(
    d: &Document,
    id: DocId,
    h: &Hypothesis,
    facts: &Facts,
) -> Option<Diagnostic> {
    let settled = matches!(
        h.status,
        HypothesisStatus::Supported | HypothesisStatus::Mixed | HypothesisStatus::Refuted
    );
    let backed = |map: &std::collections::HashMap<DocId, Vec<DocId>>| {
        map.get(&id).is_some_and(|v| !v.is_empty())
    };
    if !settled || backed(&facts.supported_by) || backed(&facts.challenged_by) {
        return None;
    }
    let word = h.status.as_str();
    Some(
        Diagnostic::at(
            Code::UnsupportedStatus,
            &d.path,
            h.status_pos,
            format!(
                "hypothesis is `{word}`, but no published case study supports or challenges it"
            ),
        )
        .with_help(Some(format!(
            "name it in a case study's `supports` or `challenges`, or set `status: testing` \
             until one does, since its page would show `{word}` with no evidence"
        )))
        .warning(),
    )
}

/// A case study that charts no gap, though indicators measure one of its groups for one of
/// its outcomes and have figures for one of its councils.
fn no_indicators(site: &Site, d: &Document, c: &CaseStudy, facts: &Facts) -> Option<Diagnostic> {
    if !c.indicators.is_empty() {
        return None;
    }
    let tax = &site.taxonomies;
    let list = &site.data.indicators.list;
    let mut fitting: Vec<usize> = d
        .common
        .groups
        .iter()
        .flat_map(|g| &facts.indicators_by_group[tax.groups.rank(g)])
        .copied()
        .filter(|&i| d.common.outcomes.contains(&list[i].outcome))
        // Its page charts an indicator only for its councils with figures: one with none
        // there would show nothing.
        .filter(|&i| {
            let figures = &site.data.gaps[i].authorities;
            c.local_authorities
                .iter()
                .any(|la| figures.contains_key(la))
        })
        .collect();
    fitting.sort_unstable();
    fitting.dedup();
    if fitting.is_empty() {
        return None;
    }
    let named: Vec<&str> = fitting
        .iter()
        .take(NAMED)
        .map(|&i| list[i].id.as_str())
        .collect();
    let n = fitting.len();
    Some(
        Diagnostic::at(
            Code::NoIndicators,
            &d.path,
            c.indicators_pos,
            format!(
                "case study names no `indicators`, though {n} indicator{} of data/indicators.yaml \
                 measure{} one of its groups for one of its outcomes, with figures for its councils",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" },
            ),
        )
        .with_help(Some(format!(
            "add `indicators: [{}]` (or those that fit the practice) to chart the gap beside it",
            named.join(", ")
        )))
        .warning(),
    )
}

/// A submission `promoted_to` a case study whose page cannot link back to it, because its
/// status keeps it unpublished.
fn promotion_not_linked_back(site: &Site, d: &Document) -> Option<Diagnostic> {
    let Kind::Evidence(e) = &d.kind else {
        return None;
    };
    let to = e.promoted_to.as_ref()?;
    if e.status == EvidenceStatus::Accepted || site.config.publish_all_evidence {
        return None;
    }
    Some(
        Diagnostic::at(
            Code::PromotionNotLinkedBack,
            &d.path,
            to.pos,
            format!(
                "submission is promoted to case study `{}`, which does not link back to it: \
                 with status `{}` the submission is not published",
                to.value,
                e.status.as_str()
            ),
        )
        .with_help(Some(
            "set `status: accepted` so that it is published and the case study lists it, or \
             remove `promoted_to`"
                .into(),
        ))
        .warning(),
    )
}

/// A summary that says nothing the title does not: its words are the title's, in order,
/// with at most `FEW_WORDS` more around them (case, punctuation and spacing ignored).
fn summary_repeats_title(d: &Document) -> Option<Diagnostic> {
    let summary = d.common.summary.as_deref()?;
    repeats(&d.common.title, summary).then(|| {
        Diagnostic::at(
            Code::SummaryRepeatsTitle,
            &d.path,
            d.common.summary_pos,
            "`summary` only repeats the title",
        )
        .with_help(Some(
            "say in a sentence or two what was done and what came of it: listings and search \
             results show the summary under the title"
                .into(),
        ))
        .warning()
    })
}

/// The rule of `summary-repeats-title`, on the two texts alone.
fn repeats(title: &str, summary: &str) -> bool {
    let (title, said) = (words(title), words(summary));
    !title.is_empty()
        && said.len() <= title.len() + FEW_WORDS
        && said.windows(title.len()).any(|w| w == title.as_slice())
}

/// The words of `s`: runs of letters and digits, lower-cased.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::repeats;

    #[test]
    fn a_summary_repeats_its_title_up_to_a_few_words() {
        assert!(repeats(
            "Breakfast clubs for all",
            "breakfast clubs, for ALL."
        ));
        assert!(repeats("Breakfast clubs", "Breakfast clubs: a case study"));
        assert!(!repeats(
            "Breakfast clubs",
            "Breakfast clubs in every primary school cut late arrivals"
        ));
        assert!(!repeats("Breakfast clubs", "Clubs at breakfast"));
        assert!(!repeats("!!!", "!!!"));
    }
}
