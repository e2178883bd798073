"""My helpers: invite one with a code, stop one at once."""

from __future__ import annotations

import datetime

from flask import (
    abort,
    flash,
    redirect,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
)
from wtforms.validators import (
    InputRequired,
)

from .. import accounts, records
from ..access import citizen_page, own_only
from ..db import audit
from ..forms import options
from ..pages import render
from . import route

HELPER_PERIODS = {"30": 30, "90": 90, "365": 365}


class InviteForm(FlaskForm):
    period = RadioField(
        _l("For how long?"),
        choices=options([("30", _l("30 days")), ("90", _l("90 days")), ("365", _l("1 year"))]),
        default="90",
        validators=[InputRequired(message=_l("Choose for how long"))],
    )
    interpreter = BooleanField(_l("They may ask for an interpreter for me"))


@route("/helpers", methods=["GET", "POST"])
@citizen_page
def helpers(citizen: dict):
    """My helpers: who can see my meetings and decisions; invite one or stop one."""
    own_only()
    form = InviteForm()
    code = None
    if form.validate_on_submit():
        days = HELPER_PERIODS[form.period.data]
        expires_on = (records.today() + datetime.timedelta(days=days)).isoformat()
        code = accounts.issue_code(
            citizen["id"],
            "helper",
            days=7,
            scope={"interpreter": form.interpreter.data, "expires_on": expires_on},
        )
        audit(citizen["id"], "helper-invited", citizen["id"])
    status = 422 if form.errors else 200
    return render(
        "me/helpers.html",
        status=status,
        citizen=citizen,
        form=form,
        code=code,
        links=records.helpers_of(citizen["id"]),
        today=records.today().isoformat(),
    )


@route("/helpers/<int:link_id>/revoke", methods=["POST"])
@citizen_page
def revoke(citizen: dict, link_id: int):
    """Stop a helper's access at once."""
    own_only()
    if not records.revoke_helper(citizen["id"], link_id):
        abort(404)
    audit(citizen["id"], "helper-revoked", citizen["id"], str(link_id))
    flash(_l("The helper can no longer see your pages."))
    return redirect(url_for("me.helpers"), 303)
