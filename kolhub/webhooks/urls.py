from __future__ import annotations

from django.urls import path

from kolhub.webhooks import views

urlpatterns = [
    path("", views.webhook_list, name="webhook_list"),
    path("<int:endpoint_id>/", views.webhook_endpoint_detail, name="webhook_endpoint_detail"),
    path("<int:endpoint_id>/edit/", views.webhook_endpoint_edit, name="webhook_endpoint_edit"),
    path(
        "<int:endpoint_id>/enabled/",
        views.webhook_endpoint_enabled,
        name="webhook_endpoint_enabled",
    ),
    path(
        "<int:endpoint_id>/delete/", views.webhook_endpoint_delete, name="webhook_endpoint_delete"
    ),
    path("<int:endpoint_id>/test/", views.webhook_endpoint_test, name="webhook_endpoint_test"),
    path(
        "<int:endpoint_id>/secret/", views.webhook_endpoint_secret, name="webhook_endpoint_secret"
    ),
    path(
        "<int:endpoint_id>/messages/<int:message_id>/resend/",
        views.webhook_message_resend,
        name="webhook_message_resend",
    ),
]
