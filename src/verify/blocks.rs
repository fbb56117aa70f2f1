//! The examples of a body: each ```` ```python ```` block with the output blocks right after
//! it. A block may name the Pythons it is about (`python min=3.12`, `python max=3.11`, both
//! inclusive minors); an output block may be for one minor (`output python=3.13`) or for a
//! minor and later ones (`output python=3.12+`); a plain `output` covers every version no
//! specific block claims, and an example with no output block expects none.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::domain::parse_minor;
pub use crate::domain::{Minor, PythonRange};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Its place among the body's examples, from 0.
    pub index: usize,
    /// Its program's place among all the body's code blocks, from 1, as an editor counts them
    /// (and as the page's `#code-N` anchors do).
    pub block: usize,
    pub code: String,
    /// The Pythons it is about (inclusive), from the block's `min=` and `max=`.
    pub min: Option<Minor>,
    pub max: Option<Minor>,
    pub outputs: Vec<Expected>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub applies: Applies,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    Every,
    Only(Minor),
    From(Minor),
}

impl Example {
    /// What it should print on `minor`: the output block for exactly that minor, else the one
    /// for the latest `N+` at or below it, else the plain one, else nothing.
    pub fn expected_for(&self, minor: Minor) -> &str {
        let exact = self
            .outputs
            .iter()
            .find(|o| o.applies == Applies::Only(minor));
        let from = self
            .outputs
            .iter()
            .filter_map(|o| match o.applies {
                Applies::From(start) if start <= minor => Some((start, o)),
                _ => None,
            })
            .max_by_key(|(start, _)| *start)
            .map(|(_, o)| o);
        let every = self.outputs.iter().find(|o| o.applies == Applies::Every);
        exact.or(from).or(every).map_or("", |o| o.text.as_str())
    }

    /// Whether the block is about `minor` (its own `min`/`max`, within `page`'s range).
    pub fn covers(&self, minor: Minor, page: &PythonRange) -> bool {
        self.min.is_none_or(|min| minor >= min)
            && self.max.is_none_or(|max| minor <= max)
            && page.covers(minor)
    }
}

/// Why a body's code blocks are not usable as examples; `block` counts every code block of the
/// body from 1, as an editor would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockError {
    pub block: usize,
    pub message: String,
}

impl std::fmt::Display for BlockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "code block {}: {}", self.block, self.message)
    }
}

/// Info strings of blocks shown but never run (`content/`'s rules; the form's too).
pub const NOT_EXECUTED: &[&str] = &[
    "pycon",
    "console",
    "powershell",
    "cmd",
    "text",
    "toml",
    "ini",
    "html",
    "json",
];

/// The examples of `markdown`, or the first block that breaks the rules.
pub fn examples(markdown: &str) -> Result<Vec<Example>, BlockError> {
    let mut examples: Vec<Example> = Vec::new();
    // Whether the previous code block belongs to an example that may take more output blocks:
    // nothing but whitespace since it.
    let mut open_since: Option<usize> = None;
    let mut number = 0;
    let mut current: Option<(String, String)> = None;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                number += 1;
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.into_string(),
                    CodeBlockKind::Indented => {
                        return Err(BlockError {
                            block: number,
                            message: format!(
                                "an indented code block: fence it with ``` and name its language (python, output, or one of {})",
                                NOT_EXECUTED.join(", ")
                            ),
                        });
                    }
                };
                let follows =
                    open_since.is_some_and(|end| markdown[end..range.start].trim().is_empty());
                current = Some((info, String::new()));
                if !follows {
                    open_since = None;
                }
                if let Some((info, _)) = &current {
                    let mut words = info.split_whitespace();
                    let language = words.next().unwrap_or("");
                    let attributes: Vec<&str> = words.collect();
                    match language {
                        "python" => {
                            let (min, max) =
                                python_attributes(&attributes).map_err(|message| BlockError {
                                    block: number,
                                    message,
                                })?;
                            examples.push(Example {
                                index: examples.len(),
                                block: number,
                                code: String::new(),
                                min,
                                max,
                                outputs: Vec::new(),
                            });
                        }
                        "output" => {
                            if !follows || examples.is_empty() {
                                return Err(BlockError {
                                    block: number,
                                    message: "an output block must come right after the python block whose output it shows".into(),
                                });
                            }
                            let applies =
                                output_attributes(&attributes).map_err(|message| BlockError {
                                    block: number,
                                    message,
                                })?;
                            let example = examples.last_mut().ok_or_else(|| BlockError {
                                block: number,
                                message: "no example".into(),
                            })?;
                            if example.outputs.iter().any(|o| o.applies == applies) {
                                return Err(BlockError {
                                    block: number,
                                    message: "a second output block for the same Pythons: merge them, or mark one python=3.N or python=3.N+".into(),
                                });
                            }
                            example.outputs.push(Expected {
                                applies,
                                text: String::new(),
                            });
                        }
                        other if NOT_EXECUTED.contains(&other) => {}
                        other => {
                            return Err(BlockError {
                                block: number,
                                message: format!(
                                    "{other:?} is not a language this site shows: use python (with output blocks after it) or one of {}",
                                    NOT_EXECUTED.join(", ")
                                ),
                            });
                        }
                    }
                }
            }
            Event::Text(text) => {
                if let Some((_, code)) = current.as_mut() {
                    code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, code)) = current.take() {
                    let language = info.split_whitespace().next().unwrap_or("");
                    if let Some(example) = examples.last_mut() {
                        match language {
                            "python" => example.code = code,
                            "output" => {
                                if let Some(expected) = example.outputs.last_mut() {
                                    expected.text = code;
                                }
                            }
                            _ => {}
                        }
                    }
                    open_since = matches!(language, "python" | "output").then_some(range.end);
                }
            }
            _ => {}
        }
    }
    Ok(examples)
}

