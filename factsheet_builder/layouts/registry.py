"""Finding layouts: built-in modules, the workspace's layouts/ folder and installed entry points."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
import importlib
import importlib.util
import inspect
from pathlib import Path
import pkgutil
import sys
from types import ModuleType

from factsheet_builder.config.fields import suggest
from factsheet_builder.exceptions import LayoutError
from factsheet_builder.layouts import Layout

ENTRY_POINT_GROUP = "factsheet_builder.layouts"


@dataclass
class Registry(Mapping[str, type[Layout]]):
    """Layouts by name, with where each came from and the layouts that failed to load."""

    layouts: dict[str, type[Layout]] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> type[Layout]:
        return self.layouts[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.layouts)

    def __len__(self) -> int:
        return len(self.layouts)

    def register(self, layout: type[Layout], origin: str) -> None:
        """Add a layout; a second layout with the same name is an error naming both places."""
        if not layout.name:
            raise LayoutError(f"{origin}: layout class {layout.__qualname__} has no name")
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
        hint = "" if not self.broken else " (some layouts failed to load: " + "; ".join(self.broken) + ")"
        raise LayoutError(
            f"Unrecognised layout name: '{name}'{suggest(name, self.layouts)}. "
            f"The available layouts are: {', '.join(sorted(self.layouts))}{hint}"
        )


def layouts_in(module: ModuleType) -> list[type[Layout]]:
    """The named Layout subclasses a module defines itself (not those it imports)."""
    return [
        obj for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, Layout) and obj is not Layout and obj.__module__ == module.__name__ and obj.name
    ]


def discover(layouts_dir: Path | None = None, label_root: Path | None = None) -> Registry:
    """Every available layout: built-in, then the workspace's layouts/ folder, then entry points."""
    registry = Registry()
    package = importlib.import_module("factsheet_builder.layouts")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name == "registry" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"factsheet_builder.layouts.{info.name}")
        for layout in layouts_in(module):
            registry.register(layout, "built-in")
    if layouts_dir is not None and layouts_dir.is_dir():
        for path in sorted(layouts_dir.glob("*.py")):
            label = path.relative_to(label_root).as_posix() if label_root else str(path)
            module = _load_file(path, label, registry)
            for layout in layouts_in(module) if module else ():
                registry.register(layout, label)
    for entry_point in _entry_points():
        origin = f"entry point '{entry_point.name} = {entry_point.value}'"
        try:
            loaded = entry_point.load()
        except Exception as exc:  # a third-party layout may fail in any way; report it and carry on
            registry.broken.append(f"{origin}: {type(exc).__name__}: {exc}")
            continue
        found = layouts_in(loaded) if isinstance(loaded, ModuleType) else [loaded]
        for layout in found:
            if not (inspect.isclass(layout) and issubclass(layout, Layout)):
                registry.broken.append(f"{origin}: is not a Layout subclass")
                continue
            registry.register(layout, origin)
    return registry


def _load_file(path: Path, label: str, registry: Registry) -> ModuleType | None:
    name = f"factsheet_workspace_layouts.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # workspace layouts are user code: report the failure, keep the other layouts
        del sys.modules[name]
        registry.broken.append(f"{label}: cannot be loaded: {type(exc).__name__}: {exc}")
        return None
    return module


def _entry_points():
    from importlib.metadata import entry_points

    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
