"""The web application: its routes, the protections every response carries (Content Security Policy without
inline script, cookies HttpOnly and SameSite, bounded request bodies, the Host checked when only this computer
may connect), and the background work that runs with it (rebuilding, watching the files)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Route
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from factsheet_builder.serve import outputs, pages
from factsheet_builder.serve.access import Links, local_access
from factsheet_builder.serve.engine import Engine
from factsheet_builder.serve.live import Live
from factsheet_builder.serve.pages import SESSION_SECONDS, Site
from factsheet_builder.serve.previews import Previews
from factsheet_builder.serve.watch import watch
from factsheet_builder.workspace import Workspace

MAX_BODY = 256 * 1024  # a form of a few dozen short values; anything larger is refused (413)
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"]
HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",  # a link's token never leaves in a Referer header
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cache-control": "no-store",  # the pages and files hold people's names and numbers
}

ROUTES = [
    Route("/", pages.index),
    Route("/rows", pages.rows),
    Route("/schools/{school}", pages.school_page),
    Route("/schools/{school}", pages.school_post, methods=["POST"]),
    Route("/schools/{school}/leaflets", pages.leaflets_part),
    Route("/schools/{school}/history", pages.school_history),
    Route("/schools/{school}/files/{name}", outputs.download),
    Route("/schools/{school}/pages/{name}/{page:int}", outputs.page_image),
    Route("/schools/{school}/thumbnail", outputs.thumbnail),
    Route("/enter/{token}", pages.enter),
    Route("/leave", pages.leave, methods=["POST"]),
    Route("/events", outputs.events),
    Route("/static/{name}", outputs.static),
]


class _SecurityHeaders:
    """Every response's protective headers (a response's own Cache-Control or type is kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(workspace: Workspace, hosted: bool, watching: bool = True, host: str = "127.0.0.1") -> Starlette:
    """The server of ``workspace`` (its project opened now: ConfigError if it cannot be); ``hosted``: listening
    for other computers, so that every request needs a link; ``watching``: rebuild on changes made on disk;
    ``host``: the address it listens on (when not hosted, a name it answers to besides 127.0.0.1 and localhost)."""
    engine = Engine(workspace)
    live = Live(engine)
    environment = Environment(
        loader=PackageLoader("factsheet_builder.serve", "templates"),
        autoescape=select_autoescape(["j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        live.start()
        stop = asyncio.Event()
        tasks = [asyncio.create_task(live.run())]
        if watching:
            tasks.append(asyncio.create_task(watch(live, stop)))
        live.queue(engine.stale())  # build what is missing or stale, as a build would
        try:
            yield
        finally:
            stop.set()
            live.close()
            for task in tasks:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task

    middleware = [
        Middleware(_SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=secrets.token_urlsafe(32),  # new at each start: nothing to steal from disk
            session_cookie="factsheet_session",
            max_age=SESSION_SECONDS,
            same_site="lax",  # sent when a link in an email is followed; never with another site's post
        ),
    ]
    if not hosted:  # only this computer: refuse a page of another site that has its name point here
        address = host.strip("[]").lower()
        names = [*LOOPBACK_NAMES, f"[{address}]" if ":" in address else address]
        middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=names))
    app = Starlette(
        routes=ROUTES,
        middleware=middleware,
        exception_handlers={403: pages.refused, 404: pages.refused, 413: pages.refused, 503: pages.refused},
        lifespan=lifespan,
        max_body_size=MAX_BODY,
    )
    app.state.site = Site(
        live, Links(workspace), Jinja2Templates(env=environment), Previews(engine), hosted, local_access()
    )
    return app
