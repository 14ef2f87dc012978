"""Pages of results, under /w/<workspace>/tracking/ (the order matters: the fragment
pattern comes after the fixed results addresses)."""

from django.urls import path

from tracking.results import (
    creator_views,
    dashboard_views,
    export_views,
    insight_views,
    table_views,
)

urlpatterns = [
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
        export_views.campaign_results_export,
        name="campaign_results_export",
    ),
    path("report-files/<int:report_file_id>/", export_views.report_file, name="report_file"),
    path(
        "report-files/<int:report_file_id>/download/",
        export_views.report_file_download,
        name="report_file_download",
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
        "campaigns/<int:campaign_id>/results/series-<str:size>.svg",
        dashboard_views.campaign_results_chart,
        name="campaign_results_chart",
    ),
    path(
        "campaigns/<int:campaign_id>/results/<str:fragment>/",
        dashboard_views.campaign_results_fragment,
        name="campaign_results_fragment",
    ),
    path("posts/<int:post_id>/cover.jpg", dashboard_views.post_cover, name="post_cover"),
    path("creators/<int:creator_id>/scores/", creator_views.creator_scores, name="creator_scores"),
    path("creators/<int:creator_id>/posts/", creator_views.creator_posts, name="creator_posts"),
    path(
        "account-posts/<int:account_post_id>/cover.jpg",
        creator_views.account_post_cover,
        name="account_post_cover",
    ),
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
]
