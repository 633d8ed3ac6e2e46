"""gunicorn's access log without API keys (`logger_class` in gunicorn.conf.py).

ProSonata clients may send their key as `?apiKey=KEY`; gunicorn's default log line carries
the whole request line, so every key would end up in the log files (and whatever ships
them). The query string, the request line and the referer are redacted; so are the
credential headers, in case a custom `access_log_format` names them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# Query parameter names compared case-insensitively after percent-decoding, since
# `api%4Bey=…` reaches Django as `apiKey`.
SECRET_PARAMETERS = frozenset({"apikey"})
SECRET_HEADERS = ("{authorization}i", "{api_key}i", "{api-key}i", "{x-api-key}i")


def redact_query(query: str) -> str:
    """`query` with the value of every secret parameter replaced by REDACTED."""
    if not query:
        return query
    parts = []
    for part in query.split("&"):
        name = part.partition("=")[0]
        if unquote_plus(name).strip().lower() in SECRET_PARAMETERS:
            part = f"{name}={REDACTED}"
        parts.append(part)
    return "&".join(parts)


def redact_uri(uri: str) -> str:
    """A URI or request target with its query redacted (the fragment, if any, kept)."""
    head, sep, query = uri.partition("?")
    if not sep:
        return uri
    query, hash_sep, fragment = query.partition("#")
    return f"{head}?{redact_query(query)}{hash_sep}{fragment}"


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        method, protocol = environ.get("REQUEST_METHOD", "-"), environ.get("SERVER_PROTOCOL")
        atoms["r"] = f"{method} {redact_uri(environ.get('RAW_URI', ''))} {protocol}"
        atoms["q"] = redact_query(environ.get("QUERY_STRING", ""))
        atoms["f"] = redact_uri(environ.get("HTTP_REFERER", "-"))
        # The same values as environ atoms, for formats that use `%({raw_uri}e)s` & co.
        for key, redact in (
            ("{query_string}e", redact_query),
            ("{raw_uri}e", redact_uri),
            ("{http_referer}e", redact_uri),
        ):
            if key in atoms:
                atoms[key] = redact(atoms[key])
        for key in SECRET_HEADERS:
            if key in atoms:
                atoms[key] = REDACTED
        for key in ("{http_authorization}e", "{http_api_key}e", "{http_x_api_key}e"):
            if key in atoms:
                atoms[key] = REDACTED
        return atoms
