"""My data: everything Bro holds about me, as a file."""

from __future__ import annotations

from flask import (
    make_response,
)

from .. import records
from ..access import citizen_page, own_only
from ..db import audit
from . import route


@route("/data")
@citizen_page
def data(citizen: dict):
    """Everything Bro holds about me, as a JSON file."""
    own_only()
    audit(citizen["id"], "downloaded-data", citizen["id"])
    response = make_response(records.export_json(citizen["id"]))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="bro-my-data.json"'
    return response
