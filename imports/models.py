"""What the importers remember between runs: who is who, and what came from where."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import user_foreign_key


class Source(models.TextChoices):
    MOCO = "moco", "MOCO presences"
    HUDDLE = "huddle", "Huddle OOO presences"
    MCTIME = "mctime", "McTime time entries"
    PROSONATA = "prosonata", "ProSonata working times"


class FromSource(models.Model):
    """A row keyed by a source system and that system's id for something (unique together)."""

    source = models.CharField(max_length=16, choices=Source.choices, verbose_name=_("source"))
    # What the row maps, as `source:key → target` (the admin's and the shell's label).
    key_field: ClassVar[str]
    target_field: ClassVar[str]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        key, target = getattr(self, self.key_field), getattr(self, self.target_field)
        return f"{self.source}:{key} → {target}"


def unique_per_source(key: str, *, name: str) -> list[models.UniqueConstraint]:
    return [models.UniqueConstraint(fields=["source", key], name=name)]


class ExternalUser(FromSource):
    """A source system's user id, mapped to a Timebridge user (edit in the admin)."""

    key_field, target_field = "external_id", "user_id"

    external_id = models.CharField(max_length=64, verbose_name=_("external id"))
    user = user_foreign_key("external_ids")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("external user id")
        verbose_name_plural = _("external user ids")
        constraints = unique_per_source("external_id", name="imports_externaluser_unique")


class ImportedRecord(FromSource):
    """One imported source record: its source id, the row it became, and a checksum of the
    imported values, so that a re-run can tell created / updated / unchanged apart."""

    key_field, target_field = "source_id", "object_id"

    source_id = models.CharField(max_length=64, verbose_name=_("source id"))
    object_id = models.CharField(max_length=64, verbose_name=_("object id"))
    checksum = models.CharField(max_length=64, verbose_name=_("checksum"))
    imported_at = models.DateTimeField(auto_now_add=True, verbose_name=_("imported at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = unique_per_source("source_id", name="imports_importedrecord_unique")
