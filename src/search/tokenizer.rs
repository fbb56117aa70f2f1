//! A tokenizer for Python prose and code. Words keep their underscores (`__del__`), dotted names
//! stay whole (`re.split`, `__init__.py`), stars stay on parameters (`*args`), and operators
//! are tokens (`==`, `!=`, `//`). Each compound also yields its parts at the same position, so
//! `split` finds `re.split` and `del` finds `__del__`. Nothing is dropped as a stop word.

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Exact forms: what title, summary, body and code are indexed with.
pub const EXACT: &str = "py";
/// Exact forms passed through an English stemmer (tuples -> tupl, threading -> thread).
pub const STEMMED: &str = "py_stem";

pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(PythonTokenizer)
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .build()
}

pub fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(PythonTokenizer)
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(Stemmer::new(tantivy::tokenizer::Language::English))
        .build()
}

/// Runs an analyzer over text and returns the token texts.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

#[derive(Clone, Default)]
pub struct PythonTokenizer;

pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for PythonTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: tokenize(text),
            next: 0,
        }
    }
}

pub(super) fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Operator characters: a run of them is one token (`==`, `!=`, `//`, `**`, `:=`, `->`).
pub(super) fn is_operator(c: char) -> bool {
    matches!(
        c,
        '=' | '!' | '<' | '>' | '/' | '*' | '+' | '%' | '&' | '|' | '^' | '~' | '@' | '-' | ':'
    )
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut position = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |(offset, _)| *offset);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if is_word(c)
            || ((c == '*') && chars.get(i + 1).is_some_and(|n| is_word(n.1) || n.1 == '*'))
        {
            // A word, possibly starred (*args, **kwargs) and dotted (re.split, __init__.py).
            let start = i;
            while i < chars.len() && chars[i].1 == '*' {
                i += 1;
            }
            let stars = i - start;
            if stars > 2 || !chars.get(i).is_some_and(|n| is_word(n.1)) {
                // `***` or a lone `**`: an operator after all.
                i = start;
            } else {
                loop {
                    while i < chars.len() && is_word(chars[i].1) {
                        i += 1;
                    }
                    let dotted =
                        i + 1 < chars.len() && chars[i].1 == '.' && is_word(chars[i + 1].1);
                    if !dotted {
                        break;
                    }
                    i += 1;
                }
                let (from, to) = (chars[start].0, end_of(i));
                emit_word(&mut tokens, text, from, to, stars, position);
                position += 1;
                continue;
            }
        }
        if is_operator(c) {
            let start = i;
            while i < chars.len() && is_operator(chars[i].1) {
                i += 1;
            }
            let (from, to) = (chars[start].0, end_of(i));
            let op = &text[from..to];
            // Lone hyphens and colons are punctuation in prose, not operators.
            if op != "-" && op != ":" && op != "--" && op.chars().count() <= 3 {
                push(&mut tokens, op, from, to, position);
                position += 1;
            }
            continue;
        }
        i += 1;
    }
    tokens
}

fn push(tokens: &mut Vec<Token>, text: &str, from: usize, to: usize, position: usize) {
    tokens.push(Token {
        offset_from: from,
        offset_to: to,
        position,
        text: text.to_owned(),
        position_length: 1,
    });
}

/// Emits a compound word and its parts, all at one position.
fn emit_word(
    tokens: &mut Vec<Token>,
    text: &str,
    from: usize,
    to: usize,
    stars: usize,
    position: usize,
) {
    let whole = &text[from..to];
    push(tokens, whole, from, to, position);
    let bare_from = from + stars;
    let bare = &text[bare_from..to];
    let mut parts: Vec<(usize, &str)> = Vec::new();
    if stars > 0 {
        parts.push((bare_from, bare));
    }
    if bare.contains('.') {
        let mut offset = bare_from;
        for part in bare.split('.') {
            parts.push((offset, part));
            offset += part.len() + 1;
        }
    }
    // Dunder and private names also yield their bare word: __del__ -> del, _cache -> cache.
    let mut more = Vec::new();
    let undotted = (!bare.contains('.')).then_some((bare_from, bare));
    for &(offset, part) in parts.iter().chain(undotted.iter()) {
        let trimmed = part.trim_matches('_');
        if !trimmed.is_empty() && trimmed.len() != part.len() {
            let lead = part.len() - part.trim_start_matches('_').len();
            more.push((offset + lead, trimmed));
        }
    }
    parts.extend(more);
    let mut seen = vec![whole];
    for (offset, part) in parts {
        if !part.is_empty() && !seen.contains(&part) {
            seen.push(part);
            push(tokens, part, offset, offset + part.len(), position);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        analyze(&mut exact_analyzer(), text)
    }

    #[test]
    fn python_names_and_operators_are_tokens() {
        assert_eq!(words("__del__"), ["__del__", "del"]);
        assert_eq!(
            words("__init__.py"),
            ["__init__.py", "__init__", "py", "init"]
        );
        assert_eq!(words("re.split()"), ["re.split", "re", "split"]);
        assert_eq!(
            words("*args and **kwargs"),
            ["*args", "args", "and", "**kwargs", "kwargs"]
        );
        assert_eq!(
            words("a == b != c // d"),
            ["a", "==", "b", "!=", "c", "//", "d"]
        );
        assert_eq!(words("x is not None"), ["x", "is", "not", "none"]);
        assert_eq!(words("x = 3 * 4"), ["x", "=", "3", "*", "4"]);
    }

    #[test]
    fn prose_punctuation_is_not_a_token() {
        assert_eq!(
            words("built-in types: lists, tuples."),
            ["built", "in", "types", "lists", "tuples"]
        );
        assert_eq!(words("Note: see (below)"), ["note", "see", "below"]);
    }

    #[test]
    fn parts_share_the_position_of_their_compound() {
        let mut analyzer = exact_analyzer();
        let mut stream = analyzer.token_stream("use re.split now");
        let mut positions = Vec::new();
        while let Some(token) = stream.next() {
            positions.push((token.text.clone(), token.position));
        }
        assert_eq!(
            positions,
            [
                ("use".into(), 0),
                ("re.split".into(), 1),
                ("re".into(), 1),
                ("split".into(), 1),
                ("now".into(), 2)
            ]
        );
    }

    #[test]
    fn stemming_joins_inflections() {
        let mut stem = stemmed_analyzer();
        assert_eq!(analyze(&mut stem, "tuples"), analyze(&mut stem, "tuple"));
        assert_eq!(
            analyze(&mut stem, "threading"),
            analyze(&mut stem, "threads")
        );
    }

    #[test]
    fn unicode_and_odd_input_do_not_panic() {
        for text in [
            "",
            "***",
            "a.",
            ".a",
            "é.ü",
            "🙂 == 🙂",
            "x**",
            "**",
            "a..b",
            "_._",
        ] {
            let _ = words(text);
        }
        assert_eq!(words("naïve café"), ["naïve", "café"]);
    }
}
