"""The demo municipality: fictional people only, with logins printed for a first look."""

from __future__ import annotations

import datetime
import json
import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import clock, interpreting
from .content import MEETING_KINDS
from .db import connect, migrate
from .meeting_catalogue import purposes_for, steps_for
from .passwords import hasher
from .records import appeal_deadline

_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I

# Obviously fictional: every surname is "Demo" or "Eksempel" ("example"); phone numbers are
# not Danish numbers in use, e-mail addresses use the reserved .example domain.
STAFF = [
    ("coordinator", "coordinator", "Karen Eksempel", "da", "da en"),
    ("caseworker", "caseworker1", "Mette Demo", "da", "da en ar"),
    ("caseworker", "caseworker2", "Jonas Eksempel", "da", "da en tr"),
    ("caseworker", "caseworker3", "Sara Demo", "en", "da en so uk"),
]
CITIZENS = [
    ("da", "Lars Demo"),
    ("en", "Grace Demo"),
    ("ar", "Amal Demo"),
    ("fa", "Shirin Demo"),
    ("prs", "Farid Demo"),
    ("ps", "Gul Demo"),
    ("ckb", "Shilan Demo"),
    ("kmr", "Rojda Demo"),
    ("so", "Hodan Demo"),
    ("ti", "Selam Demo"),
    ("tr", "Elif Demo"),
    ("uk", "Olena Demo"),
]
HELPERS = [("helper1", "Nadia Demo", "ar", 3)]  # helps citizen number 3 (Arabic)
# The caseworker's own words beside the catalogue purposes: optional, Danish, shown as such.
DANISH_NOTES = {
    "jobcenter-meeting": "Vi taler om din plan og om praktik.",
    "self-support-programme": "Vi følger op på din integrationsplan.",
    "social-services-meeting": "Vi taler om støtte til din familie.",
    "rehabilitation-team": "Teamet ser på din sag og dine muligheder.",
    "school-and-daycare-meeting": "Samtale om dit barns trivsel i skolen.",
    "doctor-and-dentist": "Kontrol hos egen læge.",
}
# Decisions of the city-sized database: an area and an outcome, as the staff form records them.
SCALE_DECISIONS = [("benefit", "reduced"), ("programme", "changed"), ("health-aid", "refused"),
                   ("housing", "granted"), ("repayment", "pay-back")]  # fmt: skip
# A hand-over's own words, and the translation a person wrote for the Arabic reader.
HANDOVER_NOTE = "Jonas Eksempel arbejder nu i et andet team. Din sag fortsætter som før."
HANDOVER_NOTE_AR = "يعمل يوناس إكسمبل الآن في فريق آخر. تستمر قضيتك كما كانت من قبل."
PLACES = [
    ("Jobcenter Aarhus (demo)", "Værkmestergade 15, 8000 Aarhus C"),
    ("Borgerservice (demo)", "Hack Kampmanns Plads 2, 8000 Aarhus C"),
    ("Sundhedshuset (demo)", "Sønder Allé 1, 8000 Aarhus C"),
]
INTERPRETERS = [
    ("Hassan Demo", "ar", "levantine iraqi", "state-authorised", "in-person video phone", "m"),
    ("Layla Eksempel", "ar", "levantine egyptian", "trained-exam", "in-person video", "f"),
    ("Omar Demo", "ar", "iraqi gulf", "tested", "phone video", "m"),
    ("Maryam Demo", "fa prs", "farsi dari", "state-authorised", "in-person video phone", "f"),
    ("Reza Eksempel", "fa", "farsi", "trained-exam", "video phone", "m"),
    ("Zahra Demo", "prs ps", "dari pashto", "trained-exam", "in-person phone", "f"),
    ("Ahmad Eksempel", "ps prs", "pashto dari", "tested", "in-person video phone", "m"),
    ("Bahar Demo", "ckb", "sorani", "state-authorised", "in-person video", "f"),
    ("Dilan Eksempel", "kmr ckb", "kurmanji sorani", "trained-exam", "video phone", "f"),
    ("Serhat Demo", "kmr tr", "kurmanji", "tested", "in-person phone", "m"),
    ("Ayaan Demo", "so", "somali", "state-authorised", "in-person video phone", "f"),
    ("Abdi Eksempel", "so", "somali", "trained-exam", "phone", "m"),
    ("Senait Demo", "ti", "tigrinya", "trained-exam", "in-person video", "f"),
    ("Yonas Eksempel", "ti", "tigrinya amharic", "tested", "video phone", "m"),
    ("Ayşe Demo", "tr", "turkish", "state-authorised", "in-person video phone", "f"),
    ("Mehmet Eksempel", "tr kmr", "turkish kurmanji", "none", "phone", "m"),
    ("Oksana Demo", "uk", "ukrainian", "state-authorised", "in-person video", "f"),
    ("Taras Eksempel", "uk", "ukrainian", "trained-exam", "video phone", "m"),
    ("Peter Demo", "en", "english", "state-authorised", "in-person video phone", "m"),
    ("Nour Eksempel", "ar fa", "levantine farsi", "trained-exam", "in-person video", "f"),
]


