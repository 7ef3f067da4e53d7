"""The database password: in the system keyring, or (where none exists) in memory for this run.

Never in a file, never in a log. Saved settings keep the URL without its password; when the app
builds the URL it connects with (`Settings.runtime_url`), `fill_password` puts the password back
from this run's memory (a password the user typed at start) or from the keyring.

`keyring` is an optional dependency (the `[gui]` extra): it is imported only when needed, and a
missing package, keyring's "fail" or "null" backend, or any error from the backend all mean
"no keyring here".
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, unquote, urlsplit

from habitdesk.core.errors import HabitDeskError

log = logging.getLogger(__name__)

SERVICE = "HabitDesk"
DEFAULT_PORT = 5432
# What Supabase shows in a connection string until the user puts the real password in.
PLACEHOLDER_PASSWORDS = frozenset({"[YOUR-PASSWORD]", "YOUR-PASSWORD", "[YOUR_PASSWORD]"})

# SQLAlchemy's rule for the user part of a URL: the user name holds no ':' or '/', the password
# no '@' (so a password may hold '/', '?', '#' or ':' pasted as they are).
_USERINFO = re.compile(
    r"^(?P<scheme>[\w+.-]+://)(?P<user>[^:/@?#]*)(?::(?P<password>[^@]*))?@(?P<rest>.*)$",
    re.DOTALL,
)

# Passwords given in this run (typed at start, or saved while no keyring exists), by account.
_session: dict[str, str] = {}


class SecretStoreError(HabitDeskError):
    """The password could not be put in the system keyring."""


# --- URLs ---------------------------------------------------------------------------------------


def _match(url: str) -> re.Match[str] | None:
    return _USERINFO.match(url.strip())


def url_password(url: str) -> str | None:
    """The password in `url` (decoded), or None when there is none or only Supabase's placeholder."""
    match = _match(url)
    if match is None or match["password"] is None:
        return None
    password = unquote(match["password"])
    if not password or password in PLACEHOLDER_PASSWORDS:
        return None
    return password


def has_placeholder_password(url: str) -> bool:
    match = _match(url)
    return bool(match and match["password"] and unquote(match["password"]) in PLACEHOLDER_PASSWORDS)


def without_password(url: str) -> str:
    """`url` with its password (or placeholder) removed; anything else is kept as it was."""
    match = _match(url)
    if match is None or match["password"] is None:
        return url.strip()
    return f"{match['scheme']}{match['user']}@{match['rest']}"


def with_password(url: str, password: str) -> str:
    """`url` with `password` in it (replacing one already there); unchanged if it names no user."""
    match = _match(url)
    if match is None or not match["user"]:
        return url.strip()
    return f"{match['scheme']}{match['user']}:{quote(password, safe='')}@{match['rest']}"


def account_for(url: str) -> str | None:
    """The keyring entry for a URL: user@host:port/database (no password, no query string)."""
    match = _match(url)
    if match is None or not match["user"]:
        return None
    try:
        parts = urlsplit("//" + match["rest"])
        host = (parts.hostname or "").lower()
        port = parts.port or DEFAULT_PORT
    except ValueError:
        return None
    if not host:
        return None
    database = parts.path.lstrip("/")
    return f"{unquote(match['user'])}@{host}:{port}/{database}"


def _is_postgres(url: str) -> bool:
    return url.strip().lower().startswith(("postgres://", "postgresql://", "postgresql+"))


def fill_password(url: str) -> str:
    """A PostgreSQL URL saved without its password gets it from this run's memory or the keyring.

    Any other URL, one that has a password, or one whose password is not known comes back as it is.
    """
    if not _is_postgres(url) or url_password(url) is not None:
        return url
    password = password_for(url)
    return url if password is None else with_password(url, password)


def needs_password(url: str) -> bool:
    """True for a PostgreSQL URL with a user but no password that neither memory nor keyring knows."""
    if not _is_postgres(url) or account_for(url) is None:
        return False
    return url_password(url) is None and password_for(url) is None


# --- the keyring ---------------------------------------------------------------------------------


def _backend() -> object | None:
    """The keyring backend in use, or None when there is no usable one."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken backend (e.g. no D-Bus session) means "none"
        log.info("no system keyring: %s", type(exc).__name__)
        return None
    if isinstance(backend, (fail.Keyring, null.Keyring)):
        return None
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend) and not backend.backends:
        return None
    return backend


def keyring_available() -> bool:
    return _backend() is not None


def store_password(url: str, password: str) -> None:
    """Keep `password` for `url` in the system keyring (and in memory for this run).

    Raises SecretStoreError when there is no keyring or it refused; the password is then still
    known for this run, so the app can connect now and will ask again at the next start.
    """
    account = account_for(url)
    if account is None:
        raise SecretStoreError("The database URL names no user, so there is no password to keep.")
    _session[account] = password
    if _backend() is None:
        raise SecretStoreError(
            "No system keyring found.", hint="HabitDesk will ask for the password at each start."
        )
    import keyring

    try:
        keyring.set_password(SERVICE, account, password)
    except Exception as exc:
        log.warning("the keyring refused the password for %s: %s", account, type(exc).__name__)
        raise SecretStoreError(
            "The system keyring refused to keep the password.",
            hint="HabitDesk will ask for the password at each start.",
        ) from None


def password_for(url: str) -> str | None:
    """The password for `url` given in this run or kept in the keyring; None when unknown."""
    account = account_for(url)
    if account is None:
        return None
    if account in _session:
        return _session[account]
    if _backend() is None:
        return None
    import keyring

    try:
        password = keyring.get_password(SERVICE, account)
    except Exception as exc:
        log.info("could not read the keyring for %s: %s", account, type(exc).__name__)
        return None
    if password is not None:
        # One keyring read per run: building a URL must stay cheap.
        _session[account] = password
    return password


def remember_password(url: str, password: str) -> None:
    """Know `password` for `url` until the app quits (nothing is written anywhere)."""
    account = account_for(url)
    if account is not None:
        _session[account] = password


def forget_password(url: str) -> None:
    """Remove the password for `url` from memory and from the keyring (if it was there)."""
    account = account_for(url)
    if account is None:
        return
    _session.pop(account, None)
    if _backend() is None:
        return
    import keyring

    try:
        keyring.delete_password(SERVICE, account)
    except Exception:
        log.debug("no keyring entry to delete for %s", account)


def forget_session_passwords() -> None:
    """Drop every password held in memory (as if the app had restarted)."""
    _session.clear()
