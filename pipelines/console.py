"""What a command prints: tidings' own lines, a run's progress, and nothing
else unless asked.

By default only tidings' warnings and everybody's errors reach the
terminal: no Beam harness chatter and no third-party warnings, in the
launcher or in its worker processes. ``--verbose`` (or ``--log-level
LEVEL``) shows everything from that level on.

Workers report progress as log records (``PROGRESS``, a JSON payload). They
reach the launcher directly when the worker runs in its process, or through
Beam's logging service from worker processes; ``ProgressBoard`` sums the
latest report of each worker into one line, or a bar on a terminal.

This module must not import Beam: ``configure`` runs before Beam's import
logs its first warning.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from typing import Optional, TextIO


# A worker's progress record: PROGRESS + json {"worker", "articles", "words"}.
PROGRESS = "progress "
WORKER_SITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "worker_site")
# Beam's local job service re-logs its workers' records under this name.
_FORWARDED = "apache_beam.runners.portability.local_job_service"
_FORWARDED_MESSAGE = re.compile(r'message: "((?:[^"\\]|\\.)*)"')
_FORWARDED_SEVERITY = re.compile(r"severity: (\w+)")
_SEVERITIES = {"TRACE": logging.DEBUG, "DEBUG": logging.DEBUG, "INFO": logging.INFO,
               "NOTICE": logging.INFO, "WARN": logging.WARNING, "ERROR": logging.ERROR,
               "CRITICAL": logging.CRITICAL}


def verbosity(argv: list[str]) -> Optional[int]:
    """The log level ``--verbose`` or ``--log-level LEVEL`` asks for, None
    for the quiet default. Read before options are parsed."""
    level = None
    for i, arg in enumerate(argv):
        if arg == "--verbose":
            level = logging.INFO
        elif arg in ("--log-level", "--log_level") and i + 1 < len(argv):
            level = logging.getLevelName(argv[i + 1].upper())
        elif arg.startswith(("--log-level=", "--log_level=")):
            level = logging.getLevelName(arg.split("=", 1)[1].upper())
    return level if isinstance(level, int) else None


class ProgressBoard:
    """The run's progress over every worker: articles done, words a second
    since the run started, and the time left when the total is known.

    Args:
        expected: articles the run will read (0 when unknown).
        stream: where lines (or the bar) go.
        bar: draw a bar (tqdm) instead of printing a line every ``interval``.
    """

    def __init__(self, expected: int = 0, stream: TextIO = sys.stderr,
                 bar: Optional[bool] = None, interval: float = 30.0, clock=time.monotonic):
        self.expected = expected
        self._stream = stream
        self._clock = clock
        self._started = self._last = clock()
        self._interval = interval
        self._workers: dict[str, tuple[int, int]] = {}
        self._bar = None
        if bar if bar is not None else _is_terminal(stream):
            from tqdm import tqdm

            self._bar = tqdm(total=expected or None, unit=" articles", file=stream,
                             dynamic_ncols=True, leave=False)

    @property
    def articles(self) -> int:
        return sum(articles for articles, _ in self._workers.values())

    @property
    def words(self) -> int:
        return sum(words for _, words in self._workers.values())

    def report(self, payload: str) -> Optional[str]:
        """Take one worker's report; returns the line printed, if one is due."""
        try:
            report = json.loads(payload)
            self._workers[str(report["worker"])] = (int(report["articles"]),
                                                    int(report["words"]))
        except (ValueError, KeyError, TypeError):
            return None
        if self._bar is not None:
            self._bar.n = self.articles
            self._bar.set_postfix_str(f"{self._rate():,.0f} words/s", refresh=False)
            self._bar.refresh()
            return None
        now = self._clock()
        if now - self._last < self._interval:
            return None
        self._last = now
        line = self.line()
        print(line, file=self._stream, flush=True)
        return line

    def line(self) -> str:
        """``tidings: 412/924 articles, 6,100 words/s, about 1 min 10 s left``."""
        done = f"{self.articles:,}/{self.expected:,}" if self.expected else f"{self.articles:,}"
        line = f"tidings: {done} articles, {self._rate():,.0f} words/s"
        elapsed = self._clock() - self._started
        if self.expected and self.articles and elapsed > 0:
            left = max(self.expected - self.articles, 0) * elapsed / self.articles
            line += f", about {duration(left)} left"
        return line

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _rate(self) -> float:
        return self.words / max(self._clock() - self._started, 1e-9)


