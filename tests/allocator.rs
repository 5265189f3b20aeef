//! glibc's large-block threshold stays where `heap::configure_allocator` fixed it.
//!
//! Alone in its binary: other tests allocating at the same time would move
//! the count of mapped blocks it reads.
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
