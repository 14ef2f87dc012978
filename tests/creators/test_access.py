"""The roster's access helpers: by membership or workspace, 404 for anything of another one."""

from __future__ import annotations

import pytest
from django.http import Http404

from creators.selectors import get_creator, get_import, get_shortlist
from kolhub.models import Membership
from tests.factories import CreatorFactory, CreatorImportFactory, ShortlistFactory


def test_it_finds_rows_of_the_scope_and_hides_the_others(workspace, alice, charlie):
    member, outsider = (Membership.objects.get(user=user) for user in (alice, charlie))
    rows = [
        (get_creator, CreatorFactory(workspace=workspace)),
        (get_shortlist, ShortlistFactory(workspace=workspace)),
        (get_import, CreatorImportFactory(workspace=workspace)),
    ]
    for helper, row in rows:
        assert helper(workspace, row.pk) == row
        assert helper(member, row.pk) == row
        for scope in (outsider, outsider.workspace):
            with pytest.raises(Http404):
                helper(scope, row.pk)
        with pytest.raises(Http404):
            helper(workspace, row.pk + 1000)
