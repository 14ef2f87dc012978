"""Contracts: templates with validated placeholders, the contract generated from a
collaboration's terms, Settings → Contracts, the collaboration's contract and its PDF."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from campaigns.contracts import terms
from campaigns.contracts.document import generate
from campaigns.contracts.pdf import ContractPdf, cjk_lines
from campaigns.contracts.placeholders import PLACEHOLDERS, problems, substitute
from campaigns.contracts.selectors import builtin_body, choose_template
from campaigns.contracts.terms import contract_values
from campaigns.models import MAX_TEMPLATE_LENGTH, BriefVersion, ContractTemplate
from kolhub.models import Role
from tests.campaigns import url
from tests.factories import (
    BriefVersionFactory,
    CampaignFactory,
    CollaborationFactory,
    DeliverableFactory,
    InstallmentFactory,
    MembershipFactory,
    UserFactory,
)

# 16:30 UTC is half past midnight the next day in Taipei.
NOW = datetime(2026, 12, 5, 16, 30, tzinfo=UTC)


@pytest.fixture
def collaboration(brand, alice):
    campaign = CampaignFactory(
        brand=brand,
        name="Winter Tea",
        starts_on=date(2026, 12, 1),
        ends_on=date(2027, 1, 15),
    )
    brief = BriefVersionFactory(campaign=campaign, number=3, disclosure="#合作")
    # Sent at 17:30 UTC on 1 December: already 2 December in Taipei.
    BriefVersion.objects.filter(pk=brief.pk).update(
        created_at=datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    )
    brief.refresh_from_db()
    collaboration = CollaborationFactory(
        campaign=campaign,
        creator__display_name="Mei Eats",
        creator__real_name="林美玲",
        creator__email="mei@example.com",
        owner=alice,
        stage="contracted",
        fee=Decimal("15000"),
        rights_organic=True,
        rights_paid_ads=False,
        rights_edit=True,
        rights_territory="Taiwan",
        rights_starts_on=date(2026, 12, 10),
        rights_ends_on=date(2027, 6, 9),
        exclusivity_ends_on=date(2027, 1, 31),
        min_live_days=60,
        brief_sent=brief,
    )
    DeliverableFactory(
        collaboration=collaboration,
        format="ig_reel",
        platform="instagram",
        draft_due=date(2026, 12, 12),
        publish_due=date(2026, 12, 20),
        requirements="30–60 s,\nproduct in the first 3 seconds",
    )
    DeliverableFactory(
        collaboration=collaboration,
        format="ig_reel",
        platform="instagram",
        draft_due=None,
        publish_due=date(2026, 12, 28),
    )
    DeliverableFactory(collaboration=collaboration, status="cancelled")
    return collaboration


def role_client(workspace, role: str, client_for):
    user = UserFactory()
    MembershipFactory(workspace=workspace, user=user, role=role)
    return client_for(user)


def template_form(**changes) -> dict:
    return {
        "name": "Our contract",
        "language": "en",
        "body": "# Agreement\nFee: {{ fee }} for {{ creator.name }}.",
        **changes,
    }


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True, timeout=30
    )
    return result.stdout.decode()


# Placeholder validation ---------------------------------------------------------------------


def test_it_accepts_every_known_placeholder_and_the_built_in_texts():
    assert problems(" ".join(f"{{{{ {name} }}}}{{{{{name}}}}}" for name in PLACEHOLDERS)) == []
    assert problems(builtin_body("en")) == [] and problems(builtin_body("zh-hant")) == []


def test_it_names_an_unknown_placeholder_with_its_line():
    [error] = problems("Dear creator,\nyour phone: {{ creator.phone }}")
    assert error.code == "unknown"
    assert error.message % error.params == "Line 2: unknown placeholder “{{ creator.phone }}”."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fee: {{ fee", "Line 1: “{{” is never closed with “}}”."),
        ("Fee: {{ fee {{ creator.name }}", "Line 1: “{{” is never closed with “}}”."),
        ("\nFee: fee }}", "Line 2: “}}” closes no placeholder."),
    ],
)
def test_it_refuses_unbalanced_braces(text, expected):
    messages = [error.message % error.params for error in problems(text)]
    assert messages[0] == expected


def test_it_refuses_template_code():
    found = problems("{% load static %}{{ ''.__class__ }}{{ creator.__dict__ }}")
    assert [error.code for error in found] == ["tag", "unknown", "unknown"]


def test_substitution_prints_anything_but_a_known_placeholder_as_written():
    text = "{% load static %} {{ ''.__class__ }} {{ creator.phone }} {{fee}}"
    assert substitute(text, {"fee": "TWD 1"}) == (
        "{% load static %} {{ ''.__class__ }} {{ creator.phone }} TWD 1"
    )


def test_a_value_holding_a_placeholder_is_never_read_again():
    assert substitute("{{ creator.name }}", {"creator.name": "{{ fee }}", "fee": "1"}) == (
        "{{ fee }}"
    )


# The values, from a real collaboration ------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_fills_the_terms_in_the_workspace_time_zone(collaboration):
    values = contract_values(collaboration, "en")
    assert values["contract.date"] == "2026-12-06"
    assert values["fee"] == "TWD 15,000"
    assert values["creator.name"] == "Mei Eats" and values["creator.legal_name"] == "林美玲"
    assert values["brand.name"] == "Mountain Tea" and values["campaign.name"] == "Winter Tea"
    assert values["campaign.period"] == "from 2026-12-01 to 2027-01-15"
    assert values["owner.name"] == "Alice Owner"
    assert values["deliverables.count"] == "2"
    assert values["deliverables"] == (
        "1. Instagram reel — draft due 2026-12-12; publish by 2026-12-20 "
        "(30–60 s, product in the first 3 seconds)\n"
        "2. Instagram reel — publish by 2026-12-28"
    )
    assert values["usage_rights"] == (
        "1. Organic reposts on the brand's own channels: permitted\n"
        "2. Use in paid advertising (including whitelisting): not permitted\n"
        "3. Editing of the content by the brand: permitted\n"
        "4. Territory: Taiwan\n"
        "5. Period: from 2026-12-10 to 2027-06-09"
    )
    assert values["exclusivity"] == "until 2027-01-31"
    assert values["min_live_days"] == "60 days"
    assert values["brief.version"] == "version 3 of 2026-12-02"
    assert values["brief.disclosure"] == "#合作"
    assert set(values) == set(PLACEHOLDERS)


def test_missing_terms_read_as_such(brand):
    collaboration = CollaborationFactory(campaign=CampaignFactory(brand=brand))
    values = contract_values(collaboration, "en")
    assert values["fee"] == "to be agreed"
    assert values["deliverables"] == "No deliverables agreed yet."
    assert values["exclusivity"] == "none" and values["min_live_days"] == "not specified"
    assert values["brief.version"] == "no brief written yet"
    assert values["brief.disclosure"] == "#ad"
    assert values["rights.period"] == "not specified"


def test_it_lists_a_bounded_number_of_deliverables(collaboration, monkeypatch):
    monkeypatch.setattr(terms, "MAX_LISTED_DELIVERABLES", 1)
    text = contract_values(collaboration, "en")["deliverables"]
    assert text.startswith("1. Instagram reel — draft due 2026-12-12")
    assert "2. " not in text
    assert text.endswith("… and 1 more deliverable, listed on the collaboration page.")


def test_a_creator_named_like_code_is_printed_as_written(brand):
    collaboration = CollaborationFactory(
        campaign=CampaignFactory(brand=brand), creator__display_name="{{ fee }}{% debug %}"
    )
    chosen = choose_template([], language="en", template_id=None)
    contract = generate(collaboration, chosen)
    assert any("{{ fee }}{% debug %}" in text for _kind, text in contract.blocks)


# Which template a contract uses -------------------------------------------------------------


def test_it_uses_the_default_of_the_language_else_the_built_in_text(workspace):
    ours = ContractTemplate.objects.create(
        workspace=workspace, name="Ours", language="en", body="Ours", is_default=True
    )
    other = ContractTemplate.objects.create(
        workspace=workspace, name="Other", language="en", body="Other"
    )
    templates = [ours, other]
    assert choose_template(templates, language="en", template_id=None).template == ours
    assert choose_template(templates, language="en", template_id=other.pk).template == other
    builtin = choose_template(templates, language="zh-hant", template_id=None)
    assert builtin.template is None and "網紅合作契約書" in builtin.body
    assert choose_template(templates, language="xx", template_id=999).language == "en"


# Settings → Contracts -----------------------------------------------------------------------


def test_it_lists_the_templates_and_the_built_in_defaults(alice_client, workspace):
    ContractTemplate.objects.create(
        workspace=workspace, name="Ours EN", language="en", body="x", is_default=True
    )
    page = alice_client.get(url("contract_settings", workspace))
    assert page.status_code == 200
    assert "Ours EN" in page.text
    # zh-Hant has no template of its own: the built-in one is its default.
    assert page.text.count("Built-in contract") == 1
    assert url("contract_template_create", workspace) + "?language=zh-hant" in page.text


def test_the_owner_saves_a_template_from_the_built_in_text(alice_client, workspace, alice):
    form = alice_client.get(url("contract_template_create", workspace) + "?language=en")
    assert "Influencer Collaboration Agreement" in form.text
    assert "{{ creator.legal_name }}" in form.text  # the list of placeholders beside it
    response = alice_client.post(
        url("contract_template_create", workspace), template_form(is_default="on")
    )
    assert response.status_code == 302
    template = ContractTemplate.objects.get(workspace=workspace)
    assert template.is_default and template.updated_by == alice
    assert template.body == "# Agreement\nFee: {{ fee }} for {{ creator.name }}."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Phone: {{ creator.phone }}", "unknown placeholder “{{ creator.phone }}”"),
        ("Fee: {{ fee", "“{{” is never closed with “}}”"),
        ("{% load static %}", "tags are not part of contract templates"),
        ("{{ ''.__class__ }}", "unknown placeholder “{{ &#x27;&#x27;.__class__ }}”"),
        ("x" * (MAX_TEMPLATE_LENGTH + 1), "at most 50000 characters"),
    ],
)
def test_it_refuses_a_bad_template_and_shows_the_form_again(alice_client, workspace, body, message):
    response = alice_client.post(
        url("contract_template_create", workspace), template_form(body=body)
    )
    assert response.status_code == 422
    assert message in response.text
    assert 'name="body"' in response.text
    assert not ContractTemplate.objects.exists()


def test_a_new_default_takes_over_from_the_old_one(client_for, workspace):
    manager = role_client(workspace, Role.MANAGER, client_for)
    old = ContractTemplate.objects.create(
        workspace=workspace, name="Old", language="en", body="x", is_default=True
    )
    zh = ContractTemplate.objects.create(
        workspace=workspace, name="中文", language="zh-hant", body="x", is_default=True
    )
    response = manager.post(
        url("contract_template_create", workspace), template_form(name="New", is_default="on")
    )
    assert response.status_code == 302
    old.refresh_from_db()
    zh.refresh_from_db()
    assert not old.is_default and zh.is_default
    assert ContractTemplate.objects.get(name="New").is_default


def test_a_manager_edits_and_deletes_a_template(client_for, workspace):
    manager = role_client(workspace, Role.MANAGER, client_for)
    template = ContractTemplate.objects.create(
        workspace=workspace, name="Ours", language="en", body="x"
    )
    edit = url("contract_template_edit", workspace, template.pk)
    assert manager.post(edit, template_form(name="Ours", body="{{ fee }}")).status_code == 302
    template.refresh_from_db()
    assert template.body == "{{ fee }}"
    taken = ContractTemplate.objects.create(
        workspace=workspace, name="Taken", language="en", body="x"
    )
    response = manager.post(edit, template_form(name=taken.name))
    assert response.status_code == 422
    assert "Another contract template already has this name." in response.text
    delete = url("contract_template_delete", workspace, template.pk)
    assert manager.get(delete).status_code == 405
    assert manager.post(delete).status_code == 302
    assert not ContractTemplate.objects.filter(pk=template.pk).exists()


def test_a_member_reads_templates_but_cannot_change_them(bob_client, workspace):
    template = ContractTemplate.objects.create(
        workspace=workspace, name="Ours", language="en", body="Fee: {{ fee }}"
    )
    listing = bob_client.get(url("contract_settings", workspace))
    assert listing.status_code == 200 and "Ours" in listing.text
    assert url("contract_template_delete", workspace, template.pk) not in listing.text
    page = bob_client.get(url("contract_template_edit", workspace, template.pk))
    assert page.status_code == 200
    assert "Fee: {{ fee }}" in page.text and 'name="body"' not in page.text
    edit = url("contract_template_edit", workspace, template.pk)
    assert bob_client.post(edit, template_form(body="changed")).status_code == 404
    assert bob_client.get(url("contract_template_create", workspace)).status_code == 404
    delete = url("contract_template_delete", workspace, template.pk)
    assert bob_client.post(delete).status_code == 404
    template.refresh_from_db()
    assert template.body == "Fee: {{ fee }}"


def test_client_viewers_and_outsiders_get_404(client_for, charlie_client, workspace, collaboration):
    template = ContractTemplate.objects.create(
        workspace=workspace, name="Ours", language="en", body="x"
    )
    viewer = role_client(workspace, Role.CLIENT, client_for)
    urls = [
        url("contract_settings", workspace),
        url("contract_template_edit", workspace, template.pk),
        url("collaboration_contract", workspace, collaboration.pk),
        url("collaboration_contract_pdf", workspace, collaboration.pk),
    ]
    for client in (viewer, charlie_client):
        for address in urls:
            assert client.get(address).status_code == 404, address
    charlie_template = url("contract_template_edit", workspace, template.pk)
    assert charlie_client.post(charlie_template, template_form()).status_code == 404


def test_another_workspaces_template_is_not_found(alice_client, workspace, charlie_workspace):
    theirs = ContractTemplate.objects.create(
        workspace=charlie_workspace, name="Theirs", language="en", body="x"
    )
    assert alice_client.get(url("contract_template_edit", workspace, theirs.pk)).status_code == 404


# The collaboration's contract ---------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_contract_page_shows_the_generated_contract(bob_client, workspace, collaboration):
    page = bob_client.get(
        url("collaboration_contract", workspace, collaboration.pk) + "?language=en"
    )
    assert page.status_code == 200
    assert "<html" in page.text
    assert "Influencer Collaboration Agreement" in page.text
    assert "The fee for the work described below is TWD 15,000" in page.text
    assert "Date: 2026-12-06" in page.text
    pdf_url = url("collaboration_contract_pdf", workspace, collaboration.pk) + "?language=en"
    assert pdf_url in page.text


def test_the_htmx_branch_answers_the_fragment_only(alice_client, workspace, collaboration):
    ours = ContractTemplate.objects.create(
        workspace=workspace, name="Short", language="en", body="# Deal\nWith {{ creator.name }}."
    )
    address = url("collaboration_contract", workspace, collaboration.pk) + f"?template={ours.pk}"
    fragment = alice_client.get(address, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "breadcrumb" not in fragment.text
    assert 'id="contract"' in fragment.text and "With Mei Eats." in fragment.text
    assert fragment["Vary"] and "HX-Request" in fragment["Vary"]


def test_the_collaboration_page_loads_the_contract_section(alice_client, workspace, collaboration):
    page = alice_client.get(url("collaboration_detail", workspace, collaboration.pk))
    contract = url("collaboration_contract", workspace, collaboration.pk)
    assert f'hx-get="{contract}"' in page.text and f'href="{contract}"' in page.text


def test_the_contract_refuses_other_methods(alice_client, workspace, collaboration):
    assert (
        alice_client.post(url("collaboration_contract", workspace, collaboration.pk)).status_code
        == 405
    )


def test_bad_query_values_fall_back_to_the_default(alice_client, workspace, collaboration):
    address = url("collaboration_contract", workspace, collaboration.pk)
    page = alice_client.get(address + "?language=<x>&template=9" + "9" * 30)
    assert page.status_code == 200 and "網紅合作契約書" in page.text


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Influencer Collaboration Agreement"), ("zh-hant", "網紅合作契約書")],
)
def test_the_pdf_holds_the_contract_with_the_creators_name(
    alice_client, workspace, collaboration, language, heading
):
    address = url("collaboration_contract_pdf", workspace, collaboration.pk)
    response = alice_client.get(f"{address}?language={language}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert heading in text
    assert "Mei Eats" in text and "林美玲" in text
    assert "15,000" in text


def test_a_contract_printed_again_is_not_typeset_again(
    alice_client, workspace, collaboration, monkeypatch
):
    from campaigns.contracts import pdf

    typeset = []
    monkeypatch.setattr(pdf, "_typeset", lambda contract: typeset.append(contract) or b"%PDF")
    address = url("collaboration_contract_pdf", workspace, collaboration.pk)
    first = alice_client.get(f"{address}?language=en").content
    assert alice_client.get(f"{address}?language=en").content == first
    assert len(typeset) == 1
    # Other terms are another text: typeset afresh, never the old PDF.
    collaboration.fee = Decimal("16000")
    collaboration.save()
    alice_client.get(f"{address}?language=en")
    assert len(typeset) == 2 and "16,000" in repr(typeset[1])


def test_the_contract_reads_in_few_queries(
    alice_client, workspace, collaboration, django_assert_max_num_queries
):
    address = url("collaboration_contract", workspace, collaboration.pk)
    with django_assert_max_num_queries(10):
        alice_client.get(address, headers={"HX-Request": "true"})


def test_the_admin_checks_placeholders_and_saves_through_the_service(superuser_client, workspace):
    add = reverse("admin:campaigns_contracttemplate_add")
    fields = {"workspace": workspace.pk, "name": "Admin", "language": "en", "is_default": "on"}
    refused = superuser_client.post(add, {**fields, "body": "{{ creator.phone }}"})
    assert refused.status_code == 200 and "unknown placeholder" in refused.text
    old = ContractTemplate.objects.create(
        workspace=workspace, name="Old", language="en", body="x", is_default=True
    )
    assert superuser_client.post(add, {**fields, "body": "{{ fee }}"}).status_code == 302
    old.refresh_from_db()
    assert not old.is_default
    assert ContractTemplate.objects.get(name="Admin").updated_by.is_superuser


def test_chinese_lines_break_between_characters_but_never_inside_a_figure():
    pdf = ContractPdf("t")
    text = "本合作之酬勞為 TWD 10,100，活動自 2026-11-11 至 2026-12-21。" * 6
    lines = cjk_lines(pdf, text, 60)
    assert len(lines) > 3 and "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert pdf.get_string_width(line) <= 60
        assert line[0] not in "，。"  # closing punctuation stays with what precedes it
    figures = {figure for line in lines for figure in re.findall(r"\d[\d,-]*\d", line)}
    assert figures == {"10,100", "2026-11-11", "2026-12-21"}


def test_the_contract_lists_the_payment_schedule_and_leaves_out_cancelled_installments(db):
    first = InstallmentFactory(label="On signing", amount=Decimal(15000))
    InstallmentFactory(
        collaboration=first.collaboration,
        label="After the post",
        amount=Decimal(35000),
        position=2,
    )
    InstallmentFactory(
        collaboration=first.collaboration, label="Dropped", position=3, status="cancelled"
    )
    text = contract_values(first.collaboration, "en")["payment_schedule"]
    assert "1. On signing: TWD 15,000, due" in text
    assert "2. After the post: TWD 35,000" in text
    assert "Dropped" not in text


def test_without_a_schedule_the_contract_states_the_default_payment_terms(db):
    collaboration = CollaborationFactory(fee=Decimal(1000))
    assert "30 days" in contract_values(collaboration, "en")["payment_schedule"]
