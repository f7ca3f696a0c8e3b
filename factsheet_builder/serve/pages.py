"""The pages: the index of every school, a school's page (its leaflets, its form, its change log), signing in by a
link, and what a refused or unknown address says. Who may see what is decided here, for every page and file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from factsheet_builder.exceptions import FactsheetError
from factsheet_builder.index_page import fold, index_rows
from factsheet_builder.records import SchoolRecord
from factsheet_builder.serve import history
from factsheet_builder.serve.access import Access, Links, csrf_token, csrf_valid
from factsheet_builder.serve.editing import Saved, Shown, open_form, submit
from factsheet_builder.serve.live import Live, version_of
from factsheet_builder.serve.previews import Previews, leaflets
from factsheet_builder.workspace import SchoolFile

MAX_FIELDS = 400  # a form's fields: the most people a layout holds, each with a few values and their old ones
SESSION_SECONDS = 12 * 3600  # a link's sign-in lasts a working day; the link itself until it is revoked
STATE_WORDS = {
    "building": "Rebuilding now",
    "waiting": "Waiting to be rebuilt",
    "built": "Built",
    "stale": "Stale",
    "failed": "Failed",
    "missing": "Not built yet",
}
STATE_ORDER = {"failed": 0, "stale": 1, "missing": 2, "building": 3, "waiting": 4, "built": 5}


@dataclass(frozen=True)
class Site:
    """What every page needs: the running state, the links, the templates, and whether the server is hosted for
    other computers (then every request needs a link)."""

    live: Live
    links: Links
    templates: Jinja2Templates
    previews: Previews
    hosted: bool
    local: Access  # whoever uses the computer the server runs on, when it is not hosted


def site(request: Request) -> Site:
    found: Site = request.app.state.site
    return found


def viewer(request: Request) -> Access | None:
    """Who is asking: on this computer alone, everyone may edit everything; hosted, what the request's link
    allows (a link revoked since signing in allows nothing)."""
    here = site(request)
    if not here.hosted:
        return here.local
    link_id = request.session.get("link")
    try:
        link = here.links.by_id(link_id) if isinstance(link_id, str) else None
    except FactsheetError:  # the links file was damaged since the server started: no link holds until it is mended
        return None
    return None if link is None else Access(link.school, link.who)


def allowed(request: Request, school_id: str) -> tuple[Access, SchoolFile]:
    """The viewer and the school, if the viewer may see it; 403 for another school's (known or not), 404 else."""
    access = viewer(request)
    if access is None or not access.allows(school_id):
        raise HTTPException(403)
    school = site(request).live.engine.opened.school(school_id)
    if school is None:
        raise HTTPException(404)
    return access, school


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """A page from its template, with what every page shows (who is signed in, the workspace's state)."""
    here = site(request)
    access = viewer(request)
    shared = {
        "access": access,
        "hosted": here.hosted,
        "csrf": csrf_token(request.session),
        "problem": here.live.problem,
        "fault": here.live.fault,
        "words": STATE_WORDS,
    }
    return here.templates.TemplateResponse(request, name, shared | context, status_code=status)


async def index(request: Request) -> Response:
    access = viewer(request)
    if access is None:
        raise HTTPException(403)
    if access.school is not None:  # a school's link sees its own school only
        return RedirectResponse(f"/schools/{access.school}", 303)
    return render(request, "index.html.j2", rows_context(request))


async def rows(request: Request) -> Response:
    """The index's list of schools alone, for the page to refresh as schools are rebuilt."""
    access = viewer(request)
    if access is None or access.school is not None:
        raise HTTPException(403)
    return render(request, "rows.html.j2", rows_context(request))


def rows_context(request: Request) -> dict[str, Any]:
    """The schools the index lists (those matching the search, if any), problems first."""
    live = site(request).live
    engine = live.engine
    records = {
        school.id: engine.record(school.id) or SchoolRecord(school.id, school.label, "missing")
        for school in engine.opened.project.schools
    }
    query = request.query_params.get("q", "")[:200]
    words = fold(query).split()
    found = [row for row in index_rows(engine.workspace.out_dir, records) if all(w in row.search for w in words)]
    states = {row.id: live.state(row.id) for row in found}
    found.sort(key=lambda row: STATE_ORDER.get(states[row.id], 0))  # stable: by name within a state
    counts = {state: sum(s == state for s in states.values()) for state in STATE_WORDS}
    versions = {row.id: records[row.id].outputs[0].sha256[:16] if records[row.id].outputs else "" for row in found}
    return {
        "rows": found,
        "states": states,
        "versions": versions,
        "query": query,
        "counts": counts,
        "total": len(records),
        "unserved": [str(problem) for problem in engine.opened.unserved],
    }


