from django.apps import AppConfig


class OooConfig(AppConfig):
    name = "ooo"
    default_auto_field = "django.db.models.BigAutoField"
