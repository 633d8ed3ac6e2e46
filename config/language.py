"""The back office speaks the company's language; the vendor APIs keep their own.

`LANGUAGE_CODE` (from the environment) is the language of the admin and the landing page.
The four vendor APIs answer in English whatever it is, as their vendors do: their clients
match on error messages, so a translated "This field is required." would break them.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

API_LANGUAGE_CODE = "en"
# Paths whose pages are for people: everything else is an API.
BACK_OFFICE_PREFIXES = ("/admin/",)
BACK_OFFICE_PATHS = ("/",)


def _is_back_office(path: str) -> bool:
    return path in BACK_OFFICE_PATHS or path.startswith(BACK_OFFICE_PREFIXES)


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = settings.LANGUAGE_CODE if _is_back_office(request.path) else API_LANGUAGE_CODE
        # Template and DRF responses are rendered inside get_response, so inside the override.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            return self.get_response(request)
