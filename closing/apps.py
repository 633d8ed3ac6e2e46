from django.apps import AppConfig


class ClosingConfig(AppConfig):
    name = "closing"
    verbose_name = "Closed periods and evidence"
    default_auto_field = "django.db.models.BigAutoField"
