"""How tidings has glibc malloc hold and give back memory."""
import subprocess
import sys

import pytest

from tidings.nlp import memory


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


_MAPPED_BY_A_BLOCK = """
import ctypes, sys
from tidings.nlp import memory

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
        "uordblks", "fordblks", "keepcost")]

mallinfo2 = memory._libc_function("mallinfo2")
mallinfo2.restype = MallInfo2
memory.for_parsing()
if sys.argv[1] == "for_reading":        # after parsing's settings, to undo them
    memory.for_reading({})
before = mallinfo2().hblkhd
block = bytearray(8 << 20)
print(mallinfo2().hblkhd - before)
"""


def _mapped_by_a_block(setting: str) -> int:
    """Bytes of an 8 MiB block that malloc maps on its own (mallinfo2's
    hblkhd), in a new process whose allocator ``setting`` set up."""
    done = subprocess.run([sys.executable, "-c", _MAPPED_BY_A_BLOCK, setting],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(memory._MALLOPT is None or memory._libc_function("mallinfo2") is None,
                    reason="needs glibc's mallopt and mallinfo2 (glibc 2.33 or newer)")
def test_reading_maps_large_blocks_on_their_own_and_parsing_does_not():
    # A block that could have been mapped on its own and was not came from
    # the heap, where what is freed around it stays resident.
    assert _mapped_by_a_block("for_reading") >= 8 << 20
    assert _mapped_by_a_block("for_parsing") == 0


def test_for_reading_sets_worker_allocators_up_and_keeps_what_a_user_set():
    environ = {}
    try:
        memory.for_reading(environ)
    finally:
        memory.for_parsing()
    assert environ == memory.WORKER_ENVIRONMENT
    environ = {"MALLOC_ARENA_MAX": "4"}
    try:
        memory.for_reading(environ)
    finally:
        memory.for_parsing()
    assert environ["MALLOC_ARENA_MAX"] == "4"
    assert environ["MALLOC_MMAP_THRESHOLD_"] == str(memory.READING_MMAP_BYTES)
