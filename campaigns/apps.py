from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")
    # Called by `manage.py seed_demo` after the creators app has seeded the roster.
    demo_seeder = "campaigns.demo.seed"
