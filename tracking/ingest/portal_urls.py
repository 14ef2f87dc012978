"""The creator's own connections, under their portal link /p/<token>/accounts/."""

from django.urls import path

from tracking.ingest import connect_views

urlpatterns = [
    path("", connect_views.portal_accounts, name="portal_accounts"),
    path(
        "<int:account_id>/connect/<str:login>/",
        connect_views.portal_connect_start,
        name="portal_connect_start",
    ),
    path(
        "connections/<int:connection_id>/disconnect/",
        connect_views.portal_disconnect,
        name="portal_disconnect",
    ),
]
