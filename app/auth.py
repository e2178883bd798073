"""Signing in and out (Flask-Login), activation of a citizen's account, helpers joining."""

from __future__ import annotations

import datetime
import json
import math

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Blueprint, Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_user,
    logout_user,
)
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from . import accounts
from .db import audit, get_db, immediate, query_one
from .pages import render
from .security import limiter

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
hasher = PasswordHasher()
STAFF_ROLES = ("caseworker", "coordinator")
LOCK_AFTER = 5  # failures before the first lock-out
MAX_LOCK_MINUTES = 60

# A real hash of a random password, verified when the login is unknown, so a wrong login and
# a wrong password take the same time and nobody can probe which logins exist.
_DUMMY_HASH = hasher.hash("not-a-real-password-4f1c")


class User(UserMixin):
    def __init__(self, row: dict):
        self.id = row["id"]
        self.login = row["login"]
        self.name = row["name"]
        self.role = row["role"]
        self.lang = row["lang"]
        self.session_version = row["session_version"]

    def get_id(self) -> str:
        # The version makes old session and remember-me cookies worthless after sign-out.
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


def get_user(user_id: int) -> dict | None:
    """An active user by id."""
    return query_one("SELECT * FROM users WHERE id = ? AND active = 1", [user_id])


def check_password(login: str, password: str) -> dict | None:
    """The active user with this login and password, or None."""
    row = query_one("SELECT * FROM users WHERE login = ? AND active = 1", [login.strip()])
    try:
        if row is None or not row["password_hash"]:
            hasher.verify(_DUMMY_HASH, password + "x")
            return None
        hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return row


def set_password(user_id: int, password: str) -> None:
    get_db().execute(
        "UPDATE users SET password_hash = ?, session_version = session_version + 1 WHERE id = ?",
        [hasher.hash(password), user_id],
    )


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    ident, _, version = user_id.partition(":")
    if not ident.isdigit():
        return None
    row = get_user(int(ident))
    if not row or str(row["session_version"]) != version:
        return None
    return User(row)


# --- lock-outs ----------------------------------------------------------------------------


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def minutes_locked(login: str) -> int:
    """Minutes until this login may try again (0 when it may)."""
    row = (
        get_db()
        .execute("SELECT locked_until FROM login_failures WHERE login = ?", [login.strip()])
        .fetchone()
    )
    if not row or not row[0]:
        return 0
    left = (datetime.datetime.fromisoformat(row[0]) - _now()).total_seconds()
    return max(0, math.ceil(left / 60))


def record_failure(login: str) -> None:
    """Count a failed sign-in; from the 5th on, lock for 1, 2, 4 … up to 60 minutes."""
    db = get_db()
    with immediate(db):
        row = db.execute(
            "SELECT failures FROM login_failures WHERE login = ?", [login.strip()]
        ).fetchone()
        failures = (row[0] if row else 0) + 1
        locked_until = None
        if failures >= LOCK_AFTER:
            minutes = min(2 ** (failures - LOCK_AFTER), MAX_LOCK_MINUTES)
            locked_until = (_now() + datetime.timedelta(minutes=minutes)).isoformat()
        db.execute(
            "INSERT INTO login_failures (login, failures, locked_until) VALUES (?, ?, ?) "
            "ON CONFLICT (login) DO UPDATE SET failures = excluded.failures, "
            "locked_until = excluded.locked_until",
            [login.strip()[:100], failures, locked_until],
        )


def clear_failures(login: str) -> None:
    get_db().execute("DELETE FROM login_failures WHERE login = ?", [login.strip()])


# --- views --------------------------------------------------------------------------------


