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

/// Fixes glibc's large-block threshold at its default, 128 KiB. Call once, at
/// start-up, before any thread is spawned.
///
/// By default glibc raises the threshold to the size of any large block freed
/// (up to 32 MiB), and its heaps' trim threshold to twice that. The rate-limit
/// maps of a burst of 100 000 members are such blocks: once they are freed,
/// every worker thread's heap may keep several MiB of freed pages at its top,
/// which `malloc_trim` does not reach (it trims only the main heap's top).
/// Fixed, the threshold keeps large blocks in their own mappings and lets each
/// heap give its top back past 128 KiB. A no-op where the allocator is not glibc's.
pub fn configure_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        /// Blocks of this size or more get their own mapping, unmapped when freed.
        const MMAP_THRESHOLD: libc::c_int = 128 * 1024;
        // SAFETY: `mallopt` only sets the allocator's parameters; it is called
        // before other threads exist. A refusal (0) leaves glibc's defaults.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
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
