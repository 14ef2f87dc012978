from django.urls import path

from tracking.ingest import connect_views

# Outside /w/<workspace>/: the platforms send the browser back to one fixed address per login.
urlpatterns = [
    path("<str:login>/callback/", connect_views.oauth_callback, name="oauth_callback"),
]
