"""/api/v1/: the schema, its docs page, and each workspace's resources under w/<slug>/.

No trailing slashes; any other address under /api/v1/ answers a 404 problem."""

from __future__ import annotations

from django.urls import include, path, re_path

from api.problems import not_found_view
from api.views import campaigns, creators, imports, tracking
from api.views.docs import DocsView, SchemaView

workspace_patterns = [
    path("creators", creators.creator_list, name="api_creator_list"),
    path("creators/<int:creator_id>", creators.creator_detail, name="api_creator_detail"),
    path("creators/<int:creator_id>/merge", creators.creator_merge, name="api_creator_merge"),
    path(
        "creators/<int:creator_id>/accounts",
        creators.account_create,
        name="api_account_create",
    ),
    path("imports", imports.import_create, name="api_import_create"),
    path("imports/<int:import_id>", imports.import_detail, name="api_import_detail"),
    path("imports/<int:import_id>/start", imports.import_start, name="api_import_start"),
    path("campaigns", campaigns.campaign_list, name="api_campaign_list"),
    path("campaigns/<int:campaign_id>", campaigns.campaign_detail, name="api_campaign_detail"),
    path(
        "campaigns/<int:campaign_id>/collaborations",
        campaigns.collaboration_list,
        name="api_collaboration_list",
    ),
    path("campaigns/<int:campaign_id>/posts", campaigns.post_list, name="api_post_list"),
    path(
        "campaigns/<int:campaign_id>/results",
        campaigns.campaign_results,
        name="api_campaign_results",
    ),
    path(
        "collaborations/<int:collaboration_id>",
        campaigns.collaboration_detail,
        name="api_collaboration_detail",
    ),
    path(
        "collaborations/<int:collaboration_id>/deliverables",
        campaigns.deliverable_list,
        name="api_deliverable_list",
    ),
    path("collaborations/<int:collaboration_id>/links", tracking.link_list, name="api_link_list"),
    path(
        "posts/<int:post_id>/snapshots",
        tracking.post_snapshots_list,
        name="api_post_snapshots",
    ),
    path("conversions", tracking.conversion_list, name="api_conversion_list"),
    path(
        "collaborations/<int:collaboration_id>/stage",
        campaigns.collaboration_stage,
        name="api_collaboration_stage",
    ),
]

urlpatterns = [
    path("schema", SchemaView.as_view(), name="api_schema"),
    path("docs/", DocsView.as_view(url_name="api_schema"), name="api_docs"),
    path("w/<slug:workspace_slug>/", include(workspace_patterns)),
    re_path(r"", not_found_view),
]
