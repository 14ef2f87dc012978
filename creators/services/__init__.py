"""Every write to the roster that the app makes goes through this package (Django admin and
the demo seeder, creators/demo.py, write their rows directly). By subject:

- directory: the directory's denormalised columns, tier thresholds and score columns;
- accounts: accounts, their counts and daily snapshots, profile pictures, audience and
  comment samples;
- roster: creators edited by hand, merges, shortlists;
- imports: spreadsheets, from the command line or the browser (import_jobs: the browser's
  upload, check and confirmation in the worker).

Callers use `creators.services.<name>`; the names are re-exported here.
"""

from __future__ import annotations

from creators.services.accounts import (
    AccountFigures,
    account_add,
    account_avatar_failed,
    account_avatar_store,
    accounts_figures_record,
    audience_profile_save,
    audience_sample_add,
    comment_sample_add,
)
from creators.services.directory import (
    CreatorScores,
    creators_refresh_summary,
    creators_scores_record,
    tier_thresholds,
    tier_thresholds_update,
)
from creators.services.import_jobs import (
    creator_import_apply,
    creator_import_check,
    creator_import_crashed,
    creator_import_recheck,
    creator_import_set_mapping,
    creator_import_start,
    creator_import_timed_out,
    creator_import_upload,
)
from creators.services.imports import creators_import
from creators.services.roster import (
    MergeRefused,
    creator_save,
    creators_merge,
    shortlist_add,
    shortlist_remove,
)

__all__ = [
    "AccountFigures",
    "CreatorScores",
    "MergeRefused",
    "account_add",
    "account_avatar_failed",
    "account_avatar_store",
    "accounts_figures_record",
    "audience_profile_save",
    "audience_sample_add",
    "comment_sample_add",
    "creator_import_apply",
    "creator_import_check",
    "creator_import_crashed",
    "creator_import_recheck",
    "creator_import_set_mapping",
    "creator_import_start",
    "creator_import_timed_out",
    "creator_import_upload",
    "creator_save",
    "creators_import",
    "creators_merge",
    "creators_refresh_summary",
    "creators_scores_record",
    "shortlist_add",
    "shortlist_remove",
    "tier_thresholds",
    "tier_thresholds_update",
]
