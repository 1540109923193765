"""Flag spelling help shared by tidings' commands (no Beam import)."""
from __future__ import annotations

import argparse
import difflib


def suggest(flag: str, known: list[str]) -> str:
    """`` (did you mean --input?)`` for the known flag closest to ``flag``."""
    flag = flag.split("=", 1)[0]
    close = difflib.get_close_matches(flag, known, n=1, cutoff=0.6) or \
        difflib.get_close_matches(flag.replace("_", "-"), known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


class OneLineParser(argparse.ArgumentParser):
    """argparse for tidings' commands: a bad flag is one line, with the
    closest valid flag, and exit status 2."""

    def parse_known_args(self, args=None, namespace=None):
        self._given = list(args or [])
        return super().parse_known_args(args, namespace)

    def error(self, message):
        known = [name for action in self._actions for name in action.option_strings]
        unknown = [arg.split("=", 1)[0] for arg in getattr(self, "_given", [])
                   if arg.startswith("--") and arg.split("=", 1)[0] not in known]
        if unknown:
            message = f"unknown flag {unknown[0]}" + suggest(unknown[0], known)
        self.exit(2, f"{self.prog}: {message}\n")
