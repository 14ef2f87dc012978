"""Pages of sales, under /w/<workspace>/tracking/."""

from django.urls import path

from tracking.sales import views

urlpatterns = [
    path(
        "collaborations/<int:collaboration_id>/links/",
        views.collaboration_links,
        name="collaboration_links",
    ),
    path(
        "collaborations/<int:collaboration_id>/links/new/",
        views.tracked_link_create,
        name="tracked_link_create",
    ),
    path(
        "collaborations/<int:collaboration_id>/promo-codes/",
        views.promo_code_create,
        name="promo_code_create",
    ),
    path("sales/", views.sales, name="sales"),
    path("sales/feeds/", views.sales_feed_create, name="sales_feed_create"),
    path(
        "links/<int:link_id>/deactivate/",
        views.tracked_link_deactivate,
        name="tracked_link_deactivate",
    ),
    path(
        "links/<int:link_id>/qr.<str:image_format>",
        views.tracked_link_qr,
        name="tracked_link_qr",
    ),
]
