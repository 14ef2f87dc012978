from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = _("Tracking")
    demo_seeder = "tracking.demo.seed"

    def ready(self) -> None:
        from tracking.link_cache import link_written
        from tracking.models import TrackedLink

        # Signals, the last resort, because only they see every path: the admin's save(),
        # and a deleted collaboration or workspace taking its links along (a cascade).
        post_save.connect(link_written, sender=TrackedLink, dispatch_uid="tracked-link-saved")
        post_delete.connect(link_written, sender=TrackedLink, dispatch_uid="tracked-link-gone")
