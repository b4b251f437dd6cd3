"""The answers and drawn views `kg serve` keeps, to send them again at once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

__all__ = ["Kept"]


class Kept:
    """Answers and drawn views by request, kept until their bodies pass `limit` bytes in all, the least recently
    sent dropped first. The workers open the store read-only, so an answer stays right until a build changes
    the store (then the server drops them all); a cartel's view in ten thousand articles takes 0.7 to 1 s to
    draw, everything about it 0.15 s to find, and both are asked for again and again (a dashboard, the links
    of a view)."""

    def __init__(self, limit: int):
        self.limit = limit
        self._kept: OrderedDict[tuple, tuple[int, Any]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any | None:
        with self._lock:
            if key not in self._kept:
                return None
            self._kept.move_to_end(key)
            return self._kept[key][1]

    def clear(self) -> None:
        """Drop everything (the store was built again)."""
        with self._lock:
            self._kept.clear()
            self._size = 0

    def put(self, key: tuple, answer: Any, size: int) -> None:
        """Keep `answer` (what the request needs to be sent again), counted as `size` bytes."""
        if size > self.limit:
            return
        with self._lock:
            if key in self._kept:
                self._size -= self._kept.pop(key)[0]
            self._kept[key] = (size, answer)
            self._size += size
            while self._size > self.limit:
                self._size -= self._kept.popitem(last=False)[1][0]
