from django.urls import path

from tracking import views

urlpatterns = [
    path("connections/", views.connection_list, name="connection_list"),
    path("connections/youtube-key/", views.youtube_key_add, name="youtube_key_add"),
    path("connections/connect/<str:platform>/", views.connect_start, name="connect_start"),
    path(
        "connections/<int:connection_id>/disconnect/",
        views.connection_disconnect,
        name="connection_disconnect",
    ),
]
