//! How the global allocator (mimalloc, set in `main.rs`) gives memory back.
//!
//! mimalloc 3 keeps freed pages for a second before it returns them to the OS. Under load
//! that held ~120 MiB beyond what the server was using: `benches/load.sh` on 100,000
//! articles peaked at 402-406 MiB resident with the default and 284-291 MiB with 10 ms
//! (mimalloc 2's default), at the same requests per second (A/B, two runs each).

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (`include/mimalloc.h`), which
/// libmimalloc-sys does not name. The test below checks it is the option we mean.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const PURGE_DELAY_MS: std::os::raw::c_long = 10;

/// Freed memory goes back to the OS after 10 ms instead of a second. Call first in `main`.
pub fn return_freed_memory_sooner() {
    // SAFETY: mi_option_set stores an integer in mimalloc's option table; any thread may
    // call it at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_is_mimalloc_3s_purge_delay() {
        // Its documented default is 1000 ms, which no neighbouring option has; a mimalloc
        // whose options moved fails here instead of changing another setting.
        // SAFETY: reads an integer from mimalloc's option table.
        let default = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        let before = std::env::var("MIMALLOC_PURGE_DELAY").ok();
        assert!(
            default == 1000 || before.is_some(),
            "option {PURGE_DELAY} reads {default}, not mimalloc 3's purge delay default"
        );
        return_freed_memory_sooner();
        // SAFETY: as above.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) },
            PURGE_DELAY_MS
        );
    }
}
