from __future__ import annotations

from django.urls import path

from api import settings_views

urlpatterns = [
    path("", settings_views.api_tokens, name="settings_api"),
    path(
        "<int:token_id>/revoke/", settings_views.api_token_revoke, name="settings_api_token_revoke"
    ),
]