def duration(seconds: float) -> str:
    """``1 min 10 s``, ``2 h 5 min``, ``40 s``."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


class ConsoleHandler(logging.Handler):
    """Prints what a person running tidings needs, and feeds the board."""

    def __init__(self, level: Optional[int], stream: TextIO = sys.stderr):
        super().__init__(logging.DEBUG)
        self.board: Optional[ProgressBoard] = None
        self._verbose_level = level
        self._stream = stream
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self._own = logging.Formatter("tidings: %(levelname)s: %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.name == _FORWARDED and message.startswith("Worker: "):
                self._forwarded(record, message)
            elif record.name.startswith("tidings") and message.startswith(PROGRESS):
                self._progress(message[len(PROGRESS):])
            elif self._shown(record.name, record.levelno):
                own = record.name.startswith("tidings") and self._verbose_level is None
                self._write((self._own if own else self).format(record))
        except Exception:  # a log line must never stop a run
            self.handleError(record)

    def _forwarded(self, record: logging.LogRecord, message: str) -> None:
        found = _FORWARDED_MESSAGE.search(message)
        text = _unescape(found.group(1)) if found else message
        if text.startswith(PROGRESS):
            self._progress(text[len(PROGRESS):])
            return
        severity = _FORWARDED_SEVERITY.search(message)
        level = _SEVERITIES.get(severity.group(1), record.levelno) if severity else record.levelno
        from_tidings = "/tidings/" in message or "/transforms/" in message
        if self._shown("tidings" if from_tidings else "worker", level):
            self._write(f"{logging.getLevelName(level)} worker: {text}")

    def _shown(self, name: str, level: int) -> bool:
        if self._verbose_level is not None:
            return level >= self._verbose_level
        return level >= (logging.WARNING if name.startswith("tidings") else logging.ERROR)

    def _progress(self, payload: str) -> None:
        if self.board is not None:
            self.board.report(payload)
        elif self._verbose_level is not None and self._verbose_level <= logging.INFO:
            self._write(f"tidings: worker progress {payload}")

    def _write(self, text: str) -> None:
        if self.board is not None and self.board._bar is not None:
            self.board._bar.write(text, file=self._stream)
        else:
            print(text, file=self._stream, flush=True)


_handler: Optional[ConsoleHandler] = None


def configure(level: Optional[int] = None) -> ConsoleHandler:
    """Route every log record through one ``ConsoleHandler``; worker
    processes started after this are quiet too (``worker_site``)."""
    global _handler
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    _handler = ConsoleHandler(level)
    root.addHandler(_handler)
    root.setLevel(min(level or logging.INFO, logging.INFO))
    logging.getLogger("tidings").setLevel(logging.INFO)
    if level is None or level > logging.INFO:
        # Worker processes inherit the environment: their own stderr shows
        # only errors (everything else reaches the launcher by Beam's
        # logging service, and this handler).
        paths = [WORKER_SITE, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        os.environ["TIDINGS_WORKER_QUIET"] = "1"
    return _handler


def watch_progress(expected: int) -> Optional[ProgressBoard]:
    """Start showing the run's progress; None when logging is not ours."""
    if _handler is None:
        return None
    _handler.board = ProgressBoard(expected, _handler._stream)
    return _handler.board


def stop_progress() -> None:
    if _handler is not None and _handler.board is not None:
        _handler.board.close()
        _handler.board = None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def _unescape(text: str) -> str:
    try:
        return text.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError:
        return text


def verbose() -> bool:
    """Whether ``--verbose`` or ``--log-level INFO`` (or lower) was asked for."""
    return (_handler is not None and _handler._verbose_level is not None
            and _handler._verbose_level <= logging.INFO)
