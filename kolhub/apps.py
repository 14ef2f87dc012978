from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KolhubConfig(AppConfig):
    name = "kolhub"
    verbose_name = _("KOLHub core")
