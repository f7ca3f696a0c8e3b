"""The package's shape: no import circles, small modules, one copy of each file. (Which way imports point, by
layer, is checked by import-linter from the contracts in pyproject.toml; here, that every module is in a layer.)

The import graph is read from the source with ``ast``, so nothing is imported to draw it. An edge is every
import statement: at module level and inside functions and methods alike, because a circle hidden behind a
function-level import still knots the code together, and under ``if TYPE_CHECKING:`` too, because two modules
that need each other's types are one concern split in two. ``from package import name`` is an edge to the
submodule ``package.name`` where one exists, and otherwise to the package itself. A module that imports
``importlib`` may load modules by name, so there a string that is exactly the name of one of the package's modules
is an edge too. Importing a submodule also initialises its parent packages, but Python always does that parent
first, so that alone is not counted as an edge.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = "factsheet_builder"
MAX_LINES = 400


@dataclass(frozen=True)
class Edge:
    """One runtime import: the importing module, the imported one, and where the statement stands."""

    source: str
    target: str
    line: int

    def where(self, modules: dict[str, Path]) -> str:
        return f"{modules[self.source].relative_to(REPO)}:{self.line}"


def package_modules(root: Path = REPO / PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, for its __init__.py)."""
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def all_imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement below node, those under ``if TYPE_CHECKING:`` included."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    for child in ast.iter_child_nodes(node):
        yield from all_imports(child)


