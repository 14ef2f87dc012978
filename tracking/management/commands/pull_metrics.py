"""python manage.py pull_metrics --workspace SLUG [--post URL]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from creators.post_urls import PostUrlError, parse_post_url
from kolhub.models import Workspace
from tracking.ingest.providers.base import (
    Fetched,
    Gone,
    PostOutcome,
    ProviderError,
    RateLimited,
    TemporaryFailure,
)
from tracking.ingest.pulls import Batch, pull_batch, route
from tracking.models import Post


class Command(BaseCommand):
    help = (
        "Pull the metrics of a workspace's followed posts now, in the foreground, and print "
        "what each provider answered, typed errors included. Exits 1 when anything failed."
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
        failed = False
        for batch in route(
            list(posts.values_list("pk", "workspace_id", "platform", "collaboration__creator_id"))
        ):
            failed |= self._pull(batch, urls)
        if failed:
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

    def _pull(self, batch: Batch, urls: dict[int, str]) -> bool:
        via = f"connection {batch.connection_id}" if batch.connection_id else "no connection"
        self.stdout.write(f"{batch.provider} ({via}): {len(batch.ids)} posts")
        try:
            report = pull_batch(batch)
        except TemporaryFailure as exc:
            self.stdout.write(f"  temporary failure, the worker will retry: {exc.detail}")
            return True
        if report.error is not None:
            self.stdout.write(f"  {describe_error(report.error)}")
            return True
        for key, outcome in sorted(report.fetched.items()):
            self.stdout.write(f"  {urls[key]}  {describe_outcome(outcome)}")
        self.stdout.write(f"  {report.snapshots} snapshots written")
        return any(not isinstance(o, Fetched) for o in report.fetched.values())


def describe_outcome(outcome: PostOutcome) -> str:
    if isinstance(outcome, Fetched):
        counts = [
            f"{name} {value:,}" for name, value in outcome.counters.items() if value is not None
        ]
        return " · ".join(counts) or "no counters reported"
    if isinstance(outcome, Gone):
        return f"gone ({outcome.status}): {outcome.detail}"
    return f"unreadable: {outcome.detail}"


def describe_error(error: ProviderError) -> str:
    kind = type(error).__name__
    if isinstance(error, RateLimited):
        return f"{kind} until {error.retry_at:%Y-%m-%d %H:%M %Z}: {error.detail}"
    return f"{kind}: {error.detail}"
