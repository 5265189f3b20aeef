//! The allocator settings of `heap::configure_allocator`, read back from glibc.
//!
//! In a binary of their own: other tests allocating at the same time would
//! move the counts read here.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::hint::black_box;

/// Blocks the allocator holds in mappings of their own.
fn mapped_blocks() -> usize {
    // SAFETY: `mallinfo2` only reads the allocator's statistics.
    unsafe { libc::mallinfo2() }.hblks
}

#[test]
fn a_large_block_freed_does_not_pull_later_ones_into_the_heap() {
    nexudus_bot::heap::configure_allocator();
    // glibc's default would now raise its threshold to 8 MiB for good.
    drop(black_box(vec![1u8; 8 << 20]));

    let before = mapped_blocks();
    let block = black_box(vec![1u8; 256 << 10]);
    assert_eq!(
        mapped_blocks(),
        before + 1,
        "a 256 KiB block gets a mapping of its own, given back whole when freed"
    );
    drop(block);
    assert_eq!(mapped_blocks(), before);
}

#[test]
fn small_blocks_freed_merge_at_once_instead_of_waiting_in_fast_bins() {
    nexudus_bot::heap::configure_allocator();
    // Like the rate-limit keys a sweep frees: many blocks of a few dozen bytes.
    let keys: Vec<Box<[u8; 40]>> = (0..1000).map(|_| Box::new([1; 40])).collect();
    drop(black_box(keys));

    // SAFETY: `mallinfo2` only reads the allocator's statistics.
    let in_fast_bins = unsafe { libc::mallinfo2() }.smblks;
    assert_eq!(in_fast_bins, 0);
}
