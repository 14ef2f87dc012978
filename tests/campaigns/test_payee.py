"""The payee of a collaboration: checked identifiers, encrypted at rest, revealed to owners only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from campaigns import services
from campaigns.events import describe_event
from campaigns.models import CollaborationEvent, EventKind, Payee, PayeeKind, PayeeSource, masked
from campaigns.payee_forms import PayeeForm
from campaigns.payouts.identifiers import (
    is_business_number,
    is_national_id,
    is_resident_certificate,
)
from kolhub.models import Role
from tests.factories import PNG_BYTES, CollaborationFactory, MembershipFactory, UserFactory

DETAILS = {
    "kind": PayeeKind.RESIDENT,
    "legal_name": "王小美",
    "tax_id": "A123456789",
    "bank_code": "812",
    "branch_code": "0012",
    "account_number": "0012-3456-7890",
    "account_holder": "王小美",
}


@pytest.mark.parametrize("value", ["A123456789", "F131104093", "B287654326"])
def test_it_accepts_national_ids_with_their_check_digit(value):
    assert is_national_id(value)


@pytest.mark.parametrize("value", ["A123456788", "A323456789", "a123456789", "A12345678", ""])
def test_it_refuses_national_ids_with_a_wrong_digit_or_shape(value):
    assert not is_national_id(value)


@pytest.mark.parametrize("value", ["A800000014", "AC00000012"])
def test_it_accepts_resident_certificates_in_the_new_and_the_old_format(value):
    assert is_resident_certificate(value)


@pytest.mark.parametrize("value", ["A800000015", "AC00000013", "AE00000012", "A700000014"])
def test_it_refuses_resident_certificates_with_a_wrong_digit_or_letter(value):
    assert not is_resident_certificate(value)


@pytest.mark.parametrize(
    "value",
    [
        "22099131",  # TSMC: total 30
        "04595257",
        "10458575",  # seventh digit 7, counted as 0
        "10458574",  # seventh digit 7, counted as 1
    ],
)
def test_it_accepts_business_numbers_with_their_checksum(value):
    assert is_business_number(value)


@pytest.mark.parametrize("value", ["22099132", "12345678", "1234567", "2209913A"])
def test_it_refuses_business_numbers_with_a_wrong_checksum_or_shape(value):
    assert not is_business_number(value)


def test_it_masks_all_but_the_last_four_characters():
    assert masked("0012345678") == "••••••5678"
    assert masked("812") == "812"
    assert masked("") == ""


def test_the_form_normalises_what_people_type(db):
    form = PayeeForm(data={**DETAILS, "tax_id": "a 123456789"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tax_id"] == "A123456789"
    assert form.cleaned_data["account_number"] == "001234567890"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"tax_id": "A123456788"}, "tax_id", "not a valid national ID"),
        ({"kind": PayeeKind.BUSINESS}, "tax_id", "not a valid unified business number"),
        ({"kind": PayeeKind.NONRESIDENT, "tax_id": "X!"}, "tax_id", "passport"),
        ({"bank_code": "81"}, "bank_code", "bank code is 3 digits"),
        ({"branch_code": "12345"}, "branch_code", "branch code is 4 digits"),
        ({"account_number": "1" * 17}, "account_number", "1 to 16 digits"),
        ({"account_number": "12a4"}, "account_number", "1 to 16 digits"),
        ({"nhi_exempt": "on"}, "nhi_proof", "proof of the NHI exemption"),
    ],
)
def test_the_form_names_the_field_that_is_wrong(db, change, field, message):
    form = PayeeForm(data={**DETAILS, **change})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_the_form_accepts_a_business_with_its_number(db):
    form = PayeeForm(data={**DETAILS, "kind": PayeeKind.BUSINESS, "tax_id": "22099131"})
    assert form.is_valid(), form.errors


def saved(collaboration, **change):
    form = PayeeForm(data={**DETAILS, **change})
    assert form.is_valid(), form.errors
    return services.payee_save(
        collaboration=collaboration, data=form.cleaned_data, via=PayeeSource.PORTAL
    )


def test_it_stores_identifiers_and_bank_details_encrypted(db):
    payee = saved(CollaborationFactory())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tax_id, account_number, account_holder FROM campaigns_payee WHERE id = %s",
            [payee.pk],
        )
        raw = " ".join(cursor.fetchone())
    assert "A123456789" not in raw and "001234567890" not in raw and "王小美" not in raw
    fresh = Payee.objects.get(pk=payee.pk)
    assert (fresh.tax_id, fresh.account_number) == ("A123456789", "001234567890")


def test_it_logs_which_fields_changed_but_never_their_values(db):
    collaboration = CollaborationFactory()
    payee = saved(collaboration)
    saved(collaboration, account_number="99887766")
    events = list(CollaborationEvent.objects.filter(kind=EventKind.PAYEE).order_by("pk"))
    assert len(events) == 2 and all(event.by_creator for event in events)
    assert events[1].data["fields"] == ["account_number"]
    stored = " ".join(f"{event.data} {event.message}" for event in events)
    assert "99887766" not in stored and "A123456789" not in stored
    assert describe_event(events[1]) == "updated the payment details: account number"
    assert Payee.objects.get(pk=payee.pk).account_number == "99887766"


def test_an_edit_keeps_secrets_left_empty(db):
    payee = saved(CollaborationFactory())
    blanks = dict.fromkeys(["tax_id", "bank_code", "branch_code", "account_number"], "")
    form = PayeeForm(data={**DETAILS, **blanks}, instance=payee)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tax_id"] == "A123456789"
    assert "A123456789" not in str(form["tax_id"])
    assert "••••6789" in str(form["tax_id"])


def test_it_keeps_the_nhi_proof_beside_the_exemption(db):
    proof = SimpleUploadedFile("card.png", PNG_BYTES, content_type="image/png")
    form = PayeeForm(data={**DETAILS, "nhi_exempt": "on"}, files={"nhi_proof": proof})
    assert form.is_valid(), form.errors
    payee = services.payee_save(
        collaboration=CollaborationFactory(), data=form.cleaned_data, via=PayeeSource.STAFF
    )
    assert payee.nhi_exempt and payee.nhi_proof.name.startswith(f"payees/{payee.workspace_id}/")
    assert "card" not in payee.nhi_proof.name


def test_only_owners_may_reveal_and_each_reveal_is_logged(db):
    payee = saved(CollaborationFactory())
    owner = UserFactory()
    MembershipFactory(workspace=payee.workspace, user=owner, role=Role.OWNER)
    assert services.payee_reveal(user=owner, payee=payee, field="tax_id") == "A123456789"
    event = CollaborationEvent.objects.filter(kind=EventKind.PAYEE).latest("pk")
    assert event.actor == owner and event.data == {"revealed": "tax_id"}
    assert describe_event(event) == "revealed the payee's tax ID"
    for role in (Role.MANAGER, Role.MEMBER):
        user = UserFactory()
        MembershipFactory(workspace=payee.workspace, user=user, role=role)
        with pytest.raises(services.PayeeRevealRefused):
            services.payee_reveal(user=user, payee=payee, field="tax_id")
    stranger = UserFactory()
    MembershipFactory(user=stranger, role=Role.OWNER)
    with pytest.raises(services.PayeeRevealRefused):
        services.payee_reveal(user=stranger, payee=payee, field="tax_id")
    assert CollaborationEvent.objects.filter(data__revealed="tax_id").count() == 1


def test_an_edit_asks_again_for_a_secret_no_longer_on_file(db):
    payee = saved(CollaborationFactory())
    Payee.objects.filter(pk=payee.pk).update(account_holder="")  # e.g. its key was retired
    form = PayeeForm(
        data={**DETAILS, "account_holder": ""}, instance=Payee.objects.get(pk=payee.pk)
    )
    assert not form.is_valid()
    assert form.errors["account_holder"] == ["This field is required."]
