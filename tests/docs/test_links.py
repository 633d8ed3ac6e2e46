"""The docs stand alone: every relative link resolves inside the repository (anchors
included), every page is in the index, and nothing points outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
LINKED_FILES = [*PAGES, ROOT / "README.md"]

# [text](target) outside code spans; an image link is a link too.
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`[^`]*`")
FENCE = re.compile(r"^(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# What a page must not lean on: the material a project is written from is not shipped
# with it.
OUTSIDE = re.compile(r"\.\./shared|DESIGN(\.md| §)|STYLE\.md|specs/[\w-]+\.txt")


def _prose_lines(path: Path) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, numbered from 1."""
    lines, fenced = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, line))
    return lines


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    text = heading.replace("`", "").strip().lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link in a heading: its text
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for _, line in _prose_lines(path):
        match = HEADING.match(line)
        if not match:
            continue
        slug = _slug(match.group(2))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def links(path: Path) -> list[tuple[int, str]]:
    found = []
    for number, line in _prose_lines(path):
        for target in LINK.findall(CODE_SPAN.sub("", line)):
            found.append((number, target))
    return found


def test_slugs_follow_github() -> None:
    assert _slug("McTime time entries (`import_data mctime`)") == (
        "mctime-time-entries-import_data-mctime"
    )
    assert _slug("Timebridge's own layer") == "timebridges-own-layer"
    assert _slug("Users, roles and authentication") == "users-roles-and-authentication"


@pytest.mark.parametrize("path", LINKED_FILES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_relative_links_resolve(path: Path) -> None:
    broken = []
    for number, target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{number}: {target} (no such file)")
            continue
        if not linked.is_relative_to(ROOT):
            broken.append(f"{number}: {target} (outside the repository)")
            continue
        if anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{number}: {target} (no such heading)")
    assert not broken, f"{path.relative_to(ROOT)}:\n" + "\n".join(broken)


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.name)
def test_nothing_points_outside_the_repository(path: Path) -> None:
    hits = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OUTSIDE.search(line)
    ]
    assert not hits, f"{path.name} cites material outside the repository:\n" + "\n".join(hits)


def test_the_index_lists_every_page() -> None:
    listed = {target.partition("#")[0] for _, target in links(DOCS / "README.md")}
    missing = [page.name for page in PAGES if page.name != "README.md" and page.name not in listed]
    assert not missing, f"docs/README.md does not list {missing}"
