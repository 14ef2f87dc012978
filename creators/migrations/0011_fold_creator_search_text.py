"""The directory's search text is now stored folded (kolhub.folding: case, full-width,
Simplified and Traditional to one script), and queries are folded the same way. Rows written
before are folded here, or a query would no longer find them. Folding is idempotent, so
folding the stored text is the same as recomputing it."""

from django.db import migrations

from kolhub.folding import fold_for_search

BATCH = 2000


def fold_search_text(apps, schema_editor):
    Creator = apps.get_model("creators", "Creator")
    rows = Creator.objects.order_by("pk").values_list("pk", "search_text")
    changed = []
    for pk, text in rows.iterator(chunk_size=BATCH):
        folded = fold_for_search(text)
        if folded != text:
            changed.append(Creator(pk=pk, search_text=folded))
        if len(changed) >= BATCH:
            Creator.objects.bulk_update(changed, ["search_text"])
            changed = []
    Creator.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("creators", "0010_canonical_audience_labels"),
    ]

    operations = [
        migrations.RunPython(fold_search_text, migrations.RunPython.noop),
    ]
