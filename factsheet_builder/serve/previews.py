"""A school's leaflets as the school page shows them: each PDF's pages as images, drawn when first asked for and
kept (by the PDF's hash, so a rebuilt leaflet is drawn afresh and an unchanged one never again), and the files to
download, all found through the manifest: a URL names a school and a file the manifest lists for it, never a path."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from factsheet_builder.files import NotReadable, read_limited
from factsheet_builder.page_images import page_images
from factsheet_builder.records import OutputRecord
from factsheet_builder.serve.engine import Engine

PREVIEW_DPI = 96  # an A4 page 794 pixels wide: sharp in a column of a 1280-pixel window
KEPT = 64  # page images kept in memory (about 150 KB each)
MAX_PDF_BYTES = 50_000_000


@dataclass(frozen=True)
class Leaflet:
    """One leaflet of a school (a topic in a layout): its files by format, and its pages to preview."""

    topic: str
    title: str
    layout: str
    files: list[OutputRecord]  # the PDF first

    @property
    def pdf(self) -> OutputRecord | None:
        return next((f for f in self.files if f.format == "pdf"), None)


def leaflets(engine: Engine, school_id: str) -> list[Leaflet]:
    """The school's leaflets as the manifest records them, by topic then layout."""
    record = engine.record(school_id)
    if record is None:
        return []
    titles = record.facts.titles if record.facts else {}
    grouped: dict[tuple[str, str], list[OutputRecord]] = {}
    for output in record.outputs:
        grouped.setdefault((output.topic, output.layout), []).append(output)
    return [
        Leaflet(topic, titles.get(topic, topic), layout, sorted(files, key=lambda f: f.format != "pdf"))
        for (topic, layout), files in grouped.items()
    ]


def output_named(engine: Engine, school_id: str, name: str) -> OutputRecord | None:
    """The school's output whose file name is ``name``, if the manifest lists one."""
    record = engine.record(school_id)
    return next((o for o in record.outputs if o.path.rsplit("/", 1)[-1] == name), None) if record else None


def built_file(engine: Engine, school_id: str, relative: str) -> bytes:
    """The bytes of a file the build wrote for a school under out/ (a path from the manifest); OSError when it is
    gone, or when it is, or lies under, a link leading out of the school's own folder: a school's address must never
    serve another school's file, or any other file the link was made to point at."""
    out_dir = engine.workspace.out_dir.resolve()
    path = (out_dir / relative).resolve()
    if not path.is_relative_to(out_dir / school_id):
        raise NotReadable(f"out/{relative}: leads out of out/{school_id}/")
    return read_limited(path, MAX_PDF_BYTES)


class Previews:
    """Page images of PDFs, kept by the PDF's hash and page number."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._kept: OrderedDict[tuple[str, int], bytes] = OrderedDict()

    def page(self, school_id: str, output: OutputRecord, number: int) -> bytes | None:
        """Page ``number`` (from 1) of a school's PDF output as a JPEG image; None when it has no such page."""
        data = built_file(self.engine, school_id, output.path)
        key = (hashlib.sha256(data).hexdigest(), number)
        image = self._kept.get(key)
        if image is None:
            with self.engine.lock:  # PDFium, like the build, one thread at a time
                drawn = page_images(data, PREVIEW_DPI, pages=1, start=number - 1, image_format="JPEG")
            if not drawn:
                return None
            image = self._kept[key] = drawn[0]
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)
        self._kept.move_to_end(key)
        return image
