from __future__ import annotations

from django.contrib import admin
from django.urls import path

from tracking import ops

urlpatterns = [
    # The admin's own staff check: anyone but active staff gets its login page.
    path("", admin.site.admin_view(ops.operations), name="admin_operations"),
]
