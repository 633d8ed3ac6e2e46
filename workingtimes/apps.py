from django.apps import AppConfig


class WorkingtimesConfig(AppConfig):
    name = "workingtimes"
    default_auto_field = "django.db.models.BigAutoField"
