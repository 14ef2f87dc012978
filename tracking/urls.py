from django.urls import path

from tracking import creator_views, dashboard_views, insight_views, table_views, views

urlpatterns = [
    path("connections/", views.connection_list, name="connection_list"),
    path("connections/youtube-key/", views.youtube_key_add, name="youtube_key_add"),
    path("connections/connect/<str:platform>/", views.connect_start, name="connect_start"),
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
    path(
        "campaigns/<int:campaign_id>/results/",
        dashboard_views.campaign_results,
        name="campaign_results",
    ),
    path(
        "campaigns/<int:campaign_id>/results/recompute/",
        dashboard_views.campaign_results_recompute,
        name="campaign_results_recompute",
    ),
    path(
        "campaigns/<int:campaign_id>/results/export.<str:file_format>",
        dashboard_views.campaign_results_export,
        name="campaign_results_export",
    ),
    path(
        "campaigns/<int:campaign_id>/results/share/",
        dashboard_views.campaign_share_create,
        name="campaign_share_create",
    ),
    path(
        "shares/<int:share_id>/revoke/",
        dashboard_views.shared_report_revoke,
        name="shared_report_revoke",
    ),
    path(
        "campaigns/<int:campaign_id>/results/<str:fragment>/",
        dashboard_views.campaign_results_fragment,
        name="campaign_results_fragment",
    ),
    path("refresh/<str:token>/", views.refresh_status, name="refresh_status"),
    path("posts/<int:post_id>/refresh/", views.post_refresh, name="post_refresh"),
    path("posts/<int:post_id>/cover.jpg", dashboard_views.post_cover, name="post_cover"),
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
    path("creators/<int:creator_id>/scores/", creator_views.creator_scores, name="creator_scores"),
    path(
        "creators/<int:creator_id>/scores/recompute/",
        creator_views.creator_scores_recompute,
        name="creator_scores_recompute",
    ),
    path("portfolio/", insight_views.portfolio, name="portfolio"),
    path("learning/", insight_views.learning, name="learning"),
    path("brands/<int:brand_id>/results/", insight_views.brand_results, name="brand_results"),
    path("scoring-tables/", table_views.scoring_tables, name="scoring_tables"),
    path("scoring-tables/rates/", table_views.exchange_rate_save, name="exchange_rate_save"),
    path(
        "scoring-tables/rates/<int:rate_id>/remove/",
        table_views.exchange_rate_remove,
        name="exchange_rate_remove",
    ),
    path("scoring-tables/emv/", table_views.emv_rates_save, name="emv_rates_save"),
    path("scoring-tables/benchmarks/", table_views.benchmarks_save, name="benchmarks_save"),
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
