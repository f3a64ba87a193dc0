//! "Did you mean ...?" for every controlled name a writer can mistype.

/// The candidate closest to `input`, if it is close enough to be a plausible typo.
pub fn nearest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&input_lower, &c.to_lowercase()), c))
        // Sorting on score then name keeps the choice stable when two candidates tie.
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The help line for a mistyped name, or `None` when nothing is close.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    nearest(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["engaging-parents", "developing-leaders", "being-healthy"];
        assert_eq!(nearest("engaging-parent", names), Some("engaging-parents"));
        assert_eq!(nearest("zzz", names), None);
    }
}
