from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def landing(request: HttpRequest) -> HttpResponse:
    """The page at `/`: where the back office, the API docs and the health check live."""
    return render(request, "backoffice/landing.html")
