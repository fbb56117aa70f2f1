//! Running one example on one interpreter, as a reader would paste it into a terminal, but
//! fenced in: `python -E -s -c CODE` in a fresh empty directory, no stdin, a cleared
//! environment, and limits on wall time, CPU time, address space, file size, output and (where
//! the OS lets us) processes and the network.
//!
//! Which limits hold where (Linux; the README repeats this):
//! - wall time, output size: always (we stop reading and kill the process group);
//! - CPU time, address space, file size, no core dumps: always (`setrlimit` in the child);
//! - processes: a `pids` cgroup when one is writable (root on a host with cgroup v1's `pids`
//!   controller or v2 with it delegated), which also lets us kill what escaped the process
//!   group; otherwise `RLIMIT_NPROC`, which the kernel does not enforce for root;
//! - network: a new, empty network namespace when the kernel allows one (root, or
//!   unprivileged user namespaces); otherwise the example runs with the host's network.
//!
//! Blocking: call it from a thread of the verification pool, never an async worker.

use std::ffi::CString;
use std::io::Read;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What a run may use.
#[derive(Debug, Clone)]
pub struct Limits {
    pub wall: Duration,
    pub cpu_seconds: u64,
    pub address_space: u64,
    pub processes: u64,
    /// Bytes of stdout and of stderr kept; more fails the run.
    pub output: usize,
    /// Largest file the example may write.
    pub file_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            wall: Duration::from_secs(10),
            cpu_seconds: 10,
            address_space: 512 << 20,
            processes: 32,
            output: 64 << 10,
            file_size: 16 << 20,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The interpreter exited with this code (0: success).
    Exited(i32),
    /// Killed by this signal (a crash, or a limit the kernel enforces: SIGXCPU, SIGKILL).
    Signalled(i32),
    /// Still running at the wall-time limit.
    TimedOut,
    /// Printed more than the output limit.
    TooMuchOutput,
}

#[derive(Debug, Clone)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub ending: Ending,
    pub elapsed: Duration,
}

impl Run {
    /// What an output block shows for this run: stdout, and when the program failed, the
    /// last line of its traceback (how the seed pages show an exception).
    pub fn shown_output(&self) -> String {
        if self.ending == Ending::Exited(0) {
            return self.stdout.clone();
        }
        let last = self
            .stderr
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("");
        format!("{}{last}\n", self.stdout)
    }

    /// A short reason when the run did not end on its own.
    pub fn problem(&self) -> Option<String> {
        match &self.ending {
            Ending::Exited(_) => None,
            Ending::Signalled(signal) => Some(format!("killed by signal {signal}")),
            Ending::TimedOut => Some("still running at the time limit".to_owned()),
            Ending::TooMuchOutput => Some("printed more than the output limit".to_owned()),
        }
    }
}

