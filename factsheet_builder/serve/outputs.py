"""The files a school's page links: its PDFs and DOCX files, their pages as images and its thumbnail, each found
through the manifest by the school's id and a file name it lists (never a path from the URL); the stylesheet and
script of every page; and the stream of events that keeps open pages up to date."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from importlib.resources import files

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from factsheet_builder.serve.pages import allowed, site, viewer
from factsheet_builder.serve.previews import built_file, output_named

MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",  # the leaflet's web page, downloaded as an attachment like the others
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
}
STATIC = ("serve.css", "serve.js")
KEEP_ALIVE_SECONDS = 20.0  # a comment line this often, so that a page that has gone is noticed
KEEP_ALIVE = ": still here\n\n"
RELOAD = "event: reload\ndata: {}\n\n"  # fell behind, or the server is stopping: the page loads what it shows again
VERSIONED = {"cache-control": "private, max-age=86400"}  # an image whose address names its PDF's hash never changes


async def download(request: Request) -> Response:
    """A leaflet file, as an attachment named as on disk."""
    _, school = allowed(request, request.path_params["school"])
    engine = site(request).live.engine
    output = output_named(engine, school.id, request.path_params["name"])
    if output is None or output.format not in MEDIA:
        raise HTTPException(404)
    name = output.path.rsplit("/", 1)[-1]
    try:
        data = await run_in_threadpool(built_file, engine, school.id, output.path)
    except OSError:
        raise HTTPException(404) from None
    disposition = f'attachment; filename="{name}"'  # a name of letters, digits, hyphens and a dot (see output_name)
    return Response(data, media_type=MEDIA[output.format], headers={"Content-Disposition": disposition})


async def page_image(request: Request) -> Response:
    """Page N of a PDF of the school as an image."""
    _, school = allowed(request, request.path_params["school"])
    here = site(request)
    output = output_named(here.live.engine, school.id, request.path_params["name"])
    number = request.path_params["page"]
    if output is None or output.format != "pdf" or not 1 <= number <= (output.pages or 1):
        raise HTTPException(404)
    try:
        image = await run_in_threadpool(here.previews.page, school.id, output, number)
    except (OSError, ValueError):  # gone since the manifest was written, or PDFium cannot read it
        raise HTTPException(404) from None
    if image is None:
        raise HTTPException(404)
    return Response(image, media_type="image/jpeg", headers=VERSIONED)


async def thumbnail(request: Request) -> Response:
    """The small picture of page 1 the index shows."""
    _, school = allowed(request, request.path_params["school"])
    engine = site(request).live.engine
    record = engine.record(school.id)
    shown = record.facts.thumbnail if record and record.facts else None
    if shown is None or not shown.startswith(f"{school.id}/"):
        raise HTTPException(404)
    try:
        data = await run_in_threadpool(built_file, engine, school.id, shown)
    except OSError:
        raise HTTPException(404) from None
    return Response(data, media_type="image/png", headers=VERSIONED)


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC:
        raise HTTPException(404)
    text = (files("factsheet_builder.serve") / "static" / name).read_bytes()
    return Response(text, media_type=MEDIA[name.rsplit(".", 1)[1]])


async def events(request: Request) -> Response:
    """Server-sent events: each school the viewer may see, as its state changes."""
    access = viewer(request)
    if access is None:
        raise HTTPException(403)
    live = site(request).live

    async def stream() -> AsyncIterator[str]:
        queue = live.listen(access)
        try:
            yield "retry: 2000\n\n"
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                    text = RELOAD if event is None else event.sse()
                except asyncio.TimeoutError:
                    text = KEEP_ALIVE
                if viewer(request) is None:  # the link was revoked since the page opened: it is told nothing more
                    return
                yield text
                if text == RELOAD:
                    return
        finally:
            live.forget(queue)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})
