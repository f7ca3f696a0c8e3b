"""Arbitrary Unicode names and numbers either print recoverably in PDF and DOCX or fail with a clean one-line error."""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from pathlib import Path

import pytest
from conftest import REPO, docx_text, pdf_text, squash
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from factsheet_builder.build import build
from factsheet_builder.config.phones import format_uk
from factsheet_builder.workspace import Workspace

DEFAULTS = """\
authority: {name: Newcastle City Council, cse_service: Newcastle Sexual Exploitation Service,
            police_force: Northumbria Police}
contacts:
  social_care: {phone: "0191 277 2500", out_of_hours: "0191 278 7878"}
  police: {non_emergency: "101", emergency: "999"}
"""

# Any text YAML can carry, and (more often, so that many examples do build) text in the scripts the font has.
anything = st.text(max_size=40)
readable = st.text(st.characters(max_codepoint=0x4FF, categories=("L", "M", "P", "S", "Zs")), max_size=40)
names = st.one_of(*[readable.filter(str.strip)] * 3, anything)
valid_phones = st.sampled_from(["0191 498 0123", "+44 191 498 0123", "01792123456", "(0800) 1111", "116 123", "101"])
phones = st.one_of(*[valid_phones] * 3, st.from_regex(r"\+?[0-9 ()-]{3,16}", fullmatch=True), st.text(max_size=20))


def quoted(value: str) -> str:
    """``value`` as a YAML double-quoted scalar that reads back exactly (every non-printable escaped)."""
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\U{ord(c):08x}" for c in value) + '"'


def printed(value: str) -> str:
    """What the leaflet should show for a typed value: NFC, trimmed, inner whitespace as single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).split())


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for this module's throwaway workspaces."""
    return tmp_path_factory.mktemp("property")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(school=names, dsl=names, deputy=names, phone=phones)
@example("St Mary's & St Joseph's <RC> \"Academy\"", "Zoë Ångström-O'Brien", "Łukasz Żółć", "+44 191 498 0123")
@example("Ysgol Gŵyr", "Ǹgozi Ọkafor", "Αλέξανδρος Παπαδόπουλος", "01792 123456")
@example("{{ 7*7 }}", "Ива\u0301н Петро\u0301в", "Nguye\u0302\u0303n Văn An", "116 123")
@example("St Aidan's", "王秀英", "Jane\u200bSmith", "0191 277")
def test_any_values_render_recoverably_or_fail_cleanly(
    base: Path, school: str, dsl: str, deputy: str, phone: str
) -> None:
    workspace = Path(tempfile.mkdtemp(dir=base))  # a fresh folder per example: no cache can see an old file
    shutil.copytree(REPO / "content", workspace / "content")
    (workspace / "schools").mkdir()
    (workspace / "schools/_defaults.yaml").write_text(DEFAULTS, "utf-8")
    (workspace / "schools/st-aidans.yaml").write_text(
        f"school: {{name: {quoted(school)}}}\n"
        f"safeguarding:\n  dsl: {{name: {quoted(dsl)}, phone: {quoted(phone)}}}\n"
        f"  deputies:\n    - {{name: {quoted(deputy)}}}\n",
        "utf-8",
    )
    report = build(Workspace.open(workspace))
    [result] = report.results
    if result.status == "failed":
        assert result.errors, "a failed school must say why"
        for problem in result.errors:
            text = str(problem)
            assert text.startswith("schools/st-aidans.yaml")
            assert "\n" not in text and "\r" not in text
            assert all(c == " " or c.isprintable() for c in text), text
        assert report.failed  # the CLI exits 1
        event("failed cleanly")
        return
    assert result.status == "built"
    event("built")
    pdf = squash(pdf_text(workspace / "out/st-aidans/st-aidans-cse-leaflet.pdf"))
    docx = squash(docx_text(workspace / "out/st-aidans/st-aidans-cse-leaflet.docx"))
    for value in (printed(school), printed(dsl), printed(deputy), format_uk(printed(phone))):
        assert value and squash(value) in pdf, value
        assert squash(value) in docx, value
