from __future__ import annotations

from tests.kolhub.test_configuration import manage


def test_it_names_a_bad_api_rate_limit_in_one_line():
    result = manage("check", API_RATE_LIMIT="lots")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "API_RATE_LIMIT must be a count per s, min, hour or day" in result.stderr