async def school_page(request: Request) -> Response:
    school_id = request.path_params["school"]
    _, school = allowed(request, school_id)
    engine = site(request).live.engine
    try:
        form = await run_in_threadpool(open_form, engine, school)
    except (OSError, ValueError):  # the file cannot be read: the checker's message below says why
        form = None
    problems = [] if form is not None else [str(p) for p in await run_in_threadpool(engine.check, school)]
    saved = request.query_params.get("saved", "")
    context = {"form": form, "shown": None, "saved": saved if saved.isdigit() else "", "problems": problems}
    return render(request, "school.html.j2", school_context(request, school) | context)


def school_context(request: Request, school: SchoolFile) -> dict[str, Any]:
    live = site(request).live
    record = live.engine.record(school.id)
    return {
        "school": school,
        "record": record,
        "name": record.facts.school if record and record.facts else school.id,
        "state": live.state(school.id),
        "version": version_of(live.engine, school.id),  # the file's, for an open form to tell it changed
        "leaflets": leaflets(live.engine, school.id),
    }


async def leaflets_part(request: Request) -> Response:
    """A school's leaflets and state alone, for its page to refresh when it is rebuilt."""
    _, school = allowed(request, request.path_params["school"])
    return render(request, "leaflets.html.j2", school_context(request, school))


async def school_post(request: Request) -> Response:
    """A form posted: a list button, or a save (checked, written, then the school rebuilt at once)."""
    school_id = request.path_params["school"]
    access, school = allowed(request, school_id)
    data = await posted(request)
    live = site(request).live
    if live.problem:  # content/ or layouts/ cannot be loaded: saving now would build with what is no longer there
        raise HTTPException(503, live.problem)
    async with live.saving:
        try:
            outcome = await run_in_threadpool(submit, live.engine, school, plain(data), access)
        except (OSError, ValueError):  # the file went, or is no longer text: the page says what check says of it
            return await school_page(request)
        if isinstance(outcome, Saved):
            await live.rebuild(school_id)
            return RedirectResponse(f"/schools/{school_id}?saved={len(outcome.changes)}", 303)
    return form_page(request, school, outcome)


def form_page(request: Request, school: SchoolFile, shown: Shown) -> Response:
    context = {"form": shown.form, "shown": shown, "saved": "", "problems": []}
    return render(request, "school.html.j2", school_context(request, school) | context, shown.status)


async def posted(request: Request) -> FormData:
    """A post's form, refused (403) without the session's CSRF token."""
    data = await request.form(max_files=0, max_fields=MAX_FIELDS)
    if not csrf_valid(request.session, data.get("csrf")):
        raise HTTPException(403, "csrf")
    return data


def plain(data: FormData) -> dict[str, str]:
    """A form's text fields (the last value of each), files left out."""
    return {key: value for key, value in data.items() if isinstance(value, str)}


async def school_history(request: Request) -> Response:
    """What the change log holds of a school, newest first."""
    _, school = allowed(request, request.path_params["school"])
    engine = site(request).live.engine
    found, _ = await run_in_threadpool(history.entries, engine.workspace, [school.id])
    return render(request, "history.html.j2", school_context(request, school) | {"entries": found[::-1]})


async def enter(request: Request) -> Response:
    """Sign in by a link: the session remembers the link (not its token), and the address bar loses the token."""
    try:
        link = site(request).links.find(request.path_params["token"])
    except FactsheetError:
        link = None
    if link is None:
        raise HTTPException(403, "link")
    request.session.clear()
    request.session["link"] = link.id
    csrf_token(request.session)
    return RedirectResponse("/" if link.school is None else f"/schools/{link.school}", 303)


async def leave(request: Request) -> Response:
    await posted(request)
    request.session.clear()
    return render(request, "message.html.j2", {"title": "Signed out", "left": True})


async def refused(request: Request, exc: Exception) -> Response:
    """The page for an address refused (403), unknown (404), too large a post (413) or a paused server (503)."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else ""
    context = {"title": TITLES.get(status, "Something went wrong"), "status": status, "detail": detail}
    return render(request, "message.html.j2", context, status)


TITLES = {
    403: "You cannot open this page",
    404: "There is no such page",
    413: "The form is too large",
    503: "Saving is paused",
}
