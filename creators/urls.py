from django.urls import path

from creators import export_views, import_views, shortlist_views, views

urlpatterns = [
    path("", views.creator_list, name="creator_list"),
    path("new/", views.creator_create, name="creator_create"),
    path("export.<str:file_format>", export_views.creator_export, name="creator_export"),
    path(
        "exports/<int:directory_export_id>/",
        export_views.directory_export,
        name="directory_export",
    ),
    path(
        "exports/<int:directory_export_id>/download/",
        export_views.directory_export_download,
        name="directory_export_download",
    ),
    path("tiers/", views.tier_settings, name="tier_settings"),
    path("shortlists/", shortlist_views.shortlist_list, name="shortlist_list"),
    path("shortlists/add/", shortlist_views.shortlist_add, name="shortlist_add"),
    path(
        "shortlists/<int:shortlist_id>/",
        shortlist_views.shortlist_detail,
        name="shortlist_detail",
    ),
    path(
        "shortlists/<int:shortlist_id>/remove/<int:creator_id>/",
        shortlist_views.shortlist_remove,
        name="shortlist_remove",
    ),
    path("accounts/<int:account_id>/picture.jpg", views.account_avatar, name="account_avatar"),
    path("import/", import_views.import_start, name="import_start"),
    path("import/<int:import_id>/", import_views.import_preview, name="import_preview"),
    path("import/<int:import_id>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("<int:creator_id>/", views.creator_detail, name="creator_detail"),
    path("<int:creator_id>/edit/", views.creator_edit, name="creator_edit"),
    path("<int:creator_id>/accounts/", views.account_add, name="account_add"),
    path("<int:creator_id>/merge/", views.creator_merge, name="creator_merge"),
    path("<int:creator_id>/audience/", views.audience_add, name="audience_add"),
    path(
        "<int:creator_id>/audience/sample/", views.audience_sample_add, name="audience_sample_add"
    ),
    path(
        "<int:creator_id>/audience/comments/", views.comment_sample_add, name="comment_sample_add"
    ),
]
