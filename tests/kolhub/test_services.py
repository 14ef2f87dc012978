from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from kolhub import services
from kolhub.models import Membership, Role, Workspace
from tests.factories import MembershipFactory, UserFactory


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
# Names as the form lets them through: no control characters (it refuses them).
@given(
    name=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=120).filter(
        lambda s: s.strip()
    )
)
def test_it_gives_every_workspace_name_a_usable_unique_slug(name):
    owner = UserFactory()
    first = services.workspace_create(owner=owner, name=name)
    second = services.workspace_create(owner=owner, name=name)
    for workspace in (first, second):
        assert workspace.slug and len(workspace.slug) <= 60
        assert workspace.slug.isascii() and " " not in workspace.slug
        assert workspace.slug == workspace.slug.lower()
    assert first.slug != second.slug
    Workspace.objects.filter(pk__in=[first.pk, second.pk]).delete()


def test_it_keeps_one_owner_when_two_owners_demote_each_other(workspace, alice):
    other = MembershipFactory(workspace=workspace, role=Role.OWNER)
    mine = Membership.objects.get(user=alice)
    services.membership_update(actor=mine, membership=other, role=Role.MEMBER)
    with pytest.raises(ValidationError):
        services.membership_update(actor=mine, membership=mine, role=Role.MEMBER)
    assert Membership.objects.filter(workspace=workspace, role=Role.OWNER).count() == 1


def test_it_refuses_to_invite_a_member_twice(workspace, alice, bob):
    with pytest.raises(ValidationError):
        services.invitation_create(
            site_url="http://testserver/",
            workspace=workspace,
            invited_by=alice,
            email="Bob@Example.com",
            role=Role.MEMBER,
        )
