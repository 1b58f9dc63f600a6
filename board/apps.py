from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "board"
    label = "board"
    verbose_name = "Board dashboard and packs"
