"""Models of the creators app arrive with its issue; the app is registered now so migrations
and URLs have a home from the start."""
