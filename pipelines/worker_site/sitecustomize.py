"""Quiet Beam worker processes that a quiet tidings run starts.

``tidings.pipelines.console.configure`` puts this folder on the workers'
PYTHONPATH and sets TIDINGS_WORKER_QUIET. Python imports ``sitecustomize``
at start-up, before Beam's worker logs anything; a handler on the root
logger here keeps Beam from installing its own, which prints every INFO
line. The worker's records still reach the launcher through Beam's logging
service; this handler prints an error itself only while that service is not
connected. Another ``sitecustomize`` on the path is then run as usual.
"""
import importlib.machinery
import importlib.util
import logging
import os
import sys


def _not_forwarded(record):
    return not any(type(h).__name__ == "FnApiLogRecordHandler"
                   for h in logging.getLogger().handlers)


if os.environ.get("TIDINGS_WORKER_QUIET") == "1":
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setLevel(logging.ERROR)
    _handler.addFilter(_not_forwarded)
    _handler.setFormatter(logging.Formatter("%(levelname)s worker %(name)s: %(message)s"))
    logging.getLogger().addHandler(_handler)

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.machinery.PathFinder.find_spec(
    "sitecustomize", [p for p in sys.path if os.path.abspath(p or ".") != _here])
if _spec is not None and _spec.loader is not None:
    _spec.loader.exec_module(importlib.util.module_from_spec(_spec))
