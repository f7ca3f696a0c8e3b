"""Running the server: uvicorn on a socket bound first (so a port in use is one clear line), on the loopback address
for this computer alone, or hosted for other computers only when links have been issued."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from factsheet_builder.exceptions import FactsheetError, UsageError
from factsheet_builder.files import reason
from factsheet_builder.serve.access import Links
from factsheet_builder.workspace import Workspace

if TYPE_CHECKING:
    import uvicorn
    from starlette.applications import Starlette

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this computer alone (127.0.0.1, ::1, localhost)."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def serve(workspace: Workspace, host: str, port: int, say: Callable[[str], None]) -> None:
    """Serve the workspace until interrupted (Ctrl-C)."""
    hosted = not is_loopback(host)
    if hosted and not Links(workspace).current():
        raise UsageError(
            f"--host {host} lets other computers connect, so every page needs a link, and none has been issued: "
            "run 'factsheet invite --authority' (and 'factsheet invite ID' for each school) first"
        )
    try:
        import uvicorn  # noqa: F401 (here, to say in one line what is missing)

        from factsheet_builder.serve.app import create_app
    except ImportError as exc:
        raise FactsheetError(
            f"factsheet serve needs the web server's libraries ({exc.name} is missing): "
            "pip install 'factsheet-builder[serve]'"
        ) from None
    listening = bind(host, port)
    app = create_app(workspace, hosted, host=host)
    address = listening.getsockname()
    url = f"http://{f'[{address[0]}]' if ':' in address[0] else address[0]}:{address[1]}/"
    schools = len(app.state.site.live.engine.opened.project.schools)
    say(f"Serving {schools} school{'s' if schools != 1 else ''} of {workspace.root} at {url}")
    if hosted:
        say("Other computers may connect: each page needs a link from 'factsheet invite' (put HTTPS in front).")
    else:
        say("Only this computer may connect, and whoever uses it may edit every school.")
    say("Press Ctrl-C to stop.")
    _server(app).run(sockets=[listening])


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host`` and ``port`` (0: any free port); FactsheetError in one line if it cannot be."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        return socket.create_server((host.strip("[]"), port), family=family)
    except OSError as exc:
        raise FactsheetError(
            f"cannot listen on {host} port {port}: {reason(exc)}; choose another with --port"
        ) from None


def _server(app: Starlette) -> uvicorn.Server:
    """A uvicorn server of ``app`` that ends the open pages' event streams when it stops (they never end by
    themselves, and a stop would otherwise wait for them). uvicorn is imported only when serving."""
    import uvicorn

    live = app.state.site.live

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            live.close()
            await super().shutdown(sockets)

    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,  # an access log would hold the links' tokens
        server_header=False,
        timeout_graceful_shutdown=5,
    )
    return Server(config)


@contextmanager
def started(app: Starlette, host: str = DEFAULT_HOST) -> Iterator[str]:
    """Serve ``app`` on a free port in a background thread while the block runs (tests, benchmarks); its URL."""
    listening = bind(host, 0)
    server = _server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            threading.Event().wait(0.02)
        host_name, port = listening.getsockname()[:2]
        yield f"http://{host_name}:{port}"
    finally:
        server.should_exit = True
        thread.join()
        listening.close()
