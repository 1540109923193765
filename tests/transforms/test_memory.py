"""release_freed hands freed heap pages back to the system."""
import pytest

from transforms import memory


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


@pytest.mark.skipif(memory._MALLOC_TRIM is None,
                    reason="needs glibc's malloc_trim, which this C library lacks")
def test_release_freed_returns_pages_that_free_alone_keeps():
    # 4 KB blocks come from malloc's heap, not from mmap. Keeping one block
    # in 64 alive pins the heap, so free() returns none of the rest to the
    # system: only trimming can.
    blocks = [bytearray(4000) for _ in range(50_000)]
    kept = blocks[::64]
    del blocks
    freed = _rss_mb()
    memory.release_freed(arrow=True)
    assert freed - _rss_mb() > 100
    del kept                    # alive until the pages were measured