def resolve(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> set[str]:
    """The package's modules that an import statement in module loads by name."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
        # "import a.b.c" names a.b.c; the longest part of the name that is a module is what it loads
        return {
            max((n for n in modules if name == n or name.startswith(n + ".")), key=len)
            for name in names
            if any(name == n or name.startswith(n + ".") for n in modules)
        }
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    targets = set()
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        if submodule in modules:
            targets.add(submodule)
        elif base in modules:
            targets.add(base)
    return targets


def by_name(
    tree: ast.Module, imports: list[ast.Import | ast.ImportFrom], modules: dict[str, Path]
) -> Iterator[tuple[str, int]]:
    """The modules a module that uses importlib names in strings, which it may load by name, with their lines."""
    names = [alias.name for node in imports if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module or "" for node in imports if isinstance(node, ast.ImportFrom)]
    if not any(name.split(".")[0] == "importlib" for name in names):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in modules:
            yield node.value, node.lineno


def import_graph(modules: dict[str, Path]) -> list[Edge]:
    """Every import from one of the package's modules to another (a module importing itself aside)."""
    edges = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        imports = list(all_imports(tree))
        found = [
            (target, node.lineno)
            for node in imports
            for target in sorted(resolve(module, path.name == "__init__.py", node, modules))
        ]
        edges += [
            Edge(module, target, line)
            for target, line in found + list(by_name(tree, imports, modules))
            if target != module
        ]
    return edges


def find_cycles(modules: dict[str, Path], edges: list[Edge]) -> list[list[Edge]]:
    """One circle of imports from each strongly connected group of modules (Tarjan's algorithm)."""
    out: dict[str, list[Edge]] = {m: [] for m in modules}
    for edge in edges:
        out[edge.source].append(edge)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for edge in out[node]:
            if edge.target not in index:
                connect(edge.target)
                low[node] = min(low[node], low[edge.target])
            elif edge.target in on_stack:
                low[node] = min(low[node], index[edge.target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in modules:
        if node not in index:
            connect(node)
    return [cycle_in(group, out) for group in groups]


def cycle_in(group: set[str], out: dict[str, list[Edge]]) -> list[Edge]:
    """A shortest circle through the group's first module (breadth first, staying inside the group)."""
    start = min(group)
    came_by: dict[str, Edge] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for edge in out[node]:
                if edge.target == start:
                    path = [edge]
                    while path[0].source != start:
                        path.insert(0, came_by[path[0].source])
                    return path
                if edge.target in group and edge.target not in came_by:
                    came_by[edge.target] = edge
                    following.append(edge.target)
        frontier = following
    raise AssertionError(f"no circle found in the strongly connected group {sorted(group)}")


def layers() -> list[list[str]]:
    """The layers of the import-linter contract in pyproject.toml, highest first: each a list of patterns."""
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [[name.strip() for name in layer.split(":")] for layer in contract["layers"]]


@pytest.fixture(scope="module")
def modules() -> dict[str, Path]:
    return package_modules()


@pytest.fixture(scope="module")
def edges(modules: dict[str, Path]) -> list[Edge]:
    return import_graph(modules)


def test_the_package_has_no_import_circles(modules: dict[str, Path], edges: list[Edge]) -> None:
    cycles = find_cycles(modules, edges)
    shown = [
        "  " + " -> ".join([cycle[0].source] + [f"{e.target} ({e.where(modules)})" for e in cycle]) for cycle in cycles
    ]
    assert not cycles, "import circles (each import named by the line that makes it):\n" + "\n".join(shown)


def test_no_module_is_over_the_size_limit(modules: dict[str, Path]) -> None:
    sizes = {path.relative_to(REPO): len(path.read_text(encoding="utf-8").splitlines()) for path in modules.values()}
    over = [f"  {path}: {lines} lines" for path, lines in sorted(sizes.items()) if lines > MAX_LINES]
    assert not over, f"modules over {MAX_LINES} lines (split them by concern):\n" + "\n".join(over)


def test_every_module_is_in_one_layer(modules: dict[str, Path]) -> None:
    found = layers()
    homeless = []
    for module in modules:
        name = module.removeprefix(PACKAGE).removeprefix(".")
        top = name.split(".")[0]
        places = [i for i, layer in enumerate(found) if top in layer]
        if name and len(places) != 1:
            homeless.append(f"  {module}: in {len(places)} layers")
    assert not homeless, "give each module one layer in pyproject.toml's import-linter contract:\n" + "\n".join(
        homeless
    )


PRIVATE_MODULES = {"_sre", "re._compiler", "re._parser", "sre_compile", "sre_parse"}


def test_nothing_imports_pythons_private_regular_expression_modules_or_calls_vars(modules: dict[str, Path]) -> None:
    found = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in all_imports(tree):
            names = [alias.name for alias in node.names]
            if isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(f"{node.module}.{name}" for name in names)]
            found += [f"  {module}:{node.lineno}: imports {name}" for name in names if name in PRIVATE_MODULES]
        found += [
            f"  {module}:{node.lineno}: calls vars()"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "vars"
        ]
    assert not found, "private internals of Python, or objects rebuilt from their vars():\n" + "\n".join(found)


@pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(), reason="not a git checkout")
def test_the_repository_holds_one_copy_of_each_file_outside_the_tests() -> None:
    # the skeleton workspace links to the example's content/ rather than copying it; fixtures may repeat themselves
    listed = subprocess.run(["git", "ls-files", "--stage", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    paths_by_blob: dict[str, list[str]] = defaultdict(list)
    for entry in filter(None, listed.decode().split("\0")):
        mode_blob_stage, path = entry.split("\t", 1)
        mode, blob, _ = mode_blob_stage.split()
        if mode != "120000" and not path.startswith("tests/"):  # 120000: a symbolic link, not a copy
            paths_by_blob[blob].append(path)
    copies = [paths for paths in paths_by_blob.values() if len(paths) > 1]
    assert not copies, "files with the same bytes (keep one, link or generate the other):\n" + "\n".join(
        "  " + " = ".join(paths) for paths in copies
    )


# The checks above are only as good as the graph; these make sure it sees what it must.


def graph_of(tmp_path: Path, files: dict[str, str]) -> tuple[dict[str, Path], list[Edge]]:
    """The modules and edges of a throwaway package written from files ({relative path: source})."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = package_modules(tmp_path / "pkg")
    return found, import_graph(found)


def test_the_graph_resolves_relative_submodule_and_function_level_imports(tmp_path: Path) -> None:
    found, edges = graph_of(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.sub import b\nfrom . import c\nimport pkg.sub.d as d\n",
            "pkg/sub/__init__.py": "from .b import thing\n",
            "pkg/sub/b.py": "def f():\n    from ..c import x\n",
            "pkg/sub/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import c\n",
            "pkg/c.py": "from pkg import sub\nx = 1\n",
            "pkg/registry.py": "import importlib\nPLUGINS = {'a': 'pkg.a', 'other': 'pkg.a.missing'}\n",
        },
    )
    assert {(e.source, e.target) for e in edges} == {
        ("pkg.a", "pkg.sub.b"),
        ("pkg.a", "pkg.c"),
        ("pkg.a", "pkg.sub.d"),
        ("pkg.sub", "pkg.sub.b"),
        ("pkg.sub.b", "pkg.c"),
        ("pkg.sub.d", "pkg.c"),
        ("pkg.c", "pkg.sub"),
        ("pkg.registry", "pkg.a"),
    }
    cycles = find_cycles(found, edges)
    assert [[(e.source, e.target, e.line) for e in cycle] for cycle in cycles] == [
        [("pkg.c", "pkg.sub", 1), ("pkg.sub", "pkg.sub.b", 1), ("pkg.sub.b", "pkg.c", 2)]
    ]


@pytest.mark.parametrize(
    ("b", "circles"),
    [
        ("from pkg import c\n", []),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import A\n",
            [[("pkg.a", "pkg.b"), ("pkg.b", "pkg.a")]],
        ),
    ],
    ids=["no circle", "a type-only import back"],
)
def test_the_graph_finds_a_circle_only_where_there_is_one(tmp_path: Path, b: str, circles: list) -> None:
    files = {"pkg/__init__.py": "", "pkg/a.py": "from pkg import b\n", "pkg/b.py": b, "pkg/c.py": "import os\n"}
    found, edges = graph_of(tmp_path, files)
    assert [[(e.source, e.target) for e in cycle] for cycle in find_cycles(found, edges)] == circles
