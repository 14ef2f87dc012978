"""What `seed_demo` creates, and that running it again changes nothing it should keep.

Every test starts from one `seed_demo` run from an empty database, made once for the module
(`seeded_demo`, tests/conftest.py); tests about seeding again run the command again
themselves."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kolhub.management.commands.seed_demo import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, DEMO_SLUG
from kolhub.models import Brand, Membership, Role, User, Workspace

pytestmark = pytest.mark.usefixtures("seeded_demo")


def test_it_creates_the_demo_agency(db):
    workspace = Workspace.objects.get(slug=DEMO_SLUG)
    assert workspace.is_demo and workspace.currency == "TWD"
    assert Brand.objects.for_workspace(workspace).count() == 3
    roles = dict(Membership.objects.for_workspace(workspace).values_list("user__email", "role"))
    assert sorted(roles.values()) == sorted([Role.OWNER, Role.MANAGER, Role.CLIENT])
    for email in roles:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)


def test_it_limits_the_demo_client_viewer_to_one_brand(db):
    client = Membership.objects.get(workspace__slug=DEMO_SLUG, role=Role.CLIENT)
    assert client.brands.count() == 1


def test_it_is_idempotent(db):
    # Two more runs on top of the module's first one: three runs, as from an empty database.
    for _ in range(2):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Workspace.objects.count() == 2
    assert Brand.objects.count() == 4
    assert Membership.objects.count() == 4
    assert User.objects.count() == 4
    assert User.objects.filter(is_superuser=True).count() == 1


def test_it_gives_the_consultant_a_second_workspace_to_switch_to(db):
    consultant = User.objects.get(email="consultant@demo.kolhub.local")
    assert consultant.memberships.count() == 2


def test_it_keeps_a_demo_password_someone_changed(db):
    user = User.objects.get(email="consultant@demo.kolhub.local")
    user.set_password("changed-Passw0rd")
    user.save()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user.refresh_from_db()
    assert user.check_password("changed-Passw0rd")


def test_it_creates_a_demo_superuser_outside_every_workspace(db):
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    assert admin.is_staff and admin.is_superuser and admin.is_active
    assert admin.check_password(DEMO_PASSWORD)
    assert not admin.memberships.exists()


def test_it_creates_the_demo_superuser_once_and_keeps_its_changed_password(db):
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    admin.set_password("changed-Passw0rd")
    admin.save()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.filter(email=DEMO_ADMIN_EMAIL).count() == 1
    admin.refresh_from_db()
    assert admin.check_password("changed-Passw0rd")
