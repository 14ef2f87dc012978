"""Settings → Contracts, mounted under /w/<workspace>/settings/contracts/ by the project URLconf."""

from django.urls import path

from campaigns.contracts import views

urlpatterns = [
    path("", views.contract_settings, name="contract_settings"),
    path("new/", views.contract_template_create, name="contract_template_create"),
    path("<int:template_id>/", views.contract_template_edit, name="contract_template_edit"),
    path(
        "<int:template_id>/delete/",
        views.contract_template_delete,
        name="contract_template_delete",
    ),
]
