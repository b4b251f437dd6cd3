"""Long-lived worker processes, each with the store opened read-only: a request past its timeout or over its
memory costs its worker (a new one takes its place), not the server.

A worker says when it is ready, and a request's timeout starts only then: starting one (opening the store)
takes a moment, more on a busy machine. The pool keeps `size` workers, and starts more, up to `limit`, when
every worker is busy, one always started ahead so that it is ready when asked for: two clients sending
queries that run to the timeout held both workers of a fixed pool, and a normal query waited seconds behind
them. Past `limit`, a request that has to wait stops the job that has run longest, if it has run a second or more
(503 with Retry-After: under overload the longest queries give way, and a normal query waits for a worker to
start, not for the timeout); requests wait their turn, taken client by client in turn (so one client's many
requests do not starve another's), at most `queue` of them; one more is answered 503 with Retry-After at
once. One client holds at most `limit - 1` workers.

Each worker's memory is watched while it works: over `memory_mb` (its resident size), it is stopped and the
request answered 503. Workers that opened an older build of the store are replaced (`renew`).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from kg.serve.jobs import TEXT, Answer

__all__ = ["Busy", "QueryPool"]

_READY = "ready"
_START_TIMEOUT = 120.0  # seconds a new worker may take to start before its request fails
_WATCH = 0.05  # seconds between two looks at a working worker's memory
_GIVE_WAY_AFTER = 1.0  # seconds a job has run before a waiting request may stop it (see the module's docstring)
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _worker(store_path: str, connection, network: bool) -> None:
    """A worker process: open the store read-only, do the jobs it is sent (see kg.serve.jobs) until told to
    stop. A job that fails is answered 500 with its error; the worker goes on. Without `network`, it cannot
    open a network socket (kg.serve.sandbox)."""
    from kg.serve.jobs import JOBS
    from kg.serve.sandbox import forbid_network
    from kg.store.embedded import Store

    if not network:
        forbid_network()
    try:
        store = Store(store_path, read_only=True)
    except Exception as exc:  # noqa: BLE001 (the store cannot be opened, mid-build or damaged: every job says so)
        connection.send(_READY)
        failure = Answer(503, f"The store cannot be read: {exc}".encode(), TEXT)
        while connection.recv() is not None:
            connection.send(failure)
        return
    connection.send(_READY)
    while True:
        try:
            job = connection.recv()
        except EOFError:  # the server is gone
            return
        if job is None:
            return
        kind, *args = job
        try:
            answer = JOBS[kind](store, *args)
        except MemoryError:
            answer = Answer(503, b"The request needed more memory than a worker may use; it was stopped.", TEXT)
        except Exception as exc:  # noqa: BLE001 (a job's failure is its request's 500; the worker goes on)
            answer = Answer(500, f"The request failed: {type(exc).__name__}: {exc}".encode(), TEXT)
        connection.send(answer)


@dataclass(eq=False)
class _Worker:
    process: Any
    connection: Any
    generation: int
    ready: bool = False  # it said so (see _worker)
    stopped_for_room: bool = False  # killed to make room for a waiting request (see QueryPool._give_way)

    def wait_until_ready(self) -> None:
        if not self.ready:
            if not self.connection.poll(_START_TIMEOUT) or self.connection.recv() != _READY:
                raise EOFError("the worker did not start")
            self.ready = True

    def resident_bytes(self) -> int:
        try:
            with open(f"/proc/{self.process.pid}/statm") as statm:
                return int(statm.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            return 0

    def stop(self) -> None:
        self.process.kill()
        self.process.join()


class Busy(Exception):
    """Every worker is busy and the queue is full: answer 503 with Retry-After."""


@dataclass(eq=False)
class _Waiting:
    client: str
    event: threading.Event = field(default_factory=threading.Event)
    worker: _Worker | None = None


class QueryPool:
    """Workers taking one job at a time: ("query", ...), ("notes", ...) or ("view", ...) of kg.serve.jobs."""

    def __init__(self, store_path: str, size: int = 2, limit: int | None = None, queue: int = 64,
                 memory_mb: int = 0, network: bool = False):
        self.store_path = store_path
        self.network = network
        self.size = max(1, size)
        self.limit = max(self.size, limit or 2 * self.size + 2)
        self.queue = queue
        self.memory = memory_mb * 2**20
        self.generation = 0
        self._per_client = max(1, self.limit - 1)
        # Workers are forked from a server process that has imported what they need: a spawned one took
        # seconds to start on a busy machine, and the worker started ahead was not ready when needed.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["kg.serve.jobs", "kg.store.embedded", "kg.network.model",
                                              "kg.views.render"])
        self._idle: list[_Worker] = []
        self._busy: dict[_Worker, str] = {}
        self._running: dict[_Worker, float] = {}  # when each busy worker was sent its job
        self._waiting: OrderedDict[str, deque[_Waiting]] = OrderedDict()  # by client, served in turn
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._idle.append(self._start())

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(self.store_path, child, self.network),
                                        daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent, self.generation)

    @property
    def workers(self) -> int:
        return len(self._idle) + len(self._busy)

    def run(self, job: tuple, timeout: float, client: str = "") -> Answer:
        """The worker's answer; 503 when it ran out of time or memory (or, raised as Busy, when the queue is
        full), 500 when the worker failed."""
        worker = self._acquire(client, timeout)
        try:
            if not worker.process.is_alive():  # it died while idle: a new one answers
                worker = self._replace(worker)
            answer, worker = self._do(worker, job, timeout)
        finally:
            self._release(worker)
        return answer

    def _do(self, worker: _Worker, job: tuple, timeout: float) -> tuple[Answer, _Worker]:
        try:
            worker.wait_until_ready()
            worker.connection.send(job)
            self._running[worker] = time.monotonic()
            deadline = time.monotonic() + timeout
            while not worker.connection.poll(min(_WATCH, max(0.0, deadline - time.monotonic()))):
                if time.monotonic() >= deadline:
                    return Answer(503, f"The request ran past the {timeout:g} s timeout and was stopped "
                                       f"(kg serve --timeout sets it).".encode(), TEXT), self._replace(worker)
                if self.memory and worker.resident_bytes() > self.memory:
                    return Answer(503, f"The request needed more than {self.memory // 2**20} MB and was stopped "
                                       f"(kg serve --worker-memory sets it).".encode(), TEXT), self._replace(worker)
            return worker.connection.recv(), worker
        except (EOFError, OSError):
            if worker.stopped_for_room:
                return Answer(503, b"The server is full of long queries: the longest-running, this one, was stopped "
                                   b"to answer others. Retry shortly.", TEXT, retry_after=True), self._replace(worker)
            return Answer(500, b"The worker failed; the request was not answered.", TEXT), self._replace(worker)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        with self._lock:
            self._running.pop(worker, None)
            fresh = self._start()
            if worker in self._busy:
                self._busy[fresh] = self._busy.pop(worker)
            return fresh

    def _acquire(self, client: str, timeout: float) -> _Worker:
        with self._lock:
            held = sum(1 for owner in self._busy.values() if owner == client)
            if not self._waiting and held < self._per_client:
                worker = self._take()
                if worker is not None:
                    self._busy[worker] = client
                    return worker
            if sum(len(line) for line in self._waiting.values()) >= self.queue:
                raise Busy
            self._give_way()
            waiting = _Waiting(client)
            self._waiting.setdefault(client, deque()).append(waiting)
        if not waiting.event.wait(timeout):
            with self._lock:
                if waiting.worker is None:  # not served within the timeout: it gives its place up
                    line = self._waiting.get(client)
                    if line is not None and waiting in line:
                        line.remove(waiting)
                        if not line:
                            del self._waiting[client]
                    raise Busy
        assert waiting.worker is not None
        return waiting.worker

    def _give_way(self) -> None:
        """Stop the job that has run longest, if it has run _GIVE_WAY_AFTER or more: its worker is replaced and
        goes to a waiting request (see _do and _release)."""
        running = [(started, worker) for worker, started in self._running.items() if not worker.stopped_for_room]
        if running:
            started, worker = min(running, key=lambda pair: pair[0])
            if time.monotonic() - started >= _GIVE_WAY_AFTER:
                worker.stopped_for_room = True
                worker.process.kill()

    def _take(self) -> _Worker | None:
        """An idle worker (a new one if there is room), with one more started ahead; None at the limit."""
        if not self._idle and self.workers < self.limit:
            self._idle.append(self._start())
        if not self._idle:
            return None
        worker = self._idle.pop()
        if not self._idle and self.workers + 1 < self.limit:
            self._idle.append(self._start())  # ready by the time the next one is needed
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.pop(worker, None)
            self._running.pop(worker, None)
            retired = self._closed or worker.generation != self.generation or len(self._idle) >= self.size
            if not retired:
                self._idle.append(worker)
            self._hand_over()
        if retired:
            self._retire(worker)

    def _hand_over(self) -> None:
        """Give idle workers to waiting requests, one client after another."""
        while self._waiting and not self._closed:
            for client in list(self._waiting):
                held = sum(1 for owner in self._busy.values() if owner == client)
                if held >= self._per_client:
                    continue
                worker = self._take()
                if worker is None:
                    return
                waiting = self._waiting[client].popleft()
                if not self._waiting[client]:
                    del self._waiting[client]
                else:
                    self._waiting.move_to_end(client)
                self._busy[worker] = client
                waiting.worker = worker
                waiting.event.set()
                break
            else:
                return

    @staticmethod
    def _retire(worker: _Worker) -> None:
        try:
            worker.connection.send(None)
        except OSError:
            pass
        worker.process.join(timeout=2)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()

    def renew(self) -> None:
        """The store was built again: idle workers are replaced now, busy ones when they finish."""
        with self._lock:
            self.generation += 1
            stale, self._idle = self._idle, []
            for _ in range(len(stale)):
                self._idle.append(self._start())
        for worker in stale:
            self._retire(worker)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            self._retire(worker)
