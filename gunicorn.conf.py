"""Production server configuration: `gunicorn -c gunicorn.conf.py config.wsgi`.

McTime clients authenticate with a header spelled `API_KEY` (underscore). gunicorn drops
headers with underscores by default (header_map = "drop"), so Django would never see the
key. "dangerous" maps `API_KEY` to HTTP_API_KEY, like `API-Key`; the ambiguity it allows
(two spellings of one header merged) is harmless here: Timebridge reads no header whose
spelling grants trust (no proxy headers are trusted from clients). See docs/deployment.md.

Proxy headers: gunicorn believes `X-Forwarded-Proto` & co. only from the addresses in
FORWARDED_ALLOW_IPS (comma-separated addresses or networks; default none). gunicorn's own
default trusts 127.0.0.1, which lets any local process, or a proxy that passes the client's
headers through, switch generated links to https.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
header_map = "dangerous"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "")
accesslog = "-"
# The access log never shows an API key (`?apiKey=` of ProSonata clients).
logger_class = "config.gunicorn_logging.RedactingLogger"
errorlog = "-"
