from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KolhubConfig(AppConfig):
    name = "kolhub"
    verbose_name = _("KOLHub core")

    def ready(self) -> None:
        # Every app's tasks are registered in every process, the web's included (Celery's
        # discovery otherwise waits for a worker to start), so a task sent by its name
        # (tracking.ingest.dispatch) is the task itself: eager mode runs it, routing applies.
        from PIL import Image

        from kolhub.celery import app
        from kolhub.uploads import MAX_IMAGE_PIXELS

        app.autodiscover_tasks(force=True)
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
