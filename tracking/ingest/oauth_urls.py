from django.urls import path

from tracking.ingest import views

# Outside /w/<workspace>/: the platforms send the browser back to one fixed address.
urlpatterns = [path("<str:platform>/callback/", views.oauth_callback, name="oauth_callback")]