/// Runs `code` with `interpreter` under `limits`. An error means the run could not start
/// (no such interpreter, no temporary directory), not that the example failed.
pub fn run(interpreter: &Path, code: &str, limits: &Limits) -> std::io::Result<Run> {
    let dir = tempfile::Builder::new().prefix("pykb-example-").tempdir()?;
    let cgroup = ProcessCgroup::create(limits.processes);
    let mut command = Command::new(interpreter);
    command
        .args(["-E", "-s", "-c", code])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", dir.path())
        .env("TMPDIR", dir.path())
        .env("LANG", "C.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let child_setup = ChildSetup::new(limits, cgroup.as_ref().map(|c| c.procs_file()));
    // SAFETY: between fork and exec the closure only makes system calls (setrlimit, unshare,
    // open/write/close on a path prepared before the fork); it allocates nothing and takes
    // no locks.
    unsafe {
        command.pre_exec(move || child_setup.apply());
    }
    let started = Instant::now();
    let mut child = command.spawn()?;
    let pgid = child.id() as i32;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let cap = limits.output;
    let over = Arc::new(AtomicBool::new(false));
    let (out_over, err_over) = (Arc::clone(&over), Arc::clone(&over));
    let out = std::thread::spawn(move || read_capped(stdout, cap, &out_over));
    let err = std::thread::spawn(move || read_capped(stderr, cap, &err_over));
    let mut ending = None;
    while ending.is_none() {
        if over.load(Ordering::Relaxed) {
            ending = Some(Ending::TooMuchOutput);
        } else if let Some(status) = child.try_wait()? {
            use std::os::unix::process::ExitStatusExt as _;
            ending = Some(match (status.code(), status.signal()) {
                (Some(code), _) => Ending::Exited(code),
                (None, Some(signal)) => Ending::Signalled(signal),
                (None, None) => Ending::Signalled(0),
            });
        } else if started.elapsed() > limits.wall {
            ending = Some(Ending::TimedOut);
        } else {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    let elapsed = started.elapsed();
    // Whatever it started goes too: the process group, and the cgroup for escapees.
    kill_group(pgid);
    if let Some(cgroup) = &cgroup {
        cgroup.kill_all();
    }
    let _ = child.kill();
    let _ = child.wait();
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let mut ending = ending.unwrap_or(Ending::TimedOut);
    // It may have printed too much and exited before we looked.
    if over.load(Ordering::Relaxed) {
        ending = Ending::TooMuchOutput;
    }
    Ok(Run {
        stdout,
        stderr,
        ending,
        elapsed,
    })
}

/// Reads a pipe up to `cap` bytes, setting `over` when it had more (and then stops reading,
/// so a program that goes on printing blocks until it is killed).
fn read_capped(pipe: Option<impl Read>, cap: usize, over: &AtomicBool) -> String {
    let Some(pipe) = pipe else {
        return String::new();
    };
    let mut kept = Vec::new();
    let mut limited = pipe.take(cap as u64 + 1);
    let _ = limited.read_to_end(&mut kept);
    if kept.len() > cap {
        over.store(true, Ordering::Relaxed);
        kept.truncate(cap);
    }
    String::from_utf8_lossy(&kept).into_owned()
}

fn kill_group(pgid: i32) {
    if pgid > 1 {
        // SAFETY: a plain system call; a group that is gone already gives ESRCH.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
}

/// What the child does to itself between fork and exec, prepared before the fork.
struct ChildSetup {
    limits: [(libc::__rlimit_resource_t, u64); 5],
    /// `RLIMIT_NPROC`, when no cgroup counts the processes.
    processes: Option<u64>,
    cgroup_procs: Option<CString>,
}

impl ChildSetup {
    fn new(limits: &Limits, cgroup_procs: Option<CString>) -> Self {
        ChildSetup {
            limits: [
                (libc::RLIMIT_CPU, limits.cpu_seconds),
                (libc::RLIMIT_AS, limits.address_space),
                (libc::RLIMIT_FSIZE, limits.file_size),
                (libc::RLIMIT_CORE, 0),
                (libc::RLIMIT_NOFILE, 256),
            ],
            // With a cgroup the cgroup counts; RLIMIT_NPROC counts every task of the user.
            processes: cgroup_procs
                .is_none()
                .then(|| tasks_running() + limits.processes),
            cgroup_procs,
        }
    }

    /// Runs in the child: only system calls, no allocation.
    fn apply(&self) -> std::io::Result<()> {
        // Into the process cgroup first, so that everything it starts is counted there.
        if let Some(procs) = &self.cgroup_procs {
            // SAFETY: open/write/close with a NUL-terminated path made before the fork.
            unsafe {
                let fd = libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
                if fd >= 0 {
                    libc::write(fd, b"0".as_ptr().cast(), 1);
                    libc::close(fd);
                }
            }
        }
        // A network namespace of its own has only a loopback device, and that one down.
        // SAFETY: plain system calls.
        unsafe {
            if libc::unshare(libc::CLONE_NEWNET) != 0 {
                libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET);
            }
        }
        for (resource, value) in self.limits {
            set_limit(resource, value)?;
        }
        // Counted per user, so set above what the user runs already; root is exempt.
        if let Some(processes) = self.processes {
            let _ = set_limit(libc::RLIMIT_NPROC, processes);
        }
        Ok(())
    }
}

/// Tasks on the whole host now (`/proc/loadavg`): what this user runs is at most that.
fn tasks_running() -> u64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|load| {
            let field = load.split_whitespace().nth(3)?;
            field.split('/').nth(1)?.parse().ok()
        })
        .unwrap_or(4096)
}

fn set_limit(resource: libc::__rlimit_resource_t, value: u64) -> std::io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    };
    // SAFETY: a plain system call with a valid pointer.
    if unsafe { libc::setrlimit(resource, &limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// A `pids` cgroup of its own for one run, where the host lets us make one: it bounds how many
/// processes the example may have and finds every one of them at the end. Removed on drop.
struct ProcessCgroup {
    dir: PathBuf,
}

/// Numbers the runs of this process (cgroup names must not collide).
static RUNS: AtomicU64 = AtomicU64::new(0);

impl ProcessCgroup {
    fn create(max: u64) -> Option<ProcessCgroup> {
        let root = pids_hierarchy()?;
        let name = format!(
            "pykb-example-{}-{}",
            std::process::id(),
            RUNS.fetch_add(1, Ordering::Relaxed)
        );
        let dir = root.join(name);
        std::fs::create_dir(&dir).ok()?;
        let cgroup = ProcessCgroup { dir };
        std::fs::write(cgroup.dir.join("pids.max"), max.to_string()).ok()?;
        Some(cgroup)
    }

    fn procs_file(&self) -> CString {
        let path = self.dir.join("cgroup.procs");
        CString::new(path.as_os_str().as_encoded_bytes()).unwrap_or_default()
    }

    /// Kills every process in the cgroup until none is left (a process at the cap cannot
    /// fork, so this ends).
    fn kill_all(&self) {
        for _ in 0..100 {
            let Ok(procs) = std::fs::read_to_string(self.dir.join("cgroup.procs")) else {
                return;
            };
            let pids: Vec<i32> = procs
                .lines()
                .filter_map(|l| l.trim().parse().ok())
                .collect();
            if pids.is_empty() {
                return;
            }
            for pid in pids {
                // SAFETY: a plain system call.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for ProcessCgroup {
    fn drop(&mut self) {
        self.kill_all();
        // Empty now (the kernel removes a dead process from it once it is reaped).
        for _ in 0..50 {
            if std::fs::remove_dir(&self.dir).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        tracing::warn!(cgroup = %self.dir.display(), "could not remove an example's cgroup");
    }
}

/// Where we may make `pids` cgroups: cgroup v1's `pids` hierarchy, or the v2 hierarchy when
/// its `pids` controller is enabled for children of its root; None when neither is writable.
fn pids_hierarchy() -> Option<PathBuf> {
    static FOUND: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    FOUND
        .get_or_init(|| {
            let v1 = PathBuf::from("/sys/fs/cgroup/pids");
            let v2 = PathBuf::from("/sys/fs/cgroup");
            let v2_has_pids = std::fs::read_to_string(v2.join("cgroup.subtree_control"))
                .is_ok_and(|controllers| controllers.split_whitespace().any(|c| c == "pids"));
            [
                (
                    v1.clone(),
                    v1.join("pids.max").exists() || v1.join("tasks").exists(),
                ),
                (v2, v2_has_pids),
            ]
            .into_iter()
            .filter(|(_, usable)| *usable)
            .map(|(dir, _)| dir)
            .find(|dir| writable(dir))
        })
        .clone()
}

fn writable(dir: &Path) -> bool {
    let probe = dir.join(format!("pykb-probe-{}", std::process::id()));
    let made = std::fs::create_dir(&probe).is_ok();
    if made {
        let _ = std::fs::remove_dir(&probe);
    }
    made
}

/// Which of the optional fences this host gives: for the README's table and `pykb verify`.
pub fn fences() -> (bool, bool) {
    (pids_hierarchy().is_some(), network_namespaces())
}

fn network_namespaces() -> bool {
    // A child that only tries `unshare` and reports.
    let mut command = Command::new("/bin/true");
    // SAFETY: the closure makes system calls only.
    unsafe {
        command.pre_exec(|| {
            if libc::unshare(libc::CLONE_NEWNET) == 0
                || libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET) == 0
            {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    command.status().is_ok_and(|s| s.success())
}
