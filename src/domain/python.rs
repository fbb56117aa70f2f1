//! Which Pythons a page is about: the `python` field of the form and of `content/` files
//! (`>=3.10`, `>=3.10,<3.13`). Examples run on the other versions too, but a result there is
//! shown, never a failure (see `verify`).

use super::Invalid;

/// A minor version, `(3, 12)`.
pub type Minor = (u32, u32);

/// A page's declared Pythons; the default (an empty field) covers every version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PythonRange {
    /// Inclusive lower bound.
    pub from: Option<Minor>,
    /// Exclusive upper bound.
    pub below: Option<Minor>,
}

/// The longest field accepted; the longest useful one, `>=3.10,<3.13`, has 12 characters.
const MAX_CHARS: usize = 40;

impl PythonRange {
    pub fn parse(text: &str) -> Result<PythonRange, Invalid> {
        if text.chars().count() > MAX_CHARS {
            return Err(Invalid(format!(
                "The Python versions are at most {MAX_CHARS} characters, like >=3.10,<3.13."
            )));
        }
        let mut range = PythonRange::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (lower, version) = if let Some(v) = part.strip_prefix(">=") {
                (true, v)
            } else if let Some(v) = part.strip_prefix('<') {
                (false, v)
            } else {
                return Err(Invalid(format!(
                    "{part:?}: write the Pythons as >=3.N, <3.N or both, comma-separated (e.g. >=3.10,<3.13)."
                )));
            };
            let minor = parse_minor(version.trim()).ok_or_else(|| {
                Invalid(format!("{part:?}: {version:?} is not a version like 3.12."))
            })?;
            let bound = if lower {
                &mut range.from
            } else {
                &mut range.below
            };
            if bound.replace(minor).is_some() {
                return Err(Invalid(format!(
                    "{text:?} gives the same bound twice; write each of >= and < at most once."
                )));
            }
        }
        if let (Some(from), Some(below)) = (range.from, range.below)
            && from >= below
        {
            return Err(Invalid(format!("{text:?} covers no Python version.")));
        }
        Ok(range)
    }

    pub fn covers(&self, minor: Minor) -> bool {
        self.from.is_none_or(|from| minor >= from) && self.below.is_none_or(|below| minor < below)
    }

    pub fn is_every_version(&self) -> bool {
        self.from.is_none() && self.below.is_none()
    }
}

/// The canonical spelling (`>=3.10,<3.13`; empty for every version), which is what is stored.
impl std::fmt::Display for PythonRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some((major, minor)) = self.from {
            write!(f, ">={major}.{minor}")?;
        }
        if let Some((major, minor)) = self.below {
            let comma = if self.from.is_some() { "," } else { "" };
            write!(f, "{comma}<{major}.{minor}")?;
        }
        Ok(())
    }
}

/// "3.12" → `(3, 12)`.
pub fn parse_minor(text: &str) -> Option<Minor> {
    let (major, minor) = text.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_cover_and_print_canonically() {
        let range = PythonRange::parse(" >=3.10 , <3.13 ").unwrap();
        assert!(!range.covers((3, 9)) && range.covers((3, 10)) && range.covers((3, 12)));
        assert!(!range.covers((3, 13)));
        assert_eq!(range.to_string(), ">=3.10,<3.13");
        assert_eq!(PythonRange::parse("<3.12").unwrap().to_string(), "<3.12");
        let every = PythonRange::parse("").unwrap();
        assert!(every.covers((3, 9)) && every.is_every_version());
        assert_eq!(every.to_string(), "");
    }

    #[test]
    fn bad_ranges_say_how_to_write_one() {
        for bad in [
            "3.10",
            ">=3.12,<3.12",
            ">=three",
            ">=3.10,>=3.11",
            &"<3.1".repeat(20),
        ] {
            let err = PythonRange::parse(bad).unwrap_err().to_string();
            assert!(err.ends_with('.'), "{bad}: {err}");
        }
        assert!(
            PythonRange::parse("3.10")
                .unwrap_err()
                .to_string()
                .contains(">=3.N")
        );
    }
}
