"""``tidings report``: write the HTML report of an output.

    tidings report --output DIR [--html FILE]

FILE defaults to ``DIR.report.html`` beside DIR. A file that is already
there is replaced only if it is a tidings report (its generator tag says
so); anything else is refused, as tidings never overwrites what it did not
write. The page is written under a temporary name and renamed into place.
"""
from __future__ import annotations

import os
import sys
import uuid
from typing import Optional

import tidings
from tidings.pipelines.cli import UsageError, require_output
from tidings.pipelines.flags import OneLineParser


def default_path(output: str) -> str:
    return os.path.abspath(output).rstrip(os.sep) + ".report.html"


def write_report(output: str, path: Optional[str] = None) -> str:
    """Write the report of ``output`` to ``path`` (or the default); returns
    the path written.

    Raises:
        UsageError: the output is not a tidings output, or ``path`` is a
            file tidings did not write, or its folder does not exist.
    """
    from tidings.report import GENERATOR, build_report

    require_output(output)
    path = path or default_path(output)
    if os.path.isdir(path):
        raise UsageError(f"--html {path!r} is a folder; name a file")
    if os.path.lexists(path) and not _ours(path, GENERATOR):
        raise UsageError(f"--html {path!r} exists and is not a tidings report; tidings does "
                         f"not overwrite a file it did not write: choose another name")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"--html {path!r}: folder {folder!r} does not exist")
    page = build_report(output, tidings.package_version())
    partial = os.path.join(folder, f".{os.path.basename(path)}.{uuid.uuid4().hex[:8]}.partial")
    try:
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(page)
        os.replace(partial, path)
    finally:
        if os.path.lexists(partial):
            os.remove(partial)            # our own temporary file
    return path


def _ours(path: str, generator: str) -> bool:
    if os.path.islink(path) or not os.path.isfile(path):
        return False
    with open(path, "rb") as handle:
        head = handle.read(2048)
    return f'<meta name="generator" content="{generator}">'.encode() in head


def run(argv: list[str]) -> int:
    parser = OneLineParser(
        prog="tidings report",
        description="Write one self-contained HTML page about a tidings output: "
                    "its latest runs, errors by reason, records per day, event types "
                    "over time, top speakers, agreements and the lowest-confidence "
                    "records, each shown in its paragraph.")
    parser.add_argument("--output", required=True, metavar="DIR",
                        help="A tidings output folder.")
    parser.add_argument("--html", default=None, metavar="FILE",
                        help="Where to write the page. Default: DIR.report.html beside DIR. "
                             "Replaces only an earlier tidings report.")
    args = parser.parse_args(argv)
    try:
        path = write_report(args.output, args.html)
    except UsageError as exc:
        print(f"tidings: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"tidings: cannot write the report: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"tidings: wrote the report of {args.output} to {path}")
    return 0
