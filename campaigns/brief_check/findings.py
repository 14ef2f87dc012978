"""What the check takes and gives: the brief's rules in, findings out, stored as JSON."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class BriefRules:
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    disclosure: str = ""
    required_link: str = ""
    promo_code: str = ""
    forbidden_words: tuple[str, ...] = ()
    platform: str = ""
    format: str = ""


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 (not a password)
    FAIL = "fail"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    code: str
    status: Status
    params: dict[str, object] = field(default_factory=dict)


def findings_to_json(findings: list[Finding]) -> list[dict]:
    return [{"code": f.code, "status": f.status.value, "params": f.params} for f in findings]


def findings_from_json(data: list[dict]) -> list[Finding]:
    return [Finding(d["code"], Status(d["status"]), dict(d.get("params") or {})) for d in data]


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys((status.value for status in Status), 0)
    for finding in findings:
        counts[finding.status.value] += 1
    return counts
