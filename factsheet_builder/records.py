"""The records of a build: what happened to each school, what each output was built from, and the manifest's
entries. Every module that reads build results (manifest, index page, preview, progress, status) reads these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from factsheet_builder.exceptions import Problem


@dataclass(slots=True)
class FileRecord:
    """A file as last seen: size and modification time (a cheap "unchanged?") and sha256 (the sure one)."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> FileRecord:
        return cls(int(value["size"]), int(value["mtime_ns"]), str(value["sha256"]))

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256}


@dataclass(slots=True)
class OutputRecord(FileRecord):
    """One written output: its topic, layout and format, where it is under out/, its pages and the hash of its
    inputs."""

    topic: str
    layout: str
    format: str
    path: str  # relative to out/, with forward slashes
    pages: int | None
    inputs: str  # see fingerprint.output_inputs

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> OutputRecord:
        pages = value.get("pages")
        return cls(
            int(value["size"]),
            int(value["mtime_ns"]),
            str(value["sha256"]),
            str(value["topic"]),
            str(value["layout"]),
            str(value["format"]),
            str(value["path"]),
            None if pages is None else int(pages),
            str(value.get("inputs", "")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            **FileRecord.to_json(self),
            "topic": self.topic,
            "layout": self.layout,
            "format": self.format,
            "path": self.path,
            "pages": self.pages,
            "inputs": self.inputs,
        }


@dataclass(frozen=True)
class Sources:
    """The hashes of a school's inputs: each topic's content, its config cascade and the images it uses."""

    content: dict[str, str]  # by topic
    config: str
    images: str

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Sources:
        return cls({str(k): str(v) for k, v in value["content"].items()}, str(value["config"]), str(value["deps"]))

    def to_json(self) -> dict[str, Any]:
        return {"content": dict(self.content), "config": self.config, "deps": self.images}


@dataclass(frozen=True)
class IndexFacts:
    """What out/index.html shows of a built school besides its files."""

    school: str
    dsl: str
    review_date: str  # ISO date
    thumbnail: str | None = None  # page 1 of the first PDF, relative to out/
    thumbnail_layout: str | None = None  # the layout of that PDF (None in a manifest written before it was recorded)
    titles: dict[str, str] = field(default_factory=dict)  # each topic built: its title
    dsl_role: str = ""  # what the leaflet calls the DSL ("" in a manifest written before it was recorded)

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> IndexFacts | None:
        if "school" not in value:
            return None
        thumbnail, layout = value.get("thumbnail"), value.get("thumbnail_layout")
        return cls(
            str(value["school"]),
            str(value.get("dsl", "")),
            str(value.get("review_date", "")),
            None if thumbnail is None else str(thumbnail),
            None if layout is None else str(layout),
            {str(k): str(v) for k, v in value.get("titles", {}).items()},
            str(value.get("dsl_role", "")),
        )

    def to_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "school": self.school,
            "dsl": self.dsl,
            "review_date": self.review_date,
            "titles": dict(self.titles),
        }
        if self.thumbnail is not None:
            shown["thumbnail"] = self.thumbnail
        if self.thumbnail_layout is not None:
            shown["thumbnail_layout"] = self.thumbnail_layout
        if self.dsl_role:
            shown["dsl_role"] = self.dsl_role
        return shown


