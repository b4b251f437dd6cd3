"""Real SPARQL servers for the tests, started on a free loopback port with a throwaway database, stopped
after. Outside CI a missing server skips its tests with the reason; with CI=true it fails them."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing(what: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} is required in CI (CI=true)")
    pytest.skip(f"{what} is not installed here; `.ci/run` installs it")


def _wait(url: str, process: subprocess.Popen, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {seconds} s:\n{log.read_text(errors='replace')[-2000:]}")


@contextmanager
def oxigraph_server(folder: Path):
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        missing("the Oxigraph server (PyPI package oxigraph)")
    port = free_port()
    log = folder / "oxigraph.log"
    with open(log, "w") as out:
        process = subprocess.Popen([binary, "serve", "--location", str(folder / "db"), "--bind",
                                    f"127.0.0.1:{port}", "--union-default-graph"], stdout=out, stderr=out)
    try:
        _wait(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process, 30, log)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 200M
DirsAllowed = ., {db}
VADInstallDir = /usr/share/virtuoso-opensource-7/vad

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
DefaultQuery = select distinct ?Concept where {{[] a ?Concept}} LIMIT 100
MaxSortedTopRows = 100000
"""


@contextmanager
def virtuoso_server(folder: Path):
    binary = shutil.which("virtuoso-t")
    if not binary:
        missing("Virtuoso (Debian package virtuoso-opensource)")
    http_port, sql_port = free_port(), free_port()
    db = folder / "virtuoso"
    db.mkdir()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, http_port=http_port, sql_port=sql_port), encoding="utf-8")
    log = folder / "virtuoso-out.log"
    with open(log, "w") as out:
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], stdout=out, stderr=out,
                                   cwd=db)
    try:
        _wait(f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", process, 90, log)
        yield f"http://dba:dba@127.0.0.1:{http_port}/sparql", f"http://127.0.0.1:{http_port}/sparql-auth"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
