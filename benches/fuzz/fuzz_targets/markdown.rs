//! The Markdown renderer on arbitrary bytes: it must never panic, never emit a script, image,
//! frame or object element (escaped text shows `&lt;` instead of `<`), and every heading it
//! reports must have its id in the HTML.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else {
        return;
    };
    let html = pykb::render::render_markdown(markdown);
    let lower = html.to_ascii_lowercase();
    for tag in ["<script", "<img", "<iframe", "<object", "<embed", "<svg", "<style"] {
        assert!(!lower.contains(tag), "{tag} in {html}");
    }
    for heading in pykb::render::headings(markdown) {
        assert!(html.contains(&format!("id=\"{}\"", heading.id)), "{}", heading.id);
    }
    let _ = pykb::render::outline(markdown);
});
