"""Headless Chromium for the view and map benchmarks: the flags CI uses, and the time until a page is ready."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


def launch(playwright):
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)


def seconds_until(browser, path: Path, ready: str, then: str | None = None) -> tuple[float, Any]:
    """Seconds from navigation to the second frame after `ready` (a JavaScript condition) holds, and what
    `then` evaluates to on the page at that point."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function(ready, timeout=120000)
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    elapsed = time.perf_counter() - started
    value = page.evaluate(then) if then else None
    page.close()
    return elapsed, value
