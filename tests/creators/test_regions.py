"""Creators' regions under one spelling per place, however an import or the form writes them,
so the directory does not list near-duplicates (issue 16, messy spreadsheets)."""

from __future__ import annotations

from django.urls import reverse

from creators import services
from creators.importer import parse_table
from creators.models import Creator
from creators.selectors import workspace_regions
from kolhub.spreadsheets import read_table

SHEET = (
    "名稱,平台,帳號,地區\n"
    "小美,IG,@mei.eats,台北\n"
    "阿宏,IG,@ahong,臺北市\n"
    "Lin,IG,@lin,Taipei City\n"
    "小安,IG,@an,臺中\n"
    "Ken,IG,@ken,Hong  Kong\n"
)


def test_an_import_writes_one_region_for_every_spelling_of_a_place(workspace):
    parsed = parse_table(read_table(SHEET.encode(), "creators.csv"))
    services.creators_import(workspace=workspace, parsed=parsed)
    regions = dict(Creator.objects.for_workspace(workspace).values_list("display_name", "region"))
    assert regions == {
        "小美": "台北市",
        "阿宏": "台北市",
        "Lin": "台北市",
        "小安": "台中市",
        "Ken": "Hong Kong",
    }
    assert workspace_regions(workspace) == ["Hong Kong", "台中市", "台北市"]


def test_the_creator_form_writes_the_regions_spelling(alice_client, workspace):
    alice_client.post(
        reverse("creator_create", args=[workspace.slug]),
        {
            "display_name": "Mei",
            "relationship_status": "new",
            "rate_currency": "TWD",
            "region": "臺北",
        },
    )
    assert Creator.objects.for_workspace(workspace).get().region == "台北市"
