"""The access helpers: one row by id for a member or a whole workspace, 404 for anything else."""

from __future__ import annotations

import pytest
from django.http import Http404

from campaigns import selectors
from kolhub.models import Membership, Role
from tests.factories import (
    BrandFactory,
    CampaignFactory,
    DraftFactory,
    MembershipFactory,
    ShipmentFactory,
    UserFactory,
)

# Each helper with a way to make one of its rows under a campaign.
HELPERS = {
    "campaign": (selectors.get_campaign, lambda campaign: campaign),
    "collaboration": (
        selectors.get_collaboration,
        lambda campaign: (
            DraftFactory(deliverable__collaboration__campaign=campaign).deliverable.collaboration
        ),
    ),
    "deliverable": (
        selectors.get_deliverable,
        lambda campaign: DraftFactory(deliverable__collaboration__campaign=campaign).deliverable,
    ),
    "shipment": (
        selectors.get_shipment,
        lambda campaign: ShipmentFactory(collaboration__campaign=campaign),
    ),
    "draft": (
        selectors.get_draft,
        lambda campaign: DraftFactory(deliverable__collaboration__campaign=campaign),
    ),
}


@pytest.fixture(params=list(HELPERS))
def helper(request):
    return HELPERS[request.param]


def client_viewer(workspace, brand) -> Membership:
    membership = MembershipFactory(workspace=workspace, user=UserFactory(), role=Role.CLIENT)
    membership.brands.add(brand)
    return membership


def test_it_finds_a_row_for_a_member_and_for_the_workspace(helper, workspace, brand, alice):
    get, make = helper
    row = make(CampaignFactory(brand=brand))
    membership = Membership.objects.get(workspace=workspace, user=alice)
    assert get(membership, row.pk) == row
    assert get(workspace, row.pk) == row


def test_it_answers_404_for_a_row_of_another_workspace(helper, workspace, charlie_workspace, alice):
    get, make = helper
    row = make(CampaignFactory(brand=BrandFactory(workspace=charlie_workspace)))
    membership = Membership.objects.get(workspace=workspace, user=alice)
    for scope in (membership, workspace):
        with pytest.raises(Http404):
            get(scope, row.pk)


def test_it_limits_a_client_viewer_to_their_brands_but_not_the_workspace(helper, workspace, brand):
    get, make = helper
    theirs = make(CampaignFactory(brand=brand))
    other = make(CampaignFactory(brand=BrandFactory(workspace=workspace)))
    viewer = client_viewer(workspace, brand)
    assert get(viewer, theirs.pk) == theirs
    with pytest.raises(Http404):
        get(viewer, other.pk)
    assert get(workspace, other.pk) == other


def test_it_answers_404_for_a_row_that_does_not_exist(helper, workspace):
    get, _make = helper
    with pytest.raises(Http404):
        get(workspace, 999_999)
