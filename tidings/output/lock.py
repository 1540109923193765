"""One writer at a time for an output: the lock file in the output's work
area, and when a lock left by a dead, zombie or reused process is stale.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import time
from typing import Optional

from tidings.output.guard import work_dir
from tidings.output.snapshots import is_local


logger = logging.getLogger(__name__)


def lock_path(output: str) -> str:
    return os.path.join(work_dir(output), "lock")


class OutputLocked(RuntimeError):
    """Another live run holds the output folder."""


class OutputLock:
    """One writer at a time for an output folder: ``.tidings/lock``.

    The lock file holds the owner's host, process id, run id and start
    time. A lock left by a process that no longer runs on this host is
    stale and is taken over. Output on a remote filesystem is not locked.
    """

    def __init__(self, output: str, run_id: str):
        self.path = lock_path(output)
        self._run_id = run_id
        self._held = False

    def acquire(self) -> None:
        """Raises: OutputLocked, naming the run that holds the lock."""
        if not is_local(self.path):
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        owner = {"host": socket.gethostname(), "pid": os.getpid(),
                 "process_start": _process_start(os.getpid()),
                 "run_id": self._run_id, "started": time.time()}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder is not None and _alive(holder):
                    started = time.strftime("%Y-%m-%d %H:%M:%S",
                                            time.localtime(holder.get("started", 0)))
                    raise OutputLocked(
                        f"run {holder.get('run_id')} (pid {holder.get('pid')} on "
                        f"{holder.get('host')}, since {started}) is writing to this "
                        f"output; wait for it, or remove {self.path} if that run "
                        f"is gone") from None
                self._clear_stale(holder)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(owner, handle)
            self._held = True
            return
        raise OutputLocked(f"could not take {self.path}: another run took it first")

    def release(self) -> None:
        if self._held:
            try:
                os.remove(self.path)
            except FileNotFoundError:
                pass
            self._held = False

    def _holder(self) -> Optional[dict]:
        try:
            with open(self.path, encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return None     # half-written by a killed run: stale

    def _clear_stale(self, holder: Optional[dict]) -> None:
        logger.warning("clearing a stale lock %s left by %s", self.path, holder)
        # Rename first: of two runs clearing the same stale lock, only one
        # succeeds, and neither removes a lock the other has just taken.
        aside = f"{self.path}.stale.{os.getpid()}"
        try:
            os.replace(self.path, aside)
            os.remove(aside)
        except FileNotFoundError:
            pass

    def __enter__(self) -> "OutputLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _proc_stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state first,
    start time at index 19), or [] where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _process_start(pid: int) -> Optional[str]:
    """When a process started (clock ticks since boot), or None."""
    fields = _proc_stat(pid)
    return fields[19] if len(fields) > 19 else None


def _alive(holder: dict) -> bool:
    """Whether the process that wrote a lock still runs (unknown: alive).

    A zombie (killed, not yet reaped) is dead, and so is a live process
    that reuses the pid but started at another time than the lock's owner.
    """
    if holder.get("host") != socket.gethostname():
        return True          # another machine's run: cannot tell, so wait
    try:
        pid = int(holder["pid"])
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, KeyError, ValueError, TypeError):
        return True
    fields = _proc_stat(pid)
    if fields[:1] in (["Z"], ["X"]):
        return False
    started = holder.get("process_start")
    return started is None or len(fields) <= 19 or fields[19] == started
