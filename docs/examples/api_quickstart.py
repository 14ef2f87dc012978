"""Create a creator, add them to a campaign, read the campaign's results (docs/api.md).

    KOLHUB_TOKEN=kh_... python docs/examples/api_quickstart.py

KOLHUB_URL (http://127.0.0.1:8000) and KOLHUB_WORKSPACE (demo-agency) name the server and the
workspace; the token needs creators:write, campaigns:read, campaigns:write and results:read.
"""

from __future__ import annotations

import os
import sys
import time

import httpx

BASE = os.environ.get("KOLHUB_URL", "http://127.0.0.1:8000").rstrip("/")
WORKSPACE = os.environ.get("KOLHUB_WORKSPACE", "demo-agency")
TOKEN = os.environ.get("KOLHUB_TOKEN") or sys.exit("Set KOLHUB_TOKEN (Settings → API).")


def check(response: httpx.Response) -> dict:
    """The JSON body, or exit with the problem's detail and field errors."""
    if response.is_error:
        problem = response.json()
        errors = problem.get("errors", "")
        sys.exit(f"{problem['status']} {problem['title']}: {problem['detail']} {errors}")
    return response.json()


with httpx.Client(
    base_url=f"{BASE}/api/v1/w/{WORKSPACE}/",
    headers={"Authorization": f"Bearer {TOKEN}", "Accept-Language": "en"},
    timeout=30,
) as api:
    creator = check(
        api.post(
            "creators",
            json={
                "display_name": f"API example {int(time.time())}",
                "region": "台北",
                "tags": ["api"],
                "rates": {"ig_post": "8000"},
            },
        )
    )
    print("created creator", creator["id"], creator["display_name"])

    campaigns = check(api.get("campaigns", params={"status": "running"}))["results"]
    campaigns = campaigns or check(api.get("campaigns"))["results"]
    if not campaigns:
        sys.exit("No campaign in this workspace to add the creator to.")
    campaign = campaigns[0]
    collaboration = check(
        api.post(f"campaigns/{campaign['id']}/collaborations", json={"creator": creator["id"]})
    )
    print("added to", campaign["name"], "as", collaboration["stage"])

    moved = api.post(f"collaborations/{collaboration['id']}/stage", json={"stage": "contacted"})
    print("moved:", check(moved)["stage"] if moved.is_success else moved.json()["detail"])

    results = check(api.get(f"campaigns/{campaign['id']}/results"))
    figures = ("currency", "cost", "impressions", "engagements", "cpe", "roas")
    print("results:", {name: results.get(name) for name in figures})
