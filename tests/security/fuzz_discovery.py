"""What a page lets a user send: the fields of its forms, and the parameters a view reads.

Two sources, because neither alone is complete: the rendered HTML names every field a form
offers (with its default and its choices), and a middleware that watches request.GET,
request.POST and request.FILES names what the view itself reads (parameters no form offers,
and the fields of a form only a POST-only view builds).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict

# What a form field is, as far as the fuzz cares: a file, or text of some kind.
FILE = "file"
TEXT = "text"


@dataclass
class Field:
    name: str
    kind: str = TEXT
    # Values the page itself would send: the default, and the choices of a select/radio.
    values: set[str] = field(default_factory=set)

    def merge(self, other: Field) -> None:
        self.values |= other.values
        if other.kind == FILE:
            self.kind = FILE


@dataclass
class Target:
    """Where a form (or an element with hx-get/hx-post) sends its fields."""

    method: str
    url: str
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, new: Field) -> None:
        if new.name in self.fields:
            self.fields[new.name].merge(new)
        else:
            self.fields[new.name] = new


class FormParser(HTMLParser):
    """Collect every form of a page with its fields, defaults and choices."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.targets: list[Target] = []
        self._form: list[Target] = []  # the targets of the form being read
        self._select: Field | None = None
        self._option: str | None = None
        self._textarea: Field | None = None
        self._add_later: dict[str, str] = {}  # a select's or textarea's own attributes

    def _targets_of(self, attrs: dict[str, str]) -> list[Target]:
        found = []
        for attribute, method in (("hx-post", "post"), ("hx-get", "get")):
            if attribute in attrs:
                found.append(Target(method, urljoin(self.page_url, attrs[attribute])))
        if "action" in attrs or not found:
            method = (attrs.get("method") or "get").lower()
            found.append(Target(method, urljoin(self.page_url, attrs.get("action") or "")))
        return found

    def _add(self, element: Field, attrs: dict[str, str]) -> None:
        targets = self._form
        if not targets and ("hx-get" in attrs or "hx-post" in attrs):
            targets = self._targets_of(attrs)  # a lone search box or select that sends itself
            self.targets.extend(targets)
        for target in targets:
            target.add(Field(element.name, element.kind, set(element.values)))

    def handle_starttag(self, tag: str, raw: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in raw}
        name = attrs.get("name", "")
        if tag == "form":
            self._form = self._targets_of(attrs)
            self.targets.extend(self._form)
        elif tag in ("input", "button") and name:
            kind = FILE if attrs.get("type") == "file" else TEXT
            value = attrs.get("value", "on" if attrs.get("type") in ("checkbox", "radio") else "")
            self._add(Field(name, kind, set() if kind == FILE else {value}), attrs)
        elif tag == "select" and name:
            self._select = Field(name)
            self._add_later = attrs
        elif tag == "option" and self._select is not None:
            self._option = attrs.get("value")
            if self._option is not None:
                self._select.values.add(self._option)
        elif tag == "textarea" and name:
            self._textarea = Field(name, TEXT, {""})
            self._add_later = attrs

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.values = {data}
        elif self._select is not None and self._option is None and data.strip():
            self._select.values.add(data.strip())  # an option without value= sends its text

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = []
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._add(self._select, self._add_later)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, self._add_later)
            self._textarea = None


def url_name(url: str) -> str | None:
    """The URL pattern name a path resolves to, or None (another site, a static file)."""
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def forms_by_endpoint(html: str, page_url: str) -> dict[tuple[str, str], Target]:
    """{(url name, method): the fields sent there} for every form of the page."""
    parser = FormParser(page_url)
    parser.feed(html)
    found: dict[tuple[str, str], Target] = {}
    for target in parser.targets:
        name = url_name(target.url)
        if name is None:
            continue
        merged = found.setdefault((name, target.method), Target(target.method, target.url))
        for key, value in parse_qsl(urlsplit(target.url).query, keep_blank_values=True):
            merged.add(Field(key, TEXT, {value}))
        for each in target.fields.values():
            merged.add(each)
    return found


# Watching what a view reads -------------------------------------------------------------------

Reads = dict[str, set[str]]


def _record(data: Any, key: str) -> None:
    reads = getattr(data, "fuzz_reads", None)
    if reads is not None and isinstance(key, str):
        reads.add(key)


class KeysNoted:
    """Notes each key asked for (mixed into a QueryDict or a MultiValueDict)."""

    def __getitem__(self, key: str) -> Any:
        _record(self, key)
        return super().__getitem__(key)  # type: ignore[misc]

    def get(self, key: str, default: Any = None) -> Any:
        _record(self, key)
        return super().get(key, default)  # type: ignore[misc]

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        _record(self, key)
        return super().getlist(key, default)  # type: ignore[misc]

    def __contains__(self, key: object) -> bool:
        _record(self, key)  # type: ignore[arg-type]
        return super().__contains__(key)  # type: ignore[misc]


class WatchedQueryDict(KeysNoted, QueryDict):
    def __deepcopy__(self, memo: dict) -> QueryDict:
        # A copy is a plain QueryDict: what is read from it was not read from the request.
        copied = QueryDict(mutable=True, encoding=self.encoding)
        for key, values in self.lists():
            copied.setlist(key, list(values))
        return copied


class WatchedMultiValueDict(KeysNoted, MultiValueDict):
    pass


WATCHED = {"GET": WatchedQueryDict, "POST": WatchedQueryDict, "FILES": WatchedMultiValueDict}


def _watch(request: HttpRequest, source: str, data: Any) -> None:
    data.__class__ = WATCHED[source]
    data.fuzz_reads = request.fuzz_reads[source]  # type: ignore[attr-defined]


@functools.cache
def _watching(request_class: type[HttpRequest]) -> type[HttpRequest]:
    """The request class whose POST and FILES are watched once the view parses them (not
    before: a webhook reads the raw body, which parsing it would consume)."""

    class Watching(request_class):  # type: ignore[valid-type,misc]
        def _load_post_and_files(self) -> None:
            super()._load_post_and_files()
            _watch(self, "POST", self._post)
            _watch(self, "FILES", self._files)

    return Watching


class ReadsMiddleware:
    """Test-only: the response carries `fuzz_reads`, the keys the view read from each of
    GET, POST and FILES. Only what the view reads: watching starts in process_view, after the
    other middleware (which look at every key, RefuseNulMiddleware for one) are done."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reads: Reads = {source: set() for source in WATCHED}
        request.fuzz_reads = reads  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.fuzz_reads = reads  # type: ignore[attr-defined]
        return response

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        _watch(request, "GET", request.GET)
        if hasattr(request, "_post"):  # parsed already (by CSRF's check)
            _watch(request, "POST", request._post)  # type: ignore[attr-defined]
            _watch(request, "FILES", request._files)  # type: ignore[attr-defined]
        else:
            request.__class__ = _watching(type(request))
