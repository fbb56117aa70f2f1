//! The runs of examples that may go at once (`PYKB_VERIFY_JOBS`), shared by the background
//! worker and editors' previews. A waiting preview takes the next free slot before any
//! background run does, so an editor waits at most for the runs already going, never behind a
//! backlog of queued articles.

use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// An editor is waiting for it.
    Preview,
    /// The queue of saved articles.
    Background,
}

pub struct RunSlots {
    state: Mutex<State>,
    freed: Notify,
}

struct State {
    free: usize,
    previews_waiting: usize,
}

/// A slot held; given back when dropped.
pub struct Slot {
    slots: Arc<RunSlots>,
}

impl RunSlots {
    pub fn new(slots: usize) -> Arc<Self> {
        Arc::new(RunSlots {
            state: Mutex::new(State {
                free: slots.max(1),
                previews_waiting: 0,
            }),
            freed: Notify::new(),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding it; a poisoned lock's counts are still right.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits for a free slot in `lane`. Dropping the future gives up the wait.
    pub async fn acquire(self: &Arc<Self>, lane: Lane) -> Slot {
        let mut waiting: Option<PreviewWaiting> = None;
        loop {
            // Registered before the check, so a slot freed in between still wakes us.
            let freed = self.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            {
                let mut state = self.state();
                let allowed = lane == Lane::Preview || state.previews_waiting == 0;
                if allowed && state.free > 0 {
                    state.free -= 1;
                    if let Some(mut registered) = waiting.take() {
                        registered.armed = false;
                        state.previews_waiting -= 1;
                    }
                    return Slot {
                        slots: Arc::clone(self),
                    };
                }
                if lane == Lane::Preview && waiting.is_none() {
                    state.previews_waiting += 1;
                    waiting = Some(PreviewWaiting {
                        slots: Arc::clone(self),
                        armed: true,
                    });
                }
            }
            freed.await;
        }
    }

    /// Slots free now, and previews waiting (for tests and `/metrics`).
    pub fn counts(&self) -> (usize, usize) {
        let state = self.state();
        (state.free, state.previews_waiting)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.slots.state().free += 1;
        self.slots.freed.notify_waiters();
    }
}

/// A preview's place in the line: a preview that gives up (its request was dropped) lets the
/// background lane go on.
struct PreviewWaiting {
    slots: Arc<RunSlots>,
    armed: bool,
}

impl Drop for PreviewWaiting {
    fn drop(&mut self) {
        if self.armed {
            self.slots.state().previews_waiting -= 1;
            self.slots.freed.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_waiting_preview_goes_before_the_background() {
        let slots = RunSlots::new(1);
        let order = Arc::new(Mutex::new(Vec::new()));
        let held = slots.acquire(Lane::Background).await;
        let waiter = |lane: Lane, name: &'static str| {
            let (slots, order) = (Arc::clone(&slots), Arc::clone(&order));
            tokio::spawn(async move {
                let _slot = slots.acquire(lane).await;
                order.lock().unwrap().push(name);
                tokio::time::sleep(Duration::from_millis(10)).await;
            })
        };
        // The background run waits first, the preview after it.
        let background = waiter(Lane::Background, "background");
        tokio::time::sleep(Duration::from_millis(20)).await;
        let preview = waiter(Lane::Preview, "preview");
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(slots.counts(), (0, 1));
        drop(held);
        preview.await.unwrap();
        background.await.unwrap();
        assert_eq!(*order.lock().unwrap(), ["preview", "background"]);
        assert_eq!(slots.counts(), (1, 0));
    }

    #[tokio::test]
    async fn a_preview_that_gives_up_lets_the_background_go_on() {
        let slots = RunSlots::new(1);
        let held = slots.acquire(Lane::Background).await;
        let gave_up =
            tokio::time::timeout(Duration::from_millis(20), slots.acquire(Lane::Preview)).await;
        assert!(gave_up.is_err());
        assert_eq!(slots.counts(), (0, 0), "the preview left the line");
        drop(held);
        let _again = tokio::time::timeout(Duration::from_secs(5), slots.acquire(Lane::Background))
            .await
            .expect("the background gets the slot");
    }
}
