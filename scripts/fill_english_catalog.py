"""The source strings are English: the English catalogue's msgstr is always its msgid.

Run by `make messages` after makemessages, so the English catalogue is complete too.
"""

from __future__ import annotations

from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main() -> None:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    # makemessages leaves "Language:" empty; without a locale Babel drops Plural-Forms.
    catalog.locale = Locale.parse("en")
    for message in catalog:
        if not message.id:
            continue
        # Always overwrite: msgmerge may have "fuzzy"-matched another string in here.
        message.string = tuple(message.id) if isinstance(message.id, tuple) else message.id
        message.flags.discard("fuzzy")
    with CATALOG.open("wb") as handle:
        write_po(handle, catalog, width=100)


if __name__ == "__main__":
    main()
