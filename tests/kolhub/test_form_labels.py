"""Every form field carries a label written for people and translated, never one made from
its name ("Utm_source")."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from tests.factories import CollaborationFactory
from tests.page_sweep import labels_from_names, made_from_name

APPS = ("kolhub", "creators", "campaigns", "tracking")
ROOT = Path(__file__).resolve().parents[2]


def project_forms() -> Iterator[type[forms.BaseForm]]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*forms*.py")):
            importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
    stack = list(forms.BaseForm.__subclasses__())
    seen = set()
    while stack:
        form = stack.pop()
        if form in seen:
            continue
        seen.add(form)
        stack.extend(form.__subclasses__())
        if form.__module__.split(".")[0] in APPS:
            yield form


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_no_form_field_is_labelled_with_its_own_name(language):
    with translation.override(language):
        found = [
            f"{form.__module__}.{form.__name__}.{name}: {field.label!r}"
            for form in project_forms()
            for name, field in form.base_fields.items()
            if not field.widget.is_hidden
            and made_from_name(name, None if field.label is None else str(field.label), language)
        ]
    assert found == []


def test_the_sweep_knows_a_label_made_from_a_name():
    page = (
        '<div class="field" data-field="utm_source">\n  <label class="field__label" '
        'for="id_utm_source">Utm_source</label>'
    )
    assert labels_from_names(page, "en") == [("utm_source", "Utm_source")]
    assert labels_from_names(page.replace("Utm_source", "Destination"), "en") == []
    assert labels_from_names(page.replace("Utm_source", "Utm source"), "zh-hant") == [
        ("utm_source", "Utm source")
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ["UTM source", "UTM medium", "UTM campaign", "UTM content", "UTM term"])],
)
def test_the_tracked_link_form_names_the_utm_fields(alice_client, workspace, language, expected):
    collaboration = CollaborationFactory(campaign__brand__workspace=workspace)
    page = alice_client.get(
        reverse("collaboration_links", args=[workspace.slug, collaboration.pk])
    ).text
    assert labels_from_names(page, language) == []
    for label in expected:
        assert f">{label} <span" in page or f">{label}</label>" in page
    assert "Utm_" not in page
