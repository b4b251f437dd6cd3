"""Long-lived worker processes, each with the store opened read-only: a request past its timeout or over its
memory costs its worker (a new one takes its place), not the server.

A worker says when it is ready, and a request's timeout starts only then: starting one (opening the store)
takes a moment, more on a busy machine; a request is given a ready worker when there is one. The pool keeps
`size` spare workers started ahead (by a thread of its own, so that no request waits behind a start), one
more for each long job within `_READY_AHEAD` of its deadline (its worker will probably be lost), and keeps a
spare beyond those until it has gone unused for `_SPARE_KEPT` (one taken by a short job comes back a moment
later); it runs at most `limit` jobs at once. (A start costs about 30 ms of processor time: what a request
would wait for is a worker not ready yet.)

Which queries are slow is known only once they run, and the clients of one address (every client on
loopback, a newsroom behind one router) cannot be told apart, so the pool favours the queries that have run
least, as an operating system does: a job that has run `_LONG_AFTER` is long; it yields the processor to the
short ones (its worker's nice value is raised) and takes one of `limit - size` long places. When those are
all taken, the long job that has run longest is parked (its worker stopped, SIGSTOP, its timeout running
on) until a long place is free; a request that finds `limit` jobs running parks a long one too, so no short
query waits for a long one: six clients looping queries that run to the timeout held every worker of the
old pool, and a normal query waited seconds behind them. Of two clients, the one holding more long places
gives one up; parked jobs resume the fewest-holding client's first, and requests that wait for a worker are
taken client by client in turn, at most `queue` of them (one more is answered 503 with Retry-After at
once). At most `limit` jobs are parked; past that, a job turning long stops the one that would be parked
(503 with Retry-After), and a request waits for a place. A running query cannot be cancelled (pyoxigraph
checks no signal while it evaluates), so one past its timeout costs its worker.

Each worker's memory is watched while it works: over `memory_mb` (its resident size), it is stopped and the
request answered 503. Workers that opened an older build of the store are replaced (`renew`): one still
answering a query when the old store's files are deleted answers from the files it holds open, or, if it
needed one it had not opened, fails with a 503 the client may retry (see `_worker`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

from kg.serve.jobs import TEXT, Answer

__all__ = ["Busy", "QueryPool"]

_READY = "ready"
_START_TIMEOUT = 120.0  # seconds a new worker may take to start before its request fails
_WATCH = 0.05  # seconds between two looks at a working worker
_LONG_AFTER = 0.25  # seconds after which a job is long (see the module's docstring)
_LONG_NICE = 19  # the nice value of a worker running a long job: short jobs go first on the processor
_SPARE_KEPT = 30.0  # seconds a spare beyond `size` is kept unused before it is retired
_READY_AHEAD = 1.0  # seconds before a long job's deadline when its worker's replacement is started
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
    stopped_for_room: bool = False  # killed to make room for others (see QueryPool._give_way)
    niced: bool = False  # it ran a long job (see _LONG_NICE)
    idle_since: float = field(default_factory=time.monotonic)

    def is_ready(self) -> bool:
        """Whether it has said it is ready, without waiting."""
        if not self.ready and self.connection.poll(0):
            try:
                self.ready = self.connection.recv() == _READY
            except (EOFError, OSError):
                return False
        return self.ready

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

    def signal(self, number: int) -> None:
        try:
            os.kill(self.process.pid, number)
        except OSError:  # it has just ended
            pass

    def stop(self) -> None:
        self.signal(signal.SIGCONT)
        self.process.kill()
        self.process.join()


@dataclass(eq=False)
class _Job:
    """What a busy worker does: for which client, since when (None: not sent yet), and whether it is short,
    long or parked (see the module's docstring)."""

    client: str
    started: float | None = None
    lane: str = "short"
    parked_at: float = 0.0


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
        self._long_places = max(1, self.limit - self.size)
        self._nice_value = os.getpriority(os.PRIO_PROCESS, 0)  # a worker's after a long job
        # Workers are forked from a server process that has imported what they need: a spawned one took
        # seconds to start on a busy machine, and the worker started ahead was not ready when needed.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["kg.serve.jobs", "kg.store.embedded", "kg.network.model",
                                              "kg.views.render"])
        self._idle: list[_Worker] = []  # spares: `size` of them, started ahead of need
        self._starting = 0
        self.started = 0  # workers started so far (benchmarks/newsroom.py prints how many a load costs)
        self._ahead = 0  # long jobs near their deadline: their workers' replacements are started ahead
        self._busy: dict[_Worker, _Job] = {}
        self._waiting: OrderedDict[str, deque[_Waiting]] = OrderedDict()  # by client, served in turn
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._closed = False
        for _ in range(self.size):
            self._idle.append(self._start())
        # Spares are started by a thread of their own, never while the pool is locked: under load a start
        # takes tens of milliseconds, and requests queued behind it.
        threading.Thread(target=self._keep_spares, name="kg-serve-spares", daemon=True).start()

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(self.store_path, child, self.network),
                                        daemon=True)
        process.start()
        child.close()
        self.started += 1
        return _Worker(process, parent, self.generation)

    def _keep_spares(self) -> None:
        with self._wake:
            while not self._closed:
                surplus, wake_in = self._surplus()
                if surplus:
                    for worker in surplus:
                        self._idle.remove(worker)
                    self._lock.release()
                    try:
                        for worker in surplus:
                            self._retire(worker)
                    finally:
                        self._lock.acquire()
                    continue
                if len(self._idle) + self._starting >= self.size + self._ahead:
                    self._wake.wait(wake_in)
                    continue
                self._starting += 1
                self._lock.release()
                try:
                    worker = self._start()
                finally:
                    self._lock.acquire()
                    self._starting -= 1
                if self._closed or worker.generation != self.generation:
                    worker.stop()
                    continue
                self._idle.append(worker)
                self._hand_over()

    def _surplus(self) -> tuple[list[_Worker], float | None]:
        """Ready spares beyond `size` unused for _SPARE_KEPT, the oldest first, to be retired; and in how many
        seconds the next of the others will be. A spare taken by a short job comes back a moment later: retired
        at once, it had cost a start (the spares' thread had started one to replace it) and brought another."""
        ready = sorted((worker for worker in self._idle if worker.ready), key=lambda worker: worker.idle_since)
        extra = ready[:max(0, len(ready) - self.size - self._ahead)]
        now = time.monotonic()
        due = [worker for worker in extra if now - worker.idle_since >= _SPARE_KEPT]
        later = [worker.idle_since + _SPARE_KEPT - now for worker in extra if worker not in due]
        return due, min(later, default=None)

    @property
    def workers(self) -> int:
        return len(self._idle) + len(self._busy)

    def _in(self, lane: str) -> list[_Worker]:
        return [worker for worker, job in self._busy.items() if job.lane == lane]

    def _running(self) -> int:
        """Jobs running: short and long ones (not the parked, nor those stopped and ending)."""
        return sum(1 for job in self._busy.values() if job.lane in ("short", "long"))

    def run(self, job: tuple, timeout: float, client: str = "") -> Answer:
        """The worker's answer; 503 when it ran out of time or memory (or, raised as Busy, when the queue is
        full), 500 when the worker failed."""
        worker = self._acquire(client, timeout)
        if not worker.process.is_alive():  # it died while idle: a new one answers
            fresh = self._start()
            with self._lock:
                self._busy[fresh] = self._busy.pop(worker)
            worker = fresh
        answer, lost = self._do(worker, job, timeout)
        if lost:
            self._lose(worker)
        else:
            self._release(worker)
        return answer

    def _do(self, worker: _Worker, job: tuple, timeout: float) -> tuple[Answer, bool]:
        """The answer, and whether the worker was lost (ended: out of time or memory, stopped, dead)."""
        ahead = False
        try:
            worker.wait_until_ready()
            worker.connection.send(job)
            started = time.monotonic()
            with self._lock:
                self._busy[worker].started = started
            deadline, long = started + timeout, False
            while not worker.connection.poll(min(_WATCH, max(0.0, deadline - time.monotonic()))):
                now = time.monotonic()
                if now >= deadline:
                    return Answer(503, f"The request ran past the {timeout:g} s timeout and was stopped "
                                       f"(kg serve --timeout sets it).".encode(), TEXT), True
                if self.memory and worker.resident_bytes() > self.memory:
                    return Answer(503, f"The request needed more than {self.memory // 2**20} MB and was stopped "
                                       f"(kg serve --worker-memory sets it).".encode(), TEXT), True
                if not long and now - started >= _LONG_AFTER:
                    self._turned_long(worker)
                    long = True
                if long and not ahead and deadline - now <= _READY_AHEAD:
                    ahead = True
                    self._start_ahead(1)
            return worker.connection.recv(), False
        except (EOFError, OSError):
            if worker.stopped_for_room:
                return Answer(503, b"The server is full of long queries: this one, among the latest, was stopped "
                                   b"to answer others. Retry shortly.", TEXT, retry_after=True), True
            return Answer(500, b"The worker failed; the request was not answered.", TEXT), True
        finally:
            if ahead:
                self._start_ahead(-1)

    def _start_ahead(self, change: int) -> None:
        """A long job nears its deadline (1), or has ended (-1): the worker it will probably cost is replaced
        before it is lost. Clients looping queries that run to the timeout send the next one at once, and took
        the ready spares; a normal query sent then got a worker still starting (hundreds of ms on a busy
        machine)."""
        with self._lock:
            self._ahead += change
            self._wake.notify()

    def _turned_long(self, worker: _Worker) -> None:
        """A job has run _LONG_AFTER: it takes a long place; when they are all taken, one long job gives way."""
        with self._lock:
            job = self._busy.get(worker)
            if job is None or job.lane != "short":
                return
            job.lane = "long"
            self._nice(worker)
            if len(self._in("long")) > self._long_places:
                self._give_way(job.client)
                self._hand_over()  # a running place is free

    def _give_way(self, client: str, stop: bool = True) -> bool:
        """Park the long job that has run longest of the client holding most long places (`client`'s, of two
        holding as many), or, when `limit` jobs are parked already, stop it (without `stop`: leave it);
        whether one gave way."""
        running = self._in("long")
        if not running or not stop and len(self._in("parked")) >= self.limit:
            return False
        held = self._long_held()
        most = max(held, key=lambda other: (held[other], other == client))
        victim = min((other for other in running if self._busy[other].client == most),
                     key=lambda other: self._busy[other].started or 0.0)
        victim_job = self._busy[victim]
        if len(self._in("parked")) >= self.limit:  # parked jobs hold memory too: this one gives up
            victim.stopped_for_room = True
            victim_job.lane = "stopped"
            victim.signal(signal.SIGKILL)
        else:
            victim_job.lane, victim_job.parked_at = "parked", time.monotonic()
            victim.signal(signal.SIGSTOP)
        return True

    def _long_held(self) -> dict[str, int]:
        held: dict[str, int] = {}
        for worker in self._in("long"):
            held[self._busy[worker].client] = held.get(self._busy[worker].client, 0) + 1
        return held

    def _nice(self, worker: _Worker) -> None:
        if not worker.niced:
            try:
                os.setpriority(os.PRIO_PROCESS, worker.process.pid, _LONG_NICE)
                worker.niced = True
            except OSError:
                pass

    def _resume(self) -> None:
        """A place may be free: resume the parked job of the client holding fewest long places, the one parked
        first, if a long place and a running place are free."""
        parked = self._in("parked")
        if not parked or len(self._in("long")) >= self._long_places or self._running() >= self.limit:
            return
        held = self._long_held()
        chosen = min(parked, key=lambda other: (held.get(self._busy[other].client, 0), self._busy[other].parked_at))
        self._busy[chosen].lane = "long"
        chosen.signal(signal.SIGCONT)

    def _lose(self, worker: _Worker) -> None:
        """The worker ended with its job (see _do): its place goes to the next."""
        worker.stop()
        with self._lock:
            self._busy.pop(worker, None)
            self._hand_over()
            self._resume()

    def _acquire(self, client: str, timeout: float) -> _Worker:
        with self._lock:
            if not self._waiting:
                worker = self._take(client)
                if worker is not None:
                    return worker
            if sum(len(line) for line in self._waiting.values()) >= self.queue:
                raise Busy
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

    def _take(self, client: str) -> _Worker | None:
        """A spare, ready if one is, made busy for `client`; None when no spare is left (the spares' thread is
        starting more) or `limit` jobs run and none can give way: a long one is parked for the newcomer (see
        _give_way), never stopped. Six clients looping queries that run to the timeout kept the `limit` places
        taken, four long and two just sent, and a normal query waited up to _LONG_AFTER for one to turn long."""
        if not self._idle or self._running() >= self.limit and not self._give_way(client, stop=False):
            return None
        ready = [worker for worker in self._idle if worker.is_ready()]
        worker = ready[-1] if ready else self._idle[-1]
        self._idle.remove(worker)
        self._busy[worker] = _Job(client)
        self._wake.notify()
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            job = self._busy.pop(worker, None)
            if job is not None and job.lane == "parked":  # it answered just before it was stopped
                worker.signal(signal.SIGCONT)
            keep = not self._closed and worker.generation == self.generation
            if worker.niced and keep:
                try:
                    os.setpriority(os.PRIO_PROCESS, worker.process.pid, self._nice_value)
                    worker.niced = False
                except OSError:  # not ours to lower again: a fresh worker takes its place
                    keep = False
            if keep:
                worker.idle_since = time.monotonic()
                self._idle.append(worker)  # kept while it is used (see _surplus)
                self._wake.notify()
            self._hand_over()
            self._resume()
        if not keep:
            self._retire(worker)

    def _hand_over(self) -> None:
        """Give spares to waiting requests, one client after another."""
        while self._waiting and not self._closed:
            client = next(iter(self._waiting))
            worker = self._take(client)
            if worker is None:
                return
            waiting = self._waiting[client].popleft()
            if not self._waiting[client]:
                del self._waiting[client]
            else:
                self._waiting.move_to_end(client)
            waiting.worker = worker
            waiting.event.set()

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
        """The store was built again: spares are replaced now, busy workers when they finish."""
        with self._lock:
            self.generation += 1
            stale, self._idle = self._idle, []
            self._wake.notify()
        for worker in stale:
            self._retire(worker)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._wake.notify()
            for parked in self._in("parked"):  # a stopped process would not end at exit
                self._busy[parked].lane = "long"
                parked.signal(signal.SIGCONT)
        for worker in idle:
            self._retire(worker)
