from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from creators.models import Creator, CreatorImport

GOOD = "名稱,IG,IG 粉絲數,地區\n小美日常,meimei.daily,1.2萬,台北市\n阿宏,ahong.tech,8K,新竹市\n"
WITH_BAD_ROW = GOOD + "壞,bad.row,很多,\n"


def upload(client, workspace, text: str | bytes, name="roster.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        reverse("import_start", args=[workspace.slug]), {"file": SimpleUploadedFile(name, data)}
    )


def test_it_previews_before_writing_anything(alice_client, workspace):
    response = upload(alice_client, workspace, GOOD)
    creator_import = CreatorImport.objects.for_workspace(workspace).get()
    assert response.url == reverse("import_preview", args=[workspace.slug, creator_import.pk])
    preview = alice_client.get(response.url)
    assert preview.status_code == 200
    assert preview.context["summary"].created == 2
    assert "meimei.daily" in preview.text
    assert Creator.objects.count() == 0


def test_it_imports_on_confirmation_once(alice_client, workspace):
    upload(alice_client, workspace, GOOD)
    creator_import = CreatorImport.objects.get()
    confirm = reverse("import_confirm", args=[workspace.slug, creator_import.pk])
    response = alice_client.post(confirm)
    assert response.url == reverse("creator_list", args=[workspace.slug])
    assert Creator.objects.for_workspace(workspace).count() == 2
    alice_client.post(confirm)  # a double submit
    assert Creator.objects.count() == 2
    creator_import.refresh_from_db()
    assert creator_import.status == "applied" and creator_import.summary["created"] == 2


def test_it_lists_row_errors_and_writes_nothing_unless_told_to_skip(alice_client, workspace):
    upload(alice_client, workspace, WITH_BAD_ROW)
    creator_import = CreatorImport.objects.get()
    preview = alice_client.get(reverse("import_preview", args=[workspace.slug, creator_import.pk]))
    assert "“很多” is not a count" in preview.text
    confirm = reverse("import_confirm", args=[workspace.slug, creator_import.pk])
    alice_client.post(confirm)
    assert Creator.objects.count() == 0
    alice_client.post(confirm, {"skip_invalid": "1"})
    assert Creator.objects.count() == 2


def test_it_lets_the_user_correct_a_column(alice_client, workspace):
    upload(alice_client, workspace, "Who,Insta handle,Fans\nMei,mei.daily,1.2萬\n")
    creator_import = CreatorImport.objects.get()
    url = reverse("import_preview", args=[workspace.slug, creator_import.pk])
    first = alice_client.get(url)
    assert first.context["summary"].created == 0  # nothing recognisable yet
    alice_client.post(
        url, {"col_0": "display_name", "col_1": "instagram:handle", "col_2": "instagram:followers"}
    )
    second = alice_client.get(url)
    assert second.context["summary"].created == 1
    alice_client.post(reverse("import_confirm", args=[workspace.slug, creator_import.pk]))
    assert Creator.objects.get().accounts.get().followers == 12_000


def test_it_refuses_a_file_that_is_not_a_spreadsheet(alice_client, workspace):
    response = upload(alice_client, workspace, b"\x89PNG\r\n\x1a\n\x00\x00binary", "photo.csv")
    assert response.status_code == 422
    assert "not a CSV or XLSX" in response.text
    assert not CreatorImport.objects.exists()


def test_it_refuses_an_empty_upload(alice_client, workspace):
    response = alice_client.post(reverse("import_start", args=[workspace.slug]), {})
    assert response.status_code == 422
    assert "This field is required." in response.text


def test_it_refuses_get_on_confirm(alice_client, workspace):
    upload(alice_client, workspace, GOOD)
    creator_import = CreatorImport.objects.get()
    url = reverse("import_confirm", args=[workspace.slug, creator_import.pk])
    assert alice_client.get(url).status_code == 405
