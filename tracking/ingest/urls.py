"""Pages of reading platforms, under /w/<workspace>/tracking/."""

from django.urls import path

from tracking.ingest import connect_views, views

urlpatterns = [
    path("connections/", views.connection_list, name="connection_list"),
    path("connections/youtube-key/", views.youtube_key_add, name="youtube_key_add"),
    path("connections/connect/<str:login>/", connect_views.connect_start, name="connect_start"),
    path(
        "connections/<int:connection_id>/disconnect/",
        views.connection_disconnect,
        name="connection_disconnect",
    ),
    path(
        "collaborations/<int:collaboration_id>/posts/",
        views.collaboration_posts,
        name="collaboration_posts",
    ),
    path(
        "collaborations/<int:collaboration_id>/posts/refresh/",
        views.collaboration_posts_refresh,
        name="collaboration_posts_refresh",
    ),
    path("campaigns/<int:campaign_id>/posts/", views.campaign_posts, name="campaign_posts"),
    path(
        "campaigns/<int:campaign_id>/posts/refresh/",
        views.campaign_posts_refresh,
        name="campaign_posts_refresh",
    ),
    path("refresh/<str:token>/", views.refresh_status, name="refresh_status"),
    path("posts/<int:post_id>/refresh/", views.post_refresh, name="post_refresh"),
]