def logins_path(app: Flask) -> Path:
    """demo-logins.json lives beside the database file."""
    return Path(app.config["DATABASE"]).resolve().parent / "demo-logins.json"


def _password() -> str:
    return "demo-" + "".join(secrets.choice(_ALPHABET) for _ in range(12))


def seed_demo(
    app: Flask, today: datetime.date | None = None, evaluation: bool = True
) -> list[dict] | None:
    """Fill an empty database with the demo municipality; None when it already has people.

    `evaluation`: also three quarters of answers (check-ins and answers after meetings, from the
    demo citizens and from former participants without a login), so the public report has
    content. Tests that count answers themselves seed without it.
    """
    today = today or clock.today()
    db = connect(app.config["DATABASE"])
    try:
        migrate(db)
        if db.execute("SELECT count(*) FROM users").fetchone()[0]:
            return None
        with app.app_context(), db.atomic():  # the app decides the hashing parameters
            logins = _seed(db, today)
            if evaluation:
                _seed_evaluation(db, today)
        # Meetings marked "interpreter needed" get their request, as when a caseworker saves one.
        for (meeting_id,) in db.execute(
            "SELECT id FROM meetings WHERE interpreter_needed = 1"
        ).fetchall():
            interpreting.sync_meeting(db, meeting_id)
        # Past meetings were interpreted: their requests are done, with the interpreter named.
        # One stays as it really happens sometimes: the time passed and nobody was booked.
        past = db.execute(
            "SELECT r.id, r.language FROM interpreter_requests r "
            "JOIN meetings m ON m.id = r.meeting_id WHERE m.ends_at < ? ORDER BY r.id",
            [datetime.datetime.combine(today, datetime.time(0)).isoformat()],
        ).fetchall()
        for request_id, language in past[1:]:
            interpreter = db.execute(
                "SELECT id FROM interpreters WHERE ' ' || languages || ' ' LIKE ? LIMIT 1",
                [f"% {language} %"],
            ).fetchone()
            if interpreter:
                db.execute(
                    "UPDATE interpreter_requests SET status = 'done', interpreter_id = ? "
                    "WHERE id = ?",
                    [interpreter[0], request_id],
                )
                db.execute(
                    "INSERT INTO interpreter_request_events (request_id, status) "
                    "VALUES (?, 'booked'), (?, 'done')",
                    [request_id, request_id],
                )
        path = logins_path(app)
        path.write_text(json.dumps(logins, ensure_ascii=False, indent=2) + "\n")
        path.chmod(0o600)
        return logins
    finally:
        db.close()


def _add_user(db, role: str, login: str, name: str, lang: str) -> tuple[int, dict]:
    password = _password()
    user_id = (
        db["users"]
        .insert(
            {
                "login": login,
                "name": name,
                "role": role,
                "lang": lang,
                "password_hash": hasher.hash(password),
            }
        )
        .last_pk
    )
    return user_id, {"role": role, "login": login, "password": password, "name": name, "lang": lang}