@dataclass(slots=True)
class SchoolRecord:
    """A school's entry in the manifest: built, stale (the last build failed; earlier outputs kept) or failed."""

    config: str  # the school file, as labelled in messages
    status: str
    error: str = ""
    sources: Sources | None = None  # None: never built
    images: dict[str, FileRecord] = field(default_factory=dict)  # by workspace-relative label
    layouts: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    topic_set: tuple[str, ...] = ()  # every topic of the workspace at the time of the build
    outputs: list[OutputRecord] = field(default_factory=list)
    facts: IndexFacts | None = None

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> SchoolRecord:
        """The entry read from JSON; KeyError, TypeError or ValueError when it has the wrong shape."""
        sources = value.get("sources")
        return cls(
            config=str(value.get("config", "")),
            status=str(value["status"]),
            error=str(value.get("error", "")),
            sources=None if sources is None else Sources.from_json(sources),
            images={str(label): FileRecord.from_json(record) for label, record in value.get("deps", {}).items()},
            layouts=tuple(str(name) for name in value.get("layouts", ())),
            topics=tuple(str(name) for name in value.get("topics", ())),
            topic_set=tuple(str(name) for name in value.get("topic_set", ())),
            outputs=[OutputRecord.from_json(output) for output in value.get("outputs", ())],
            facts=IndexFacts.from_json(value),
        )

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"config": self.config, "status": self.status}
        if self.error:
            entry["error"] = self.error
        if self.sources is not None:
            entry.update(
                sources=self.sources.to_json(),
                layouts=list(self.layouts),
                topics=list(self.topics),
                topic_set=list(self.topic_set),
                deps={label: record.to_json() for label, record in self.images.items()},
                outputs=[output.to_json() for output in self.outputs],
            )
        if self.facts is not None:
            entry.update(self.facts.to_json())
        return entry


@dataclass(frozen=True)
class LayoutRecord:
    """A layout as a build used it: where it came from, its formats and the hash of its code."""

    origin: str
    formats: tuple[str, ...]
    code: str


@dataclass(frozen=True)
class Toolchain:
    """What draws the outputs: the installed packages, this package's code, the workspace's layouts, the render
    libraries' versions and each layout; recorded in the manifest so that a build with nothing to do loads none."""

    environment: str
    package: str
    workspace_layouts: str
    libraries: str
    layouts: dict[str, LayoutRecord]

    @classmethod
    def from_json(cls, value: Any) -> Toolchain | None:
        """The recorded toolchain, or None if there is none or it is of another shape."""
        try:
            layouts = {
                str(name): LayoutRecord(str(layout["origin"]), tuple(layout["formats"]), str(layout["code"]))
                for name, layout in value["layouts"].items()
            }
            return cls(
                **{key: str(value[key]) for key in ("environment", "package", "workspace_layouts", "libraries")},
                layouts=layouts,
            )
        except (AttributeError, KeyError, TypeError):
            return None

    def to_json(self) -> dict[str, Any]:
        layouts = {
            name: {"origin": layout.origin, "formats": list(layout.formats), "code": layout.code}
            for name, layout in self.layouts.items()
        }
        return {
            "environment": self.environment,
            "package": self.package,
            "workspace_layouts": self.workspace_layouts,
            "libraries": self.libraries,
            "layouts": layouts,
        }


@dataclass
class SchoolResult:
    """What happened to one school in a check or build (small and picklable: workers send it back)."""

    id: str
    label: str
    status: str  # built, skipped, failed, checked
    problems: list[Problem] = field(default_factory=list)
    outputs: list[OutputRecord] = field(default_factory=list)
    sources: Sources | None = None  # the inputs the outputs were built from
    images: dict[str, FileRecord] = field(default_factory=dict)
    layouts: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    topic_set: tuple[str, ...] = ()
    facts: IndexFacts | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


@dataclass
class Report:
    """The outcome of a check or build over many schools."""

    results: list[SchoolResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # not tied to one school (file names, layouts)
    pruned: list[str] = field(default_factory=list)  # outputs deleted by --prune

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def all_problems(self) -> list[Problem]:
        """Every problem once, in file order."""
        return sorted({*self.problems, *(p for r in self.results for p in r.problems)})

    @property
    def failed(self) -> bool:
        return any(not p.warning for p in self.all_problems)


STATES = ("current", "missing", "stale", "failed", "orphaned")


@dataclass(frozen=True)
class Freshness:
    """Whether a school's outputs match its inputs: state is one of STATES, with the reason in words;
    ``topics``: when only some topics' content changed, those topics (their outputs alone need building)."""

    id: str
    config: str
    state: str
    reason: str = ""
    topics: tuple[str, ...] = ()

    @property
    def current(self) -> bool:
        return self.state == "current"

    def __str__(self) -> str:
        return f"{self.state:<9} {self.id}" + (f": {self.reason}" if self.reason else "")
