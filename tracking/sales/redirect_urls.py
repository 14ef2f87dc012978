from django.urls import re_path

from tracking.sales import redirect_views

# Codes are secrets.token_urlsafe: anything else is not a link and gets the 404 page at once.
urlpatterns = [
    re_path(
        r"^(?P<code>[A-Za-z0-9_-]{4,24})$",
        redirect_views.tracked_redirect,
        name="tracked_redirect",
    )
]
