"""What the importers remember between runs: who is who, and what came from where."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    MOCO = "moco", "MOCO presences"
    HUDDLE = "huddle", "Huddle OOO presences"
    MCTIME = "mctime", "McTime time entries"
    PROSONATA = "prosonata", "ProSonata working times"


class ExternalUser(models.Model):
    """A source system's user id, mapped to a Timebridge user (edit in the admin)."""

    source = models.CharField(max_length=16, choices=Source.choices, verbose_name=_("source"))
    external_id = models.CharField(max_length=64, verbose_name=_("external id"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_ids",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("external user id")
        verbose_name_plural = _("external user ids")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="imports_externaluser_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id} → {self.user_id}"


class ImportedRecord(models.Model):
    """One imported source record: its source id, the row it became, and a checksum of the
    imported values, so that a re-run can tell created / updated / unchanged apart."""

    source = models.CharField(max_length=16, choices=Source.choices, verbose_name=_("source"))
    source_id = models.CharField(max_length=64, verbose_name=_("source id"))
    object_id = models.CharField(max_length=64, verbose_name=_("object id"))
    checksum = models.CharField(max_length=64, verbose_name=_("checksum"))
    imported_at = models.DateTimeField(auto_now_add=True, verbose_name=_("imported at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], name="imports_importedrecord_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id} → {self.object_id}"
