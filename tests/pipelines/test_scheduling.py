"""The scheduling examples: the Airflow DAG compiles, every tidings command
in them uses flags tidings accepts, and nightly.sh runs, treats a busy
output (exit 3) as a skip and alerts on a failure."""
from __future__ import annotations

import os
import pathlib
import py_compile
import re
import shlex
import subprocess

import pytest

from tidings.pipelines.options import unknown_flags


ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEDULING = ROOT / "examples" / "scheduling"


def test_the_airflow_dag_compiles(tmp_path):
    py_compile.compile(str(SCHEDULING / "tidings_nightly_dag.py"),
                       cfile=str(tmp_path / "dag.pyc"), doraise=True)


def _commands() -> dict[str, list[str]]:
    """The tidings arguments of the systemd unit, the DAG and nightly.sh."""
    def read(name):
        return (SCHEDULING / name).read_text(encoding="utf-8")

    service = re.search(r"^ExecStart=\S+/tidings run (.*)$", read("tidings-nightly.service"), re.M)
    dag = re.search(r'\{TIDINGS\} run (.*?);', read("tidings_nightly_dag.py"))
    script = re.search(r"^args=\(run (.*)\)$", read("nightly.sh"), re.M)
    return {"service": shlex.split(service.group(1)),
            "dag": shlex.split(dag.group(1).replace("{INPUT}", "in").replace("{OUTPUT}", "out")),
            "nightly.sh": ["PATH" if word.startswith("$") else word
                           for word in shlex.split(script.group(1))]}


def test_every_tidings_command_in_the_examples_uses_real_flags():
    for name, words in _commands().items():
        assert "--output" in words and unknown_flags(words) == [], name
    units = (SCHEDULING / "tidings-nightly.service").read_text(encoding="utf-8")
    assert "SuccessExitStatus=3" in units and "OnFailure=" in units


def _fake_tidings(tmp_path, code: int) -> pathlib.Path:
    home = tmp_path / f"home{code}"
    (home / ".venv" / "bin").mkdir(parents=True)
    stub = home / ".venv" / "bin" / "tidings"
    stub.write_text(f"#!/bin/sh\necho \"args: $*\"\nexit {code}\n", encoding="utf-8")
    stub.chmod(0o755)
    return home


@pytest.mark.parametrize("code, expected, alerted", [(3, 0, False), (1, 1, True), (2, 2, True)])
def test_nightly_script_skips_a_busy_output_and_alerts_on_failure(tmp_path, code, expected,
                                                                   alerted):
    alert = tmp_path / "alert.txt"
    env = {**os.environ, "TIDINGS_HOME": str(_fake_tidings(tmp_path, code)),
           "TIDINGS_INPUT": "/in", "TIDINGS_OUTPUT": "/out",
           "TIDINGS_ALERT": f'echo "$1" >> {alert}'}
    done = subprocess.run(["bash", str(SCHEDULING / "nightly.sh")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == expected, done.stdout + done.stderr
    assert "args: run --input /in --output /out --report" in done.stdout
    assert alert.exists() is alerted
    if alerted:
        assert f"failed with exit {code}" in alert.read_text(encoding="utf-8")


@pytest.mark.slow
def test_nightly_script_runs_tidings_and_writes_the_report(tmp_path, examples_dir):
    out = tmp_path / "out"
    env = {**os.environ, "TIDINGS_HOME": str(ROOT),
           "TIDINGS_INPUT": str(examples_dir / "articles"), "TIDINGS_OUTPUT": str(out),
           "TIDINGS_METADATA": str(examples_dir / "metadata.csv")}
    done = subprocess.run(["bash", str(SCHEDULING / "nightly.sh")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " added 3 articles in " in done.stdout
    assert (tmp_path / "out.report.html").is_file()
