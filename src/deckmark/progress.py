"""A one-line progress display for long builds, on a terminal only.

The build reports each step as it starts (:data:`deckmark.build.Progress`); this shows the
current one, ``[3/8] Docker: cards PDF (12 s)``, once the build has run for a second, redraws
it every second so a long step still looks alive, and erases it when the build ends. Nothing
is written when the stream is not a terminal. ``verbose`` lists every finished step with its
time instead, on any stream.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import TextIO

from deckmark.report import terminal_text

DELAY = 1.0
"""Seconds before the display appears: quick builds show nothing extra."""


class ProgressLine:
    """Receives build steps (``progress(label, index, total)``) and shows the current one."""

    def __init__(self, stream: TextIO, *, verbose: bool = False, delay: float = DELAY) -> None:
        self.stream = stream
        self.verbose = verbose
        self.live = not verbose and stream.isatty()
        self.delay = delay
        self.started = time.monotonic()
        self.step_started = self.started
        self.label = ""
        self.shown = False
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> ProgressLine:
        if self.live:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._done.set()
        if self._ticker is not None:
            self._ticker.join()
        with self._lock:
            self._finish_step()
            if self.shown:
                self.stream.write("\r\033[K")  # erase the line: the summary follows
                self.stream.flush()

    def __call__(self, label: str, index: int, total: int) -> None:
        with self._lock:
            self._finish_step()
            self.label = terminal_text(f"[{index + 1}/{total}] {label}")
            self.step_started = time.monotonic()
            if self.shown:
                self._draw()

    def _finish_step(self) -> None:
        if self.verbose and self.label:
            seconds = time.monotonic() - self.step_started
            self.stream.write(f"{self.label}: {seconds:.2f} s\n")
            self.stream.flush()
        self.label = ""

    def _tick(self) -> None:
        if self._done.wait(self.delay):
            return
        while True:
            with self._lock:
                self.shown = True
                self._draw()
            if self._done.wait(1.0):
                return

    def _draw(self) -> None:
        if not self.label:
            return
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r\033[K{self.label} ({elapsed:.0f} s)")
        self.stream.flush()
