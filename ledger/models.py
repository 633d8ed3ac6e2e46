"""The ledger stores nothing: day rows are computed on read from the four sources.

`LedgerDay` is a proxy of the user model only so that the admin can list the ledger's
exports on its index page with ordinary view permissions; it adds no table.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import User


class LedgerDay(User):
    class Meta:
        proxy = True
        verbose_name = _("working-time ledger")
        verbose_name_plural = _("working-time ledger")
