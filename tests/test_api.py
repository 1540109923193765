"""The small Python API: tidings.run, tidings.read, tidings.connect; and
the import rule that keeps the layers apart."""
from __future__ import annotations

import ast
import pathlib

import pandas as pd
import pytest

import tidings


ROOT = pathlib.Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_run_read_and_connect_on_the_examples(examples_dir, tmp_path):
    out = tmp_path / "out"
    summary = tidings.run(["--input", str(examples_dir / "articles"),
                           "--metadata", str(examples_dir / "metadata.csv"),
                           "--output", str(out)])
    assert summary["status"] == "succeeded" and summary["exit_code"] == 0
    assert summary["rows"]["articles"] == 3 and summary["run_id"]
    claims = tidings.read(str(out), "claims")
    assert len(claims) == summary["rows"]["claims"]
    assert pd.api.types.is_datetime64_any_dtype(claims["published_date"])
    dates = set(pd.read_csv(examples_dir / "metadata.csv")["published_date"])
    assert set(claims["published_date"].dt.strftime("%Y-%m-%d")) <= dates
    assert claims["published_date"].notna().all()
    runs = tidings.read(str(out), "runs")
    assert len(runs) == 1 and pd.api.types.is_datetime64_any_dtype(runs["run_date"])
    con = tidings.connect(str(out))
    assert con.execute("SELECT count(*) FROM events").fetchall() == [
        (summary["rows"]["events"],)]
    with pytest.raises(KeyError, match="no dataset 'speeches'"):
        tidings.read(str(out), "speeches")
    refused = tidings.run(["--input", str(examples_dir / "articles"),
                           "--output", str(examples_dir / "articles")])
    assert refused["status"] == "refused" and refused["exit_code"] == 2


# The layers, outermost first: a module may import only its own layer and
# those after it.
LAYERS = ["pipelines", "transforms", "library", "schemas"]
LIBRARY = ("inputs", "nlp", "rules", "output", "evaluation", "report")


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "tidings" or len(parts) < 2:
        return None
    return "library" if parts[1] in LIBRARY else parts[1] if parts[1] in LAYERS else None


def _modules():
    for folder in ("pipelines", "transforms", "schemas", *(f"tidings/{n}" for n in LIBRARY)):
        for path in sorted((ROOT / folder).glob("*.py")):
            layer = "library" if folder.startswith("tidings/") else folder
            yield path, layer, ast.parse(path.read_text(encoding="utf-8"))


def test_imports_go_only_inward_pipelines_transforms_library_schemas():
    for path, layer, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert not name.split(".")[0] in ("pipelines", "transforms", "schemas"), \
                    f"{path}: import {name} by its uninstalled name"
                target = _layer(name)
                if target is not None:
                    assert LAYERS.index(target) >= LAYERS.index(layer), \
                        f"{path.relative_to(ROOT)} ({layer}) imports {name} ({target})"


def test_only_transforms_define_beam_transforms_and_the_rules_import_only_spacy():
    for path, layer, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and layer != "transforms":
                bases = {ast.unparse(base) for base in node.bases}
                assert not bases & {"beam.DoFn", "beam.PTransform", "DoFn", "PTransform"}, \
                    f"{path.relative_to(ROOT)} defines {node.name}"
        if path.parent.name == "rules":
            for node in ast.walk(tree):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = [node.module] if isinstance(node, ast.ImportFrom) else \
                        [alias.name for alias in node.names]
                    for name in names:
                        top = (name or "").split(".")[0]
                        assert top in ("spacy", "tidings", "__future__") or \
                            top in _STDLIB, f"{path.relative_to(ROOT)} imports {name}"


_STDLIB = {"calendar", "collections", "dataclasses", "datetime", "functools", "hashlib",
           "itertools", "math", "re", "typing", "unicodedata", "string", "enum"}


def test_no_module_is_much_over_400_lines():
    sizes = {path.relative_to(ROOT): len(path.read_text(encoding="utf-8").splitlines())
             for path, _, _ in _modules()}
    assert max(sizes.values()) <= 420, max(sizes.items(), key=lambda item: item[1])
