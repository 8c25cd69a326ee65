//! A kata's hints: `hints.md`, one `## Hint N` section each, apart from the lesson
//! (`README.md`) so that reading the lesson never shows them.

use std::fs;

use crate::course::Kata;

/// How many hints a kata has, for "Stuck?" lines.
pub fn count(kata: &Kata) -> usize {
    fs::read_to_string(kata.hints())
        .map(|text| parse(&text).len())
        .unwrap_or(0)
}

/// The hints in a hints file: the text of each `## Hint N` section, in order.
pub fn parse(hints: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in hints.lines() {
        if line.starts_with("## Hint") {
            found.extend(current.take());
            current = Some(String::new());
        } else if let Some(text) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    found.extend(current);
    found.iter().map(|text| text.trim().to_string()).collect()
}

/// Whether a lesson still holds hints (a `## Hints` section or `<details>` blocks), which
/// a reader would see before asking for them.
pub fn in_lesson(lesson: &str) -> bool {
    lesson
        .lines()
        .any(|line| line.trim_start().starts_with("## Hint"))
        || lesson.contains("<details>")
}

#[cfg(test)]
mod tests {
    use super::{in_lesson, parse};

    #[test]
    fn reads_one_hint_per_section() {
        let hints = "# Hints: 01.02\n\nIntro, not a hint.\n\n## Hint 1\n\nUse `join!`.\n\n## Hint 2\n\nTwo\nlines.\n";
        assert_eq!(parse(hints), ["Use `join!`.", "Two\nlines."]);
    }

    #[test]
    fn a_file_without_sections_has_no_hints() {
        assert!(parse("# Hints\n\nNothing yet.\n").is_empty());
    }

    #[test]
    fn a_lesson_with_hints_in_it_is_caught() {
        assert!(in_lesson("# T\n\n## Hints\n\nx\n"));
        assert!(in_lesson(
            "# T\n\n<details>\n<summary>Hint 1</summary>\nx\n</details>\n"
        ));
        assert!(!in_lesson("# T\n\n## Your task\n\nDo it.\n"));
    }
}
