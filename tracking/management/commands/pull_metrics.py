"""python manage.py pull_metrics --workspace SLUG [--post URL]"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError

from creators.post_urls import PostUrlError, parse_post_url
from kolhub.models import Workspace
from tracking.ingest.providers.base import (
    Fetched,
    Gone,
    NotConfigured,
    PostOutcome,
    ProviderError,
    RateLimited,
    Unreadable,
)
from tracking.ingest.pulls import Batch, PullReport, pull_batch, route
from tracking.models import Post


@dataclass
class Tally:
    """What became of the posts pulled: a deleted post is a result, not a failure, and one
    found gone for the first time is read again before it counts as deleted; a post waiting
    for a connection is a setup to do, not a failure either."""

    updated: int = 0
    deleted: int = 0
    checking: int = 0
    failed: int = 0
    not_configured: int = 0

    def add(self, report: PullReport) -> None:
        for key, outcome in report.fetched.items():
            if isinstance(outcome, Fetched):
                self.updated += 1
            elif isinstance(outcome, Gone) and key in report.suspected:
                self.checking += 1
            elif isinstance(outcome, Gone):
                self.deleted += 1
            else:
                self.failed += 1
        if isinstance(report.error, NotConfigured):
            self.not_configured += len(report.unread)
        elif report.error is not None:
            self.failed += len(report.unread)

    def __str__(self) -> str:
        return (
            f"{self.updated} updated · {self.deleted} deleted · {self.checking} checking again · "
            f"{self.failed} failed · {self.not_configured} not configured"
        )


class Command(BaseCommand):
    help = (
        "Pull the metrics of a workspace's followed posts now, in the foreground, and print "
        "what each provider answered, typed errors included, then a summary (updated, "
        "deleted, checking again, failed, not configured). A post first found gone is read "
        "again before it is marked deleted. Exits 1 when a post could not be read; deleted "
        "posts and posts waiting for a connection are results, not failures."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workspace", required=True, help="the workspace's URL name (slug)")
        parser.add_argument("--post", help="only this post (any URL form of it)")

    def handle(self, *args, workspace: str, post: str | None, **options) -> None:
        try:
            target = Workspace.objects.get(slug=workspace)
        except Workspace.DoesNotExist:
            raise CommandError(f"No workspace with the URL name {workspace!r}.") from None
        posts = self._posts(target, post)
        urls = dict(posts.values_list("pk", "url"))
        if not urls:
            self.stdout.write("No followed posts to pull.")
            return
        tally = Tally()
        for batch in route(
            list(posts.values_list("pk", "workspace_id", "platform", "collaboration__creator_id"))
        ):
            tally.add(self._pull(batch, urls))
        self.stdout.write(str(tally))
        if tally.failed:
            raise SystemExit(1)

    def _posts(self, workspace: Workspace, url: str | None):
        posts = Post.objects.for_workspace(workspace).order_by("pk")
        if url is None:
            return posts.exclude(next_pull_at__isnull=True, last_pulled_at__isnull=False)
        try:
            parsed = parse_post_url(url)
        except PostUrlError as exc:
            raise CommandError(str(exc)) from None
        lookup = (
            {"platform": parsed.platform, "platform_id": parsed.platform_id}
            if parsed.platform_id
            else {"url": parsed.url}
        )
        chosen = posts.filter(**lookup)
        if not chosen.exists():
            raise CommandError(f"{workspace.slug} does not follow {url}.")
        return chosen

    def _pull(self, batch: Batch, urls: dict[int, str]) -> PullReport:
        via = f"connection {batch.connection_id}" if batch.connection_id else "no connection"
        self.stdout.write(f"{batch.provider} ({via}): {len(batch.ids)} posts")
        report = pull_batch(batch)
        for key, outcome in sorted(report.fetched.items()):
            checking = " (not marked yet: read again first)" if key in report.suspected else ""
            self.stdout.write(f"  {urls[key]}  {describe_outcome(outcome)}{checking}")
        if report.error is not None:
            self.stdout.write(f"  {describe_error(report.error)}")
            # Put off with the reason, or (a temporary failure) left as they were: the next
            # scheduled pull tries them again.
            self.stdout.write(f"  {len(report.unread)} posts left unread")
        self.stdout.write(f"  {report.snapshots} snapshots written")
        return report


def describe_outcome(outcome: PostOutcome) -> str:
    if isinstance(outcome, Fetched):
        counts = [
            f"{name} {value:,}" for name, value in outcome.counters.items() if value is not None
        ]
        return " · ".join(counts) or "no counters reported"
    if isinstance(outcome, Gone):
        return f"gone ({outcome.status}): {outcome.detail}"
    assert isinstance(outcome, Unreadable)
    return f"unreadable ({outcome.code}): {outcome.detail}"


def describe_error(error: ProviderError) -> str:
    kind = f"{type(error).__name__} ({error.code})"
    if isinstance(error, RateLimited):
        return f"{kind} until {error.retry_at:%Y-%m-%d %H:%M %Z}: {error.detail}"
    return f"{kind}: {error.detail}"
