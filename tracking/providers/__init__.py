"""Platform providers behind one interface (base.Provider), by the platform they read."""

from __future__ import annotations

from tracking.providers.base import Provider
from tracking.providers.demo import DemoProvider
from tracking.providers.facebook import FacebookProvider
from tracking.providers.instagram import InstagramProvider
from tracking.providers.threads import ThreadsProvider
from tracking.providers.tiktok import TikTokProvider
from tracking.providers.youtube import YouTubeProvider

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
