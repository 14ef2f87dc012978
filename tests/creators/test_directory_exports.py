"""A large directory's CSV and XLSX are built by the worker: progress, then a link to the
stored file, the same bytes the request would have written; a small one's is still built in
the request, byte for byte as before."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from creators import export, export_files, selectors, services
from creators.models import Creator, DirectoryExport, Platform
from kolhub import workbooks
from kolhub.models import Role
from kolhub.spreadsheets import neutralise
from tests.factories import (
    CategoryFactory,
    CreatorFactory,
    MembershipFactory,
    RateCardItemFactory,
    SocialAccountFactory,
    UserFactory,
)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def large(settings):
    """Directories of more than one creator count as large here."""
    settings.DIRECTORY_EXPORT_WORKER_ROWS = 1


def make_roster(workspace, size: int) -> None:
    beauty = CategoryFactory(workspace=workspace, name="Beauty")
    food = CategoryFactory(workspace=workspace, name="Food")
    for n in range(size):
        creator = CreatorFactory(
            workspace=workspace,
            display_name="=cmd" if n == 0 else f"創作者 {n}",
            region=["台北市", "高雄市"][n % 2],
            classification=["kol", "influencer", ""][n % 3],
            relationship_status=["active", "new", "do_not_work"][n % 3],
            rate_currency=["TWD", "USD"][n % 2],
        )
        creator.categories.set([food, beauty][: n % 3])
        SocialAccountFactory(creator=creator, handle=f"ig{n}", followers=1000 * (n + 1))
        if n % 2:
            SocialAccountFactory(
                creator=creator, platform="youtube", handle=f"yt{n}", followers=None
            )
        RateCardItemFactory(creator=creator, format="ig_post", price=1000 + n)
    ids = list(Creator.objects.filter(workspace=workspace).values_list("pk", flat=True))
    services.creators_refresh_summary(workspace=workspace, creator_ids=ids)


@pytest.fixture
def roster(workspace):
    make_roster(workspace, 4)


def export_url(workspace, file_format="csv"):
    return reverse("creator_export", args=[workspace.slug, file_format])


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def builds(callbacks) -> int:
    return sum("build_directory_export" in repr(callback) for callback in callbacks)


def old_directory_frame(creators) -> pd.DataFrame:
    """directory_frame as it was before it was made cheaper: the reference its output must
    equal byte for byte."""
    rows, platforms = [], set()
    for creator in creators:
        accounts = export.by_followers(creator.accounts.all())
        row = dict(
            zip(
                export.fixed_columns(),
                [
                    creator.display_name,
                    creator.real_name,
                    export.account_url(accounts[0]) if accounts else "",
                    creator.get_classification_display(),
                    ", ".join(c.name for c in creator.categories.all()),
                    creator.region,
                    creator.total_followers,
                    creator.get_top_tier_display(),
                    export._float(creator.engagement_rate),
                    export._float(creator.engagement_stability),
                    creator.authenticity_score,
                    creator.red_flags,
                    export._float(creator.engagement_vs_tier),
                    export._float(creator.sponsored_vs_organic),
                    export._float(creator.min_price),
                    creator.rate_currency,
                    creator.get_relationship_status_display(),
                ],
                strict=True,
            )
        )
        for account in accounts:
            url_column, followers_column = export.platform_columns(account.platform)
            platforms.add(account.platform)
            row.setdefault(url_column, export.account_url(account))
            row.setdefault(followers_column, account.followers)
        rows.append({str(k): neutralise(v) for k, v in row.items()})
    columns = export.fixed_columns() + [
        column
        for platform in Platform.values
        if platform in platforms
        for column in export.platform_columns(platform)
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame = workbooks.whole_numbers(frame, [gettext("Lowest rate")])
    return workbooks.whole_numbers(frame, export.count_columns(columns))


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_the_cheaper_frame_writes_the_same_bytes_as_before(workspace, roster, language):
    with translation.override(language):
        before = export.to_csv(old_directory_frame(selectors.creator_directory(workspace, {})))
        after = export.to_csv(
            export.directory_frame(selectors.creator_directory_export(workspace, {}))
        )
    assert after == before
    assert before.count(b"\n") == 5


def test_a_small_directory_is_still_exported_in_the_request(alice_client, workspace, roster):
    page = alice_client.get(reverse("creator_list", args=[workspace.slug]))
    export_links = page.text.split('class="results__export"')[1].split("</span>")[0]
    assert "hx-get" not in export_links
    response = alice_client.get(export_url(workspace))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    expected = export.to_csv(old_directory_frame(selectors.creator_directory(workspace, {})))
    assert response.content == expected
    assert not DirectoryExport.objects.exists()


def test_it_builds_a_large_directory_in_the_worker_then_links_to_it(
    large, alice_client, workspace, roster, django_capture_on_commit_callbacks
):
    page = alice_client.get(reverse("creator_list", args=[workspace.slug]), {"region": "台北市"})
    assert f'hx-get="{export_url(workspace)}?region=' in page.text
    with django_capture_on_commit_callbacks(execute=True) as sent:
        started = alice_client.get(
            export_url(workspace), {"region": "台北市", "page": "2"}, headers=HTMX
        )
    # The click answers at once with the progress panel; the worker builds after the commit.
    assert started.status_code == 200 and 'hx-trigger="every 1s"' in started.text
    assert "Waiting for a worker to start" in started.text
    assert builds(sent) == 1
    directory_export = DirectoryExport.objects.get()
    assert directory_export.status == DirectoryExport.Status.READY
    assert directory_export.language == "en" and directory_export.progress["creators"] == 2
    assert directory_export.filters == "region=%E5%8F%B0%E5%8C%97%E5%B8%82"

    status = alice_client.get(
        reverse("directory_export", args=[workspace.slug, directory_export.pk]), headers=HTMX
    )
    assert status.status_code == 286  # htmx stops polling
    download_url = reverse("directory_export_download", args=[workspace.slug, directory_export.pk])
    assert f'href="{download_url}"' in status.text and "every 1s" not in status.text
    assert "Ready: 2 creators." in status.text

    download = alice_client.get(download_url)
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="creators-' in download["Content-Disposition"]
    # The same bytes the request would have written for the same filters.
    in_request = export.to_csv(
        old_directory_frame(selectors.creator_directory(workspace, {"region": "台北市"}))
    )
    assert streamed(download) == in_request


def test_the_export_is_written_in_the_askers_language(
    large, alice_client, workspace, roster, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(
            export_url(workspace, "xlsx"), headers={**HTMX, "Accept-Language": "zh-hant"}
        )
    directory_export = DirectoryExport.objects.get()
    assert directory_export.language == "zh-hant"
    frame = pd.read_excel(Path(directory_export.file.path))
    assert frame.columns[0] == "名稱" and len(frame) == 4


def test_without_javascript_the_export_is_a_page_that_ends_with_the_file(
    large, alice_client, workspace, roster, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as sent:
        response = alice_client.get(export_url(workspace, "xlsx"))
        again = alice_client.get(export_url(workspace, "xlsx"))
    directory_export = DirectoryExport.objects.get()  # a second click follows the first
    page_url = reverse("directory_export", args=[workspace.slug, directory_export.pk])
    assert response.status_code == 302 and response["Location"] == page_url
    assert again["Location"] == page_url and builds(sent) == 1
    page = alice_client.get(page_url)
    assert "Directory as XLSX" in page.text and 'http-equiv="refresh"' in page.text
    download_url = reverse("directory_export_download", args=[workspace.slug, directory_export.pk])
    assert alice_client.get(download_url).status_code == 302  # not built yet: back to the page
    for callback in sent:
        callback()
    ready = alice_client.get(page_url)
    assert "Download XLSX" in ready.text and 'http-equiv="refresh"' not in ready.text
    download = alice_client.get(download_url)
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(pd.read_excel(io.BytesIO(streamed(download)))) == 4


def test_a_failed_build_says_so_and_offers_to_try_again(
    large, alice_client, workspace, roster, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(frame):
        raise RuntimeError("disk full")

    monkeypatch.setitem(export_files.FORMATS, "csv", export_files.ExportFormat("text/csv", broken))
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(export_url(workspace), {"q": "創作者"}, headers=HTMX)
    directory_export = DirectoryExport.objects.get()
    assert directory_export.status == DirectoryExport.Status.FAILED
    status = alice_client.get(
        reverse("directory_export", args=[workspace.slug, directory_export.pk]), headers=HTMX
    )
    assert status.status_code == 286 and "could not be prepared" in status.text
    assert f'href="{export_url(workspace)}?q=' in status.text


def test_another_workspace_another_member_and_client_viewers_get_404(
    large,
    alice_client,
    bob_client,
    charlie_client,
    client_for,
    workspace,
    roster,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(export_url(workspace), headers=HTMX)
    directory_export = DirectoryExport.objects.get()
    addresses = [
        reverse("directory_export", args=[workspace.slug, directory_export.pk]),
        reverse("directory_export_download", args=[workspace.slug, directory_export.pk]),
    ]
    viewer = MembershipFactory(workspace=workspace, user=UserFactory(), role=Role.CLIENT).user
    for outsider in (charlie_client, bob_client, client_for(viewer)):
        for address in addresses:
            assert outsider.get(address).status_code == 404
    # A client viewer does not see the directory, so cannot export it either.
    assert client_for(viewer).get(export_url(workspace), headers=HTMX).status_code == 404
    assert DirectoryExport.objects.count() == 1


def test_it_knows_only_csv_and_xlsx(large, alice_client, workspace, roster):
    assert alice_client.get(export_url(workspace, "pdf"), headers=HTMX).status_code == 404
    assert not DirectoryExport.objects.exists()


@pytest.mark.parametrize("size", [3, 9])
def test_the_click_costs_the_same_queries_whatever_the_roster(
    large, alice_client, workspace, size, django_assert_max_num_queries
):
    make_roster(workspace, size)
    with django_assert_max_num_queries(8):
        response = alice_client.get(export_url(workspace), headers=HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 9])
def test_a_small_export_costs_the_same_queries_whatever_its_size(
    settings, alice_client, workspace, size, django_assert_max_num_queries
):
    settings.DIRECTORY_EXPORT_WORKER_ROWS = 100
    make_roster(workspace, size)
    with django_assert_max_num_queries(9):
        response = alice_client.get(export_url(workspace))
    assert response.status_code == 200


def test_old_exports_are_pruned_with_their_files(
    large, alice_client, workspace, roster, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.get(export_url(workspace), headers=HTMX)
    stored = Path(DirectoryExport.objects.get().file.path)
    assert stored.exists()
    assert export_files.directory_exports_prune() == 0
    with django_capture_on_commit_callbacks(execute=True):
        later = timezone.now() + timedelta(hours=25)
        assert export_files.directory_exports_prune(now=later) == 1
    assert not DirectoryExport.objects.exists() and not stored.exists()
