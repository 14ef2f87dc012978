from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kolhub import views

auth_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Limited per e-mail address and per client (kolhub.ratelimit).
    path("password/reset/", views.password_reset, name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

settings_patterns = [
    path("", views.settings_general, name="settings_general"),
    path("members/", views.settings_members, name="settings_members"),
    path("members/<int:membership_id>/", views.membership_update, name="membership_update"),
    path("members/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"),
    path("invitations/", views.invitation_create, name="invitation_create"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("brands/", views.settings_brands, name="settings_brands"),
    path("brands/new/", views.brand_create, name="brand_create"),
    path("brands/<int:brand_id>/edit/", views.brand_edit, name="brand_edit"),
    path("brands/<int:brand_id>/archive/", views.brand_archive, name="brand_archive"),
    # Contract templates are campaigns' (the project URLconf composes the apps).
    path("contracts/", include("campaigns.contracts.urls")),
    path("webhooks/", include("kolhub.webhooks.urls")),
    path("api/", include("api.settings_urls")),
]

workspace_patterns = [
    path("", views.workspace_home, name="workspace_home"),
    path("brands/<int:brand_id>/", views.brand_detail, name="brand_detail"),
    path("settings/", include(settings_patterns)),
    # The project URLconf composes the apps; kolhub's own modules never import them.
    path("creators/", include("creators.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("payouts/", include("campaigns.payouts.urls")),
    path("tracking/", include("tracking.urls")),
    path("notifications/", views.notification_list, name="notification_list"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include(auth_patterns)),
    path("language/", views.set_language, name="set_language"),
    path("workspaces/new/", views.workspace_create, name="workspace_create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # The creator portal: no account, the unguessable token is the credential.
    path("p/<str:token>/", include("campaigns.portal_urls")),
    path("p/<str:token>/accounts/", include("tracking.ingest.portal_urls")),
    path("oauth/", include("tracking.ingest.oauth_urls")),
    # Tracked links: public, answered at once; the code is unguessable.
    path("r/", include("tracking.sales.redirect_urls")),
    path("s/", include("tracking.results.share_urls")),
    # Orders from the shops (signed webhooks) and the thank-you page pixel.
    path("", include("tracking.sales.intake_urls")),
    path("w/<slug:workspace_slug>/", include(workspace_patterns)),
    # The REST API (docs/api.md): its own tenancy (api.access), tokens or the session.
    path("api/v1/", include("api.urls")),
    # The admin's operations page, a tracking view (it reads every app's figures; tracking.ops
    # says why); before admin/, whose catch-all would answer 404.
    path("admin/operations/", include("tracking.ops_urls")),
    path("admin/", admin.site.urls),
]
