"""The coordinator's data-protection screens: the retention settings with the last run of the
job, and the reports of accessibility problems people sent from the accessibility statement."""

from __future__ import annotations

from .. import retention
from ..access import coordinator_only
from ..accessibility_reports import list_accessibility_reports
from ..pages import render
from . import bp


@bp.get("/<lang>/staff/retention")
@coordinator_only
def retention_settings():
    """How long each kind of record is kept (the settings the job and the privacy notice use)
    and when the retention job last ran."""
    return render(
        "staff/retention.html",
        schedule=retention.schedule(),
        last_run=retention.last_run(),
    )


@bp.get("/<lang>/staff/accessibility-reports")
@coordinator_only
def accessibility_reports():
    """Reports of parts of Bro that did not work for someone, newest first."""
    return render("staff/accessibility_reports.html", reports=list_accessibility_reports())