def _seed(db, today: datetime.date) -> list[dict]:
    logins: list[dict] = []
    staff_ids: dict[str, int] = {}
    office_hours = json.dumps(
        [{"day": 0, "from": "09:00", "to": "12:00"}, {"day": 3, "from": "13:00", "to": "15:30"}]
    )
    for number, (role, login, name, lang, spoken) in enumerate(STAFF):
        user_id, entry = _add_user(db, role, login, name, lang)
        staff_ids[login] = user_id
        logins.append(entry)
        db["staff_profiles"].insert(
            {
                "user_id": user_id,
                "phone": f"+45 11 11 11 {number:02d}",
                "email": f"{login}@aarhus.bro.example",
                "office_hours": office_hours,
                "languages": spoken,
            }
        )
    # Sara Demo is away this week; Mette Demo stands in for her.
    db["staff_profiles"].update(
        staff_ids["caseworker3"],
        {
            "substitute_id": staff_ids["caseworker1"],
            "absent_from": (today - datetime.timedelta(days=1)).isoformat(),
            "absent_to": (today + datetime.timedelta(days=6)).isoformat(),
        },
    )
    caseworkers = [staff_ids["caseworker1"], staff_ids["caseworker2"], staff_ids["caseworker3"]]
    names = {v: k for k, v in staff_ids.items()}
    citizen_ids = []
    for number, (lang, name) in enumerate(CITIZENS, start=1):
        user_id, entry = _add_user(db, "citizen", f"citizen{number:02d}", name, lang)
        citizen_ids.append(user_id)
        caseworker = caseworkers[(number - 1) % 3]
        db["citizens"].insert(
            {"user_id": user_id, "interpreter_language": None if lang in ("da", "en") else lang}
        )
        start = (today - datetime.timedelta(days=120)).isoformat()
        if number == 3:
            # A hand-over in the history: Jonas Eksempel had the case before Mette Demo.
            db["assignments"].insert(
                {
                    "citizen_id": user_id,
                    "caseworker_id": staff_ids["caseworker2"],
                    "valid_from": start,
                    "valid_to": (today - datetime.timedelta(days=10)).isoformat(),
                    "reason": "",
                }
            )
            start = (today - datetime.timedelta(days=10)).isoformat()
            reason_id, reason = "new-tasks", HANDOVER_NOTE
        else:
            reason_id, reason = "", ""
        assignment_id = (
            db["assignments"]
            .insert(
                {
                    "citizen_id": user_id,
                    "caseworker_id": caseworker,
                    "valid_from": start,
                    "reason_id": reason_id,
                    "reason": reason,
                }
            )
            .last_pk
        )
        if number == 3:
            # Amal asked for the hand-over's Danish words in Arabic, and Mette Demo answered.
            asked = clock.stamp(
                datetime.datetime.combine(
                    today - datetime.timedelta(days=8), datetime.time(9), clock.TZ
                )
            )
            db["translation_requests"].insert(
                {
                    "citizen_id": user_id,
                    "source": "handover",
                    "object_id": assignment_id,
                    "lang": lang,
                    "danish": HANDOVER_NOTE,
                    "requested_by": user_id,
                    "requested_at": asked,
                    "translation": HANDOVER_NOTE_AR,
                    "translated_by": caseworker,
                    "translated_at": clock.stamp(
                        datetime.datetime.combine(
                            today - datetime.timedelta(days=6), datetime.time(14), clock.TZ
                        )
                    ),
                }
            )
        entry["caseworker"] = next(s[2] for s in STAFF if s[1] == names[caseworker])
        logins.append(entry)
        _seed_meetings(db, user_id, caseworker, lang, number, today)
        _seed_decisions(db, user_id, caseworker, today)
    # Hodan (Somali) has asked for a meeting's Danish words in Somali: it waits in the queue.
    hodan = citizen_ids[8]
    meeting = db.execute(
        "SELECT id, purpose FROM meetings WHERE citizen_id = ? AND purpose != '' ORDER BY id",
        [hodan],
    ).fetchone()
    if meeting:
        db["translation_requests"].insert(
            {
                "citizen_id": hodan,
                "source": "meeting-purpose",
                "object_id": meeting[0],
                "lang": "so",
                "danish": meeting[1],
                "requested_by": hodan,
                "requested_at": clock.stamp(
                    datetime.datetime.combine(
                        today - datetime.timedelta(days=1), datetime.time(18), clock.TZ
                    )
                ),
            }
        )
    for login, name, lang, citizen_number in HELPERS:
        user_id, entry = _add_user(db, "helper", login, name, lang)
        db["helpers"].insert(
            {
                "citizen_id": citizen_ids[citizen_number - 1],
                "helper_id": user_id,
                "can_see": 1,
                "can_request_interpreter": 1,
                "expires_on": (today + datetime.timedelta(days=90)).isoformat(),
            }
        )
        entry["helps"] = CITIZENS[citizen_number - 1][1]
        logins.append(entry)
    for name, languages, dialects, certification, modes, gender in INTERPRETERS:
        slug = name.lower().replace(" ", ".").replace("ş", "s")
        db["interpreters"].insert(
            {
                "name": name,
                "languages": languages,
                "dialects": dialects,
                "certification": certification,
                "modes": modes,
                "gender": gender,
                "fields": "health social legal employment",
                "phone": f"+45 22 22 {len(slug):02d} {len(name):02d}",
                "email": f"{slug}@interpreters.bro.example",
                "active": 1,
            }
        )
    return logins


