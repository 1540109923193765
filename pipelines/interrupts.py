"""SIGTERM and SIGINT during a run: stop cleanly, never half-commit.

Inside ``interruptible()`` either signal raises ``Interrupted`` in the main
thread, so the launcher removes the run's unfinished snapshot, releases
the output's lock and exits with 128 + the signal's number, leaving the
published output as it was. Inside ``committing()`` (the one rename that
publishes a run) a signal waits until the commit is done: a run is never
left half-published, and the signal is then acted on.
"""
from __future__ import annotations

import contextlib
import logging
import signal
import threading


SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Interrupted(BaseException):
    """The run got SIGTERM or SIGINT. A BaseException, so that no
    ``except Exception`` on the way swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


_state = threading.local()


def _handler(signum, frame):
    _state.received = signum
    if getattr(_state, "deferring", False):
        _state.pending = signum
        return
    # Beam logs what a step raises, with its traceback: the launcher's one
    # line says what happened instead.
    logging.disable(logging.CRITICAL)
    raise Interrupted(signum)


def reraise_if_interrupted() -> None:
    """Raise ``Interrupted`` again if a signal came during the block whose
    exception is being handled: Beam wraps what a step raises, even a
    BaseException, in a RuntimeError of its own."""
    signum = getattr(_state, "received", None)
    if signum is not None:
        raise Interrupted(signum)


@contextlib.contextmanager
def interruptible():
    """Turn SIGTERM and SIGINT into ``Interrupted`` while the block runs.
    Outside the main thread (where Python delivers no signals) it does
    nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _state.received = None
    previous = {number: signal.signal(number, _handler) for number in SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        logging.disable(logging.NOTSET)


@contextlib.contextmanager
def committing():
    """Hold SIGTERM and SIGINT back while the block runs; raise
    ``Interrupted`` after it for one that came meanwhile."""
    _state.deferring, _state.pending = True, None
    try:
        yield
    finally:
        _state.deferring = False
    if _state.pending is not None:
        raise Interrupted(_state.pending)
