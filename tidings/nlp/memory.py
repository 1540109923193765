"""How a worker's C allocator (glibc malloc) holds and gives back memory."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import MutableMapping

import pyarrow as pa


def _libc_function(name: str):
    """A glibc function, or None where the C library has none."""
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _libc_function("malloc_trim")
_MALLOPT = _libc_function("mallopt")

# mallopt parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8

# Reading: blocks from 128 KiB up get their own mapping, which free() hands
# back at once. Parsing: blocks up to 32 MiB (glibc's own ceiling) come from
# the heap, as glibc settles on by itself after a few large frees.
READING_MMAP_BYTES = 128 << 10
PARSING_MMAP_BYTES = 32 << 20
ARENAS = 2

# The same settings for worker processes, which read them at start.
WORKER_ENVIRONMENT = {"MALLOC_ARENA_MAX": str(ARENAS),
                      "MALLOC_MMAP_THRESHOLD_": str(READING_MMAP_BYTES)}


def _mallopt(parameter: int, value: int) -> None:
    if _MALLOPT is not None:
        _MALLOPT(parameter, value)


def for_reading(environ: MutableMapping[str, str] = os.environ) -> None:
    """Set malloc up for the steps before parsing, in this process and in
    the worker processes it starts (through ``environ``; a value already
    there is kept).

    Before parsing starts, each worker reads and hashes every file it is
    given and Beam moves them in buffers of up to 10 MB. By default glibc
    serves blocks that large from its heap once a few have been freed, and
    what is left between them stays resident for the whole run: over the
    first 180 s of a 200 MB corpus a worker's median resident set was 13%
    above that of a 20 MB one (459 against 407 MB), and its peak 16% (540
    against 465 MB). With large blocks mapped on their own while reading,
    two arenas instead of one per thread, and ``for_parsing`` when parsing
    starts, the gaps were 8% (439 against 406 MB) and 7% (502 against
    467 MB). Small mapped blocks cost about 8% of parsing speed, which is
    why ``for_parsing`` sets the threshold back up.
    """
    for name, value in WORKER_ENVIRONMENT.items():
        environ.setdefault(name, value)
    _mallopt(_M_ARENA_MAX, ARENAS)
    _mallopt(_M_MMAP_THRESHOLD, READING_MMAP_BYTES)


def for_parsing() -> None:
    """Set malloc up for parsing: blocks up to 32 MiB from the heap, which
    ``release_freed`` trims after each batch. Setting a threshold stops
    glibc adjusting them itself, so the trim threshold is set to twice the
    mapping one, as glibc's own adjustment would."""
    _mallopt(_M_MMAP_THRESHOLD, PARSING_MMAP_BYTES)
    _mallopt(_M_TRIM_THRESHOLD, 2 * PARSING_MMAP_BYTES)


def release_freed(arrow: bool = False) -> None:
    """Return wholly free heap pages to the system.

    glibc keeps what Python and spaCy free for reuse, and returns only the
    free top of its heap: a free page below a live object stays resident.
    Over a long run a worker's resident set drifts upwards although what
    it holds does not: in a 40 MB benchmark, a worker's lowest resident set
    each minute rose from 516 to 559 MB over ten minutes, and with this
    after each parse stayed at 423 to 459 MB. ``malloc_trim(0)`` returns
    every wholly free page, in about 5 ms. With ``arrow``, Arrow's own
    allocator (mimalloc or jemalloc) is asked to do the same, after Parquet
    files were written or read.
    """
    if arrow:
        pa.default_memory_pool().release_unused()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
