"""How the layouts are built: one package each over shared blocks, imported lazily, with their sources known."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from factsheet_builder.layouts.registry import BUILT_IN_LAYOUTS, SHARED_SOURCES, discover

PACKAGE = REPO / "factsheet_builder"
LAYOUT_PACKAGES = {name: PACKAGE / "layouts" / module.rpartition(".")[2] for name, module in BUILT_IN_LAYOUTS.items()}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function, by its absolute name."""
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.update(f"{base}.{alias.name}" for alias in node.names)
            names.add(base)
    return names


def run_python(code: str) -> dict:
    """What a fresh interpreter prints as JSON after running ``code``: nothing imported earlier in the tests counts."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", sorted(LAYOUT_PACKAGES))
def test_each_built_in_layout_is_a_package_of_design_pdf_and_docx(name: str) -> None:
    folder = LAYOUT_PACKAGES[name]
    names = {p.name for p in folder.glob("*.py")}
    assert {"__init__.py", "design.py", "docx.py", "pdf.py"} <= names
    module = f"factsheet_builder.layouts.{folder.name}"
    pdf_side = {f"{module}.{n.removesuffix('.py')}" for n in names - {"__init__.py", "design.py", "docx.py"}}
    docx_imports = imported_modules(folder / "docx.py")
    assert not {*pdf_side, "factsheet_builder.render.pdf"} & docx_imports
    assert not any(name.startswith("reportlab") for name in docx_imports)
    design_imports = imported_modules(folder / "design.py")
    assert not {f"{module}.pdf", f"{module}.docx", module} & design_imports
    for side in ("pdf.py", "docx.py"):
        assert module not in imported_modules(folder / side), f"{side} imports its Layout class"


def test_a_build_imports_only_the_layouts_it_uses() -> None:
    loaded = run_python(
        "import json, sys\n"
        "from factsheet_builder.layouts.registry import discover\n"
        "registry = discover()\n"
        "names = list(registry)\n"
        "listed = sorted(m for m in sys.modules if m.startswith('factsheet_builder.layouts.'))\n"
        "registry['large-print']\n"
        "sources = registry.sources('poster')\n"
        "after = sorted(m for m in sys.modules if m.startswith('factsheet_builder.layouts.'))\n"
        "print(json.dumps({'names': names, 'listed': listed, 'after': after,\n"
        "                  'reportlab': any(m.startswith('reportlab') for m in sys.modules),\n"
        "                  'docx': 'docx' in sys.modules}))\n"
    )
    assert loaded["names"] == ["large-print", "leaflet", "poster"]
    assert loaded["listed"] == ["factsheet_builder.layouts.registry"]
    assert loaded["after"] == ["factsheet_builder.layouts.large_print", "factsheet_builder.layouts.registry"]
    assert not loaded["reportlab"] and not loaded["docx"]  # a Layout class is light: its writers load when it renders


def test_sources_of_a_built_in_layout_are_its_package_and_the_shared_blocks() -> None:
    sources = discover().sources("leaflet")
    package = LAYOUT_PACKAGES["leaflet"].resolve()
    own = tuple(sorted(package.glob("*.py")))
    assert package / "pdf.py" in own and package / "docx.py" in own
    assert sources[: len(own)] == own
    assert sources[len(own) :] == SHARED_SOURCES
    assert PACKAGE.resolve() / "render" / "palette.py" in sources
    assert PACKAGE.resolve() / "layouts" / "__init__.py" in sources
    assert not any("poster" in path.parts for path in sources)
    assert all(path.is_file() for path in sources)


def test_sources_of_a_workspace_layout_are_its_file_its_helpers_and_the_shared_blocks() -> None:
    folder = (FIXTURES / "layouts-discovery" / "layouts").resolve()
    registry = discover(folder, folder.parent)
    assert registry.sources("notice") == (folder / "notice.py", folder / "_wording.py", *SHARED_SOURCES)
    with pytest.raises(Exception, match="Unrecognised layout name: 'notise'"):
        registry.sources("notise")


def test_the_palette_is_format_neutral_and_converts_to_both_formats() -> None:
    from reportlab.lib import colors

    from factsheet_builder.render.palette import Colour, Palette
    from factsheet_builder.render.pdf import colour

    palette = Palette.from_accent("#1d4f91")
    assert palette.accent == Colour(29 / 255, 79 / 255, 145 / 255)
    assert (palette.accent.hex, palette.tint.hex, palette.ink.hex, palette.muted.hex) == (
        "#1d4f91",
        "#e3e9f1",
        "#1a1a1a",
        "#4d4d4d",
    )
    assert colour(palette.accent) == colors.HexColor("#1d4f91")
    assert colour(palette.tint).hexval() == "0xe3e9f1"
    assert all(Colour.from_hex(f"#{v:02x}{v:02x}{v:02x}").hex == f"#{v:02x}{v:02x}{v:02x}" for v in range(256))


def test_units_are_reportlabs_to_the_bit() -> None:
    from reportlab.lib import pagesizes, units

    from factsheet_builder.render.units import A3, A4, MM

    assert (MM, A3, A4) == (units.mm, pagesizes.A3, pagesizes.A4)


def test_options_meet_their_defaults_in_the_layout_only() -> None:
    registry = discover()
    poster = registry["poster"]
    assert poster({"paper": "A4"}).options == {"paper": "A4", "accent_colour": "#1d4f91"}
    assert poster().palette == registry["leaflet"]().palette
    assert registry["large-print"]({"accent_colour": "#000000"}).palette.accent.hex == "#000000"


def test_poster_and_large_print_pdfs_reference_only_embedded_fonts() -> None:
    """Whatever was imported first: ReportLab's table font default is fixed when its tables module loads."""
    fonts = run_python(
        "import json, reportlab.platypus.tables\n"
        "from factsheet_builder.project import open_project\n"
        "from factsheet_builder.check import check_school\n"
        "from factsheet_builder.workspace import Workspace\n"
        "import io\n"
        "from pypdf import PdfReader\n"
        "project = open_project(Workspace.open('.'), ('st-aidans-primary',))\n"
        "_, sheets, _ = check_school(project, project.schools[0])\n"
        "sheet = sheets['cse']\n"
        "found = {}\n"
        "for name in ('poster', 'large-print'):\n"
        "    layout = project.registry[name]()\n"
        "    data = layout.render('pdf', sheet, layout.fit(sheet)).data\n"
        "    names = set()\n"
        "    for page in PdfReader(io.BytesIO(data)).pages:\n"
        "        for font in page['/Resources']['/Font'].values():\n"
        "            font = font.get_object()\n"
        "            names.add((str(font['/BaseFont']), '/FontDescriptor' in font))\n"
        "    found[name] = sorted(names)\n"
        "print(json.dumps(found))\n"
    )
    for name, names in fonts.items():
        assert names and all("LiberationSans" in base and embedded for base, embedded in names), (name, names)
