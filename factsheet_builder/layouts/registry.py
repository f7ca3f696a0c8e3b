"""Finding layouts: built-in modules, the workspace's layouts/ folder and installed entry points."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
import importlib
import importlib.util
import inspect
from pathlib import Path
import pkgutil
import sys
import traceback
from types import ModuleType

from factsheet_builder.config.fields import suggest
from factsheet_builder.exceptions import LayoutError, Problem, UsageError
from factsheet_builder.layouts import Layout

ENTRY_POINT_GROUP = "factsheet_builder.layouts"
WORKSPACE_PACKAGE = "factsheet_workspace_layouts"  # workspace layout files are loaded as modules of this package
BUILT_IN = "built-in"


@dataclass
class Registry(Mapping[str, type[Layout]]):
    """Layouts by name, with where each came from and the layouts that failed to load (as warnings)."""

    layouts: dict[str, type[Layout]] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    broken: list[Problem] = field(default_factory=list)

    def __getitem__(self, name: str) -> type[Layout]:
        return self.layouts[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.layouts)

    def __len__(self) -> int:
        return len(self.layouts)

    def register(self, layout: type[Layout], origin: str) -> None:
        """Add a layout; a bad declaration or a second layout with the same name is an error naming the places."""
        problems = layout.declaration_problems()
        if problems:
            raise LayoutError(f"{origin}: layout class {layout.__qualname__}: {'; '.join(problems)}")
        if layout.name in self.layouts:
            raise LayoutError(
                f"two layouts are named '{layout.name}': {self.origins[layout.name]} and {origin}; rename one of them"
            )
        self.layouts[layout.name] = layout
        self.origins[layout.name] = origin

    def get(self, name: str) -> type[Layout]:  # type: ignore[override]
        """The layout called ``name``, or an error listing the available ones."""
        if name in self.layouts:
            return self.layouts[name]
        hint = "" if not self.broken else " (some layouts failed to load: " + ", ".join(p.file for p in self.broken) + ")"
        raise UsageError(
            f"Unrecognised layout name: '{name}'{suggest(name, self.layouts)}. "
            f"The available layouts are: {', '.join(sorted(self.layouts))}, or 'all'{hint}"
        )

    def select(self, names: Sequence[str]) -> tuple[str, ...]:
        """The layouts named on the command line, each checked; 'all' means every layout, () means none named."""
        if "all" in names:
            return tuple(sorted(self.layouts))
        return tuple(dict.fromkeys(self.get(name).name for name in names))

    def table(self) -> list[str]:
        """One aligned line per layout: name, page size, pages, formats, origin and description."""
        rows = [("NAME", "PAGE SIZE", "PAGES", "FORMATS", "FROM", "DESCRIPTION")]
        for name in sorted(self.layouts):
            layout = self.layouts[name]
            rows.append((name, layout.describe_page_size(), str(layout.pages or "any"),
                         ", ".join(f.upper() for f in layout.formats), self.origins[name], layout.description))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows]


def layouts_in(module: ModuleType) -> list[type[Layout]]:
    """The named Layout subclasses a module defines itself (not those it imports)."""
    return [
        obj for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, Layout) and obj is not Layout and obj.__module__ == module.__name__ and obj.name
    ]


def discover(layouts_dir: Path | None = None, label_root: Path | None = None) -> Registry:
    """Every available layout: built-in, then the workspace's layouts/ folder, then entry points.

    A workspace or installed layout that cannot be imported or is declared wrongly is recorded in ``broken``
    and the others still work; two layouts with one name stop here with an error naming both.
    """
    registry = Registry()
    package = importlib.import_module("factsheet_builder.layouts")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name == "registry" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"factsheet_builder.layouts.{info.name}")
        for layout in layouts_in(module):
            registry.register(layout, BUILT_IN)
    if layouts_dir is not None and layouts_dir.is_dir():
        _workspace_package(layouts_dir)
        for path in sorted(layouts_dir.glob("*.py")):
            if path.name.startswith(("_", ".")):
                continue  # private helpers, importable by the layouts as `from . import _helpers`
            label = path.relative_to(label_root).as_posix() if label_root else str(path)
            module = _load_file(path, label, registry)
            for layout in layouts_in(module) if module else ():
                _add(registry, layout, label, _line_of(layout))
    for entry_point in _entry_points():
        origin = _entry_point_origin(entry_point)
        try:
            loaded = entry_point.load()
        except Exception as exc:  # a third-party layout may fail in any way; report it and carry on
            registry.broken.append(Problem(origin, None, None, f"layout not loaded: {type(exc).__name__}: {exc}", True))
            continue
        found = layouts_in(loaded) if isinstance(loaded, ModuleType) else [loaded]
        for layout in found:
            if not (inspect.isclass(layout) and issubclass(layout, Layout)):
                registry.broken.append(Problem(origin, None, None, "layout not loaded: it is not a Layout subclass", True))
                continue
            _add(registry, layout, origin, None)
    return registry


def _add(registry: Registry, layout: type[Layout], origin: str, line: int | None) -> None:
    """Register a workspace or installed layout; a wrongly declared one is reported and skipped."""
    problems = layout.declaration_problems()
    if problems:
        message = f"layout {layout.__qualname__} not loaded: {'; '.join(problems)}"
        registry.broken.append(Problem(origin, line, None, message, True))
        return
    registry.register(layout, origin)


def _workspace_package(layouts_dir: Path) -> None:
    """Make the layouts/ folder a fresh package, so its layouts can import their private helpers."""
    for name in [n for n in sys.modules if n == WORKSPACE_PACKAGE or n.startswith(WORKSPACE_PACKAGE + ".")]:
        del sys.modules[name]
    package = ModuleType(WORKSPACE_PACKAGE, "The current workspace's layouts/ folder.")
    package.__path__ = [str(layouts_dir)]
    sys.modules[WORKSPACE_PACKAGE] = package


def _load_file(path: Path, label: str, registry: Registry) -> ModuleType | None:
    name = f"{WORKSPACE_PACKAGE}.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # workspace layouts are user code: report the failure, keep the other layouts
        del sys.modules[name]
        registry.broken.append(Problem(label, _error_line(exc, path), None,
                                       f"layout not loaded: {type(exc).__name__}: {_error_text(exc)}", True))
        return None
    return module


def _error_line(exc: BaseException, path: Path) -> int | None:
    """The line of ``path`` where loading failed: the syntax error's, or the deepest traceback frame in the file."""
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename) == path:
        return exc.lineno
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if Path(frame.filename) == path]
    return lines[-1] if lines else None


def _error_text(exc: BaseException) -> str:
    return exc.msg if isinstance(exc, SyntaxError) else str(exc)


def _line_of(layout: type[Layout]) -> int | None:
    try:
        return inspect.getsourcelines(layout)[1]
    except (OSError, TypeError):
        return None


def _entry_point_origin(entry_point) -> str:
    dist = getattr(entry_point, "dist", None)
    package = f"package {dist.name} {dist.version}, " if dist is not None else ""
    return f"{package}entry point '{entry_point.name} = {entry_point.value}'"


def _entry_points():
    from importlib.metadata import entry_points

    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)


def for_folder(folder: Path) -> Registry:
    """The layouts available in ``folder``: built-in, its layouts/ folder if it has one, and installed packages."""
    root = Path(folder).resolve()
    return discover(root / "layouts", root)