/// For captions: the Pythons a code block's info string names, as readers see them ("Python
/// 3.12 and later", "Python 3.13"), or None when it names none or is not ours.
pub fn versions_label(info: &str) -> Option<String> {
    let mut words = info.split_whitespace();
    let language = words.next()?;
    let attributes: Vec<&str> = words.collect();
    let minor = |(major, minor): Minor| format!("{major}.{minor}");
    match language {
        "output" => match output_attributes(&attributes).ok()? {
            Applies::Every => None,
            Applies::Only(only) => Some(format!("Python {}", minor(only))),
            Applies::From(from) => Some(format!("Python {} and later", minor(from))),
        },
        "python" => match python_attributes(&attributes).ok()? {
            (None, None) => None,
            (Some(min), None) => Some(format!("Python {} and later", minor(min))),
            (None, Some(max)) => Some(format!("Python {} and earlier", minor(max))),
            (Some(min), Some(max)) if min == max => Some(format!("Python {}", minor(min))),
            (Some(min), Some(max)) => Some(format!("Python {} to {}", minor(min), minor(max))),
        },
        _ => None,
    }
}

/// For the caption of the plain output block right before a version-specific one
/// (`output python=3.10+`): which Pythons the plain one is left with ("Python before 3.10").
pub fn plain_output_label(next_info: &str) -> Option<String> {
    let mut words = next_info.split_whitespace();
    if words.next()? != "output" {
        return None;
    }
    match output_attributes(&words.collect::<Vec<_>>()).ok()? {
        Applies::Every => None,
        Applies::From((major, minor)) => Some(format!("Python before {major}.{minor}")),
        Applies::Only(_) => Some("other Pythons".to_owned()),
    }
}

/// For the caption of an `output python=3.N+` block right before an `output python=3.M+` one
/// (M > N): the Pythons it is left with ("Python 3.10", or "Python 3.10 to 3.11").
pub fn narrowed_output_label(info: &str, next_info: &str) -> Option<String> {
    let from = |info: &str| {
        let mut words = info.split_whitespace();
        if words.next()? != "output" {
            return None;
        }
        match output_attributes(&words.collect::<Vec<_>>()).ok()? {
            Applies::From(minor) => Some(minor),
            _ => None,
        }
    };
    let ((major, first), (next_major, next)) = (from(info)?, from(next_info)?);
    if next_major != major || next <= first {
        return None;
    }
    Some(if next == first + 1 {
        format!("Python {major}.{first}")
    } else {
        format!("Python {major}.{first} to {major}.{}", next - 1)
    })
}

fn python_attributes(attributes: &[&str]) -> Result<(Option<Minor>, Option<Minor>), String> {
    let (mut min, mut max) = (None, None);
    for attribute in attributes {
        let (name, value) = attribute.split_once('=').unwrap_or((attribute, ""));
        let minor = parse_minor(value).ok_or_else(|| {
            format!("{attribute:?}: write min=3.N or max=3.N (inclusive minor versions)")
        })?;
        match name {
            "min" => min = Some(minor),
            "max" => max = Some(minor),
            _ => {
                return Err(format!(
                    "{attribute:?}: a python block takes only min=3.N and max=3.N"
                ));
            }
        }
    }
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        return Err("min= is after max=: the block would cover no version".into());
    }
    Ok((min, max))
}

