"""Benchmark of ``factsheet serve``: from pressing Save on a school's page to the new preview shown, for one school
of a built workspace, as a browser does it: the form posted, the redirect to the school's page followed, and
the page's preview images fetched (six at a time, as a browser would). The median of N saves, each a new DSL phone
number, each made from the page the save before returned.

    python bench/serve_save.py                  # 500 schools, 20 saves
    python bench/serve_save.py --schools 50 --saves 5

``bench/run.py`` runs it too, on its own workspace, and reports it with the build's other figures.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCHOOL = "school-00000"


class _Page(HTMLParser):
    """A school page's form fields (as a browser posts them) and its preview images."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.images: list[str] = []
        self.in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.in_form = "school-form" in found.get("class", "")
        elif tag == "input" and self.in_form and "name" in found and found.get("type") != "checkbox":
            self.fields[found["name"]] = found.get("value", "")
        elif tag == "img" and "/pages/" in found.get("src", ""):
            self.images.append(found["src"])

    def handle_endtag(self, tag: str) -> None:
        self.in_form = self.in_form and tag != "form"


def parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used (user and system), from /proc: a figure the machine's load does not inflate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serving(workspace: Path) -> Iterator[tuple[str, int]]:
    """``factsheet serve`` of ``workspace`` in a process of its own, as a person runs it; its URL and process id."""
    process = subprocess.Popen(
        [sys.executable, "-m", "factsheet_builder", "serve", "--port", "0", "-C", str(workspace)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        found = re.search(r" at (http://\S+?)/?$", first)
        if not found:
            raise SystemExit(f"factsheet serve did not start: {first}{process.stderr.read()}")
        yield found.group(1), process.pid
    finally:
        process.terminate()
        process.wait()


def save_to_preview(workspace: Path, saves: int = 20) -> tuple[float, float, float, float]:
    """Median seconds from Save to the new preview shown, of its two parts (the post with the rebuild and the page
    that follows; the preview images), and of the server's CPU time for it all."""
    import httpx

    with serving(workspace) as (url, pid):
        with httpx.Client(base_url=url, follow_redirects=True, timeout=60) as browser, ThreadPoolExecutor(6) as pool:
            page = parsed(browser.get(f"/schools/{SCHOOL}").text)
            for image in page.images:  # the page as it stood when the person started typing
                browser.get(image)
            phone = page.fields["safeguarding.dsl.phone"]
            totals, posts, images, cpu = [], [], [], []
            for i in range(saves + 1):
                number = f"{phone[:-3]}{(int(phone[-3:]) - 399 + i) % 600 + 400:03d}"  # never the one before
                started_at, cpu_at = time.perf_counter(), cpu_seconds(pid)
                response = browser.post(
                    f"/schools/{SCHOOL}", data={**page.fields, "action": "save", "safeguarding.dsl.phone": number}
                )
                posted = time.perf_counter()
                page = parsed(response.text)
                assert "saved=1" in str(response.url) and page.fields["safeguarding.dsl.phone"] == number, response.text
                shown = list(pool.map(lambda src: browser.get(src).content, page.images))
                done = time.perf_counter()
                cpu_used = cpu_seconds(pid) - cpu_at
                assert all(shown)
                if i:  # the first save warms what a server that has been running a while has warm
                    totals.append(done - started_at)
                    posts.append(posted - started_at)
                    images.append(done - posted)
                    cpu.append(cpu_used)
    return statistics.median(totals), statistics.median(posts), statistics.median(images), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=500, help="schools in the workspace (default 500)")
    parser.add_argument("--saves", type=int, default=20, help="saves timed (default 20)")
    options = parser.parse_args()
    from run import make_workspace

    with tempfile.TemporaryDirectory(prefix="factsheet-serve-bench-") as tmp:
        workspace = make_workspace(Path(tmp) / "ws", options.schools)
        subprocess.run([sys.executable, "-m", "factsheet_builder", "build", "-q"], cwd=workspace, check=True)
        print(f"serve: Save to new preview, one school of {options.schools}: {summary(workspace, options.saves)}")


def summary(workspace: Path, saves: int) -> str:
    """The benchmark's figures in one line."""
    total, post, images, cpu = save_to_preview(workspace, saves)
    return (
        f"{total:.3f} s, median of {saves} (post, rebuild and page {post:.3f} s; preview images {images:.3f} s; "
        f"server CPU {cpu:.3f} s)"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
