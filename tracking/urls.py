"""The tracking app's pages under /w/<workspace>/tracking/: the three rooms' together.

The public addresses are included by kolhub.urls from each room: ingest.oauth_urls,
sales.redirect_urls and sales.intake_urls, results.share_urls.
"""

from tracking.ingest.urls import urlpatterns as ingest_urls
from tracking.results.urls import urlpatterns as results_urls
from tracking.sales.urls import urlpatterns as sales_urls

urlpatterns = [*ingest_urls, *sales_urls, *results_urls]
