"""The platforms' login flows, one module each (Facebook Login, Instagram Login, Threads,
TikTok Login Kit, Google): where to send the browser, how to turn the code it brings back into
tokens, and how to renew them. tracking.ingest.oauth picks the flow by name."""
