"""Decompressing article files (.gz, .bz2, .zst) with bounded memory: a
truncated stream raises, and a decompression bomb stops at a limit."""
from __future__ import annotations

import bz2
import gzip
import io
from typing import BinaryIO, Optional

import zstandard


class _ZstdReader(io.RawIOBase):
    """A zstd stream over several frames that raises on a truncated one
    (``zstandard``'s own stream reader ends quietly).

    The decompressor is fed ``FEED`` bytes at a time: one zstd block of
    about 4 bytes can expand to 128 KiB, so a larger feed lets a small bomb
    expand to gigabytes in one call, before any limit is checked.
    """

    FEED = 1024

    def __init__(self, handle: BinaryIO):
        self._handle = handle
        self._decompressor = zstandard.ZstdDecompressor().decompressobj()
        self._pending = memoryview(b"")
        self._input = b""
        self._fed = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            if not self._input:
                self._input = self._handle.read(1 << 16)
                if not self._input:
                    if self._fed and not self._decompressor.eof:
                        raise EOFError("zstd stream ended before its frame did")
                    return 0
            if self._decompressor.eof:       # the next frame
                self._decompressor = zstandard.ZstdDecompressor().decompressobj()
            chunk, self._input = self._input[:self.FEED], self._input[self.FEED:]
            self._fed = True
            self._pending = memoryview(self._decompressor.decompress(chunk))
            if self._decompressor.eof:
                self._input = self._decompressor.unused_data + self._input
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


class DecompressionLimit(OSError):
    """A compressed file expands to more than tidings reads of it."""


class _Capped(io.RawIOBase):
    """A decompressed stream that raises ``DecompressionLimit`` once more
    than ``limit`` bytes have come out of it."""

    def __init__(self, stream: BinaryIO, limit: int):
        self._stream, self._left, self._limit = stream, limit, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise DecompressionLimit(
                f"decompresses to more than {self._limit} bytes (a decompression bomb?)")
        self._left -= len(data)
        buffer[:len(data)] = data
        return len(data)


# A compressed record file may expand to this many times its size, or to
# --max-file-bytes if that is more: news text compresses about 3 to 10
# times (zstd at its best about 20), a bomb of zeros a thousand times.
MAX_EXPANSION = 100


def capped(stream: BinaryIO, compressed_size: int, max_bytes: int) -> BinaryIO:
    """A decompressed record file's stream, bounded by ``MAX_EXPANSION``."""
    # A small buffer, as in open_decompressed: what it holds when damage is
    # reached is lost.
    return io.BufferedReader(_Capped(stream, max(max_bytes, compressed_size * MAX_EXPANSION)))


def open_decompressed(handle: BinaryIO, compression: Optional[str]) -> BinaryIO:
    """A buffered stream of a file's bytes, decompressed by extension.

    Python's own decoders are used rather than Beam's, which return the
    readable part of a truncated gzip file without complaint: here a
    truncated or corrupt stream raises (EOFError, OSError or
    zstandard.ZstdError) when reading reaches the damage.
    """
    # Small buffers: what is buffered when damage is reached is lost.
    if compression == ".gz":
        return gzip.GzipFile(fileobj=handle)
    if compression == ".bz2":
        return bz2.BZ2File(handle)
    if compression == ".zst":
        return io.BufferedReader(_ZstdReader(handle))
    return handle
