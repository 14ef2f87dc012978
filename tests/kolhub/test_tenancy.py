"""The access helpers take a scope: a membership (a client viewer sees only their brands) or a
whole workspace; anything of another workspace is 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from kolhub.models import Membership, Role
from kolhub.tenancy import get_brand, get_invitation, get_member, scope_membership, scope_workspace
from tests.factories import BrandFactory, InvitationFactory, MembershipFactory


def test_it_reads_the_workspace_and_member_of_a_scope(workspace, alice):
    membership = Membership.objects.get(user=alice)
    assert scope_workspace(membership) == workspace
    assert scope_workspace(workspace) == workspace
    assert scope_membership(membership) == membership
    assert scope_membership(workspace) is None


def test_it_limits_a_client_viewer_to_their_brands(workspace, brand):
    other = BrandFactory(workspace=workspace)
    viewer = MembershipFactory(workspace=workspace, role=Role.CLIENT)
    viewer.brands.add(brand)
    assert get_brand(viewer, brand.pk) == brand
    with pytest.raises(Http404):
        get_brand(viewer, other.pk)
    assert get_brand(workspace, other.pk) == other


def test_it_answers_404_for_another_workspace(workspace, alice, brand, charlie_workspace, charlie):
    alice_membership = Membership.objects.get(user=alice)
    invitation = InvitationFactory(workspace=workspace)
    for scope in (charlie_workspace, Membership.objects.get(user=charlie)):
        for helper, pk in (
            (get_brand, brand.pk),
            (get_member, alice_membership.pk),
            (get_invitation, invitation.pk),
        ):
            with pytest.raises(Http404):
                helper(scope, pk)
    assert get_member(alice_membership, alice_membership.pk) == alice_membership
    assert get_invitation(workspace, invitation.pk) == invitation
