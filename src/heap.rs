//! Giving freed heap memory back to the operating system.
//!
//! glibc's allocator keeps what the process frees for later reuse and returns
//! to the kernel only the free space at the very top of its heaps. After a
//! burst (a thousand members logging in at once: their connections, tasks,
//! replies and rate-limit keys), the freed memory sits between live blocks,
//! so without help the container's RSS would stay at the burst's peak for
//! good. `malloc_trim` returns every free page, wherever it is.
//!
//! It cannot reach the blocks each thread keeps for reuse (glibc's tcache, up
//! to 7 per small size), which after a burst sit scattered on otherwise free
//! pages: the container image turns that cache off with `GLIBC_TUNABLES`
//! (Dockerfile), which a process cannot do for itself once started.

/// Tunes glibc's allocator so that memory freed after a burst can go back to
/// the system. Call once, at start-up, before any thread is spawned.
///
/// `malloc_trim` returns the free pages inside every heap, but the free space
/// at the *top* of a worker thread's heap only goes back when a free merges
/// into it and it exceeds the trim threshold. Two defaults stand in the way:
/// - glibc raises its large-block threshold to the size of any large block
///   freed (up to 32 MiB), and the trim threshold to twice that. The
///   rate-limit maps of 100 000 members are such blocks; once they were freed,
///   each worker heap kept up to a MiB of freed pages at its top. Fixed at
///   the default 128 KiB, large blocks keep their own mappings (unmapped when
///   freed) and the tops are trimmed past 128 KiB.
/// - Blocks of up to 128 bytes (every rate-limit key) are freed into "fast
///   bins", which merge with nothing until `malloc_trim` merges them all into
///   the top, which it then does not trim. Without fast bins each free merges
///   with its free neighbours at once, and the last ones reach the top and
///   trim it.
///
/// A no-op where the allocator is not glibc's.
pub fn configure_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        /// Blocks of this size or more get their own mapping, unmapped when freed.
        const MMAP_THRESHOLD: libc::c_int = 128 * 1024;
        // SAFETY: `mallopt` only sets the allocator's parameters; it is called
        // before other threads exist. A refusal (0) leaves glibc's defaults.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
            libc::mallopt(libc::M_MXFAST, 0);
        }
    }
}

/// Returns the allocator's free pages to the operating system; true if any
/// memory was released. A no-op (false) where the allocator is not glibc's.
///
/// It walks the whole heap, which takes a few milliseconds for tens of MiB and
/// briefly holds the allocator's locks: call it after freeing a lot (the
/// rate-limit sweep does, through [`crate::store::Store::release_memory`]),
/// not per request.
pub fn release_free_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `malloc_trim` only reorganises the allocator's own free lists;
        // any thread may call it at any time (glibc takes its arena locks).
        unsafe { libc::malloc_trim(0) == 1 }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn freed_memory_is_given_back_after_a_burst_of_small_allocations() {
        // Many small blocks interleaved with a few survivors: the pattern a
        // burst leaves behind, where only trimming can return the free pages.
        let mut blocks: Vec<Vec<u8>> = (0..100_000).map(|i| vec![i as u8; 256]).collect();
        let survivors: Vec<Vec<u8>> = blocks.iter().step_by(1000).cloned().collect();
        blocks.clear();
        blocks.shrink_to_fit();
        assert!(release_free_memory());
        assert_eq!(survivors.len(), 100);
    }
}
