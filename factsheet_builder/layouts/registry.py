"""Finding layouts: built-in modules, the workspace's layouts/ folder and installed entry points."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from factsheet_builder.config.fields import suggest
from factsheet_builder.exceptions import LayoutError, Problem, UsageError
from factsheet_builder.layouts import Layout

ENTRY_POINT_GROUP = "factsheet_builder.layouts"
WORKSPACE_PACKAGE = "factsheet_workspace_layouts"  # workspace layout files are loaded as modules of this package
BUILT_IN = "built-in"
# The built-in layouts, each a package imported when the layout is first used: a build imports only its layouts.
BUILT_IN_LAYOUTS = {
    "large-print": "factsheet_builder.layouts.large_print",
    "leaflet": "factsheet_builder.layouts.leaflet",
    "poster": "factsheet_builder.layouts.poster",
}
PACKAGE_DIR = Path(__file__).resolve().parent.parent
# What every layout draws with: the Layout base class and the shared building blocks.
SHARED_SOURCES = (PACKAGE_DIR / "layouts" / "__init__.py", *sorted((PACKAGE_DIR / "render").glob("*.py")))


@dataclass
class Registry(Mapping[str, type[Layout]]):
    """Layouts by name, with where each came from and the layouts that failed to load (as warnings).

    A built-in layout is known by name from the start and imported when first looked up.
    """

    layouts: dict[str, type[Layout]] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    broken: list[Problem] = field(default_factory=list)
    _modules: dict[str, str] = field(default_factory=dict)  # built-in layout -> its package, imported when looked up
    _files: dict[str, tuple[Path, ...]] = field(default_factory=dict)  # other layouts' own source files

    def __getitem__(self, name: str) -> type[Layout]:
        if name not in self.layouts and name in self._modules:
            self._import(name)
        return self.layouts[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.origins)

    def __len__(self) -> int:
        return len(self.origins)

    def __contains__(self, name: object) -> bool:
        return name in self.origins

    def register(self, layout: type[Layout], origin: str, files: Sequence[Path] = ()) -> None:
        """Add a layout; a bad declaration or a second layout with the same name is an error naming the places."""
        problems = layout.declaration_problems()
        if problems:
            raise LayoutError(f"{origin}: layout class {layout.__qualname__}: {'; '.join(problems)}")
        self._claim(layout.name, origin)
        self.layouts[layout.name] = layout
        self._files[layout.name] = tuple(files)

    def register_built_in(self, name: str, module: str) -> None:
        """Add a built-in layout by name, to be imported from ``module`` when first looked up."""
        self._claim(name, BUILT_IN)
        self._modules[name] = module

    def _claim(self, name: str, origin: str) -> None:
        if name in self.origins:
            raise LayoutError(f"two layouts are named '{name}': {self.origins[name]} and {origin}; rename one of them")
        self.origins[name] = origin

    def _import(self, name: str) -> None:
        module = importlib.import_module(self._modules[name])
        found = [layout for layout in layouts_in(module) if layout.name == name]
        if len(found) != 1:
            raise LayoutError(f"{module.__name__} defines {len(found)} layouts named '{name}', not one")
        problems = found[0].declaration_problems()
        if problems:
            raise LayoutError(f"{BUILT_IN}: layout class {found[0].__qualname__}: {'; '.join(problems)}")
        self.layouts[name] = found[0]

    def get(self, name: str) -> type[Layout]:  # type: ignore[override]
        """The layout called ``name``, or an error listing the available ones."""
        return self[self.known(name)]

    def known(self, name: str) -> str:
        """``name`` if a layout has it (without importing the layout), or an error listing the available ones."""
        if name in self.origins:
            return name
        failed = ", ".join(problem.file for problem in self.broken)
        hint = f" (some layouts failed to load: {failed})" if failed else ""
        raise UsageError(
            f"Unrecognised layout name: '{name}'{suggest(name, self.origins)}. "
            f"The available layouts are: {', '.join(sorted(self.origins))}, or 'all'{hint}"
        )

    def select(self, names: Sequence[str]) -> tuple[str, ...]:
        """The layouts named on the command line, each checked; 'all' means every layout, () means none named."""
        if "all" in names:
            return tuple(sorted(self.origins))
        return tuple(dict.fromkeys(self.known(name) for name in names))

    def sources(self, name: str) -> tuple[Path, ...]:
        """The source files the outputs of layout ``name`` depend on, without importing it: its own (a built-in
        layout's package, a workspace layout's file and the folder's private helpers, an installed layout's
        package) and the shared drawing code every layout uses."""
        name = self.known(name)
        if name in self._modules:
            spec = importlib.util.find_spec(self._modules[name])
            assert spec is not None and spec.submodule_search_locations is not None
            own = tuple(sorted(Path(spec.submodule_search_locations[0]).resolve().glob("*.py")))
        else:
            own = self._files[name]
        return tuple(dict.fromkeys((*own, *SHARED_SOURCES)))

    def table(self) -> list[str]:
        """One aligned line per layout: name, page size, pages, formats, whether its PDF is tagged, origin and
        description."""
        rows = [("NAME", "PAGE SIZE", "PAGES", "FORMATS", "TAGGED", "FROM", "DESCRIPTION")]
        for name in sorted(self.origins):
            layout = self[name]
            rows.append(
                (
                    name,
                    layout.describe_page_size(),
                    str(layout.pages or "any"),
                    ", ".join(f.upper() for f in layout.formats),
                    "yes" if layout.tagged else "no",
                    self.origins[name],
                    layout.description,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows]


def layouts_in(module: ModuleType) -> list[type[Layout]]:
    """The named Layout subclasses a module defines itself (not those it imports)."""
    return [
        obj
        for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, Layout) and obj is not Layout and obj.__module__ == module.__name__ and obj.name
    ]


def discover(layouts_dir: Path | None = None, label_root: Path | None = None) -> Registry:
    """Every available layout: built-in, then the workspace's layouts/ folder, then entry points.

    A workspace or installed layout that cannot be imported or is declared wrongly is recorded in ``broken``
    and the others still work; two layouts with one name stop here with an error naming both.
    """
    registry = Registry()
    for name, module in BUILT_IN_LAYOUTS.items():
        registry.register_built_in(name, module)
    if layouts_dir is not None and layouts_dir.is_dir():
        _workspace_package(layouts_dir)
        helpers = tuple(sorted(path for path in layouts_dir.glob("_*.py")))
        for path in sorted(layouts_dir.glob("*.py")):
            if path.name.startswith(("_", ".")):
                continue  # private helpers, importable by the layouts as `from . import _helpers`
            label = path.relative_to(label_root).as_posix() if label_root else str(path)
            if not path.is_file():  # importing a FIFO or a device would never end; a dangling link cannot load
                registry.broken.append(Problem(label, None, None, "layout not loaded: it is not a regular file", True))
                continue
            loaded_file = _load_file(path, label, registry)
            for layout in layouts_in(loaded_file) if loaded_file else ():
                _add(registry, layout, label, _line_of(layout), (path.resolve(), *(h.resolve() for h in helpers)))
    for value, origin in _entry_points():
        try:
            loaded = _load_entry_point(value)
        except Exception as exc:  # a third-party layout may fail in any way; report it and carry on
            registry.broken.append(Problem(origin, None, None, f"layout not loaded: {type(exc).__name__}: {exc}", True))
            continue
        found: list[object] = list(layouts_in(loaded)) if isinstance(loaded, ModuleType) else [loaded]
        for candidate in found:
            if not (inspect.isclass(candidate) and issubclass(candidate, Layout)):
                message = "layout not loaded: it is not a Layout subclass"
                registry.broken.append(Problem(origin, None, None, message, True))
                continue
            _add(registry, candidate, origin, None, _package_files(sys.modules[candidate.__module__]))
    return registry


def _package_files(module: ModuleType) -> tuple[Path, ...]:
    """The Python files of the top-level package ``module`` belongs to (or the module's own file)."""
    top = sys.modules[module.__name__.partition(".")[0]]
    folders = getattr(top, "__path__", None)
    if folders:
        return tuple(
            sorted(
                path.resolve()
                for folder in folders
                for path in Path(folder).rglob("*.py")
                if "__pycache__" not in path.parts
            )
        )
    file = getattr(top, "__file__", None)
    return (Path(file).resolve(),) if file else ()


def _add(registry: Registry, layout: type[Layout], origin: str, line: int | None, files: Sequence[Path]) -> None:
    """Register a workspace or installed layout; a wrongly declared one is reported and skipped."""
    problems = layout.declaration_problems()
    if problems:
        message = f"layout {layout.__qualname__} not loaded: {'; '.join(problems)}"
        registry.broken.append(Problem(origin, line, None, message, True))
        return
    registry.register(layout, origin, files)


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
        registry.broken.append(
            Problem(
                label,
                _error_line(exc, path),
                None,
                f"layout not loaded: {type(exc).__name__}: {_error_text(exc)}",
                True,
            )
        )
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


def _entry_points() -> list[tuple[str, str]]:
    """The installed layouts' entry points as (value, origin)."""
    from importlib.metadata import entry_points

    found = []
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        dist = getattr(entry_point, "dist", None)
        package = f"package {dist.name} {dist.version}, " if dist is not None else ""
        found.append((entry_point.value, f"{package}entry point '{entry_point.name} = {entry_point.value}'"))
    return found


def _load_entry_point(value: str) -> object:
    """What an entry point's ``module:attribute`` value names (importlib.metadata's EntryPoint.load, without it)."""
    module, _, attribute = value.partition(":")
    loaded = importlib.import_module(module.strip())
    for part in filter(None, attribute.strip().split(".")):
        loaded = getattr(loaded, part)
    return loaded


def for_folder(folder: Path) -> Registry:
    """The layouts available in ``folder``: built-in, its layouts/ folder if it has one, and installed packages."""
    root = Path(folder).resolve()
    return discover(root / "layouts", root)
