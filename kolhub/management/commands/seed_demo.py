"""Create (or refresh) the demo agency workspace; safe to run any number of times."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from kolhub.models import Brand, Membership, Role, User, Workspace

DEMO_PASSWORD = "kolhub-demo"  # noqa: S105 - documented demo credential
DEMO_SLUG = "demo-agency"

DEMO_BRANDS = [
    {
        "name": "山嵐茶飲 Mountain Mist Tea",
        "industry": "飲料 Beverages",
        "website": "https://example.com/mountain-mist",
        "description": "台中起家的手搖茶品牌，主打高山烏龍與季節限定水果茶。",
    },
    {
        "name": "Lumi Skin 露米保養",
        "industry": "保養品 Skincare",
        "website": "https://example.com/lumi-skin",
        "description": "A Taipei skincare start-up: fragrance-free serums for sensitive skin.",
    },
    {
        "name": "Ledgerly 帳本雲",
        "industry": "B2B SaaS",
        "website": "https://example.com/ledgerly",
        "description": "Cloud invoicing and expense software for small Taiwanese businesses.",
    },
]

DEMO_USERS = [
    # email, first name, last name, role, language
    ("consultant@demo.kolhub.local", "Mei", "Lin", Role.OWNER, "zh-hant"),
    ("manager@demo.kolhub.local", "Jason", "Chen", Role.MANAGER, "en"),
    ("client@demo.kolhub.local", "Amy", "Wu", Role.CLIENT, ""),
]
# Staff for the Django admin of a demo install only: this command is what `make run` runs on
# demo data; a real install creates its superuser with `manage.py createsuperuser`.
DEMO_ADMIN_EMAIL = "admin@demo.kolhub.local"


# An in-house team the consultant also works with, so the workspace switcher has a use.
IN_HOUSE = {
    "slug": "demo-lumi-team",
    "name": "露米保養 品牌團隊 Lumi In-house (Demo)",
    "brand": {"name": "Lumi Skin 露米保養", "industry": "保養品 Skincare"},
}


class Command(BaseCommand):
    help = "Create the demo agency workspace with three brands and three demo users."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        workspace, _ = Workspace.objects.update_or_create(
            slug=DEMO_SLUG,
            defaults={
                "name": "曜石行銷 Obsidian Agency (Demo)",
                "timezone": "Asia/Taipei",
                "currency": "TWD",
                "language": "zh-hant",
                "is_demo": True,
            },
        )
        brands = [
            Brand.objects.update_or_create(workspace=workspace, name=data["name"], defaults=data)[0]
            for data in DEMO_BRANDS
        ]
        for email, first, last, role, language in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"first_name": first, "last_name": last, "language": language},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            membership, _ = Membership.objects.update_or_create(
                workspace=workspace, user=user, defaults={"role": role}
            )
            # The client viewer sees the drinks brand only.
            membership.brands.set(brands[:1] if role == Role.CLIENT else [])
        # Apps to the right of kolhub add their demo data without kolhub importing them.
        for config in apps.get_app_configs():
            seeder = getattr(config, "demo_seeder", None)
            if seeder:
                import_string(seeder)(workspace)
        in_house, _ = Workspace.objects.update_or_create(
            slug=IN_HOUSE["slug"],
            defaults={"name": IN_HOUSE["name"], "language": "zh-hant", "is_demo": True},
        )
        Brand.objects.update_or_create(
            workspace=in_house, name=IN_HOUSE["brand"]["name"], defaults=IN_HOUSE["brand"]
        )
        consultant = User.objects.get(email=DEMO_USERS[0][0])
        Membership.objects.update_or_create(
            workspace=in_house, user=consultant, defaults={"role": Role.MANAGER}
        )
        _seed_admin()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo workspace ready: /w/{DEMO_SLUG}/ — sign in as "
                f"{DEMO_USERS[0][0]} / {DEMO_PASSWORD}"
            )
        )


def _seed_admin() -> None:
    """The demo superuser: created once, never given a workspace, its password kept if changed."""
    admin, created = User.objects.get_or_create(
        email=DEMO_ADMIN_EMAIL,
        defaults={
            "first_name": "Demo",
            "last_name": "Admin",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
