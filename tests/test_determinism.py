"""Same input, same bytes: seeds/ built, exported, drawn and ranked in two fresh processes whose string hashing
differs (PYTHONHASHSEED), so no set or dict order can leak into the output."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import SEEDS


def _outputs(folder, hash_seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    store = folder / "store"

    def kg(*args) -> bytes:
        run = subprocess.run([sys.executable, "-m", "kg", *map(str, args)], env=env, capture_output=True, timeout=600)
        assert run.returncode == 0, run.stderr.decode(errors="replace")[-2000:]
        return run.stdout

    kg("build", SEEDS, "--store", store)
    for fmt in ("trig", "ttl", "jsonld"):
        kg("export", "--store", store, "--format", fmt, "-o", folder / f"graph.{fmt}")
    kg("view", "--all", "--store", store, "-o", folder / "views")
    outputs = {"analysis.json": kg("analyze", "--store", store, "--top", "25", "--format", "json")}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and store not in p.parents):
        outputs[str(path.relative_to(folder))] = path.read_bytes()
    return outputs


@pytest.mark.slow
def test_two_processes_with_different_hash_seeds_write_the_same_bytes(tmp_path):
    first = _outputs(tmp_path / "one", "1")
    second = _outputs(tmp_path / "two", "2")
    assert sorted(first) == sorted(second) and "graph.trig" in first and "views/index.html" in first
    assert [name for name in first if first[name] != second[name]] == []
