from django.urls import reverse


def url(name: str, workspace, *args) -> str:
    """A workspace URL by name, as the campaign pages' tests request them."""
    return reverse(name, args=[workspace.slug, *args])
