//! One writer per data directory. `serve`, `import`, `restore` and `reindex` hold an exclusive
//! OS lock on `DATA_DIR/pykb.lock` while they run; a second one stops with a clear message
//! instead of writing beside the first. The OS drops the lock when the process ends, even on
//! SIGKILL, so a crash never leaves a stale lock behind. `backup`, `export` and `check` only
//! read and take no lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

pub const LOCK_FILE: &str = "pykb.lock";

/// Held for as long as the command runs; dropping it releases the lock.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Takes the lock of `data_dir` (created if missing) for `what` ("serve", "import", …).
    pub fn acquire(data_dir: &Path, what: &str) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
        let path = data_dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                anyhow::bail!(
                    "another pykb process is using the data directory {} ({}); `{what}` needs it \
                     alone: stop the other one first (backup, export and check can run beside it)",
                    data_dir.display(),
                    match holder.trim() {
                        "" => "pid unknown".to_owned(),
                        holder => holder.to_owned(),
                    }
                );
            }
            Err(TryLockError::Error(err)) => {
                return Err(err).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        // Who holds it, for the message above; informative only, the OS lock is the truth.
        file.set_len(0)?;
        write!(file, "pid {} running `pykb {what}`", std::process::id())?;
        file.flush()?;
        Ok(Self { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataDirLock::acquire(dir.path(), "serve").unwrap();
        let err = DataDirLock::acquire(dir.path(), "import")
            .unwrap_err()
            .to_string();
        assert!(err.contains("another pykb process"), "{err}");
        assert!(err.contains("running `pykb serve`"), "{err}");
        drop(first);
        DataDirLock::acquire(dir.path(), "import").unwrap();
    }
}
