"""``factsheet serve`` through its HTTP interface (Starlette's test client): the form made from the schema, saves
checked as ``check`` checks and written keeping the file's lines, conflicts, the change log, links and CSRF,
bounded bodies, and URLs that never reach the file system unchecked."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import pdf_text
from serving import OTHER, SCHOOL, build_fixture, copy_built, form_fields
from starlette.testclient import TestClient

from factsheet_builder import school_build
from factsheet_builder.check import check
from factsheet_builder.cli import main
from factsheet_builder.config.jsonschema import json_schema
from factsheet_builder.layouts.leaflet import LeafletLayout
from factsheet_builder.project import open_project
from factsheet_builder.serve import engine
from factsheet_builder.serve.app import create_app
from factsheet_builder.status import status
from factsheet_builder.workspace import Workspace

LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("serve") / "built")


@pytest.fixture
def workspace(built: Path, tmp_path: Path) -> Path:
    return copy_built(built, tmp_path / "ws")


@pytest.fixture
def client(workspace: Path):
    with TestClient(create_app(Workspace.open(workspace), hosted=False, watching=False), base_url=LOCAL) as client:
        yield client


def school_file(workspace: Path, school: str = SCHOOL) -> Path:
    return next((workspace / "schools").rglob(f"{school}.yaml"))


def post_form(client: TestClient, school: str, changes: dict[str, str], fields: dict[str, str] | None = None):
    """Post a school's form as a browser would: its fields as the page holds them, with ``changes`` typed in."""
    if fields is None:
        fields = form_fields(client.get(f"/schools/{school}").text)
    return client.post(f"/schools/{school}", data={**fields, "action": "save", **changes}, follow_redirects=False)


def message_beside(html: str, path: str) -> str:
    """The message shown beside the input of a field (by its dotted path)."""
    found = re.search(rf'name="{re.escape(path)}"', html)
    assert found, f"no input for {path}"
    input_id = re.search(r'id="([^"]+)"', html[html.rfind("<input", 0, found.end()) :]).group(1)
    message = re.search(rf'<p class="message" id="{re.escape(input_id)}-message">([^<]*)</p>', html)
    assert message, f"no message beside {path}"
    return message.group(1).replace("&#39;", "'")


def check_message(workspace: Path, school: str, old: str, new: str, field: str) -> str:
    """What ``factsheet check`` says of ``field`` when the school file's ``old`` text is replaced by ``new``."""
    path = school_file(workspace, school)
    original = path.read_bytes()
    path.write_text(original.decode().replace(old, new), "utf-8")
    try:
        report = check(Workspace.open(workspace), [school])
    finally:
        path.write_bytes(original)
    return next(p.message for p in report.all_problems if p.field == field)


def test_the_index_lists_every_school_and_its_state(client: TestClient) -> None:
    page = client.get("/").text
    assert "North Road Primary School" in page and "Hillside Academy" in page
    assert "2 schools: 2 built." in " ".join(page.split())


def test_the_index_names_the_school_files_left_out_and_why(workspace: Path) -> None:
    (workspace / "schools" / "St Anne's.yaml").write_text("school:\n  name: St Anne's\n", "utf-8")
    with TestClient(create_app(Workspace.open(workspace), hosted=False, watching=False), base_url=LOCAL) as client:
        page = client.get("/").text.replace("&#39;", "'")
    assert "<h2>School files left out</h2>" in page
    assert "<li>schools/St Anne's.yaml: school id 'St Anne's' is not a safe name (only lower-case letters" in page


def test_the_form_is_made_from_the_schemas_fields(client: TestClient, workspace: Path) -> None:
    fields = form_fields(client.get(f"/schools/{SCHOOL}").text)
    typed = {name for name in fields if not name.startswith(("was", "row:", "csrf", "version", "opened"))}
    assert typed == {
        "school.name",
        *(
            f"safeguarding.{p}.{k}"
            for p in ("dsl", "deputies[0]", "deputies[1]", "cse_lead")
            for k in ("name", "phone", "email")
        ),
        "review_date",
    }
    assert fields["safeguarding.deputies[1].name"] == "Siân Llywelyn"
    project = open_project(Workspace.open(workspace))
    schema = json_schema(project.registry, project.topics)
    for name in typed:  # every input is a property of the JSON Schema, of a type that takes text
        node = schema
        for part in re.sub(r"\[\d+\]", ".[]", name).split("."):
            node = node["items"] if part == "[]" else node["properties"][part]
        assert "string" in (node.get("type") if isinstance(node.get("type"), list) else [node.get("type")])
    html = client.get(f"/schools/{SCHOOL}").text
    assert 'type="tel"' in html and 'type="email"' in html  # phones and emails as the fields declare them


