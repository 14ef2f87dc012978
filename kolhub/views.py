from __future__ import annotations

import unicodedata

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from kolhub import health, ratelimit, selectors, services
from kolhub.forms import (
    COMMON_CURRENCIES,
    AcceptInvitationForm,
    BrandForm,
    InvitationForm,
    LanguageForm,
    MembershipForm,
    WorkspaceCreateForm,
    WorkspaceForm,
)
from kolhub.http import client_ip, local_url, posted
from kolhub.models import Brand, Invitation, Role
from kolhub.tenancy import (
    WorkspaceRequest,
    get_brand,
    get_invitation,
    get_member,
    workspace_member,
)

LAST_WORKSPACE_KEY = "last_workspace"


# --- Entry points -----------------------------------------------------------


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to the workspace they used last, or to create their first one."""
    memberships = list(selectors.user_memberships(request.user))  # type: ignore[arg-type]
    if not memberships:
        return redirect("workspace_create")
    slugs = [m.workspace.slug for m in memberships]
    last = request.session.get(LAST_WORKSPACE_KEY)
    return redirect("workspace_home", workspace_slug=last if last in slugs else slugs[0])


@require_http_methods(["GET", "POST"])
@login_required
def workspace_create(request: HttpRequest) -> HttpResponse:
    form = WorkspaceCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        workspace = services.workspace_create(
            owner=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            timezone_name=form.cleaned_data["timezone"],
            currency=form.cleaned_data["currency"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Workspace created. Add your first brand to begin."))
        return redirect("settings_brands", workspace_slug=workspace.slug)
    return render(
        request,
        "kolhub/workspace_create.html",
        {"form": form, "currencies": COMMON_CURRENCIES},
        status=422 if form.errors else 200,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the account and in a cookie."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown language."), status=400)
    language = form.cleaned_data["language"]
    next_url = local_url(request, form.cleaned_data["next"], "/")
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)  # type: ignore[arg-type]
    response = HttpResponseRedirect(next_url)
    set_language_cookie(response, language)
    return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health.report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


# --- Password reset ---------------------------------------------------------

HOUR = 3600


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Django's reset form, with limits: per client address, a 429 page; per e-mail address,
    silence (the same "check your email" page: no answer tells whether an account exists)."""
    if request.method == "POST":
        per_client = ratelimit.hit(
            "password-reset-ip",
            ratelimit.network(client_ip(request)),
            limit=settings.PASSWORD_RESET_REQUESTS_PER_IP,
            seconds=HOUR,
        )
        if per_client.exceeded:
            response = render(request, "registration/password_reset_throttled.html", status=429)
            response["Retry-After"] = str(per_client.retry_after)
            return response
    form = PasswordResetForm(posted(request))
    if form.is_valid():
        # Normalised as Django matches addresses to accounts, so ALICE@ counts as alice@.
        address = unicodedata.normalize("NFKC", form.cleaned_data["email"]).casefold()
        per_address = ratelimit.hit(
            "password-reset-address",
            address,
            limit=settings.PASSWORD_RESET_EMAILS_PER_ADDRESS,
            seconds=HOUR,
        )
        if not per_address.exceeded:
            form.save(request=request, use_https=request.is_secure())
        return redirect("password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form})


# --- Invitations ------------------------------------------------------------


def _unusable(request: HttpRequest, invitation: Invitation, reason: str) -> HttpResponse:
    return render(
        request,
        "kolhub/invitation_unusable.html",
        {"invitation": invitation, "reason": reason},
        status=410,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token_unscoped(token)
    if invitation is None:
        raise Http404
    try:
        services.invitation_check_usable(invitation)
        if request.user.is_authenticated:
            return _accept_as_current_user(request, invitation)
        return _accept_with_new_account(request, invitation)
    except services.InvitationUnusable as exc:
        return _unusable(request, invitation, str(exc))


def _accept_with_new_account(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if selectors.account_exists(invitation.email):
        # The invitee already has an account: sign in first, then come back here.
        messages.info(request, _("Sign in as %(email)s to accept.") % {"email": invitation.email})
        return redirect(f"{reverse('login')}?next={request.path}")
    form = AcceptInvitationForm(posted(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create_from_invitation(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except IntegrityError:  # the same link submitted twice at once
            raise services.InvitationUnusable(_("This invitation has already been used.")) from None
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.workspace.name})
        return redirect("workspace_home", workspace_slug=invitation.workspace.slug)
    return render(
        request,
        "kolhub/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=422 if form.errors else 200,
    )


def _accept_as_current_user(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    user = request.user
    if user.email.lower() != invitation.email.lower():  # type: ignore[union-attr]
        # Say so before the button, not after: the service refuses it anyway.
        raise services.InvitationUnusable(
            _(
                "This invitation was sent to %(invited)s, but you are signed in as %(current)s. "
                "Sign out, then open the link again."
            )
            % {"invited": invitation.email, "current": user.email}  # type: ignore[union-attr]
        )
    if request.method == "POST":
        services.invitation_accept(invitation=invitation, user=user)  # type: ignore[arg-type]
        messages.success(request, _("You joined %(name)s.") % {"name": invitation.workspace.name})
        return redirect("workspace_home", workspace_slug=invitation.workspace.slug)
    return render(request, "kolhub/invitation_accept.html", {"invitation": invitation})


# --- Workspace pages --------------------------------------------------------


@require_GET
@workspace_member()
def workspace_home(request: WorkspaceRequest) -> HttpResponse:
    if request.session.get(LAST_WORKSPACE_KEY) != request.workspace.slug:
        request.session[LAST_WORKSPACE_KEY] = request.workspace.slug
    brands = selectors.workspace_brands(request.membership)
    return render(request, "kolhub/workspace_home.html", {"brands": brands})


@require_GET
@workspace_member()
def brand_detail(request: WorkspaceRequest, brand_id: int) -> HttpResponse:
    brand = get_brand(request.membership, brand_id)
    return render(
        request,
        "kolhub/brand_detail.html",
        {
            "brand": brand,
            "client_viewers": (
                brand.client_memberships.count() if request.membership.can_manage else None
            ),
        },
    )


# --- Settings: general ------------------------------------------------------


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def settings_general(request: WorkspaceRequest) -> HttpResponse:
    form = WorkspaceForm(
        posted(request),
        instance=request.workspace,
        is_owner=request.membership.has_role(Role.OWNER),
    )
    if request.method == "POST" and form.is_valid():
        services.workspace_update(workspace=form.instance)
        messages.success(request, _("Workspace settings saved."))
        return redirect("settings_general", workspace_slug=request.workspace.slug)
    return render(
        request,
        "kolhub/settings_general.html",
        {"form": form, "currencies": COMMON_CURRENCIES, "tab": "general"},
        status=422 if form.errors else 200,
    )


# --- Settings: members and invitations -------------------------------------


def _members_context(request: WorkspaceRequest, invite_form: InvitationForm | None = None) -> dict:
    return {
        "tab": "members",
        "members": selectors.workspace_members(request.workspace),
        "invitations": selectors.workspace_invitations(request.workspace),
        "invite_form": invite_form
        or InvitationForm(workspace=request.workspace, actor=request.membership),
        "invite_days": settings.INVITATION_VALID_DAYS,
    }


@require_GET
@workspace_member(role=Role.MANAGER)
def settings_members(request: WorkspaceRequest) -> HttpResponse:
    return render(request, "kolhub/settings_members.html", _members_context(request))


@vary_on_headers("HX-Request")
@require_POST
@workspace_member(role=Role.MANAGER)
def invitation_create(request: WorkspaceRequest) -> HttpResponse:
    form = InvitationForm(request.POST, workspace=request.workspace, actor=request.membership)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                site_url=request.build_absolute_uri("/"),
                workspace=request.workspace,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                brands=form.cleaned_data["brands"],
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link is valid until %(date)s.")
                % {"email": invitation.email, "date": f"{invitation.expires_at:%Y-%m-%d}"},
            )
            return _to_members(request)
    template = "kolhub/settings_members.html"
    if request.htmx:
        template += "#invite-form"
    return render(request, template, _members_context(request, form), status=422)


def _to_members(request: WorkspaceRequest) -> HttpResponse:
    url = reverse("settings_members", kwargs={"workspace_slug": request.workspace.slug})
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@workspace_member(role=Role.MANAGER)
def invitation_revoke(request: WorkspaceRequest, invitation_id: int) -> HttpResponse:
    invitation = get_invitation(request.workspace, invitation_id)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return _to_members(request)


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def membership_update(request: WorkspaceRequest, membership_id: int) -> HttpResponse:
    membership = get_member(request.workspace, membership_id)
    form = MembershipForm(posted(request), instance=membership, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                actor=request.membership,
                membership=membership,
                role=form.cleaned_data["role"],
                brands=form.cleaned_data["brands"],
            )
        except ValidationError as exc:
            form.add_error("role", exc)
        else:
            if not request.htmx:
                messages.success(
                    request,
                    _("%(email)s is now %(role)s.")
                    % {"email": membership.user, "role": membership.get_role_display()},
                )
                return _to_members(request)
            membership = get_member(request.workspace, membership_id)
            return render(
                request,
                "kolhub/settings_members.html#member-row",
                {"member": membership, "saved": True},
            )
    template = "kolhub/membership_form.html"
    if request.htmx:
        template += "#member-form"
    return render(
        request,
        template,
        {"tab": "members", "member": membership, "form": form},
        status=422 if form.errors else 200,
    )


@require_POST
@workspace_member(role=Role.MANAGER)
def membership_remove(request: WorkspaceRequest, membership_id: int) -> HttpResponse:
    membership = get_member(request.workspace, membership_id)
    try:
        services.membership_remove(actor=request.membership, membership=membership)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("%(email)s was removed from the workspace.") % {"email": membership.user}
        )
        if membership.user_id == request.user.pk:
            return HttpResponseClientRedirect(reverse("home")) if request.htmx else redirect("home")
    return _to_members(request)


# --- Settings: brands -------------------------------------------------------


@require_GET
@workspace_member(role=Role.MANAGER)
def settings_brands(request: WorkspaceRequest) -> HttpResponse:
    brands = selectors.workspace_brands(request.membership, include_archived=True)
    return render(
        request,
        "kolhub/settings_brands.html",
        {"tab": "brands", "brands": brands},
    )


def _brand_form_page(request: WorkspaceRequest, brand: Brand | None) -> HttpResponse:
    form = BrandForm(posted(request), instance=brand, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        saved = services.brand_save(brand=form.instance)
        messages.success(request, _("Brand “%(name)s” saved.") % {"name": saved.name})
        return redirect("settings_brands", workspace_slug=request.workspace.slug)
    status = 422 if form.errors else 200
    return render(
        request,
        "kolhub/brand_form.html",
        {"tab": "brands", "form": form, "brand": brand},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def brand_create(request: WorkspaceRequest) -> HttpResponse:
    return _brand_form_page(request, None)


@require_http_methods(["GET", "POST"])
@workspace_member(role=Role.MANAGER)
def brand_edit(request: WorkspaceRequest, brand_id: int) -> HttpResponse:
    return _brand_form_page(request, get_brand(request.membership, brand_id))


@require_POST
@workspace_member(role=Role.MANAGER)
def brand_archive(request: WorkspaceRequest, brand_id: int) -> HttpResponse:
    brand = get_brand(request.membership, brand_id)
    # The wanted state, not a toggle: a double submit must not undo itself.
    services.brand_set_archived(brand=brand, archived=request.POST.get("archived") == "1")
    message = (
        _("Brand “%(name)s” archived.") if brand.is_archived else _("Brand “%(name)s” restored.")
    )
    messages.success(request, message % {"name": brand.name})
    return redirect("settings_brands", workspace_slug=request.workspace.slug)


# --- Notifications -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@workspace_member()
def notification_list(request: WorkspaceRequest) -> HttpResponse:
    """The member's notifications, newest first; POST marks them all read."""
    notifications = selectors.user_notifications(request.membership)
    if request.method == "POST":
        services.notifications_mark_read(membership=request.membership)
        return redirect("notification_list", workspace_slug=request.workspace.slug)
    return render(
        request,
        "kolhub/notifications.html",
        {"notifications": notifications[:200], "section": "notifications"},
    )
