from django.urls import path

from tracking.sales import intake_views

# Public: the token names the feed; webhooks must also be signed (tests/tracking/test_intake.py).
urlpatterns = [
    path("hooks/shopify/<str:token>/", intake_views.shopify_webhook, name="shopify_webhook"),
    path(
        "hooks/woocommerce/<str:token>/",
        intake_views.woocommerce_webhook,
        name="woocommerce_webhook",
    ),
    path("hooks/custom/<str:token>/", intake_views.custom_webhook, name="custom_webhook"),
    path("px/<str:token>.js", intake_views.pixel_script, name="pixel_script"),
    path("px/<str:token>/order", intake_views.pixel_order_view, name="pixel_order"),
]