class LoginForm(FlaskForm):
    login = StringField(
        _l("Login id"),
        validators=[DataRequired(message=_l("Enter your login id")), Length(max=100)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password")), Length(max=200)],
    )
    remember = BooleanField(_l("Keep me signed in on this phone for 30 days"))


def _login_key() -> str:
    """Rate-limit key per login id, so one account cannot be guessed from many addresses."""
    return "login:" + (request.form.get("login") or "").strip().lower()[:100]


def home_for(user) -> str:
    if user.is_staff:
        return url_for("staff.home")
    if user.role == "helper":
        return url_for("me.helping")
    return url_for("me.home")


def start_session(row: dict, remember: bool = False) -> User:
    """A fresh session for the user (never reuse the one from before sign-in)."""
    session.clear()
    user = User(row)
    login_user(user, remember=remember, duration=datetime.timedelta(days=30))
    return user


@bp.route("/<lang>/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;60 per hour", methods=["POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], key_func=_login_key)
def login():
    """Sign in with login id and password; staff, citizens and helpers alike."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user), 303)
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        locked = minutes_locked(form.login.data)
        if locked:
            form.login.errors.append(
                _l(
                    "Too many wrong tries. Wait %(minutes)s minutes, then try again.",
                    minutes=locked,
                )
            )
            status = 429
        else:
            row = check_password(form.login.data, form.password.data)
            if row:
                clear_failures(form.login.data)
                # Staff sessions never use "remember me": a shared office PC must not stay signed in.
                remember = form.remember.data and row["role"] not in STAFF_ROLES
                user = start_session(row, remember=remember)
                audit(user.id, "sign-in", user.id)
                return redirect(home_for(user), 303)
            record_failure(form.login.data)
            form.login.errors.append(
                _l("The login id or password is not right. Check both and try again.")
            )
    if form.errors and status == 200:
        status = 422
    response = render("auth/login.html", status=status, form=form)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<lang>/logout")
def logout():
    """Sign out for real: the session and any remembered cookie stop working everywhere."""
    if current_user.is_authenticated:
        audit(current_user.id, "sign-out", current_user.id)
        get_db().execute(
            "UPDATE users SET session_version = session_version + 1 WHERE id = ?", [current_user.id]
        )
    logout_user()
    session.clear()
    flash(_l("You are signed out."))
    response = redirect(url_for("main.home"), 303)
    # Tell the browser to forget its HTTP cache. Only that: stored guides stay readable offline,
    # and the page's script has told the service worker to forget forms kept on the phone.
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


class ActivateForm(FlaskForm):
    code = StringField(
        _l("Activation code"),
        validators=[DataRequired(message=_l("Enter the code from your letter")), Length(max=40)],
    )
    password = PasswordField(
        _l("Choose a password"),
        validators=[DataRequired(message=_l("Choose a password")), Length(max=200)],
    )


@bp.route("/<lang>/activate", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes;30 per day", methods=["POST"])
def activate():
    """Open the account from the activation letter: the code, then your own password."""
    form = ActivateForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:40]
    if form.validate_on_submit():
        row, problem = accounts.check_code(form.code.data, "activate")
        if problem:
            form.code.errors.append(accounts.CODE_PROBLEMS[problem])
        else:
            user_row = get_user(row["user_id"])
            why = accounts.password_problem(
                form.password.data, user_row["login"] if user_row else ""
            )
            if why:
                form.password.errors.append(why)
            elif user_row and accounts.use_code(row["id"]):
                set_password(user_row["id"], form.password.data)
                user = start_session(get_user(user_row["id"]))
                audit(user.id, "activated", user.id)
                flash(_l("Your account is ready. Your login id is %(login)s.", login=user.login))
                return redirect(home_for(user), 303)
            else:
                form.code.errors.append(accounts.CODE_PROBLEMS["used"])
    status = 422 if form.errors else 200
    response = render("auth/activate.html", status=status, form=form)
    response.headers["Cache-Control"] = "no-store"
    return response


class JoinForm(FlaskForm):
    code = StringField(
        _l("Code from the person you help"),
        validators=[DataRequired(message=_l("Enter the code you were given")), Length(max=40)],
    )
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(message=_l("Enter your name")), Length(max=100)],
    )
    login = StringField(
        _l("Choose a login id"),
        validators=[
            DataRequired(message=_l("Choose a login id")),
            Length(min=4, max=40, message=_l("Use 4 to 40 letters or numbers")),
            Regexp(
                r"^[A-Za-z0-9._-]+$", message=_l("Use only letters a–z, numbers, dots and dashes")
            ),
        ],
    )
    password = PasswordField(
        _l("Choose a password"),
        validators=[DataRequired(message=_l("Choose a password")), Length(max=200)],
    )


@bp.route("/<lang>/helper/join", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes;30 per day", methods=["POST"])
def helper_join():
    """A helper accepts an invitation: a new helper account, or one more person to help."""
    signed_in_helper = current_user.is_authenticated and current_user.role == "helper"
    form = JoinForm()
    if signed_in_helper:
        for name in ("name", "login", "password"):
            delattr(form, name)
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:40]
    if form.validate_on_submit():
        row, problem = accounts.check_code(form.code.data, "helper")
        if problem:
            form.code.errors.append(accounts.CODE_PROBLEMS[problem])
        elif not signed_in_helper:
            why = accounts.password_problem(form.password.data, form.login.data)
            taken = (
                get_db()
                .execute("SELECT 1 FROM users WHERE login = ?", [form.login.data.strip()])
                .fetchone()
            )
            if taken:
                form.login.errors.append(_l("This login id is taken. Choose another."))
            if why:
                form.password.errors.append(why)
        if not form.errors and row and accounts.use_code(row["id"]):
            helper_id = current_user.id if signed_in_helper else _create_helper(form)
            _link_helper(row, helper_id)
            audit(helper_id, "helper-joined", row["user_id"])
            if not signed_in_helper:
                start_session(get_user(helper_id))
            return redirect(url_for("me.helping"), 303)
    status = 422 if form.errors else 200
    response = render("auth/join.html", status=status, form=form, signed_in_helper=signed_in_helper)
    response.headers["Cache-Control"] = "no-store"
    return response


def _create_helper(form: JoinForm) -> int:
    db = get_db()
    return (
        db["users"]
        .insert(
            {
                "login": form.login.data.strip(),
                "name": form.name.data.strip(),
                "role": "helper",
                "lang": g.get("lang", "da"),
                "password_hash": hasher.hash(form.password.data),
            }
        )
        .last_pk
    )


def _link_helper(code_row: dict, helper_id: int) -> None:
    scope = json.loads(code_row["scope"] or "{}")
    get_db()["helpers"].insert(
        {
            "citizen_id": code_row["user_id"],
            "helper_id": helper_id,
            "can_see": 1,
            "can_request_interpreter": 1 if scope.get("interpreter") else 0,
            "expires_on": scope.get("expires_on"),
        }
    )


SIGNED_IN_COOKIE = "bro_signed_in"


def _signed_in_flag(response):
    """Keep a script-readable cookie that says only "someone is signed in on this phone".

    Guides read from the service worker's cache are the anonymous copy; with this flag the
    page's script shows "My page" in their header instead of "Sign in". It holds no name or id;
    the session itself stays in its HttpOnly cookie.
    """
    # Only where this request already looked the user up (every page does, for its header).
    # Looking it up here would make Flask-Login write the session cookie on every JSON and file
    # request too, and a late answer carrying an older session could then undo a newer one.
    user = g.get("_login_user")
    if user is None:
        return response
    flagged = request.cookies.get(SIGNED_IN_COOKIE) == "1"
    signed_in = user.is_authenticated
    options = {
        "path": "/",
        "secure": current_app.config["SESSION_COOKIE_SECURE"],
        "samesite": "Lax",
    }
    if signed_in and not flagged:
        response.set_cookie(SIGNED_IN_COOKIE, "1", httponly=False, **options)
    elif flagged and not signed_in:
        response.delete_cookie(SIGNED_IN_COOKIE, httponly=False, **options)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_signed_in_flag)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = "basic"
