//! Text laid out inside build-time SVG charts, which have no automatic line breaking.

/// `text` broken at spaces into lines of at most `width` characters (a longer word has a
/// line of its own).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_at_spaces_within_the_width() {
        let text = "Reaching the expected standard in reading, writing and maths at age 11: \
                    disadvantaged pupils";
        let lines = wrap(text, 38);
        assert!(lines.iter().all(|l| l.chars().count() <= 38), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("", 38), Vec::<String>::new());
        assert_eq!(wrap("a verylongword b", 4), ["a", "verylongword", "b"]);
    }
}
