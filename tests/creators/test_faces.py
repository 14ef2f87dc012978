"""Faces on the roster, from the reader's side: the creators' pictures in the directory and on
the profile head (initials in a circle when there is none), served by us to members only."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from creators import services
from creators.models import SocialAccount
from creators.templatetags.faces import hue, initials
from kolhub.models import Membership, Role
from tests.factories import BrandFactory, CreatorFactory, SocialAccountFactory, UserFactory


def jpeg(colour=(200, 40, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 160), colour).save(out, "JPEG")
    return out.getvalue()


def pictured(account: SocialAccount) -> SocialAccount:
    assert services.account_avatar_store(account_id=account.pk, image=jpeg())
    account.refresh_from_db()
    return account


def picture_url(workspace, account) -> str:
    return reverse("account_avatar", args=[workspace.slug, account.pk])


def directory(client, workspace):
    return client.get(reverse("creator_list", args=[workspace.slug]))


def profile(client, workspace, creator):
    return client.get(reverse("creator_detail", args=[workspace.slug, creator.pk]))


@pytest.fixture
def creator(workspace):
    return CreatorFactory(workspace=workspace, display_name="Mei Lin")


def test_the_directory_shows_the_main_accounts_picture(alice_client, workspace, creator):
    SocialAccountFactory(creator=creator, followers=90_000)  # the biggest, without a picture
    smaller = pictured(SocialAccountFactory(creator=creator, followers=3_000))
    text = directory(alice_client, workspace).text
    version = smaller.avatar.name.rsplit("/", 1)[-1].removesuffix(".jpg")
    assert f'src="{picture_url(workspace, smaller)}?v={version}"' in text
    assert 'class="avatar avatar--sm" ' in text and 'width="36" height="36"' in text
    assert 'loading="lazy"' in text


def test_a_creator_without_a_picture_gets_initials_in_a_circle(alice_client, workspace, creator):
    SocialAccountFactory(creator=creator)
    text = directory(alice_client, workspace).text
    assert f'avatar--initials avatar--hue-{hue("Mei Lin")}" aria-hidden="true">ML</span>' in text
    assert "account_avatar" not in text and "/picture.jpg" not in text


def test_the_profile_head_shows_the_picture_and_each_account_its_own(
    alice_client, workspace, creator
):
    main = pictured(SocialAccountFactory(creator=creator, followers=50_000, handle="mei.daily"))
    SocialAccountFactory(creator=creator, followers=1_000, handle="mei.cooks", platform="tiktok")
    text = profile(alice_client, workspace, creator).text
    assert 'class="avatar avatar--lg" ' in text and 'width="64" height="64"' in text
    assert text.count(picture_url(workspace, main)) == 2  # the head and its account row
    assert "avatar--xs avatar--initials avatar--hue-" in text  # the other account: initials
    assert f">{initials('mei.cooks')}</span>" in text


def test_the_profile_of_a_creator_without_any_picture_shows_initials(alice_client, workspace):
    creator = CreatorFactory(workspace=workspace, display_name="小安日常")
    text = profile(alice_client, workspace, creator).text
    assert "avatar avatar--lg avatar--initials" in text and ">小</span>" in text


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Mei Lin", "ML"),
        ("ann", "A"),
        ("小安日常", "小"),
        ("@mei.daily", "M"),
        ("", "?"),
        ("Mei 小安", "M"),
    ],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_a_member_gets_the_picture_as_a_jpeg_that_cannot_run(bob_client, workspace, creator):
    account = pictured(SocialAccountFactory(creator=creator))
    response = bob_client.get(picture_url(workspace, account))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, max-age=604800"
    assert b"".join(response.streaming_content) == account.avatar.open("rb").read()


def test_an_account_without_a_picture_is_404(alice_client, workspace, creator):
    account = SocialAccountFactory(creator=creator)
    assert alice_client.get(picture_url(workspace, account)).status_code == 404


def test_an_outsider_and_a_client_viewer_get_404(charlie_client, client_for, workspace, creator):
    account = pictured(SocialAccountFactory(creator=creator))
    assert charlie_client.get(picture_url(workspace, account)).status_code == 404
    viewer = UserFactory()
    Membership.objects.create(workspace=workspace, user=viewer, role=Role.CLIENT).brands.add(
        BrandFactory(workspace=workspace)
    )
    assert client_for(viewer).get(picture_url(workspace, account)).status_code == 404


def test_the_picture_answers_get_only(alice_client, workspace, creator):
    account = pictured(SocialAccountFactory(creator=creator))
    assert alice_client.post(picture_url(workspace, account)).status_code == 405


def test_the_directory_with_pictures_stays_in_a_constant_number_of_queries(
    alice_client, workspace, django_assert_max_num_queries
):
    for n in range(24):  # one page of the directory
        creator = CreatorFactory(workspace=workspace, display_name=f"C{n}")
        account = SocialAccountFactory(creator=creator, followers=1_000 + n)
        if n % 2:
            pictured(account)
        services.creators_refresh_summary(workspace=workspace, creator_ids=[creator.pk])
    directory(alice_client, workspace)
    with django_assert_max_num_queries(11):
        response = directory(alice_client, workspace)
    assert response.text.count('class="avatar avatar--sm" ') == 12
