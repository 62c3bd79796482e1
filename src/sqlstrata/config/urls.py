"""Hiding passwords in database URLs before they are shown or logged.

``mask_url`` works on the text of the URL and never parses it with SQLAlchemy, so it is safe to
call on anything, including strings that are not URLs at all. When in doubt it hides more than
the password rather than less.
"""

from __future__ import annotations

MASK = "***"


def mask_url(url: str) -> str:
    """Return ``url`` with its password replaced by ``***``; everything else is kept as written.

    ``postgresql://scott:tiger@host/db`` becomes ``postgresql://scott:***@host/db``. A URL
    without a password (``sqlite:///app.db``, ``postgresql://scott@host/db``) and a string that
    is not a URL are returned unchanged. A password that contains ``@``, ``/`` or ``:`` is
    hidden entirely, even though SQLAlchemy itself needs them percent-encoded.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    at = _password_end(rest)
    if at < 0:
        return url
    user, colon, _password = rest[:at].partition(":")
    if not colon or "/" in user:
        return url
    prefix = f"{scheme}://" if sep else ""
    return f"{prefix}{user}:{MASK}{rest[at:]}"


def _password_end(rest: str) -> int:
    """Find the ``@`` that ends the credentials in ``rest`` (the URL after ``://``), or -1.

    It is the last ``@`` before the query string, moved further right while the host part after
    it (up to the next ``/``) still contains an ``@``: a host name never does, a password may.
    """
    at = rest.split("?", 1)[0].rfind("@")
    if at < 0:
        at = rest.rfind("@")
    while at >= 0:
        slash = rest.find("/", at + 1)
        later = rest.rfind("@", at + 1, slash if slash >= 0 else len(rest))
        if later < 0:
            break
        at = later
    return at
