from __future__ import annotations

from django.core.management import call_command

from kolhub.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from kolhub.models import Brand, Membership, Role, User, Workspace


def test_it_creates_the_demo_agency(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    workspace = Workspace.objects.get(slug=DEMO_SLUG)
    assert workspace.is_demo and workspace.currency == "TWD"
    assert Brand.objects.for_workspace(workspace).count() == 3
    roles = dict(Membership.objects.for_workspace(workspace).values_list("user__email", "role"))
    assert sorted(roles.values()) == sorted([Role.OWNER, Role.MANAGER, Role.CLIENT])
    for email in roles:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)


def test_it_limits_the_demo_client_viewer_to_one_brand(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = Membership.objects.get(workspace__slug=DEMO_SLUG, role=Role.CLIENT)
    assert client.brands.count() == 1


def test_it_is_idempotent(db):
    for _ in range(3):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Workspace.objects.count() == 2
    assert Brand.objects.count() == 4
    assert Membership.objects.count() == 4
    assert User.objects.count() == 3


def test_it_gives_the_consultant_a_second_workspace_to_switch_to(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    consultant = User.objects.get(email="consultant@demo.kolhub.local")
    assert consultant.memberships.count() == 2


def test_it_keeps_a_demo_password_someone_changed(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(email="consultant@demo.kolhub.local")
    user.set_password("changed-Passw0rd")
    user.save()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user.refresh_from_db()
    assert user.check_password("changed-Passw0rd")
