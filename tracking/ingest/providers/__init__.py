"""Platform providers behind one interface (base.Provider), by the platform they read."""

from __future__ import annotations

from tracking.ingest.providers.base import Provider
from tracking.ingest.providers.demo import DemoProvider
from tracking.ingest.providers.facebook import FacebookProvider
from tracking.ingest.providers.instagram import InstagramProvider
from tracking.ingest.providers.threads import ThreadsProvider
from tracking.ingest.providers.tiktok import TikTokProvider
from tracking.ingest.providers.youtube import YouTubeProvider

PROVIDERS: dict[str, Provider] = {
    provider.platform: provider
    for provider in (
        YouTubeProvider(),
        InstagramProvider(),
        FacebookProvider(),
        ThreadsProvider(),
        TikTokProvider(),
        DemoProvider(),
    )
}
DEMO = DemoProvider.platform