def test_a_save_changes_its_line_alone_and_rebuilds_the_school(client: TestClient, workspace: Path) -> None:
    path = school_file(workspace)
    before = path.read_text("utf-8").splitlines()
    response = post_form(client, SCHOOL, {"safeguarding.dsl.phone": "0191 496 0999"})
    assert response.status_code == 303 and response.headers["location"] == f"/schools/{SCHOOL}?saved=1"
    after = path.read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after) and changed == [
        (
            '  dsl: {name: Aisha Rahman, phone: "0191 496 0101", email: a.rahman@northroad.example}',
            '  dsl: {name: Aisha Rahman, phone: "0191 496 0999", email: a.rahman@northroad.example}',
        )
    ]
    pdf = workspace / "out" / SCHOOL / f"{SCHOOL}-cse-leaflet.pdf"
    assert "0191 496 0999" in pdf_text(pdf) and "0191 496 0101" not in pdf_text(pdf)
    manifest = json.loads((workspace / "out" / "manifest.json").read_text("utf-8"))["schools"][SCHOOL]
    assert manifest["status"] == "built"
    assert (
        next(o for o in manifest["outputs"] if o["format"] == "pdf")["sha256"]
        == hashlib.sha256(pdf.read_bytes()).hexdigest()
    )
    page = client.get(response.headers["location"]).text
    assert "1 value changed" in page and 'value="0191 496 0999"' in page


