//! "Did you mean …?" for misspelt kinds, fields and values.

/// The candidate closest to `input`, if it is close enough to be a likely typo.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&input, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn suggests_close_names_only() {
        let fields = ["owner", "title", "acceptance_criteria"];
        assert_eq!(nearest("ownr", fields), Some("owner"));
        assert_eq!(nearest("acceptance_critera", fields), Some("acceptance_criteria"));
        assert_eq!(nearest("budget", fields), None);
    }
}
