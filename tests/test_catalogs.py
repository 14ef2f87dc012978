"""Both catalogues are complete, and compile without GNU gettext."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("locale", ["zh_Hant", "en"])
def test_it_translates_every_string(locale):
    with (ROOT / "locale" / locale / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalog = read_po(handle)
    missing = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert missing == []
    assert len(catalog) > 100


def test_it_serves_traditional_chinese():
    with translation.override("zh-hant"):
        assert translation.gettext("Workspace settings") != "Workspace settings"
        assert translation.gettext("Sign in") == "登入"
