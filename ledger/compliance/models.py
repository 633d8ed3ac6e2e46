"""No tables: findings are computed on read. A proxy of the user gives the admin a page."""

from accounts.models import User


class UserFindings(User):
    class Meta:
        proxy = True
        verbose_name = "ArbZG findings of a user"
        verbose_name_plural = "ArbZG findings"
