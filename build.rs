//! Embeds `content/*.md` (the seed articles) and `static/*` (CSS, icons, scripts) in the binary,
//! so a release build serves the site from any directory with nothing beside it.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    // `.ci/sqlx-prepare` builds once per database backend with `PYKB_SQLX` set, leaving the
    // other backend's queries out of that build (`db::store`).
    println!("cargo::rustc-check-cfg=cfg(pykb_sqlx, values(\"sqlite\", \"postgres\"))");
    println!("cargo:rerun-if-env-changed=PYKB_SQLX");
    if let Ok(backend) = env::var("PYKB_SQLX") {
        println!("cargo:rustc-cfg=pykb_sqlx=\"{backend}\"");
    }
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut out = String::new();
    for (dir, name, macro_name, ty) in [
        ("content", "CONTENT", "include_str", "str"),
        ("static", "STATIC_FILES", "include_bytes", "[u8]"),
    ] {
        let path = Path::new(&root).join(dir);
        println!("cargo:rerun-if-changed={}", path.display());
        let mut files: Vec<_> = fs::read_dir(&path)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        });
        files.sort();
        writeln!(out, "pub static {name}: &[(&str, &{ty})] = &[").unwrap();
        for file in files {
            let file_name = file.file_name().unwrap().to_string_lossy().into_owned();
            writeln!(
                out,
                "    ({file_name:?}, {macro_name}!({:?})),",
                file.display().to_string()
            )
            .unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    fs::write(dest, out).expect("writing embedded.rs");
}
