"""Password hashing (argon2id): production parameters, and cheap ones only under TESTING."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from werkzeug.local import LocalProxy

PRODUCTION = PasswordHasher()  # argon2-cffi's defaults: RFC 9106's low-memory profile
# Tests hash and verify hundreds of passwords; the parameters travel inside each hash, so a
# test database can never hold a production account.
FOR_TESTS = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def current_hasher() -> PasswordHasher:
    """The hasher for this app: the cheap one only when the app is TESTING."""
    if has_app_context() and current_app.testing:
        return FOR_TESTS
    return PRODUCTION


hasher: PasswordHasher = LocalProxy(current_hasher)  # type: ignore[assignment]


@cache
def _dummy_hash(hasher_id: int) -> str:
    return current_hasher().hash("not-a-real-password-4f1c")


def verify(password_hash: str | None, password: str) -> bool:
    """Whether the password matches. With no hash, a dummy is verified all the same, so a
    wrong login id and a wrong password take equally long and logins cannot be probed."""
    try:
        if not password_hash:
            hasher.verify(_dummy_hash(id(current_hasher())), password + "x")
            return False
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
