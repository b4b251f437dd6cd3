"""The benchmark scripts run, at a small size (figures are printed, not asserted: no test is timed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def test_scale_benchmark_runs_on_a_small_generated_corpus(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--articles", "20", "--repeat", "1",
                          "--rdflib-articles", "5", "--rdflib-limit", "5", "--adds", "0", "--keep", str(tmp_path)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "build from scratch" in run.stdout and "query actors-by-region" in run.stdout
    assert "5 articles: entity" in run.stdout and "kg view --focus, most linked" in run.stdout
    assert "query entity, curated" in run.stdout and "kg view --focus, curated" in run.stdout
    assert "timeline, without summaries" in run.stdout and "timeline, a page of 100 by month" in run.stdout
    assert len(list((tmp_path / "corpus").iterdir())) == 20
    again = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--repeat", "1", "--rdflib-articles",
                            "0", "--adds", "2", "--keep", str(tmp_path), "--measured-again"],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "build from scratch" not in again.stdout and "query actors-by-region" in again.stdout
    assert "kg view --focus, most linked" in again.stdout and "adding one article, 2 times" in again.stdout


def test_extraction_benchmark_runs():
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "extraction.py"), "--repeat", "1"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "gold recall" in run.stdout and "gold violations                     0\n" in run.stdout


def test_serve_benchmark_runs_against_the_seeds():
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "serve.py"), "--requests", "2", "--queries", "why"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    rows = [line.split()[:2] for line in run.stdout.splitlines()[1:]]
    assert rows == [["why", "1"], ["why", "8"], ["entity/shining-path.html", "1"], ["entity/shining-path.html", "8"],
                    ["article/000_6bef111ac725a0fa.html", "1"], ["article/000_6bef111ac725a0fa.html", "8"],
                    ["entity/shining-path.html,", "kept"], ["entity/shining-path.html,", "kept"],
                    ["article/000_6bef111ac725a0fa.html,", "kept"], ["article/000_6bef111ac725a0fa.html,", "kept"]]


def test_map_benchmark_runs():
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "map.py"), "--sizes", "50", "--no-browser"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.splitlines()[1].split()[0] == "50"
