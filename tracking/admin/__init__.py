"""The tracking app's tables in Django admin, a module per room; importing the package
registers them all (Django's autodiscover imports `tracking.admin`)."""

from tracking.admin import posts, results, sales

__all__ = ["posts", "results", "sales"]
