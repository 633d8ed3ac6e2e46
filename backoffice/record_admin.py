"""The admin base of every per-user record the four apps keep (presences, out-of-office
settings, working times)."""

from __future__ import annotations

from django.contrib import admin

from backoffice.history import ReadableHistoryAdminMixin
from closing.guards import ClosedDatesDeleteGuard
from config.admin import HistoryAdmin
from config.admin_errors import ServiceRefusalAdminMixin

# Filter and search by the record's user, as every record list offers.
BY_USER = ("user", admin.RelatedOnlyFieldListFilter)
USER_SEARCH = ("user__username", "user__first_name", "user__last_name")


class UserRecordAdmin(
    ReadableHistoryAdminMixin, ClosedDatesDeleteGuard, ServiceRefusalAdminMixin, HistoryAdmin
):
    """A record of one user: its history in words, no delete on a closed date, the services'
    refusals as messages, the user listed with it and picked by autocomplete."""

    list_select_related = ("user",)
    autocomplete_fields = ("user",)
