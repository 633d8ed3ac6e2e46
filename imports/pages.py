"""Where an import's batches come from: JSON files, read one ahead.

`file_batches` reads export files. `ReadAhead` reads the next batch while the database is
busy with the current one.

An import's batch waits for the server to check its rows (imports.copying); reading the
next file and parsing its JSON and records in that wait costs nothing. The read happens
inside the wait, in the same thread: nothing else uses the connection meanwhile, and the
reading itself never touches the database.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

from imports.sources.errors import RecordRejected

T = TypeVar("T")
_END: Any = object()


def file_batches(paths: Iterable[str]) -> Iterable[tuple[str, Any]]:
    """(label, payload) per JSON file; a directory stands for its *.json files, sorted."""
    for name in paths:
        path = Path(name)
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            try:
                payload = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                payload = RecordRejected(f"cannot read {file}: {exc}")
            yield str(file), payload


class ReadAhead(Generic[T]):
    """Iterates `read(item)` over `items`; `read_next()` reads the next one early.

    An error of an early read is raised when its turn comes, where it would have been
    raised without reading ahead, not inside the batch that happened to be waiting.
    """

    def __init__(self, items: Iterable[Any], read: Callable[[Any], T]) -> None:
        self._items = iter(items)
        self._read = read
        self._ahead: tuple[T, Exception | None] | None = None

    def read_next(self) -> None:
        """Read the next item now, unless it has been read; keep its value or error."""
        if self._ahead is not None:
            return
        try:
            item = next(self._items, _END)
            self._ahead = (item if item is _END else self._read(item), None)
        except Exception as exc:  # kept, and raised in its turn
            self._ahead = (_END, exc)

    def __iter__(self) -> Iterator[T]:
        while True:
            self.read_next()
            assert self._ahead is not None
            (value, error), self._ahead = self._ahead, None
            if error is not None:
                raise error
            if value is _END:
                return
            yield value
