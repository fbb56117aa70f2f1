//! The CPython interpreters examples run on, found once at start-up: `PYKB_PYTHONS` (paths,
//! comma-separated) when set; otherwise `python3` and every `python3.N` on `PATH`, and every
//! version under pyenv's folder (`$PYENV_ROOT`, default `~/.pyenv`). Each is asked its exact
//! version; one interpreter per version is kept, 3.9 and later.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The oldest minor version examples are checked on.
pub const OLDEST: (u32, u32) = (3, 9);

/// A CPython version, `3.12.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        parts.next().is_none().then_some(Version {
            major,
            minor,
            patch,
        })
    }

    pub fn minor(self) -> (u32, u32) {
        (self.major, self.minor)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpreter {
    pub path: PathBuf,
    pub version: Version,
}

/// Where to look: the setting's value (`PYKB_PYTHONS`), `PATH` and pyenv's root.
#[derive(Debug, Clone)]
pub struct Places {
    pub configured: Option<String>,
    pub path: Option<std::ffi::OsString>,
    pub pyenv_root: Option<PathBuf>,
}

impl Places {
    /// This process's `PATH` and pyenv root, with `configured` (`PYKB_PYTHONS`).
    pub fn with(configured: Option<String>) -> Places {
        let pyenv_root = std::env::var_os("PYENV_ROOT")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".pyenv")));
        Places {
            configured: configured.filter(|v| !v.trim().is_empty()),
            path: std::env::var_os("PATH"),
            pyenv_root,
        }
    }

    /// From this process's environment, `PYKB_PYTHONS` included.
    pub fn from_env() -> Places {
        Places::with(std::env::var("PYKB_PYTHONS").ok())
    }

    /// Every candidate path, in the order they are preferred for a version.
    fn candidates(&self) -> Vec<PathBuf> {
        if let Some(configured) = &self.configured {
            return configured
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
                .collect();
        }
        let mut found = Vec::new();
        for dir in self.path.iter().flat_map(std::env::split_paths) {
            // pyenv's shims answer for whichever version is selected: the versions folder
            // names each one directly.
            if dir.ends_with("shims") {
                continue;
            }
            found.push(dir.join("python3"));
            let mut minors: Vec<PathBuf> = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .and_then(|n| n.strip_prefix("python3."))
                        .is_some_and(|minor| {
                            !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit())
                        })
                })
                .collect();
            minors.sort();
            found.extend(minors);
        }
        if let Some(root) = &self.pyenv_root {
            let mut versions: Vec<PathBuf> = std::fs::read_dir(root.join("versions"))
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path().join("bin").join("python3"))
                .collect();
            versions.sort();
            found.extend(versions);
        }
        found
    }
}

/// The interpreters at `places`, oldest version first, one per exact version, 3.9 and later.
/// Slow (starts each candidate once): call it off the async workers.
pub fn discover(places: &Places) -> Vec<Interpreter> {
    let mut found: Vec<Interpreter> = Vec::new();
    for path in places.candidates() {
        if !path.is_file() {
            if places.configured.is_some() {
                tracing::warn!(path = %path.display(), "PYKB_PYTHONS names a file that does not exist; skipped");
            }
            continue;
        }
        let Some(version) = version_of(&path) else {
            tracing::warn!(path = %path.display(), "not a CPython interpreter that answers its version; skipped");
            continue;
        };
        if version.minor() < OLDEST || found.iter().any(|i| i.version == version) {
            continue;
        }
        found.push(Interpreter { path, version });
    }
    found.sort_by_key(|i| i.version);
    found
}

/// Asks an interpreter its version (CPython only: another implementation is skipped).
fn version_of(path: &Path) -> Option<Version> {
    let mut child = Command::new(path)
        .args([
            "-E",
            "-s",
            "-c",
            "import platform, sys; print(platform.python_implementation(), '%d.%d.%d' % sys.version_info[:3])",
        ])
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // An interpreter that hangs on start-up is not one we can use.
    let started = std::time::Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(5));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take()?, &mut out).ok()?;
    let (implementation, version) = out.trim().split_once(' ')?;
    (implementation == "CPython").then(|| Version::parse(version))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_order() {
        let v = Version::parse("3.12.1").unwrap();
        assert_eq!(v.to_string(), "3.12.1");
        assert!(Version::parse("3.9.18").unwrap() < v);
        assert_eq!(Version::parse("3.13").unwrap().patch, 0);
        assert!(Version::parse("3").is_none());
        assert!(Version::parse("3.x.1").is_none());
        assert!(Version::parse("3.1.2.4").is_none());
    }

    #[test]
    fn configured_paths_replace_discovery() {
        let places = Places {
            configured: Some(" /a/python , /b/python3.12,".into()),
            path: Some("/usr/bin".into()),
            pyenv_root: None,
        };
        assert_eq!(
            places.candidates(),
            vec![PathBuf::from("/a/python"), PathBuf::from("/b/python3.12")]
        );
    }
}
