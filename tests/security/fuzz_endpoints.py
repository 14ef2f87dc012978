"""What each URL pattern accepts, found by asking the site itself: who may use it (the role its
view's decorator names), which methods it answers, and which fields and parameters it reads
(its pages' forms, and what the view reads; tests/security/fuzz_discovery.py)."""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from kolhub.models import ROLE_RANK, Role
from tests.security.fuzz_discovery import FILE, TEXT, Field, Target, forms_by_endpoint
from tests.security.fuzz_world import ANONYMOUS, ROLES, World
from tests.url_patterns import app_patterns
from tracking.sales.orders import UTM_FIELDS

# Parameters a view reads only once those before them are valid, which the probes' "1" is not
# for all (the pixel's currency): named here.
READ_LATER = {"pixel_order": ("p", "k", *UTM_FIELDS)}

# Who uses a public page: an anonymous visitor, or a signed-in user (some pages act on the
# user's own account: a password change, a new workspace).
PUBLIC_ROLES = (ANONYMOUS, Role.OWNER)


@dataclass
class Endpoint:
    name: str
    arguments: list[str]
    roles: tuple[str, ...]
    methods: set[str] = field(default_factory=set)
    query: dict[str, Field] = field(default_factory=dict)  # the query string
    form: dict[str, Field] = field(default_factory=dict)  # a POST's fields and files

    def url(self, value_for: Callable[[str], object]) -> str:
        return reverse(self.name, kwargs={a: value_for(a) for a in self.arguments})

    def learn(self, target: Target, into: dict[str, Field]) -> None:
        """Add the fields a form sends here."""
        for each in target.fields.values():
            if each.name == "csrfmiddlewaretoken":
                continue  # Django's, and the test client is not asked for it
            if each.name in into:
                into[each.name].merge(each)
            else:
                into[each.name] = Field(each.name, each.kind, set(each.values))

    def note_reads(self, reads: dict[str, set[str]]) -> bool:
        """Add the parameters and fields a view read; whether any was new."""
        new = False
        for source, names in reads.items():
            into = self.query if source == "GET" else self.form
            for name in names - into.keys():
                into[name] = Field(name, FILE if source == "FILES" else TEXT)
                new = True
        return new


def required_role(view: Callable) -> str | None:
    """The role `workspace_member(role=...)` demands of this view (its wrapper's closure),
    or None for a view outside a workspace."""
    layer: Callable | None = view
    while layer is not None:
        closure = inspect.getclosurevars(layer).nonlocals
        if "role" in closure and "view" in closure:
            return closure["role"]
        layer = getattr(layer, "__wrapped__", None)
    return None


def endpoints() -> dict[str, Endpoint]:
    """Every URL pattern of the project (not Django admin's) with the roles that may use it."""
    found = {}
    for pattern in app_patterns():
        role = required_role(pattern.view)
        if "workspace_slug" in pattern.arguments:
            assert role is not None, f"{pattern.name}: a workspace view without workspace_member"
            roles = tuple(r for r in ROLES if ROLE_RANK[r] >= ROLE_RANK[role])
        else:
            roles = PUBLIC_ROLES
        found[pattern.name] = Endpoint(pattern.name, pattern.arguments, roles)
    for name, later in READ_LATER.items():
        found[name].query |= {each: Field(each) for each in later}
    return found


def _probe(client: Client, method: str, url: str, data: dict[str, str]):
    """One request whose effects are rolled back, with the cache as every example finds it."""
    cache.clear()
    with transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    return response


def _probe_reads(client: Client, method: str, url: str, endpoint: Endpoint):
    """The answer to a bare request, after learning what the view reads: again with what it
    read set (to "1": an id, a number, a flag) while that makes it read more (the pixel reads
    its amount only once it has an order id)."""
    first = response = _probe(client, method, url, {})
    for _round in range(4):
        if not endpoint.note_reads(getattr(response, "fuzz_reads", {})):
            break
        fields = endpoint.query if method == "get" else endpoint.form
        response = _probe(client, method, url, dict.fromkeys(fields, "1"))
    return first


# Arguments whose every value is probed: each dashboard fragment reads parameters of its own
# (the gallery its page); the other arguments' values (formats, platforms) read the same ones.
PROBE_EVERY = "fragment"


def _urls(world: World, endpoint: Endpoint) -> list[str]:
    """The endpoint's URL with the world's objects, one per fragment for a fragment URL."""
    first = {a: world.choices(endpoint.name, a)[0] for a in endpoint.arguments}
    if PROBE_EVERY not in endpoint.arguments:
        return [endpoint.url(first.__getitem__)]
    return [
        endpoint.url({**first, PROBE_EVERY: each}.__getitem__)
        for each in world.choices(endpoint.name, PROBE_EVERY)
    ]


def _probe_allowed(world: World, endpoint: Endpoint, method: str, url: str):
    """A probe by the owner on a workspace page (who sees every form); on a public page by an
    anonymous visitor, or by a signed-in one if the page sends visitors to sign in."""
    response = _probe_reads(world.client(endpoint.roles[0]), method, url, endpoint)
    to_login = response.status_code == 302 and response.url.startswith(reverse("login"))
    if endpoint.roles == PUBLIC_ROLES and to_login:
        return _probe_reads(world.client(Role.OWNER), method, url, endpoint)
    return response


def discover(world: World, everything: dict[str, Endpoint]) -> None:
    """Fill in each endpoint's methods and fields: every URL requested with GET and with a
    POST, noting what the views read and what forms the pages hold (a POST-only view's form
    is on another page)."""
    targets: dict[tuple[str, str], Target] = {}
    for endpoint in everything.values():
        for url, method in itertools.product(_urls(world, endpoint), ("get", "post")):
            response = _probe_allowed(world, endpoint, method, url)
            if response.status_code != 405:
                endpoint.methods.add(method)
            html = response.get("Content-Type", "").startswith("text/html")
            if method == "get" and response.status_code == 200 and html:
                for key, target in forms_by_endpoint(response.text, url).items():
                    merged = targets.setdefault(key, Target(key[1], url))
                    for each in target.fields.values():
                        merged.add(Field(each.name, each.kind, set(each.values)))
    for (name, method), target in targets.items():
        if name in everything:
            endpoint = everything[name]
            endpoint.learn(target, endpoint.form if method == "post" else endpoint.query)
