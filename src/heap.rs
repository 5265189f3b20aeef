//! Giving freed heap memory back to the operating system.
//!
//! glibc's allocator keeps what the process frees for later reuse and returns
//! to the kernel only the free space at the very top of its heaps. After a
//! burst (a thousand members logging in at once: their connections, tasks,
//! replies), the freed memory sits between live blocks, so without help the
//! container's RSS would stay at the burst's peak for good. `malloc_trim`
//! returns every free page, wherever it is, except those holding the blocks
//! each thread keeps for reuse (glibc's tcache): the container image turns
//! that cache off with `GLIBC_TUNABLES` (Dockerfile), which a process cannot
//! do for itself once started.

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
