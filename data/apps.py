from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "data"
    label = "kentdata"
    verbose_name = "Demo data"