def _seed_meetings(db, citizen_id: int, caseworker: int, lang: str, number: int, today) -> None:
    """Two coming meetings and one past, cycling through every meeting kind; every meeting has
    purposes from the catalogue, the past one what was agreed."""
    for offset, days, hour in ((0, 2 + number % 5, 10), (1, 9 + number, 13), (2, -(5 + number), 9)):
        kind = MEETING_KINDS[(number + offset) % len(MEETING_KINDS)]
        place, address = PLACES[(number + offset) % len(PLACES)]
        starts = datetime.datetime.combine(
            today + datetime.timedelta(days=days), datetime.time(hour)
        )
        needed = lang not in ("da", "en")
        # Two purposes from the catalogue for every meeting; Danish free text on some only.
        choices = purposes_for(kind)
        chosen = [choices[number % len(choices)], choices[(number + 1) % len(choices)]]
        meeting_id = (
            db["meetings"]
            .insert(
                {
                    "citizen_id": citizen_id,
                    "caseworker_id": caseworker,
                    "kind": kind,
                    "starts_at": starts.isoformat(),
                    "ends_at": (starts + datetime.timedelta(hours=1)).isoformat(),
                    "place": place,
                    "address": address,
                    "video_url": None,
                    "purpose": DANISH_NOTES[kind] if (number + offset) % 2 == 0 else "",
                    "interpreter_needed": 1 if needed else 0,
                    "interpreter_language": lang if needed else None,
                }
            )
            .last_pk
        )
        for entry in chosen:
            db["meeting_purposes"].insert({"meeting_id": meeting_id, "purpose_id": entry.id})
        if days < 0:  # the past meeting: what was agreed, and a Danish note on some
            steps = steps_for(kind)
            agreed = [
                (steps[number % 3].id, "you", today + datetime.timedelta(days=7 + number)),
                ("common.next-meeting", "we", None),
            ]
            for position, (step_id, who, due) in enumerate(agreed, start=1):
                db["meeting_agreements"].insert(
                    {"meeting_id": meeting_id, "position": position, "step_id": step_id,
                     "who": who, "due_on": due.isoformat() if due else None}
                )  # fmt: skip
            if number % 2:
                db["meetings"].update(
                    meeting_id, {"agreement_note": "Ring til mig, hvis du har spørgsmål."}
                )


def _seed_decisions(db, citizen_id: int, caseworker: int, today: datetime.date) -> None:
    """Deadlines in 3 days, in 20 days, and one that has passed."""
    for title, area, outcome, deadline_in in (
        ("Afgørelse om selvforsørgelses- og hjemrejseydelse", "benefit", "reduced", 3),
        ("Afgørelse om praktik", "programme", "changed", 20),
        ("Afgørelse om tilskud til briller", "health-aid", "refused", -12),
    ):
        received = today + datetime.timedelta(days=deadline_in) - datetime.timedelta(weeks=4)
        db["decisions"].insert(
            {
                "citizen_id": citizen_id,
                "caseworker_id": caseworker,
                "title": title,
                "area": area,
                "outcome": outcome,
                "decided_on": (received - datetime.timedelta(days=2)).isoformat(),
                "received_on": received.isoformat(),
                "appeal_deadline": appeal_deadline(received).isoformat(),
            }
        )


