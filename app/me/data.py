"""My data: everything Bro holds about me, as a file and as a page I can read and print."""

from __future__ import annotations

from flask import g, make_response

from .. import clock, interpreting, records, written_translations
from ..access import citizen_page, own_only
from ..db import audit
from ..handover_reasons import reason_text
from ..pages import render
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


@route("/data/print")
@citizen_page
def data_page(citizen: dict):
    """The same data as the file, as a page in my language that I can read and print."""
    own_only()
    audit(citizen["id"], "read-data-page", citizen["id"])
    everything = records.export_for(citizen["id"])
    meetings = records.list_meetings_for(citizen["id"])
    for meeting in meetings["upcoming"] + meetings["past"]:
        meeting["agreements"] = records.agreements_of(meeting["id"])
    requests = interpreting.requests_for(citizen["id"])
    for req in requests:
        req["events"] = interpreting.timeline(req["id"])
    caseworkers = [
        {**row, "from": clock.day_of(row["valid_from"]), "to": clock.day_of(row["valid_to"])}
        | {"reason_text": reason_text(row["reason_id"])}
        for row in everything["caseworkers"]
    ]
    return render(
        "me/data_print.html",
        citizen=citizen,
        printed_on=clock.today(),
        caseworkers=caseworkers,
        meetings=meetings["upcoming"] + meetings["past"],
        decisions=records.list_decisions_for(citizen["id"]),
        requests=requests,
        translations=written_translations.for_citizen(citizen["id"], g.lang).values(),
        helpers=records.helpers_of(citizen["id"]),
        passkeys=[
            {"created": clock.day_of(row["created_at"]), "used": clock.day_of(row["last_used_at"])}
            for row in everything["passkeys"]
        ],
        access=[{**row, "on": clock.day_of(row["at"])} for row in everything["access_log"]],
        counts={key: len(value) for key, value in everything.items() if isinstance(value, list)},
    )
