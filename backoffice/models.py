from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StagedImport(models.Model):
    """An export file uploaded in the back office, between its dry-run preview and the
    confirmation that imports it. Kept in the database so that any server process can
    finish what another one previewed; deleted once imported."""

    source = models.CharField(_("source"), max_length=16)
    file_name = models.CharField(_("file name"), max_length=255)
    payload = models.JSONField(verbose_name=_("payload"))
    create_users = models.BooleanField(_("create missing users"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("staged import")

    def __str__(self) -> str:
        return f"{self.source}: {self.file_name}"
