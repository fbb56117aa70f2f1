use std::fmt;
use std::str::FromStr;

use super::Invalid;

/// Declares a closed set of lowercase names stored as TEXT, with parsing and display.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = Invalid;
            fn from_str(s: &str) -> Result<Self, Invalid> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(Invalid(format!(
                        concat!("\"{}\" is not a valid ", $what, "; use one of: {}."),
                        other,
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // A visitor reads the name without copying it into a String first.
                struct Name;
                impl serde::de::Visitor<'_> for Name {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a ", $what))
                    }
                    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$name, E> {
                        text.parse().map_err(|e: Invalid| E::custom(e.0))
                    }
                }
                d.deserialize_str(Name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// What an entry is: a question with its answer, a longer article, or a curated list.
    Kind, "kind" { Question = "question", Article = "article", Collection = "collection" }
);

text_enum!(
    /// How hard a question is for a candidate; ordered from easiest.
    Difficulty, "difficulty" {
        Beginner = "beginner",
        Intermediate = "intermediate",
        Advanced = "advanced",
    }
);

text_enum!(
    /// Only published entries are ever shown to readers. `Review` is asked of a save (send it
    /// to a reviewer, with `PYKB_REVIEW=on`); the database stores the article as a draft with
    /// a pending change (`editing::review`).
    Status, "status" {
        Draft = "draft",
        Published = "published",
        Trashed = "trashed",
        Review = "review",
    }
);

text_enum!(
    /// What a user may do: editors change content, reviewers also publish changes under
    /// review, admins do everything and manage users.
    Role, "role" { Admin = "admin", Editor = "editor", Reviewer = "reviewer" }
);

impl Status {
    /// The status the articles table keeps: a change sent for review is kept as a draft (its
    /// waiting copy is in `pending_changes`).
    pub fn stored(self) -> Status {
        match self {
            Status::Review => Status::Draft,
            other => other,
        }
    }
}

impl Role {
    /// Whether this role may publish a change under review.
    pub fn can_publish(self) -> bool {
        matches!(self, Role::Admin | Role::Reviewer)
    }
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Question => "Question",
            Kind::Article => "Article",
            Kind::Collection => "Collection",
        }
    }
}

impl Difficulty {
    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Beginner => "Beginner",
            Difficulty::Intermediate => "Intermediate",
            Difficulty::Advanced => "Advanced",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(kind.as_str().parse::<Kind>(), Ok(*kind));
        }
        for difficulty in Difficulty::ALL {
            assert_eq!(difficulty.as_str().parse::<Difficulty>(), Ok(*difficulty));
        }
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(*status));
        }
    }

    #[test]
    fn unknown_names_say_what_is_allowed() {
        let err = "expert".parse::<Difficulty>().unwrap_err();
        assert_eq!(
            err.0,
            "\"expert\" is not a valid difficulty; use one of: beginner, intermediate, advanced."
        );
    }

    #[test]
    fn difficulties_sort_from_easiest() {
        assert!(Difficulty::Beginner < Difficulty::Intermediate);
        assert!(Difficulty::Intermediate < Difficulty::Advanced);
    }
}
