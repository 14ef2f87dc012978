from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreatorsConfig(AppConfig):
    name = "creators"
    verbose_name = _("Creators")
    # Called by `manage.py seed_demo` for the demo agency (see kolhub's seed_demo).
    demo_seeder = "creators.demo.seed"
