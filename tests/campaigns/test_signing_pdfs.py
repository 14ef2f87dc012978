"""Contract PDFs off the request: a worker prints an issued version's PDF (nobody signs before
it exists), and a fully signed version's PDF with its audit page is built once and stored."""

from __future__ import annotations

import io
from pathlib import Path

from django.urls import reverse
from pypdf import PdfReader

from campaigns.models import Signature, SignedDocument, SignerRole
from campaigns.signing import audit, services
from tests.campaigns import test_signing_pages as pages
from tests.campaigns import url
from tests.campaigns.test_signing_pages import CONSENT, contract_url, issued
from tests.kolhub import test_worker
from tests.kolhub.test_worker import wait_for

# The signing pages' fixtures: a collaboration with a fee and a deliverable, its portal link.
collaboration, link = pages.collaboration, pages.link
worker = test_worker.worker  # a real Celery worker through the real broker


def issue_url(collaboration):
    return url("signing_contract_issue", collaboration.workspace, collaboration.pk)


def test_issuing_answers_at_once_and_nobody_signs_before_the_pdf_exists(
    alice_client, client, collaboration, link, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as sent:
        response = alice_client.post(issue_url(collaboration), {"language": "en"})
    assert response.status_code == 302
    document = SignedDocument.objects.get()
    assert services.pdf_pending(document) and not document.pdf

    panel = alice_client.get(contract_url(collaboration, language="en")).text
    assert "Preparing the PDF of version 1" in panel and 'hx-trigger="every 2s"' in panel
    assert "Sign version 1 for the brand" not in panel
    args = (collaboration.workspace, collaboration.pk, document.pk)
    page = alice_client.get(url("signing_document", *args)).text
    assert "Preparing the PDF of this version" in page and "no longer matches" not in page
    original = alice_client.get(url("signing_document_pdf", *args), follow=True)
    assert "still being prepared" in original.text
    refused = alice_client.post(
        url("signing_document_sign", *args), {"name": "Alice", "consent": "on"}, follow=True
    )
    assert "still being prepared" in refused.text
    home = client.get(reverse("portal_home", args=[link.token])).text
    assert "is being prepared" in home and "Sign the contract" not in home
    creator = client.post(reverse("portal_contract_sign", args=[link.token, document.pk]), CONSENT)
    assert creator.status_code == 422 and "still being prepared" in creator.text
    assert not Signature.objects.exists()

    for callback in sent:  # the worker prints it
        callback()
    document.refresh_from_db()
    assert document.sha256 == services.sha256_of(Path(document.pdf.path).read_bytes())
    panel = alice_client.get(contract_url(collaboration, language="en")).text
    assert "Preparing the PDF" not in panel and "Sign version 1 for the brand" in panel
    signed = client.post(reverse("portal_contract_sign", args=[link.token, document.pk]), CONSENT)
    assert signed.status_code == 302
    assert Signature.objects.get().document_sha256 == document.sha256


def test_the_pdf_is_printed_once(collaboration, alice):
    document = issued(collaboration, alice)
    name, digest = document.pdf.name, document.sha256
    services.document_pdf_render(document_id=document.pk)
    document.refresh_from_db()
    assert (document.pdf.name, document.sha256) == (name, digest)


def test_the_pdf_shows_the_frozen_text(collaboration, alice):
    document = issued(collaboration, alice)
    reader = PdfReader(io.BytesIO(Path(document.pdf.path).read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    assert document.title.split()[0] in text


def sign_both(document, link, alice):
    for role, signer in (
        (SignerRole.CREATOR, {"portal_link": link}),
        (SignerRole.BRAND, {"user": alice}),
    ):
        services.document_sign(
            document=document, role=role, name="Mei", consent=True, ip="", user_agent="", **signer
        )


def test_a_fully_signed_version_stores_its_signed_pdf_once(
    alice_client, collaboration, link, alice, django_capture_on_commit_callbacks
):
    document = issued(collaboration, alice)
    with django_capture_on_commit_callbacks(execute=True):
        sign_both(document, link, alice)
    document.refresh_from_db()
    assert document.signed_pdf and document.signed_pdf_status == "signed"
    stored = Path(document.signed_pdf.path).read_bytes()
    assert services.sha256_of(stored) == document.signed_pdf_sha256
    address = url(
        "signing_document_signed_pdf", collaboration.workspace, collaboration.pk, document.pk
    )
    assert alice_client.get(address).content == stored  # served, not rebuilt
    portal = alice_client.get(reverse("portal_document_signed_pdf", args=[link.token, document.pk]))
    assert portal.content == stored

    Path(document.signed_pdf.path).unlink()  # lost: built again, and stored again
    rebuilt = alice_client.get(address).content
    document.refresh_from_db()
    assert Path(document.signed_pdf.path).read_bytes() == rebuilt
    assert len(PdfReader(io.BytesIO(rebuilt)).pages) >= 2


def test_an_altered_stored_signed_pdf_is_built_again(collaboration, link, alice):
    document = issued(collaboration, alice)
    sign_both(document, link, alice)
    document = SignedDocument.objects.get(pk=document.pk)
    first = audit.signed_pdf_stored(document)
    document.refresh_from_db()
    with open(document.signed_pdf.path, "ab") as file:
        file.write(b"%altered")
    again = audit.signed_pdf_stored(SignedDocument.objects.get(pk=document.pk))
    assert b"%altered" not in again and again[:5] == first[:5] == b"%PDF-"


def test_a_version_replaced_after_signing_gets_a_new_audit_page(
    alice_client, collaboration, link, alice
):
    document = issued(collaboration, alice)
    sign_both(document, link, alice)
    audit.signed_pdf_stored(SignedDocument.objects.get(pk=document.pk))
    collaboration.fee = 20000
    collaboration.save()
    issued(collaboration, alice)  # version 2 replaces version 1
    address = url(
        "signing_document_signed_pdf", collaboration.workspace, collaboration.pk, document.pk
    )
    pdf = alice_client.get(address).content
    text = PdfReader(io.BytesIO(pdf)).pages[-1].extract_text().replace("\x00", "")
    assert "Replaced by a newer version" in text
    document.refresh_from_db()
    assert document.signed_pdf_status == "replaced"


def test_an_unsigned_version_is_never_stored(alice_client, collaboration, alice):
    document = issued(collaboration, alice)
    address = url(
        "signing_document_signed_pdf", collaboration.workspace, collaboration.pk, document.pk
    )
    assert alice_client.get(address)["Content-Type"] == "application/pdf"
    document.refresh_from_db()
    assert not document.signed_pdf


def test_a_real_worker_prints_the_issued_contract(worker, alice_client, collaboration):
    response = alice_client.post(issue_url(collaboration), {"language": "en"})
    assert response.status_code == 302
    document = SignedDocument.objects.get()

    def printed() -> bool:
        document.refresh_from_db()
        return bool(document.sha256)

    assert wait_for(printed), "the worker never printed the PDF"
    assert document.sha256 == services.sha256_of(Path(document.pdf.path).read_bytes())
    panel = alice_client.get(contract_url(collaboration, language="en")).text
    assert "Preparing the PDF" not in panel
