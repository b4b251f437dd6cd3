"""Long-lived worker processes, each with the store opened read-only: a request past its timeout costs its
worker (a new one takes its place), not the server. A worker says when it is ready, and a request's timeout
starts only then: starting one (imports, opening the store) takes seconds on a busy machine, and the first
requests used to run out of time before their workers had started."""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass
from typing import Any

from kg.serve.jobs import TEXT, Answer

__all__ = ["QueryPool"]

_READY = "ready"
_START_TIMEOUT = 120.0  # seconds a new worker may take to start before its request fails


def _worker(store_path: str, connection) -> None:
    """A worker process: open the store read-only, do the jobs it is sent (see kg.serve.jobs) until told to
    stop."""
    from kg.serve.jobs import JOBS
    from kg.store.embedded import Store

    store = Store(store_path, read_only=True)
    connection.send(_READY)
    while True:
        try:
            job = connection.recv()
        except EOFError:  # the server is gone
            return
        if job is None:
            return
        kind, *args = job
        connection.send(JOBS[kind](store, *args))


@dataclass
class _Worker:
    process: Any
    connection: Any
    ready: bool = False  # it said so (see _worker)

    def wait_until_ready(self) -> None:
        if not self.ready:
            if not self.connection.poll(_START_TIMEOUT) or self.connection.recv() != _READY:
                raise EOFError("the worker did not start")
            self.ready = True

    def stop(self) -> None:
        self.process.kill()
        self.process.join()


class QueryPool:
    """Workers taking one job at a time: ("query", ...), ("notes", ...) or ("view", ...) of kg.serve.jobs."""

    def __init__(self, store_path: str, size: int = 2):
        self.store_path = store_path
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._lock = threading.Condition()
        for _ in range(max(1, size)):
            self._idle.append(self._start())

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(self.store_path, child), daemon=True)
        process.start()
        return _Worker(process, parent)

    def run(self, job: tuple, timeout: float) -> Answer:
        """The worker's answer; status 503 when it ran out of time, 500 when the worker failed."""
        with self._lock:
            while not self._idle:
                self._lock.wait()
            worker = self._idle.pop()
        try:
            worker.wait_until_ready()
            worker.connection.send(job)
            if worker.connection.poll(timeout):
                answer = worker.connection.recv()
            else:
                worker.stop()
                worker = self._start()
                answer = Answer(503, f"The request ran past the {timeout:g} s timeout and was stopped "
                                     f"(kg serve --timeout sets it).".encode(), TEXT)
        except (EOFError, OSError):
            worker.stop()
            worker = self._start()
            answer = Answer(500, b"The worker failed; the request was not answered.", TEXT)
        with self._lock:
            self._idle.append(worker)
            self._lock.notify()
        return answer

    def close(self) -> None:
        with self._lock:
            for worker in self._idle:
                try:
                    worker.connection.send(None)
                except OSError:
                    pass
                worker.process.join(timeout=2)
                if worker.process.is_alive():
                    worker.process.kill()
            self._idle.clear()
