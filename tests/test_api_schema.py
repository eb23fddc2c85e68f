"""schemathesis against the published OpenAPI document, on the real server and real data.

Every operation is called with generated parameters (valid and not); no response may be a
server error, use an undocumented status or content type, or break the documented schema.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.server import Server

pytestmark = pytest.mark.realdata

CHECKS = (
    "not_a_server_error,response_schema_conformance,status_code_conformance,"
    "content_type_conformance"
)


def test_no_server_error_and_no_response_off_schema(site: Server, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{site.base}/api/v1/openapi.json",
            "--checks",
            CHECKS,
            "--max-examples",
            "25",
            "--generation-deterministic",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    # Every operation of the schema was tested (35 with the write API, called without a token
    # here: this server's database is shared with other tests; tests/test_race_night.py writes).
    assert " passed" in done.stdout and "35/35" in done.stdout, done.stdout[-3000:]
