"""What a person sees while a batch runs: a live bar on a terminal, an occasional plain line in logs, or nothing."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from factsheet_builder.records import Report, SchoolRecord

BAR_WIDTH = 24
REDRAW_SECONDS = 0.1  # a terminal bar redraws at most this often
LOG_SECONDS = 10.0  # without a terminal, a plain progress line at most this often


def duration(seconds: float) -> str:
    """A duration as m:ss (or h:mm:ss)."""
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Reports schools as they finish. Modes: "bar" (a terminal), "lines" (logs, pipes), "quiet" (nothing)."""

    def __init__(self, stream: TextIO, mode: str, verbose: bool = False, clock=time.monotonic) -> None:
        self.stream = stream
        self.mode = mode
        self.verbose = verbose and mode != "quiet"
        self.clock = clock
        self.total = self.done = self.failed = 0
        self.started = self.shown = 0.0
        self._bar_drawn = False

    @classmethod
    def to_stderr(cls, quiet: bool = False, verbose: bool = False) -> Progress:
        """Progress on standard error: a bar when it is a terminal, plain lines when it is not."""
        stream = sys.stderr
        mode = "quiet" if quiet else "bar" if stream.isatty() else "lines"
        return cls(stream, mode, verbose)

    def start(self, total: int) -> None:
        """A batch of ``total`` schools to render begins."""
        self.total, self.done, self.failed = total, 0, 0
        self.started = self.shown = self.clock()
        if self.mode == "bar" and total:
            self._draw()

    def advance(self, result: SchoolRecord) -> None:
        """One school finished (built or failed)."""
        self.done += 1
        self.failed += result.status == "failed"
        if self.verbose:
            detail = f": {result.errors[0]}" if result.status == "failed" and result.errors else ""
            self._line(f"{result.status} {result.id}{detail}")
        now = self.clock()
        if self.mode == "bar" and (now - self.shown >= REDRAW_SECONDS or self.done == self.total):
            self._draw()
            self.shown = now
        elif self.mode == "lines" and now - self.shown >= LOG_SECONDS and self.done < self.total:
            self._write(self.status_text() + "\n")
            self.shown = now

    def finish(self) -> None:
        """The batch ended (or was interrupted): take the bar off the screen."""
        if self._bar_drawn:
            self._write("\r\033[K")
            self._bar_drawn = False

    def status_text(self) -> str:
        """done/total, failures, rate and time left."""
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.done / elapsed
        text = f"{self.done}/{self.total} schools, {self.failed} failed, {rate:.1f}/s"
        if 0 < self.done < self.total:
            text += f", {duration((self.total - self.done) / rate)} left"
        return text

    def conclude(self, report: Report) -> None:
        """The problems found and the closing lines: built, skipped, failed (with each failure's first error)."""
        self.finish()
        for problem in report.all_problems:
            if self.mode != "quiet" or not problem.warning:
                self._write(f"{problem}\n")
        failed = [r for r in report.results if r.status == "failed"]
        if self.mode != "quiet":
            self._write(f"built {report.count('built')}, skipped {report.count('skipped')}, failed {len(failed)}\n")
        for result in failed:
            self._write(f"  failed {result.id}: {result.errors[0] if result.errors else 'see above'}\n")
        for path in report.pruned:
            if self.mode != "quiet":
                self._write(f"deleted {path}\n")

    def _draw(self) -> None:
        filled = BAR_WIDTH * self.done // self.total if self.total else BAR_WIDTH
        full, empty = ("█", "░") if "utf" in (getattr(self.stream, "encoding", "") or "").lower() else ("#", "-")
        bar = full * filled + empty * (BAR_WIDTH - filled)
        self._write(f"\r\033[K{bar} {self.status_text()}")
        self._bar_drawn = True

    def _line(self, text: str) -> None:
        """A line printed above the bar, which is then drawn again below it."""
        if self._bar_drawn:
            self._write("\r\033[K")
        self._write(text + "\n")
        if self.mode == "bar":
            self._draw()

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
