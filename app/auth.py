"""Signing in and out (Flask-Login), activation of a citizen's account, helpers joining."""

from __future__ import annotations

import hashlib
import hmac

from flask import Blueprint, Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_login import (
    LoginManager,
    current_user,
    logout_user,
)
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from . import accounts, signin
from .access import STAFF_ROLES, User, home_for, notice_follows, start_session
from .db import audit
from .pages import render
from .passwords import hasher, verify
from .security import CODES_PER_ADDRESS, SIGN_IN_PER_ADDRESS, limiter

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    ident, _, version = user_id.partition(":")
    if not ident.isdigit():
        return None
    row = accounts.get_user(int(ident))
    if not row or str(row["session_version"]) != version:
        return None
    return User(row)


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


def _set_device_cookie(response, token: str) -> None:
    """The device cookie: this phone signed in before (HttpOnly, one year)."""
    response.set_cookie(
        signin.DEVICE_COOKIE,
        token,
        max_age=signin.DEVICE_DAYS * 24 * 3600,
        path="/",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )


@bp.route("/<lang>/login", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_PER_ADDRESS, methods=["POST"])
def login():
    """Sign in with login id and password; staff, citizens and helpers alike."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user), 303)
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        login_id = form.login.data
        owner = accounts.user_by_login(login_id)
        device_token = request.cookies.get(signin.DEVICE_COOKIE)
        device = signin.trusted_device(device_token, owner["id"]) if owner else None
        # A lock stops strangers; the owner's own phone (it signed in before) is let through.
        locked = 0 if device else signin.minutes_locked(login_id)
        if locked:
            form.login.errors.append(
                _l(
                    "Too many wrong tries. Wait %(minutes)s minutes, then try again.",
                    minutes=locked,
                )
            )
            status = 429
        else:
            # A wrong login id costs as long as a wrong password (verify() hashes a dummy).
            if verify(owner["password_hash"] if owner else None, form.password.data):
                row = owner
                signin.clear_failures(login_id)
                token = signin.remember_device(device_token, row["id"])
                # Staff sessions never use "remember me": a shared office PC must not stay signed in.
                remember = form.remember.data and row["role"] not in STAFF_ROLES
                user = start_session(row, remember=remember)
                audit(user.id, "sign-in", user.id)
                response = redirect(home_for(user), 303)
                _set_device_cookie(response, token)
                return response
            if device:
                signin.device_failure(device["id"])
            else:
                signin.record_failure(login_id)
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
        accounts.end_sessions(current_user.id)
    logout_user()
    session.clear()
    flash(_l("You are signed out."))
    response = redirect(url_for("main.home"), 303)
    # Tell the browser to forget its HTTP cache. Only that: stored guides stay readable offline,
    # and the page's script has told the service worker to forget forms kept on the phone.
    response.headers["Clear-Site-Data"] = '"cache"'
    return notice_follows(response)  # the home page is public: it shows the message only so


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
@limiter.limit(CODES_PER_ADDRESS, methods=["POST"])
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
            user_row = accounts.get_user(row["user_id"])
            why = accounts.password_problem(
                form.password.data, user_row["login"] if user_row else ""
            )
            if why:
                form.password.errors.append(why)
            elif user_row and accounts.use_code(row["id"]):
                accounts.set_password(user_row["id"], form.password.data)
                user = start_session(accounts.get_user(user_row["id"]))
                audit(user.id, "activated", user.id)
                reset_at = accounts.take_access_reset(user.id)
                if reset_at:
                    flash(
                        _l(
                            "On %(date)s your caseworker reset your access to Bro. Your old "
                            "password and passkeys no longer work.",
                            date=format_date(reset_at, "long"),
                        )
                    )
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
    password = PasswordField(
        _l("Choose a password"),
        validators=[DataRequired(message=_l("Choose a password")), Length(max=200)],
    )

    def validate_password(self, field):
        why = accounts.password_problem(field.data)
        if why:
            raise ValidationError(why)


@bp.route("/<lang>/helper/join", methods=["GET", "POST"])
@limiter.limit(CODES_PER_ADDRESS, methods=["POST"])
def helper_join():
    """A helper accepts an invitation: a new helper account, or one more person to help.

    Bro chooses a new helper's login id (a first name and four digits) and shows it once, so
    the form never tells anyone which login ids exist.
    """
    signed_in_helper = current_user.is_authenticated and current_user.role == "helper"
    form = JoinForm()
    if signed_in_helper:
        for name in ("name", "password"):
            delattr(form, name)
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:40]
    if form.validate_on_submit():
        row, problem = accounts.check_code(form.code.data, "helper")
        if problem:
            form.code.errors.append(accounts.CODE_PROBLEMS[problem])
        else:
            new_helper = None
            if not signed_in_helper:
                new_helper = {
                    "name": form.name.data.strip(),
                    "lang": g.get("lang", "da"),
                    "password_hash": hasher.hash(form.password.data),
                }
            helper_id = accounts.redeem_helper_code(
                row, current_user.id if signed_in_helper else None, new_helper
            )
            if helper_id is None:
                form.code.errors.append(accounts.CODE_PROBLEMS["used"])
            else:
                audit(helper_id, "helper-joined", row["user_id"])
                if not signed_in_helper:
                    user = start_session(accounts.get_user(helper_id))
                    flash(
                        _l(
                            "Your account is ready. Your login id is %(login)s.",
                            login=user.login,
                        )
                    )
                return redirect(url_for("me.helping"), 303)
    status = 422 if form.errors else 200
    response = render("auth/join.html", status=status, form=form, signed_in_helper=signed_in_helper)
    response.headers["Cache-Control"] = "no-store"
    return response


def outbox_owner(user_id: int) -> str:
    """An opaque, stable name for this account on a phone: no id, no name, no login.

    Forms kept offline carry it, so a shared phone sends each form only under the account that
    filled it in; the flag cookie carries it, so the page knows whose forms are whose.
    """
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"outbox:{user_id}".encode(), hashlib.sha256).hexdigest()[:24]


def _signed_in_flag(response):
    """Keep a script-readable cookie that says who is signed in on this phone, opaquely.

    Guides read from the service worker's cache are the anonymous copy; with this flag the
    page's script shows "My page" in their header instead of "Sign in", counts only this
    person's waiting forms, and forgets every waiting form once nobody is signed in (signed out
    by the button, by session end, from another device or by an access reset). It holds no
    name or id; the session itself stays in its HttpOnly cookie.
    """
    # Only where this request already looked the user up (every page does, for its header).
    # Looking it up here would make Flask-Login write the session cookie on every JSON and file
    # request too, and a late answer carrying an older session could then undo a newer one.
    user = g.get("_login_user")
    if user is None:
        return response
    flag = request.cookies.get(signin.SIGNED_IN_COOKIE)
    options = {
        "path": "/",
        "secure": current_app.config["SESSION_COOKIE_SECURE"],
        "samesite": "Lax",
    }
    if user.is_authenticated:
        owner = outbox_owner(user.id)
        if flag != owner:
            response.set_cookie(signin.SIGNED_IN_COOKIE, owner, httponly=False, **options)
    elif flag:
        response.delete_cookie(signin.SIGNED_IN_COOKIE, httponly=False, **options)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_signed_in_flag)
    app.jinja_env.globals["outbox_owner"] = outbox_owner
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = "basic"
    # Flask-Login's context processor looks the user up for every template, which reads the
    # session (and the database) even on public pages. Templates get the lazy proxy instead:
    # only a page that asks who is signed in looks it up.
    processors = app.template_context_processors[None]
    processors[:] = [p for p in processors if p.__name__ != "_user_context_processor"]
    app.jinja_env.globals["current_user"] = current_user
    # Its after-request hook looks into the session on every answer (Flask then adds
    # `Vary: Cookie`); a public page leaves the remember cookie to the next personal page.
    hooks = app.after_request_funcs[None]
    for index, hook in enumerate(hooks):
        if getattr(hook, "__func__", None) is LoginManager._update_remember_cookie:
            hooks[index] = _unless_public(hook)


def _unless_public(hook):
    def run(response):
        return response if g.get("public") else hook(response)

    return run
