"""No tables: findings are computed on read. A proxy of the user gives the admin a page."""

from django.utils.translation import gettext_lazy as _

from accounts.models import User


class UserFindings(User):
    class Meta:
        proxy = True
        verbose_name = _("ArbZG findings of a user")
        verbose_name_plural = _("ArbZG findings")
