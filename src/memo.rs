//! Answers remembered for one generation of what they were worked out from, bounded in
//! entries. Searches and "more like this" depend only on the index, which changes only when an
//! article does, while the same questions come again and again (popular searches, every view
//! of a page): their generation is the index's searcher generation. Example runs depend only
//! on the code and the interpreter, so theirs never changes. A new generation forgets
//! everything; within one, the least recently used quarter goes when the memo is full.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct Memo<K, V> {
    inner: Mutex<Inner<K, V>>,
    capacity: usize,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// What `/metrics` shows of a memo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: u64,
}

struct Inner<K, V> {
    generation: u64,
    /// Counts lookups and insertions, to tell how recently an entry was used.
    clock: u64,
    entries: HashMap<K, (V, u64)>,
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    pub fn new(capacity: usize) -> Self {
        Memo {
            inner: Mutex::new(Inner {
                generation: 0,
                clock: 0,
                entries: HashMap::new(),
            }),
            capacity: capacity.max(4),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// What was remembered for `key` while the index was at `generation`.
    pub fn get(&self, generation: u64, key: &K) -> Option<V> {
        let found = self.lookup(generation, key);
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    fn lookup(&self, generation: u64, key: &K) -> Option<V> {
        let mut inner = self.inner.lock().ok()?;
        if inner.generation != generation {
            return None;
        }
        inner.clock += 1;
        let now = inner.clock;
        let (value, used) = inner.entries.get_mut(key)?;
        *used = now;
        Some(value.clone())
    }

    pub fn stats(&self) -> MemoStats {
        MemoStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.inner.lock().map_or(0, |i| i.entries.len() as u64),
        }
    }

    /// Remembers `value`, found with a searcher of `generation` or newer.
    pub fn insert(&self, generation: u64, key: K, value: V) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.generation != generation {
            if generation < inner.generation {
                // Asked of an older index than the memo's: not worth keeping.
                return;
            }
            inner.generation = generation;
            inner.entries.clear();
        }
        if inner.entries.len() >= self.capacity {
            let mut ages: Vec<u64> = inner.entries.values().map(|(_, used)| *used).collect();
            let quarter = ages.len() / 4;
            let (_, cutoff, _) = ages.select_nth_unstable(quarter);
            let cutoff = *cutoff;
            inner.entries.retain(|_, (_, used)| *used > cutoff);
        }
        inner.clock += 1;
        let now = inner.clock;
        inner.entries.insert(key, (value, now));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_generation_forgets_and_an_older_one_is_ignored() {
        let memo = Memo::new(8);
        memo.insert(1, "a", 1);
        assert_eq!(memo.get(1, &"a"), Some(1));
        assert_eq!(memo.get(2, &"a"), None);
        memo.insert(2, "b", 2);
        assert_eq!(memo.get(2, &"a"), None, "generation 2 starts empty");
        memo.insert(1, "c", 3);
        assert_eq!(memo.get(2, &"c"), None);
        assert_eq!(memo.get(1, &"b"), None);
    }

    #[test]
    fn a_full_memo_drops_the_least_recently_used() {
        let memo = Memo::new(8);
        for n in 0..8 {
            memo.insert(1, n, n);
        }
        // 0 and 1 are used again; 2 and 3 are now the oldest.
        assert_eq!(memo.get(1, &0), Some(0));
        assert_eq!(memo.get(1, &1), Some(1));
        memo.insert(1, 8, 8);
        assert_eq!(memo.get(1, &0), Some(0));
        assert_eq!(memo.get(1, &1), Some(1));
        assert_eq!(memo.get(1, &2), None);
        assert_eq!(memo.get(1, &3), None);
        assert_eq!(memo.get(1, &8), Some(8));
        assert_eq!(memo.get(1, &7), Some(7));
    }
}
