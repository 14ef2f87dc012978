"""Audience data says where it comes from (the platform that read it and the day, or entered by
hand), and the directory filters by the newest audience profile whoever wrote it (issue 17)."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.urls import reverse

from creators import services
from creators.models import AudienceProfile
from tests.creators import listed_names
from tests.factories import (
    AudienceProfileFactory,
    CreatorFactory,
    SocialAccountFactory,
    WorkspaceFactory,
)

TAIWANESE_WOMEN = {
    "countries": {"TW": 0.82, "HK": 0.1},
    "gender": {"female": 0.7, "male": 0.3},
    "age": {"18-24": 0.3, "25-34": 0.5},
}


def make(workspace, name, platform="instagram", followers=20_000):
    creator = CreatorFactory(workspace=workspace, display_name=name)
    account = SocialAccountFactory(
        creator=creator, platform=platform, handle=name.lower(), followers=followers
    )
    services.creators_refresh_summary(workspace=workspace, creator_ids=[creator.pk])
    return account


def profile(account, day, source="api", **shares):
    return AudienceProfileFactory(
        account=account, captured_on=day, source=source, **{"age": {}, **shares}
    )


def found(client, workspace, **params) -> list[str]:
    response = client.get(reverse("creator_list", args=[workspace.slug]), params)
    assert response.status_code == 200
    return sorted(listed_names(response))


def test_the_directory_finds_an_audience_the_platform_read_by_country_gender_and_age(
    alice_client, workspace
):
    profile(make(workspace, "Mei"), date(2026, 11, 20), **TAIWANESE_WOMEN)
    profile(
        make(workspace, "Ken"),
        date(2026, 11, 20),
        countries={"JP": 0.9},
        gender={"male": 0.8, "female": 0.2},
    )
    make(workspace, "Nobody")  # no audience known: never matches an audience filter
    assert found(alice_client, workspace, audience_country="台灣") == ["Mei"]
    assert found(alice_client, workspace, audience_country="tw", audience_country_min="80") == [
        "Mei"
    ]
    assert found(alice_client, workspace, audience_country="TW", audience_country_min="85") == []
    assert found(alice_client, workspace, audience_gender="female", audience_gender_min="50") == [
        "Mei"
    ]
    assert found(alice_client, workspace, audience_gender="female") == ["Ken", "Mei"]
    assert found(alice_client, workspace, audience_age="25-34", audience_age_min="40") == ["Mei"]
    assert found(
        alice_client,
        workspace,
        audience_country="Japan",
        audience_gender="male",
        audience_gender_min="60",
    ) == ["Ken"]


def test_the_newest_profile_counts_whoever_wrote_it(alice_client, workspace):
    account = make(workspace, "Mei")
    profile(account, date(2026, 10, 1), source="screenshot", countries={"TW": 0.3})
    newer = profile(account, date(2026, 11, 20), source="api", countries={"TW": 0.9})
    assert found(alice_client, workspace, audience_country="TW", audience_country_min="80") == [
        "Mei"
    ]
    # A hand-entered profile of a later day is the newest: it counts in turn.
    profile(account, date(2026, 11, 25), source="platform", countries={"TW": 0.4})
    assert found(alice_client, workspace, audience_country="TW", audience_country_min="80") == []
    AudienceProfile.objects.exclude(pk=newer.pk).delete()
    assert found(alice_client, workspace, audience_country="TW", audience_country_min="80") == [
        "Mei"
    ]


def test_with_a_platform_the_audience_is_that_accounts(alice_client, workspace):
    instagram = make(workspace, "Mei")
    youtube = SocialAccountFactory(creator=instagram.creator, platform="youtube", handle="mei.yt")
    profile(instagram, date(2026, 11, 1), countries={"TW": 0.9})
    profile(youtube, date(2026, 11, 20), countries={"US": 0.7, "TW": 0.1})
    params = {"audience_country": "TW", "audience_country_min": "50"}
    assert found(alice_client, workspace, **params) == []  # the newest is YouTube's
    assert found(alice_client, workspace, platform="instagram", **params) == ["Mei"]
    assert found(alice_client, workspace, platform="youtube", **params) == []


def test_an_unknown_country_is_a_form_error_and_filters_nothing(alice_client, workspace):
    profile(make(workspace, "Mei"), date(2026, 11, 20), **TAIWANESE_WOMEN)
    response = alice_client.get(
        reverse("creator_list", args=[workspace.slug]), {"audience_country": "Atlantis"}
    )
    assert response.status_code == 200
    assert "Not a country or region KOLHub knows" in response.text
    assert [c.display_name for c in response.context["page"].object_list] == ["Mei"]


def test_the_audience_filters_keep_the_directorys_query_budget(
    alice_client, workspace, django_assert_max_num_queries
):
    for n in range(20):
        profile(make(workspace, f"C{n}"), date(2026, 11, 20), **TAIWANESE_WOMEN)
    url = reverse("creator_list", args=[workspace.slug])
    alice_client.get(url)
    with django_assert_max_num_queries(11):
        response = alice_client.get(
            url, {"audience_country": "TW", "audience_gender": "female", "audience_age": "25-34"}
        )
    assert len(response.context["page"].object_list) == 20


def test_the_directory_never_reads_another_workspaces_audience(
    alice_client, workspace, charlie_workspace
):
    profile(make(charlie_workspace, "Theirs"), date(2026, 11, 20), **TAIWANESE_WOMEN)
    assert found(alice_client, workspace, audience_country="TW") == []


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("api", "Read from Instagram on 2026-11-20"),
        ("platform", "Entered by hand on 2026-11-20 (Platform insights)"),
        ("screenshot", "Entered by hand on 2026-11-20 (Creator-provided screenshot)"),
        ("estimate", "Entered by hand on 2026-11-20 (Estimate)"),
    ],
)
def test_the_profile_says_who_read_the_audience_and_when(alice_client, workspace, source, says):
    account = make(workspace, "Mei")
    profile(account, date(2026, 11, 20), source=source, **TAIWANESE_WOMEN)
    page = alice_client.get(reverse("creator_detail", args=[workspace.slug, account.creator_id]))
    assert f'data-audience-source="{source}">{account} · {says}</p>' in page.text


def test_a_person_cannot_enter_a_profile_as_read_by_the_platform(alice_client, workspace):
    account = make(workspace, "Mei")
    url = reverse("audience_add", args=[workspace.slug, account.creator_id])
    assert 'value="api"' not in alice_client.get(url).text
    response = alice_client.post(
        url,
        {
            "account": account.pk,
            "captured_on": "2026-11-20",
            "source": "api",
            "gender": "female: 70%",
        },
    )
    assert response.status_code == 422
    assert not AudienceProfile.objects.exists()


def test_the_migration_labels_the_demo_workspaces_profiles_as_demo(workspace):
    from django.apps import apps

    migration = importlib.import_module("creators.migrations.0012_audience_source_read_by_api")
    demo = make(WorkspaceFactory(is_demo=True), "Demo")
    ours = make(workspace, "Mei")
    profile(demo, date(2026, 11, 20), source="platform")
    profile(ours, date(2026, 11, 20), source="platform")
    migration.label_demo_profiles(apps, None)
    assert AudienceProfile.objects.get(account=demo).source == "demo"
    assert AudienceProfile.objects.get(account=ours).source == "platform"
