"""Every API at its natural path, so a client only changes its base URL's host (docs/decisions.md).

MOCO       http://HOST/api/v1        users/presences…, users
ProSonata  http://HOST/api/v1        workingtimes…
McTime     http://HOST/api/v2/auth   clock, times…, users, organizations
Huddle     http://HOST               presence/…, users/{id}, teams/{id}, workspaces/{id}
Timebridge http://HOST/api/timebridge/v1   days…, the ledger (Timebridge's own API)
"""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from accounts import urls as accounts_urls
from backoffice.views import landing
from config.health import healthz

api_v1 = [
    path("", include("presences.urls")),
    path("", include("workingtimes.urls")),
    *accounts_urls.moco_urlpatterns,
]
api_v2_auth = [
    path("", include("clock.urls")),
    *accounts_urls.mctime_urlpatterns,
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("", landing, name="landing"),
    path("api/v1/", include(api_v1)),
    path("api/v2/auth/", include(api_v2_auth)),
    path("api/timebridge/v1/", include("ledger.urls")),
    path("api/timebridge/v1/", include("closing.urls")),
    path("", include("ooo.urls")),
    *accounts_urls.huddle_urlpatterns,
]

# Unknown paths and errors outside API views answer in the dialect of their base URL.
handler404 = "config.api.handlers.not_found"
handler500 = "config.api.handlers.server_error"
