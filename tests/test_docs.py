"""The documentation: a short README, relative links that lead somewhere, and a school file example that is true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO

from factsheet_builder.cli import main

README = REPO / "README.md"
PAGES = [README, REPO / "content" / "README.md", *sorted((REPO / "docs").glob("*.md"))]
README_MAX_LINES = 150

FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)[^)]*\)|<(?:img|a)\s[^>]*?(?:src|href)=\"([^\"]+)\"")


def prose(text: str) -> str:
    """A Markdown page without its code blocks and code spans, where link-like text is not a link."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def links(page: Path) -> list[str]:
    """The targets of every Markdown link, image and HTML img/a in a page."""
    return [a or b for a, b in LINK.findall(prose(page.read_text("utf-8")))]


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", FENCE.sub("", page.read_text("utf-8")), re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def broken(page: Path, root: Path = REPO) -> list[str]:
    """The relative links of a page whose file, or whose heading within it, does not exist; pages named from root."""
    found = []
    for target in links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.is_file() or (anchor and file.suffix == ".md" and anchor not in anchors(file)):
            found.append(f"{page.relative_to(root)}: {target}")
    return found


def test_the_readme_fits_a_few_screens() -> None:
    lines = README.read_text("utf-8").count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; the limit is {README_MAX_LINES}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_leads_to_a_file_and_heading(page: Path) -> None:
    assert broken(page) == []


def test_a_broken_link_or_anchor_is_found(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# A heading, with `code`\n", "utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](other.md#a-heading-with-code) [no file](missing.md) [no heading](other.md#nowhere)\n"
        '<img src="gone.png" alt=""> [web](https://example.org/x.md) `[in code](missing.md)`\n'
        "```\n[in a block](missing.md)\n```\n",
        "utf-8",
    )
    found = [line.split(": ", 1)[1] for line in broken(page, tmp_path)]
    assert found == ["missing.md", "other.md#nowhere", "gone.png"]


def test_the_readmes_school_file_checks_and_its_documented_mistake_is_reported(example: Path, runner) -> None:
    readme = README.read_text("utf-8")
    school = re.search(r"```yaml\n# (schools/[\w/-]+\.yaml).*?\n(.*?)```", readme, re.S)
    assert school, "README.md has no school file example"
    path, body = example / school.group(1), school.group(0).split("\n", 1)[1].removesuffix("```")
    mistake = re.search(r"```\n(schools/\S+:\d+: safeguarding\.dsl\.phone: '([^']+)' .*)\n```", readme)
    assert mistake, "README.md shows no mistake in the school file"

    path.write_text(body, "utf-8")
    result = runner.invoke(main, ["check", "-C", str(example), path.stem])
    assert result.exit_code == 0, result.output

    right = re.search(r'dsl: \{name: [^,]+, phone: "([^"]+)"', body).group(1)
    path.write_text(body.replace(right, mistake.group(2)), "utf-8")
    result = runner.invoke(main, ["check", "-C", str(example), path.stem])
    assert result.exit_code == 1
    assert mistake.group(1) in result.output.splitlines()
