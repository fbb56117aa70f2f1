use std::fmt;

use super::{Invalid, slugify};

pub const MAX_TAG_LEN: usize = 40;

/// A topic tag, normalized to lowercase-hyphenated form ("Data Structures" -> "data-structures").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TagName(String);

impl TagName {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let name = slugify(input);
        if name.is_empty() {
            return Err(Invalid(format!(
                "\"{}\" is not a usable tag: a tag needs letters or digits.",
                input.trim()
            )));
        }
        if name.len() > MAX_TAG_LEN {
            return Err(Invalid(format!(
                "The tag \"{name}\" is longer than {MAX_TAG_LEN} characters."
            )));
        }
        Ok(Self(name))
    }

    /// Parses a comma-separated list, dropping empty items and repeats, keeping the order.
    pub fn parse_list(input: &str) -> Result<Vec<Self>, Invalid> {
        let mut tags: Vec<Self> = Vec::new();
        for item in input
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            let tag = Self::parse(item)?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        Ok(tags)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a tag reads in headings: "data-structures" -> "Data structures", with the few
/// abbreviations of the seed vocabulary spelt as people write them.
pub fn tag_label(name: &str) -> String {
    match name {
        "oop" => "OOP".to_owned(),
        _ => {
            let spaced = name.replace('-', " ");
            let mut chars = spaced.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => spaced,
            }
        }
    }
}

/// The seed vocabulary in the order the home page presents topics; other tags follow by name.
const TOPIC_ORDER: &[&str] = &[
    "basics",
    "syntax",
    "functions",
    "oop",
    "data-structures",
    "strings-and-bytes",
    "files",
    "errors",
    "concurrency",
    "memory",
    "internals",
    "modules-and-packaging",
    "tooling",
];

/// Sort key of a topic on the home page.
pub fn topic_rank(name: &str) -> usize {
    TOPIC_ORDER
        .iter()
        .position(|t| *t == name)
        .unwrap_or(TOPIC_ORDER.len())
}

impl fmt::Display for TagName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalized_to_lowercase_hyphenated() {
        assert_eq!(
            TagName::parse("Data Structures").unwrap().as_str(),
            "data-structures"
        );
        assert_eq!(TagName::parse(" OOP ").unwrap().as_str(), "oop");
        assert!(TagName::parse("!!").is_err());
    }

    #[test]
    fn lists_drop_blanks_and_repeats_in_order() {
        let tags = TagName::parse_list("memory, , Basics,memory").unwrap();
        let names: Vec<_> = tags.iter().map(TagName::as_str).collect();
        assert_eq!(names, ["memory", "basics"]);
    }

    #[test]
    fn labels_read_naturally() {
        assert_eq!(tag_label("data-structures"), "Data structures");
        assert_eq!(tag_label("oop"), "OOP");
        assert_eq!(tag_label("memory"), "Memory");
    }
}
