"""Comment samples: pasted or uploaded, validated with a clear message, kept five per account."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from creators import services
from creators.audience import read_comments
from creators.models import CommentSample
from tests.factories import CreatorFactory, SocialAccountFactory


@pytest.fixture
def account(workspace):
    return SocialAccountFactory(creator=CreatorFactory(workspace=workspace))


def post(client, workspace, account, **data):
    return client.post(
        reverse("comment_sample_add", args=[workspace.slug, account.creator_id]),
        {"account": account.pk, **data},
    )


def xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    return buffer.getvalue()


def test_pasted_comments_are_stored_one_per_line(alice_client, workspace, account):
    response = post(
        alice_client,
        workspace,
        account,
        text="好美😍\n\n  請問色號？ \nNice pic!\n",
        description="IG",
    )
    assert response.status_code == 302
    sample = CommentSample.objects.get()
    assert sample.comments == ["好美😍", "請問色號？", "Nice pic!"]
    assert (sample.size, sample.source, sample.description) == (3, "pasted", "IG")
    assert sample.workspace_id == workspace.pk


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "export.csv",
            'user,留言\nann,"好讚, 真的"\nbob,請問哪裡買\n'.encode(),
            ["好讚, 真的", "請問哪裡買"],
        ),
        ("big5.txt", "好美\n請問價格\n".encode("cp950"), ["好美", "請問價格"]),
        ("one.csv", b"first line\nsecond\n", ["first line", "second"]),
        (
            "export.xlsx",
            xlsx(pd.DataFrame({"Author": ["a", "b"], "Text": ["wow", "多少錢？"]})),
            ["wow", "多少錢？"],
        ),
    ],
)
def test_uploads_are_read_from_the_comment_column(name, content, expected):
    assert read_comments(content, name, most=100) == expected


def broken_workbook() -> bytes:
    """A real workbook with its sheet's XML cut short, as a failed download leaves it."""
    whole = io.BytesIO(xlsx(pd.DataFrame({"Text": ["wow"]})))
    broken = io.BytesIO()
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(
                item, content[: len(content) // 2] if "sheet1" in item.filename else content
            )
    return broken.getvalue()


def one_cell_rows(count: int) -> bytes:
    """A small workbook of many one-cell rows: the shape of an XLSX bomb."""
    return xlsx(pd.DataFrame({"Text": [f"c{n}" for n in range(count)]}))


def declared_huge() -> bytes:
    """A workbook with one more member that unzips to 9 MB of zeros (a few KB zipped)."""
    out = io.BytesIO(one_cell_rows(3))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(9 * 1024 * 1024))
    return out.getvalue()


def wide_row() -> bytes:
    return xlsx(pd.DataFrame([[f"v{n}" for n in range(11)]]))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.csv", b"author,likes\na,3\n", "Name the column that holds the comments"),
        ("x.xlsx", b"not a zip", "not a valid .xlsx workbook"),
        ("x.xlsx", broken_workbook(), "workbook cannot be read"),  # a zip whose XML is broken
        ("x.xlsx", one_cell_rows(5_300), "more than 5,101 rows"),  # stops reading there
        ("x.xlsx", declared_huge(), "unzips to 9 MB; the limit is 8 MB"),
        ("x.xlsx", wide_row(), "more than 10 columns"),
        ("x.csv", b'text\n"' + b"x" * 200_000 + b'"\n', "a cell is too long"),
        ("x.txt", b"\x00\x01binary", "not a text or CSV file"),
        ("x.txt", b"\xff\xfe\xfa", "neither UTF-8 nor Big5"),
    ],
)
def test_an_unreadable_upload_says_why_and_stores_nothing(
    alice_client, workspace, account, name, content, message
):
    response = post(alice_client, workspace, account, file=SimpleUploadedFile(name, content))
    assert response.status_code == 422
    assert message in response.text
    assert not CommentSample.objects.exists()


def test_it_wants_either_pasted_text_or_a_file(alice_client, workspace, account):
    empty = post(alice_client, workspace, account, text="  \n ")
    assert empty.status_code == 422 and "Paste at least one comment" in empty.text
    both = post(
        alice_client, workspace, account, text="hi", file=SimpleUploadedFile("c.txt", b"hello")
    )
    assert both.status_code == 422 and "not both" in both.text
    assert not CommentSample.objects.exists()


def test_a_sample_over_the_limit_is_refused_whole(alice_client, workspace, account):
    text = "\n".join(f"comment {n}" for n in range(CommentSample.MAX_COMMENTS + 1))
    response = post(alice_client, workspace, account, text=text)
    assert response.status_code == 422
    assert "A sample holds at most 5,000 comments; this one has more." in response.text
    assert not CommentSample.objects.exists()


def test_an_account_of_another_creator_is_refused(alice_client, workspace, account):
    stranger = SocialAccountFactory(creator=CreatorFactory(workspace=workspace))
    response = alice_client.post(
        reverse("comment_sample_add", args=[workspace.slug, account.creator_id]),
        {"account": stranger.pk, "text": "hello"},
    )
    assert response.status_code == 422
    assert not CommentSample.objects.exists()


def test_an_account_keeps_its_five_newest_samples_and_long_comments_are_cut(account):
    for n in range(7):
        services.comment_sample_add(account=account, comments=[f"c{n}"], source="pasted")
    services.comment_sample_add(account=account, comments=["x" * 5_000], source="pasted")
    kept = CommentSample.objects.filter(account=account).order_by("-created_at", "-pk")
    assert [s.comments[0][:2] for s in kept] == ["xx", "c6", "c5", "c4", "c3"]
    assert len(kept[0].comments[0]) == CommentSample.MAX_COMMENT_LENGTH


def test_the_audience_page_lists_the_samples_and_marks_the_one_the_score_reads(
    alice_client, workspace, account
):
    services.comment_sample_add(
        account=account, comments=["a"], source="pasted", description="Sample OLD"
    )
    services.comment_sample_add(
        account=account, comments=["a", "b"], source="uploaded", description="Sample NEW"
    )
    page = alice_client.get(reverse("audience_add", args=[workspace.slug, account.creator_id]))
    assert page.status_code == 200
    assert page.text.count("read by the score") == 1
    text = page.text
    assert text.index("Sample NEW") < text.index("read by the score") < text.index("Sample OLD")


@pytest.mark.parametrize("name", ["many.txt", "many.csv"])
def test_reading_stops_one_comment_past_the_limit(name):
    content = ("text\n" + "\n".join(f"comment {n}" for n in range(200_000))).encode()
    comments = read_comments(content, name, most=10)
    assert len(comments) == 11 and comments[-1] in ("comment 10", "comment 9")


def test_an_uploaded_file_over_the_limit_is_refused_whole(alice_client, workspace, account):
    lines = "\n".join(f"comment {n}" for n in range(CommentSample.MAX_COMMENTS + 1))
    upload = SimpleUploadedFile("many.txt", lines.encode())
    response = post(alice_client, workspace, account, file=upload)
    assert response.status_code == 422
    assert "A sample holds at most 5,000 comments; this one has more." in response.text
    assert not CommentSample.objects.exists()