# Former participants: fictional people without a login whose answers fill the report's past.
FORMER = 30
CHANGES = [
    (2, "interpreters", "Når en borger svarer, at et familiemedlem tolkede, bestiller vi nu "
     "altid en professionel tolk til næste møde."),
    (2, "explaining", "Afgørelser om ydelser kan nu forklares på et kort møde med tolk, hvis "
     "borgeren ønsker det."),
    (1, "danish", "Sprogcentret har oprettet flere aftenhold, så man kan arbejde og lære dansk."),
]  # fmt: skip


def _pick(rng, weights: dict, lift: float = 0.0):
    """A weighted choice; `lift` moves weight to the first (best) answer, for a rising trend."""
    keys = list(weights)
    values = [w + (lift if n == 0 else 0) for n, w in enumerate(weights.values())]
    return rng.choices(keys, values)[0]


def _seed_evaluation(db, today: datetime.date) -> None:
    """Three quarters of answers (this one and the two before), the caseworker's view of last
    quarter for half the demo citizens (shared with some), and notes of what changed."""
    import random

    from .checkins import period_of, period_start, previous_period

    rng = random.Random(21)
    current = period_of(today)
    periods = [previous_period(previous_period(current)), previous_period(current), current]
    caseworkers = [
        row[0] for row in db.execute("SELECT id FROM users WHERE role = 'caseworker' ORDER BY id")
    ]
    demo = [
        (row[0], row[1])
        for row in db.execute("SELECT id, lang FROM users WHERE role = 'citizen' ORDER BY id")
    ]
    former = []
    for n in range(FORMER):
        lang = CITIZENS[n % len(CITIZENS)][0]
        user_id = (
            db["users"]
            .insert(
                {
                    "login": f"former{n + 1:02d}",
                    "name": f"Tidligere Deltager {n + 1} Demo",
                    "role": "citizen",
                    "lang": lang,
                }
            )  # fmt: skip
            .last_pk
        )
        db["citizens"].insert({"user_id": user_id, "interpreter_language": lang})
        db["assignments"].insert(
            {"citizen_id": user_id, "caseworker_id": caseworkers[n % len(caseworkers)],
             "valid_from": (period_start(periods[0]) - datetime.timedelta(days=30)).isoformat(),
             "valid_to": today.isoformat(), "reason": "Forløbet er afsluttet."}
        )  # fmt: skip
        former.append((user_id, lang))
    life = {3: 45, 2: 38, 1: 17}
    scale = {3: 50, 2: 35, 1: 15}
    needs = {"job": 26, "danish": 20, "housing": 16, "health": 9, "children": 9, "money": 11,
             "talk": 5, "other": 4}  # fmt: skip
    interpreting = {"good": 60, "partly": 17, "poor": 5, "none": 8, "family": 10}
    for step, period in enumerate(periods):
        start = period_start(period)
        days = (min(today, start + datetime.timedelta(days=91)) - start).days
        if days < 2:
            continue  # the quarter began today: nobody has answered yet
        # The demo citizens answer the quarters before this one (my page offers this one).
        people = former + (demo if period != current else [])
        for user_id, lang in people:
            answered = start + datetime.timedelta(days=rng.randrange(1, days))
            if period != current or rng.random() < 0.8:
                stamp = f"{answered.isoformat()}T10:00:00Z"
                db["checkins"].insert(
                    {"citizen_id": user_id, "period": period,
                     "life_better": _pick(rng, life, 6 * step), "help_mattered": _pick(rng, scale),
                     "working_together": _pick(rng, scale, 4 * step), "need": _pick(rng, needs),
                     "free_text": "", "idempotency_key": f"demo-{period}-{user_id}",
                     "created_at": stamp, "updated_at": stamp}
                )  # fmt: skip
            if (user_id, lang) not in former:
                continue
            # An answered meeting in the quarter (the demo citizens' own meetings stay unanswered).
            kind = MEETING_KINDS[rng.randrange(len(MEETING_KINDS))]
            starts = datetime.datetime.combine(
                start + datetime.timedelta(days=rng.randrange(0, days - 1)), datetime.time(10)
            )
            meeting_id = (
                db["meetings"]
                .insert(
                    {
                        "citizen_id": user_id,
                        "caseworker_id": caseworkers[user_id % 3],
                        "kind": kind,
                        "starts_at": starts.isoformat(),
                        "ends_at": (starts + datetime.timedelta(hours=1)).isoformat(),
                        "place": PLACES[0][0],
                        "address": PLACES[0][1],
                    }
                )  # fmt: skip
                .last_pk
            )
            said = (starts + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            db["meeting_feedback"].insert(
                {"meeting_id": meeting_id, "answered_by": user_id,
                 "understood": _pick(rng, scale, 5 * step),
                 "interpreting": _pick(rng, interpreting, 5 * step),
                 "next_known": _pick(rng, scale, 8 * step),
                 "created_at": said, "updated_at": said}
            )  # fmt: skip
    # The caseworker's view of last quarter for half the demo citizens; shared with some.
    last = periods[1]
    for number, (user_id, _lang) in enumerate(demo[::2]):
        caseworker = db.execute(
            "SELECT caseworker_id FROM assignments WHERE citizen_id = ? AND valid_to IS NULL",
            [user_id],
        ).fetchone()[0]
        db["caseworker_views"].insert(
            {"citizen_id": user_id, "period": last, "written_by": caseworker,
             "aim": ("job", "danish", "housing")[number % 3],
             "effect": ("some", "clear", "none")[number % 3],
             "next_step": ("continue", "change", "continue")[number % 3],
             "note": "Du er godt i gang. Vi fortsætter med praktikken." if number % 2 == 0 else "",
             "shared": 1 if number % 2 == 0 else 0}
        )  # fmt: skip
    coordinator = db.execute("SELECT id FROM users WHERE role = 'coordinator'").fetchone()[0]
    for back, tag, text in CHANGES:
        db["evaluation_changes"].insert(
            {"period": periods[2 - back], "tag": tag, "text_da": text, "written_by": coordinator}
        )


def print_logins(app: Flask) -> None:
    path = logins_path(app)
    if not path.exists():
        click.echo("No demo logins (this database was not seeded with the demo).")
        return
    logins = json.loads(path.read_text())
    click.echo(f"Demo logins (also in {path}):")
    for entry in logins:
        click.echo(
            f"  {entry['role']:<12} {entry['login']:<13} {entry['password']:<18} "
            f"{entry['name']} ({entry['lang']})"
        )


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Seed the demo municipality if the database is empty, then print the demo logins."""
    app = current_app._get_current_object()
    if seed_demo(app) is None:
        click.echo("The database already holds people; the demo was not seeded again.")
    print_logins(app)


# --- a city-sized database for the benchmark ---------------------------------------------------

SCALE = {
    "citizens": 60_000,
    "caseworkers": 500,
    "meetings": 300_000,
    "requests": 100_000,
    "decisions": 50_000,
}


def seed_scale(app: Flask, factor: float = 1.0, today: datetime.date | None = None) -> dict:
    """Fill an empty database with Aarhus-sized, fictional data (for `make bench` only).

    Every person shares one password hash (hashing 60,000 passwords would take an hour); the
    printed logins are for the benchmark's sign-in.
    """
    import random

    rng = random.Random(42)
    today = today or clock.today()
    counts = {key: max(1, int(value * factor)) for key, value in SCALE.items()}
    db = connect(app.config["DATABASE"])
    try:
        migrate(db)
        if db.execute("SELECT count(*) FROM users").fetchone()[0]:
            raise click.ClickException("the database is not empty")
        password = _password()
        shared = hasher.hash(password)
        langs = [code for code, _name in CITIZENS]
        with db.atomic():
            db.conn.executemany(
                "INSERT INTO users (id, login, name, role, lang, password_hash) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (n, f"cw{n:04d}", f"Caseworker {n} Demo", "caseworker", "da", shared)
                    for n in range(1, counts["caseworkers"] + 1)
                ],
            )
            db.conn.executemany(
                "INSERT INTO staff_profiles (user_id, languages) VALUES (?, 'da en')",
                [(n,) for n in range(1, counts["caseworkers"] + 1)],
            )
            first = counts["caseworkers"] + 1
            citizen_ids = list(range(first, first + counts["citizens"]))
            db.conn.executemany(
                "INSERT INTO users (id, login, name, role, lang, password_hash) VALUES (?, ?, ?, 'citizen', ?, ?)",
                [
                    (cid, f"c{cid:06d}", f"Citizen {cid} Demo", langs[cid % len(langs)], shared)
                    for cid in citizen_ids
                ],
            )
            db.conn.executemany(
                "INSERT INTO citizens (user_id) VALUES (?)", [(cid,) for cid in citizen_ids]
            )
            db.conn.executemany(
                "INSERT INTO assignments (citizen_id, caseworker_id, valid_from) VALUES (?, ?, ?)",
                [(cid, 1 + cid % counts["caseworkers"], "2026-01-01") for cid in citizen_ids],
            )
            meetings = []
            for n in range(counts["meetings"]):
                cid = citizen_ids[n % len(citizen_ids)]
                start = datetime.datetime.combine(
                    today + datetime.timedelta(days=rng.randint(-200, 60)), datetime.time(8 + n % 8)
                )
                meetings.append((cid, 1 + cid % counts["caseworkers"], MEETING_KINDS[n % 6], start.isoformat(),
                                 (start + datetime.timedelta(hours=1)).isoformat(), "Jobcenter (demo)", DANISH_NOTES[MEETING_KINDS[n % 6]]))  # fmt: skip
            db.conn.executemany(
                "INSERT INTO meetings (citizen_id, caseworker_id, kind, starts_at, ends_at, place, purpose) VALUES (?, ?, ?, ?, ?, ?, ?)",
                meetings,
            )
            decisions = []
            for n in range(counts["decisions"]):
                cid = citizen_ids[(n * 7) % len(citizen_ids)]
                received = today - datetime.timedelta(days=rng.randint(0, 90))
                area, outcome = SCALE_DECISIONS[n % len(SCALE_DECISIONS)]
                decisions.append((cid, 1 + cid % counts["caseworkers"], "Afgørelse (demo)", received.isoformat(),
                                  received.isoformat(), appeal_deadline(received).isoformat(), area, outcome))  # fmt: skip
            db.conn.executemany(
                "INSERT INTO decisions (citizen_id, caseworker_id, title, decided_on, received_on, appeal_deadline, area, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                decisions,
            )
            # Every meeting has a purpose from the catalogue, as the staff form requires.
            first_meeting = db.execute("SELECT min(id) FROM meetings").fetchone()[0]
            db.conn.executemany(
                "INSERT INTO meeting_purposes (meeting_id, purpose_id) VALUES (?, ?)",
                (
                    (first_meeting + n, purposes_for(kind)[n % len(purposes_for(kind))].id)
                    for n, (_cid, _cw, kind, *_rest) in enumerate(meetings)
                ),
            )
            requests = []
            for n in range(counts["requests"]):
                meeting_id = 1 + (n * 3) % counts["meetings"]
                cid, _cw, _kind, starts, ends, _place, _purpose = meetings[meeting_id - 1]
                requests.append((f"S-{n:07d}", cid, starts, ends, langs[cid % len(langs)], f"scale-{n}",
                                 "requested" if n % 3 else "done"))  # fmt: skip
            db.conn.executemany(
                "INSERT INTO interpreter_requests (reference, citizen_id, starts_at, ends_at, language, mode, "
                "idempotency_key, status, visit) VALUES (?, ?, ?, ?, ?, 'in-person', ?, ?, 'gp')",
                requests,
            )
        db.execute("ANALYZE")
        return {
            **counts,
            "password": password,
            "citizen": f"c{citizen_ids[0]:06d}",
            "caseworker": "cw0001",
        }
    finally:
        db.close()


@click.command("seed-scale")
@click.option("--factor", default=1.0, help="1.0 = 60,000 citizens; smaller for a quick try.")
@with_appcontext
def seed_scale_command(factor: float) -> None:
    """Seed an empty database with a city-sized, fictional caseload (benchmark only)."""
    result = seed_scale(current_app._get_current_object(), factor)
    click.echo(json.dumps(result))


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_scale_command)
