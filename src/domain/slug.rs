use std::fmt;

use super::Invalid;

/// The longest slug we accept, in bytes (slugs are ASCII).
pub const MAX_SLUG_LEN: usize = 200;

/// The slug rule, used everywhere a slug is made from a title (seed, admin form, import): the
/// title lowercased, every run of characters other than ASCII letters and digits replaced by
/// one hyphen, leading and trailing hyphens trimmed. Nothing else is removed or shortened.
pub fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    let mut pending_hyphen = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

/// A URL-safe article identifier: lowercase ASCII letters and digits in hyphen-separated runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        if input.is_empty() {
            return Err(Invalid("The slug is empty.".into()));
        }
        if input.len() > MAX_SLUG_LEN {
            return Err(Invalid(format!(
                "The slug is longer than {MAX_SLUG_LEN} characters."
            )));
        }
        if slugify(input) != input {
            return Err(Invalid(format!(
                "\"{input}\" is not a valid slug: use lowercase letters a-z, digits and single \
                 hyphens between them, e.g. \"{}\".",
                slugify(input)
            )));
        }
        Ok(Self(input.to_owned()))
    }

    /// The slug for a title, by the slug rule. `None` when the title has no letters or digits.
    pub fn from_title(title: &str) -> Option<Self> {
        let slug = slugify(title);
        (!slug.is_empty()).then_some(Self(slug))
    }

    /// The `n`th candidate when a slug is taken: `n = 2` gives `slug-2`.
    pub fn numbered(&self, n: u32) -> Self {
        Self(format!("{}-{n}", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_rule_matches_the_documented_examples() {
        assert_eq!(
            slugify("What does __name__=='__main__' in Python mean?"),
            "what-does-name-main-in-python-mean"
        );
        assert_eq!(
            slugify("Python Interview Questions (Part 2)"),
            "python-interview-questions-part-2"
        );
        assert_eq!(
            slugify("Python Interview Questions (Part 3)"),
            "python-interview-questions-part-3"
        );
        assert_eq!(
            slugify("Why isn't there a switch?"),
            "why-isn-t-there-a-switch"
        );
        assert_eq!(slugify("  --Déjà vu--  "), "d-j-vu");
        assert_eq!(slugify("C#"), "c");
        assert_eq!(slugify("?!"), "");
    }

    #[test]
    fn parse_accepts_only_slugs_the_rule_produces() {
        assert!(Slug::parse("what-is-python-used-for").is_ok());
        assert!(Slug::parse("part-2").is_ok());
        for bad in [
            "",
            "Upper",
            "double--hyphen",
            "-leading",
            "trailing-",
            "sp ace",
            "ü",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(Slug::parse(&"a".repeat(MAX_SLUG_LEN + 1)).is_err());
    }

    #[test]
    fn clashes_are_numbered() {
        let slug = Slug::parse("lists").unwrap();
        assert_eq!(slug.numbered(2).as_str(), "lists-2");
    }

    #[test]
    fn titles_without_letters_have_no_slug() {
        assert_eq!(Slug::from_title("!!!"), None);
        assert_eq!(Slug::from_title("A b").unwrap().as_str(), "a-b");
    }
}
