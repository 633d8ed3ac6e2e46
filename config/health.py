"""`/healthz`: 200 when the database answers, 503 otherwise (for load balancers)."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The reason goes to the log only: this endpoint is public, and a driver's message
        # names hosts, databases and users.
        logger.exception("health check: database unavailable")
        return JsonResponse({"status": "unavailable", "database": connection.vendor}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
