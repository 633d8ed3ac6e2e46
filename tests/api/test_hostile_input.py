"""Hostile bodies against every JSON write endpoint of the four APIs: each answer is a 4xx
in that API's own error format, and the database is unchanged.

Field-level attacks (NUL, unpaired surrogates, non-ASCII digits, huge integers) are tried on
one field at a time, so every field of a valid body is attacked on its own.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine

from tests.api.conftest import assert_dialect_error, db_state
from tests.api.endpoints import NOW, WRITE_ENDPOINTS, Endpoint

pytestmark = pytest.mark.django_db

FREE_TEXT = {"comment", "comments", "message"}  # text fields take any characters but these
ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + d) for d in range(10)))
FULLWIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))


def leaves(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def replaced(body: Any, path: tuple, new: Any) -> Any:
    body = copy.deepcopy(body)
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return body


def per_field(mutate: Callable[[tuple, Any], Any | None]) -> Callable[[Any], list[str]]:
    """Bodies with one field changed by `mutate` (None: leave that field out of it)."""

    def variants(body: Any) -> list[str]:
        out = []
        for path, value in leaves(body):
            new = mutate(path, value)
            if new is not None:
                out.append(json.dumps(replaced(body, path, new)))
        return out

    return variants


def _nul(path: tuple, value: Any) -> Any | None:
    return f"{value}\x00" if isinstance(value, str) else None


def _surrogate(path: tuple, value: Any) -> Any | None:
    return f"{value}\ud800" if isinstance(value, str) else None


def _digits(path: tuple, value: Any) -> Any | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value).translate(FULLWIDTH)
    if isinstance(value, str) and any(c.isdigit() for c in value):
        return value.translate(ARABIC_INDIC)
    return None


def _huge(path: tuple, value: Any) -> Any | None:
    return None if path[-1] in FREE_TEXT else 10**30


def whole(*raws: str | bytes) -> Callable[[Any], list[str | bytes]]:
    return lambda body: list(raws)


KINDS: dict[str, tuple[Callable[[Any], list], str]] = {
    "nesting": (whole('{"a":' * 1000 + "1" + "}" * 1000, "[" * 40 + "]" * 40), "json"),
    "nested-field": (
        lambda body: [json.dumps({**body, "x": json.loads("[" * 33 + "]" * 33)})],
        "json",
    ),
    "oversize": (lambda body: [json.dumps({**body, "x": "x" * 2_700_000})], "json"),
    "nul": (per_field(_nul), "json"),
    "surrogate": (per_field(_surrogate), "json"),
    "non-ascii-digits": (per_field(_digits), "json"),
    "huge-integer": (per_field(_huge), "json"),
    "huge-literal": (
        whole('{"userID": ' + "9" * 5000 + "}", "9" * 5000, '{"dailyTimeTotal": 1e999}'),
        "json",
    ),
    "bom-array": (whole(b"\xef\xbb\xbf[]", b"\xef\xbb\xbf\xef\xbb\xbf{}"), "json"),
    "wrong-content-type": (whole("<presence><date>2026-05-04</date></presence>"), "xml"),
    "array-or-scalar": (
        lambda body: ["[]", json.dumps([body]), '"x"', "1", "null", "true", "1e999"],
        "json",
    ),
}
CONTENT_TYPES = {"json": "application/json", "xml": "application/xml"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS, ids=lambda e: e.id)
def test_hostile_body_is_a_4xx_in_the_dialect_and_changes_nothing(
    api_client, member, endpoint: Endpoint, kind: str
):
    make, content = KINDS[kind]
    url = endpoint.setup(member)
    client = api_client(member, endpoint.dialect)
    bodies = make(endpoint.body(member))
    assert bodies
    before = db_state()
    with time_machine.travel(NOW, tick=False):
        for raw in bodies:
            response = getattr(client, endpoint.method)(
                url, data=raw, content_type=CONTENT_TYPES[content]
            )
            assert_dialect_error(response, endpoint.dialect)
            assert db_state() == before, raw[:200]
