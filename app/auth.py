"""Signing in and out (Flask-Login), password hashing, and the signed-in landing pages."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Blueprint, Flask, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from .db import audit, get_db
from .pages import render
from .security import limiter

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
hasher = PasswordHasher()
STAFF_ROLES = ("caseworker", "coordinator")

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

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


def get_user(user_id: int) -> dict | None:
    """An active user by id."""
    rows = get_db().query("SELECT * FROM users WHERE id = ? AND active = 1", [user_id])
    return next(iter(rows), None)


def check_password(login: str, password: str) -> dict | None:
    """The active user with this login and password, or None."""
    rows = get_db().query("SELECT * FROM users WHERE login = ? AND active = 1", [login.strip()])
    row = next(iter(rows), None)
    try:
        if row is None or not row["password_hash"]:
            hasher.verify(_DUMMY_HASH, password + "x")
            return None
        hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return row


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    row = get_user(int(user_id))
    return User(row) if row else None


class LoginForm(FlaskForm):
    login = StringField(
        _l("Login id"),
        validators=[DataRequired(message=_l("Enter your login id")), Length(max=100)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password")), Length(max=200)],
    )


def _login_key() -> str:
    """Rate-limit key per login id, so one account cannot be guessed from many addresses."""
    return "login:" + (request.form.get("login") or "").strip().lower()[:100]


def home_for(user: User) -> str:
    return url_for("auth.staff_home") if user.is_staff else url_for("auth.my_page")


@bp.route("/<lang>/login", methods=["GET", "POST"])
@limiter.limit("10 per minute;60 per hour", methods=["POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], key_func=_login_key)
def login():
    """Sign in with login id and password."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user), 303)
    form = LoginForm()
    if form.validate_on_submit():
        row = check_password(form.login.data, form.password.data)
        if row:
            user = User(row)
            login_user(user)
            audit(user.id, "sign-in", user.id)
            return redirect(home_for(user), 303)
        form.login.errors.append(
            _l("The login id or password is not right. Check both and try again.")
        )
    status = 422 if form.errors else 200
    return render("auth/login.html", status=status, form=form)


@bp.post("/<lang>/logout")
def logout():
    """Sign out and go back to the home page."""
    if current_user.is_authenticated:
        audit(current_user.id, "sign-out", current_user.id)
    logout_user()
    flash(_l("You are signed out."))
    response = redirect(url_for("main.home"), 303)
    # Tell the browser to forget anything personal it may have kept.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.get("/<lang>/me")
@login_required
def my_page():
    """The citizen's own page."""
    return render("auth/me.html")


@bp.get("/<lang>/staff")
@login_required
def staff_home():
    """The staff start page."""
    if not current_user.is_staff:
        return redirect(url_for("auth.my_page"), 303)
    return render("auth/staff.html")


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = "strong"
