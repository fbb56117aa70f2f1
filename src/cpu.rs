//! CPU-heavy work kept off the async workers, and bounded. Rendering Markdown and checking
//! Argon2 passwords each take milliseconds to tens of milliseconds of one core (rendering a
//! hostile body can take longer); on an async worker that time would stall every other request
//! the worker carries. Each kind of work has its own pool: a fixed number of jobs run at once
//! on tokio's blocking threads, a bounded number wait for a slot, and a job that cannot start
//! within its wait is refused with `Busy` (a 503 with `Retry-After`), so a burst of expensive
//! requests costs a bounded amount of CPU and memory instead of queueing without end.
//!
//! The pools are process-wide, like the cores they share: the server, `pykb import` and the
//! start-up re-render all draw on the same slots.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Semaphore;

/// The work could not start in time: too many jobs of this kind are running or waiting.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("The server is busy {what} right now; try again in a few seconds.")]
pub struct Busy {
    pub what: &'static str,
}

pub struct CpuPool {
    /// What the pool does, as the `Busy` message says it ("rendering pages").
    what: &'static str,
    size: usize,
    slots: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
    max_wait: Duration,
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Markdown rendering: previews, saves, restores, imports, the seed sync and the start-up
/// re-render. One job per core; a long queue is fine for the batch writers, which wait.
pub static RENDER: LazyLock<CpuPool> =
    LazyLock::new(|| CpuPool::new("rendering pages", cores(), 64, Duration::from_secs(20)));

/// Argon2 password checks and hashes: each holds about 19 MiB while it runs, so at most two per
/// core, and a sign-in that cannot start within a few seconds is refused rather than queued.
pub static PASSWORDS: LazyLock<CpuPool> = LazyLock::new(|| {
    CpuPool::new(
        "checking passwords",
        2 * cores(),
        16,
        Duration::from_secs(3),
    )
});

impl CpuPool {
    pub fn new(what: &'static str, slots: usize, max_waiting: usize, max_wait: Duration) -> Self {
        let size = slots.max(1);
        Self {
            what,
            size,
            slots: Semaphore::new(size),
            waiting: AtomicUsize::new(0),
            max_waiting,
            max_wait,
        }
    }

    /// Runs `job` on a blocking thread once a slot is free. A panic in the job is carried on
    /// into the caller's task, where the panic layer turns it into the 500 page.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let busy = Busy { what: self.what };
        let permit = {
            let waiting = Waiting::enter(&self.waiting);
            if waiting.count > self.max_waiting {
                return Err(busy);
            }
            match tokio::time::timeout(self.max_wait, self.slots.acquire()).await {
                Ok(Ok(permit)) => permit,
                // Timed out, or the semaphore was closed (never done): refuse either way.
                _ => return Err(busy),
            }
        };
        let result = tokio::task::spawn_blocking(job).await;
        drop(permit);
        match result {
            Ok(value) => Ok(value),
            Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            // The runtime is shutting down.
            Err(_) => Err(busy),
        }
    }

    /// Jobs running now.
    pub fn running(&self) -> usize {
        self.size.saturating_sub(self.slots.available_permits())
    }
}

/// Counts a caller as waiting until it is dropped, whichever way `run` leaves the wait.
struct Waiting<'a> {
    counter: &'a AtomicUsize,
    count: usize,
}

impl<'a> Waiting<'a> {
    fn enter(counter: &'a AtomicUsize) -> Self {
        let count = counter.fetch_add(1, Ordering::SeqCst) + 1;
        Self { counter, count }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.counter.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_past_the_slots_and_the_queue_are_refused() {
        let pool = std::sync::Arc::new(CpuPool::new("testing", 1, 1, Duration::from_secs(5)));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let running = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(move || hold.recv().is_ok()).await })
        };
        while pool.running() == 0 {
            tokio::task::yield_now().await;
        }
        let queued = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(|| 2).await })
        };
        while pool.waiting.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        assert!(
            pool.run(|| 3).await.is_err(),
            "a second waiter is over the queue's bound"
        );
        release.send(()).unwrap();
        assert!(running.await.unwrap().unwrap());
        assert_eq!(queued.await.unwrap().unwrap(), 2, "the waiter ran after");
    }

    #[tokio::test]
    async fn a_job_that_cannot_start_in_time_is_refused() {
        let pool = std::sync::Arc::new(CpuPool::new("testing", 1, 8, Duration::from_millis(50)));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let running = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(move || hold.recv().is_ok()).await })
        };
        while pool.running() == 0 {
            tokio::task::yield_now().await;
        }
        let err = pool.run(|| ()).await.unwrap_err();
        assert!(err.to_string().contains("busy testing"), "{err}");
        release.send(()).unwrap();
        assert!(running.await.unwrap().unwrap());
        assert!(pool.run(|| ()).await.is_ok(), "free again");
    }
}
