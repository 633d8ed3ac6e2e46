"""Database pieces shared by the apps."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Func


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint on PostgreSQL, nothing on other databases.

    PostgreSQL enforces range non-overlap itself (GiST + btree_gist). On the embedded SQLite
    default the same invariant is kept by the services' check, run inside an IMMEDIATE
    transaction that serializes all writers (docs/decisions.md).
    """

    def constraint_sql(self, model, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):  # type: ignore[no-untyped-def]
        if connections[using].vendor != "postgresql":
            return
        # As Django does for the expressions: a constraint whose condition reads a field the
        # caller excluded (a form without `is_valid`) is not validated here, rather than
        # failing with a FieldError. The service's check and the database still apply it.
        condition = self.condition
        if exclude and condition is not None and condition.referenced_base_fields & set(exclude):
            return
        super().validate(model, instance, exclude=exclude, using=using)


class TsRange(Func):
    """PostgreSQL `tsrange(lower, upper)`: half-open [lower, upper) timestamp range."""

    function = "TSRANGE"


class TsTzRange(Func):
    """PostgreSQL `tstzrange(lower, upper)`: half-open [lower, upper) instant range."""

    function = "TSTZRANGE"


def storable(text: str) -> bool:
    """Whether a database can store the text: no NUL character and no unpaired surrogate
    (JSON can spell both; PostgreSQL's text and UTF-8 cannot hold them)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