def test_a_save_checks_and_fits_the_school_once_and_what_it_builds_is_current(
    client: TestClient, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done: list[str] = []
    checked, fitted = engine.check_school, LeafletLayout.fit

    def check_school(*args, **kwargs):
        done.append("check")
        return checked(*args, **kwargs)

    monkeypatch.setattr(engine, "check_school", check_school)
    monkeypatch.setattr(school_build, "check_school", check_school)
    monkeypatch.setattr(LeafletLayout, "fit", lambda layout, sheet: done.append("fit") or fitted(layout, sheet))
    fields = form_fields(client.get(f"/schools/{SCHOOL}").text)
    done.clear()
    response = post_form(client, SCHOOL, {"safeguarding.dsl.phone": "0191 496 0999"}, fields)
    assert response.status_code == 303
    assert done == ["check", "fit"]  # the would-be file's, which the build then renders from
    assert "0191 496 0999" in pdf_text(workspace / "out" / SCHOOL / f"{SCHOOL}-cse-leaflet.pdf")
    states, _ = status(Workspace.open(workspace), [SCHOOL])
    assert [(state.id, state.state) for state in states] == [(SCHOOL, "current")]
    # a file changed after it was checked is checked again by the build, never drawn from the old check
    serving, path = client.app.state.site.live.engine, school_file(workspace)
    serving.check(serving.opened.school(SCHOOL), path.read_text("utf-8"))
    path.write_text(path.read_text("utf-8").replace("0191 496 0999", "0191 496 0888"), "utf-8")
    done.clear()
    serving.rebuild(SCHOOL)
    assert done == ["check", "fit"]
    assert "0191 496 0888" in pdf_text(workspace / "out" / SCHOOL / f"{SCHOOL}-cse-leaflet.pdf")


def test_a_bad_phone_gets_checks_message_beside_it_and_nothing_is_written(client: TestClient, workspace: Path) -> None:
    path = school_file(workspace)
    before = path.read_bytes()
    response = post_form(client, SCHOOL, {"safeguarding.deputies[0].phone": "0191 496 01", "school.name": "North Road"})
    assert response.status_code == 422
    assert path.read_bytes() == before
    expected = check_message(workspace, SCHOOL, "0191 496 0102", "0191 496 01", "safeguarding.deputies[0].phone")
    assert message_beside(response.text, "safeguarding.deputies[0].phone") == expected
    assert "not a valid UK phone number" in expected
    assert 'value="0191 496 01"' in response.text and 'value="North Road"' in response.text  # what was typed stays


def test_deputies_are_added_reordered_and_removed_keeping_the_lists_comment(
    client: TestClient, workspace: Path
) -> None:
    fields = form_fields(client.get(f"/schools/{SCHOOL}").text)
    added = client.post(f"/schools/{SCHOOL}", data={**fields, "action": "add safeguarding.deputies"})
    assert added.status_code == 200
    fields = form_fields(added.text)
    assert fields["row:safeguarding.deputies[2]"] == "new" and fields["safeguarding.deputies[2].name"] == ""
    fields["safeguarding.deputies[2].name"] = "Łucja Kowalska"
    fields["safeguarding.deputies[2].email"] = "l.kowalska@northroad.example"
    moved = client.post(f"/schools/{SCHOOL}", data={**fields, "action": "up safeguarding.deputies 2"})
    fields = form_fields(moved.text)
    assert [fields[f"safeguarding.deputies[{i}].name"] for i in range(3)] == [
        "Tom Brown",
        "Łucja Kowalska",
        "Siân Llywelyn",
    ]
    removed = client.post(f"/schools/{SCHOOL}", data={**fields, "action": "remove safeguarding.deputies 0"})
    assert school_file(workspace).read_text("utf-8").count("Tom Brown") == 1  # nothing is written before a save
    assert post_form(client, SCHOOL, {}, form_fields(removed.text)).status_code == 303
    text = school_file(workspace).read_text("utf-8")
    assert "Tom Brown" not in text
    assert (
        "  deputies:\n    # the deputies, in the order the leaflet lists them\n"
        "    - {name: Łucja Kowalska, email: l.kowalska@northroad.example}\n    - {name: Siân Llywelyn}\n"
    ) in text
    assert "Łucja Kowalska" in pdf_text(workspace / "out" / SCHOOL / f"{SCHOOL}-cse-leaflet.pdf")


def test_a_value_the_file_shares_through_an_alias_is_not_changed_for_two_people(
    client: TestClient, workspace: Path
) -> None:
    path = school_file(workspace)
    path.write_text(
        path.read_text("utf-8")
        .replace("  dsl: {", "  dsl: &dsl {")
        .replace("  cse_lead: {name: Priya Patel}", "  cse_lead: *dsl"),
        "utf-8",
    )
    before = path.read_bytes()
    response = post_form(client, SCHOOL, {"safeguarding.cse_lead.phone": "0191 496 0999"})
    assert response.status_code == 422 and path.read_bytes() == before
    assert (
        f"schools/{SCHOOL}.yaml: changing safeguarding.cse_lead.phone would change safeguarding.dsl too: the school's "
        "file gives safeguarding.cse_lead and safeguarding.dsl the same values through the YAML alias '*dsl'; write "
        "safeguarding.cse_lead out in full instead of '*dsl', then save again"
    ) in response.text.replace("&#39;", "'")


def test_a_renamed_person_keeps_the_old_persons_number_only_when_asked(client: TestClient, workspace: Path) -> None:
    path = school_file(workspace)
    before = path.read_bytes()
    fields = form_fields(client.get(f"/schools/{SCHOOL}").text)
    asked = post_form(client, SCHOOL, {"safeguarding.deputies[0].name": "Ann Lee"}, fields)
    assert asked.status_code == 422 and path.read_bytes() == before
    assert "The phone number is still Tom Brown&#39;s." in asked.text
    kept = post_form(
        client,
        SCHOOL,
        {"safeguarding.deputies[0].name": "Ann Lee"},
        form_fields(asked.text) | {"keep:safeguarding.deputies[0]": "yes"},
    )
    assert kept.status_code == 303
    assert '- {name: Ann Lee, phone: "0191 496 0102"}' in path.read_text("utf-8")


def test_the_second_of_two_saves_is_told_of_the_first_and_overwrites_nothing(
    client: TestClient, workspace: Path
) -> None:
    first = form_fields(client.get(f"/schools/{SCHOOL}").text)
    second = dict(first)
    assert post_form(client, SCHOOL, {"safeguarding.dsl.phone": "0191 496 0999"}, first).status_code == 303
    saved = school_file(workspace).read_bytes()
    refused = post_form(client, SCHOOL, {"safeguarding.dsl.email": "aisha@northroad.example"}, second)
    assert refused.status_code == 409
    assert school_file(workspace).read_bytes() == saved
    flat = " ".join(re.sub(r"<[^>]+>", " ", refused.text).split())
    assert "Nothing was saved: this school changed while you had the form open" in flat
    assert "The Designated Safeguarding Lead: Phone: 0191 496 0101 → 0191 496 0999" in flat
    assert "this computer" in flat  # who: the first save's link, from the change log
    again = form_fields(refused.text)  # their change and mine, side by side
    assert (
        again["safeguarding.dsl.phone"] == "0191 496 0999"
        and again["safeguarding.dsl.email"] == "aisha@northroad.example"
    )
    assert post_form(client, SCHOOL, {}, again).status_code == 303
    assert 'phone: "0191 496 0999", email: aisha@northroad.example' in school_file(workspace).read_text("utf-8")


def test_a_change_on_disk_since_the_form_was_opened_is_a_conflict_too(client: TestClient, workspace: Path) -> None:
    fields = form_fields(client.get(f"/schools/{SCHOOL}").text)
    path = school_file(workspace)
    path.write_text(path.read_text("utf-8").replace("Priya Patel", "Priya Shah"), "utf-8")
    edited = path.read_bytes()
    refused = post_form(client, SCHOOL, {"safeguarding.dsl.phone": "0191 496 0999"}, fields)
    assert refused.status_code == 409 and path.read_bytes() == edited
    assert "someone editing the file itself" in refused.text and "Priya Shah" in refused.text


def test_a_change_on_disk_outside_the_forms_values_does_not_stop_a_save(client: TestClient, workspace: Path) -> None:
    fields = form_fields(client.get(f"/schools/{SCHOOL}").text)
    path = school_file(workspace)
    path.write_text(path.read_text("utf-8").replace("# as on the sign", "# as painted on the sign"), "utf-8")
    assert post_form(client, SCHOOL, {"safeguarding.dsl.phone": "0191 496 0999"}, fields).status_code == 303
    text = path.read_text("utf-8")
    assert "# as painted on the sign" in text and "0191 496 0999" in text


def test_every_save_is_logged_and_factsheet_history_prints_it(client: TestClient, workspace: Path) -> None:
    post_form(client, SCHOOL, {"safeguarding.dsl.phone": "0191 496 0999", "review_date": "2028-01-31"})
    result = CliRunner().invoke(main, ["history", SCHOOL, "-C", str(workspace)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(
        rf"\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d  {SCHOOL}  safeguarding\.dsl\.phone: '0191 496 0101' -> "
        r"'0191 496 0999'  \(this computer \(.+\)\)",
        lines[0],
    )
    assert lines[1].endswith("review_date: '2027-09-01' -> '2028-01-31'  " + lines[0].rsplit("  ", 1)[1])
    page = client.get(f"/schools/{SCHOOL}/history").text
    assert "0191 496 0999" in page and "safeguarding.dsl.phone" in page
    assert CliRunner().invoke(main, ["history", OTHER, "-C", str(workspace)]).output.strip() == (
        "warning: .factsheet/history.jsonl: no change to 'hillside-academy' is logged"
    )


def test_a_post_without_the_sessions_csrf_token_is_refused(client: TestClient, workspace: Path) -> None:
    before = school_file(workspace).read_bytes()
    fields = form_fields(client.get(f"/schools/{SCHOOL}").text)
    for token in ({"csrf": "forged"}, {"csrf": ""}):
        response = post_form(client, SCHOOL, {"safeguarding.dsl.phone": "0191 496 0999", **token}, fields)
        assert response.status_code == 403 and "did not come from this site" in response.text
    stranger = TestClient(client.app, base_url=LOCAL)  # another browser: its own session, so its own token
    assert stranger.post(f"/schools/{SCHOOL}", data={**fields, "action": "save"}).status_code == 403
    assert school_file(workspace).read_bytes() == before


def test_every_response_forbids_inline_script_and_cookies_are_httponly_and_samesite(client: TestClient) -> None:
    for url in ("/", f"/schools/{SCHOOL}", f"/schools/{SCHOOL}/history", "/nowhere"):
        response = client.get(url)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe" not in policy and "default-src 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY" and response.headers["referrer-policy"] == "no-referrer"
        html = response.text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html) and not re.search(r"\son[a-z]+=", html)
        assert not re.search(r"\sstyle=", html)
    cookie = TestClient(client.app, base_url=LOCAL).get("/").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_request_bodies_are_bounded(client: TestClient, workspace: Path) -> None:
    before = school_file(workspace).read_bytes()
    fields = form_fields(client.get(f"/schools/{SCHOOL}").text)
    response = client.post(f"/schools/{SCHOOL}", data={**fields, "action": "save", "school.name": "x" * 300_000})
    assert response.status_code == 413
    assert school_file(workspace).read_bytes() == before


@pytest.mark.parametrize(
    "url",
    [
        f"/schools/{SCHOOL}/files/..%2F..%2Fschools%2F{SCHOOL}.yaml",
        f"/schools/{SCHOOL}/files/{OTHER}-cse-leaflet.pdf",
        f"/schools/{SCHOOL}/files/manifest.json",
        f"/schools/{SCHOOL}/pages/{SCHOOL}-cse-leaflet.docx/1",
        f"/schools/{SCHOOL}/pages/{SCHOOL}-cse-leaflet.pdf/0",
        f"/schools/{SCHOOL}/pages/{SCHOOL}-cse-leaflet.pdf/3",
        "/schools/..%2Fschools/files/x",
        "/schools/no-such-school",
        "/static/..%2F..%2Fcli.py",
        "/static/serve.py",
    ],
)
def test_no_part_of_a_url_reaches_the_file_system_unchecked(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_a_link_in_out_to_another_file_is_never_served(client: TestClient, workspace: Path) -> None:
    school = workspace / "out" / SCHOOL
    pdf, docx = school / f"{SCHOOL}-cse-leaflet.pdf", school / f"{SCHOOL}-cse-leaflet.docx"
    thumbnail = next((school / "preview").iterdir())
    pdf.unlink()
    pdf.symlink_to(workspace / "out" / OTHER / f"{OTHER}-cse-leaflet.pdf")
    docx.unlink()
    docx.symlink_to(school_file(workspace, OTHER))
    thumbnail.unlink()
    thumbnail.symlink_to(next((workspace / "out" / OTHER / "preview").iterdir()))
    for url in (
        f"/schools/{SCHOOL}/files/{pdf.name}",
        f"/schools/{SCHOOL}/files/{docx.name}",
        f"/schools/{SCHOOL}/pages/{pdf.name}/1",
        f"/schools/{SCHOOL}/thumbnail",
    ):
        assert client.get(url).status_code == 404, url


def test_a_schools_files_and_page_images_are_served(client: TestClient, workspace: Path) -> None:
    from factsheet_builder.page_images import page_images

    pdf = workspace / "out" / SCHOOL / f"{SCHOOL}-cse-leaflet.pdf"
    download = client.get(f"/schools/{SCHOOL}/files/{pdf.name}")
    assert download.content == pdf.read_bytes()
    assert download.headers["content-disposition"] == f'attachment; filename="{pdf.name}"'
    page = client.get(f"/schools/{SCHOOL}")
    for each in sorted((workspace / "out" / SCHOOL).glob("*.*")):  # every file the page offers to download
        assert f'href="/schools/{SCHOOL}/files/{each.name}"' in page.text
        assert client.get(f"/schools/{SCHOOL}/files/{each.name}").content == each.read_bytes(), each.name
    image = client.get(f"/schools/{SCHOOL}/pages/{pdf.name}/2")
    assert image.headers["content-type"] == "image/jpeg"
    assert image.content == page_images(pdf.read_bytes(), 96, 1, start=1, image_format="JPEG")[0]


def test_out_index_html_follows_a_save(client: TestClient, workspace: Path) -> None:
    import time

    fields = form_fields(client.get(f"/schools/{SCHOOL}").text)
    changes = {"safeguarding.dsl.name": "Aisha Rahman-Hughes", "keep:safeguarding.dsl": "yes"}
    assert post_form(client, SCHOOL, changes, fields).status_code == 303
    index = workspace / "out" / "index.html"
    deadline = time.monotonic() + 60  # it is written after the save's response, in the background
    while "Aisha Rahman-Hughes" not in index.read_text("utf-8") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "Aisha Rahman-Hughes" in index.read_text("utf-8")


def test_a_school_file_that_is_no_longer_text_is_reported_not_edited(client: TestClient, workspace: Path) -> None:
    fields = form_fields(client.get(f"/schools/{SCHOOL}").text)
    school_file(workspace).write_bytes(b"school:\n  name: North Road \xff\n")
    for response in (client.get(f"/schools/{SCHOOL}"), post_form(client, SCHOOL, {"school.name": "North"}, fields)):
        assert response.status_code == 200
        assert "The school's file cannot be read as a form" in response.text
        assert f"schools/{SCHOOL}.yaml:2: is not UTF-8 text (byte 0xff at column 20)" in response.text
    assert school_file(workspace).read_bytes() == b"school:\n  name: North Road \xff\n"
