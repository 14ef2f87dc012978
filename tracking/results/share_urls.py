"""The client's read-only report: /s/<token>/ (public, authenticated by the token alone)."""

from django.urls import path

from tracking.results import dashboard_views, export_views

urlpatterns = [
    path("<str:token>/", dashboard_views.shared_results, name="shared_results"),
    path(
        "<str:token>/export.<str:file_format>",
        export_views.shared_results_export,
        name="shared_results_export",
    ),
    path(
        "<str:token>/posts/<int:post_id>/cover.jpg",
        dashboard_views.shared_post_cover,
        name="shared_post_cover",
    ),
    path(
        "<str:token>/series-<str:size>.svg",
        dashboard_views.shared_results_chart,
        name="shared_results_chart",
    ),
    path(
        "<str:token>/<str:fragment>/",
        dashboard_views.shared_results_fragment,
        name="shared_results_fragment",
    ),
]