fn output_attributes(attributes: &[&str]) -> Result<Applies, String> {
    match attributes {
        [] => Ok(Applies::Every),
        [one] => {
            let value = one.strip_prefix("python=").ok_or_else(|| {
                format!("{one:?}: an output block takes only python=3.N or python=3.N+")
            })?;
            let (version, from) = match value.strip_suffix('+') {
                Some(version) => (version, true),
                None => (value, false),
            };
            let minor = parse_minor(version)
                .ok_or_else(|| format!("{one:?}: {version:?} is not a version like 3.12"))?;
            Ok(if from {
                Applies::From(minor)
            } else {
                Applies::Only(minor)
            })
        }
        _ => Err("an output block takes one python=3.N or python=3.N+ at most".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_take_the_output_blocks_right_after_them() {
        let body = "Intro.\n\n```python\nprint(1)\n```\n\n```output\n1\n```\n\nText.\n\n```python min=3.12\nprint(2)\n```\n\n```text\nnot run\n```\n";
        let found = examples(body).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].code, "print(1)\n");
        assert_eq!(found[0].expected_for((3, 11)), "1\n");
        assert_eq!(found[1].min, Some((3, 12)));
        assert_eq!(
            found[1].expected_for((3, 12)),
            "",
            "no output block: expects none"
        );
        assert!(!found[1].covers((3, 11), &PythonRange::default()));
    }

    #[test]
    fn version_specific_outputs_win_over_the_plain_one() {
        let body = "```python\nx\n```\n```output\nold\n```\n```output python=3.12+\nnew\n```\n```output python=3.13\nnewest\n```\n";
        let example = &examples(body).unwrap()[0];
        assert_eq!(example.expected_for((3, 9)), "old\n");
        assert_eq!(example.expected_for((3, 12)), "new\n");
        assert_eq!(example.expected_for((3, 13)), "newest\n");
        assert_eq!(example.expected_for((3, 14)), "new\n");
    }

    #[test]
    fn blocks_that_break_the_rules_are_named() {
        let cases = [
            ("```javascript\nx\n```\n", 1, "not a language"),
            ("Text.\n\n```output\n3\n```\n", 1, "right after"),
            (
                "```python\nx\n```\n\nWords between.\n\n```output\n3\n```\n",
                2,
                "right after",
            ),
            ("```python min=3.x\nx\n```\n", 1, "min=3.N"),
            (
                "```python\nx\n```\n```output\n1\n```\n```output\n2\n```\n",
                3,
                "second output",
            ),
            (
                "```python\nx\n```\n```output py=3.12\n1\n```\n",
                2,
                "python=3.N",
            ),
            ("    indented\n", 1, "indented"),
        ];
        for (body, block, words) in cases {
            let error = examples(body).unwrap_err();
            assert_eq!(error.block, block, "{body:?}");
            assert!(error.message.contains(words), "{body:?}: {}", error.message);
        }
    }

    #[test]
    fn captions_name_the_versions() {
        assert_eq!(
            versions_label("output python=3.12+").as_deref(),
            Some("Python 3.12 and later")
        );
        assert_eq!(
            versions_label("output python=3.13").as_deref(),
            Some("Python 3.13")
        );
        assert_eq!(
            versions_label("python min=3.10").as_deref(),
            Some("Python 3.10 and later")
        );
        assert_eq!(
            versions_label("python min=3.10 max=3.11").as_deref(),
            Some("Python 3.10 to 3.11")
        );
        assert_eq!(versions_label("output"), None);
        assert_eq!(
            plain_output_label("output python=3.10+").as_deref(),
            Some("Python before 3.10")
        );
        assert_eq!(
            plain_output_label("output python=3.13").as_deref(),
            Some("other Pythons")
        );
        assert_eq!(plain_output_label("output"), None);
        assert_eq!(
            narrowed_output_label("output python=3.10+", "output python=3.11+").as_deref(),
            Some("Python 3.10")
        );
        assert_eq!(
            narrowed_output_label("output python=3.10+", "output python=3.13+").as_deref(),
            Some("Python 3.10 to 3.12")
        );
        assert_eq!(
            narrowed_output_label("output python=3.10+", "output python=3.13"),
            None
        );
        assert_eq!(versions_label("python"), None);
        assert_eq!(versions_label("text min=3.10"), None);
    }
}
