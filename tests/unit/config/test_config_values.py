"""Pure helpers of the configuration: path splitting, -x arguments, ${VAR} expansion, masking."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqlstrata.config import expand_env, mask_url, parse_x_arguments, split_paths
from sqlstrata.config.values import PATH_SEPARATORS
from sqlstrata.errors import ConfigError

# -- split_paths ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "separator", "expected"),
    [
        ("a b,c ,  d", None, ("a", "b", "c", "d")),
        ("  ", None, ()),
        ("a;;b;", ";", ("a", "b")),
        ("a b:c", ":", ("a b", "c")),
        ("a\n b c\n\n", "\n", ("a", "b c")),
        (f"x{os.pathsep}y z", os.pathsep, ("x", "y z")),
    ],
)
def test_split_paths(value: str, separator: str | None, expected: tuple[str, ...]) -> None:
    assert split_paths(value, separator) == expected


def test_split_paths_legacy_extra_character() -> None:
    assert split_paths("a:b c,d", None, ":") == ("a", "b", "c", "d")


_PATH = st.text(
    alphabet=st.characters(codec="ascii", categories=("L", "N"), include_characters="/._- "),
    min_size=1,
).filter(lambda text: text.strip() == text and text != "")


@given(st.sampled_from(sorted(set(PATH_SEPARATORS.values()) - {" "})), st.lists(_PATH))
def test_split_paths_inverts_join(separator: str, paths: list[str]) -> None:
    assert split_paths(separator.join(paths), separator) == tuple(paths)


# -- -x arguments -----------------------------------------------------------------------


def test_parse_x_arguments() -> None:
    assert parse_x_arguments(["a=1", "flag", "b=x=y", "empty="]) == {
        "a": "1",
        "flag": "",
        "b": "x=y",
        "empty": "",
    }
    assert parse_x_arguments([]) == {}


@given(st.dictionaries(st.text(alphabet="abcxyz_", min_size=1), st.text()))
def test_parse_x_arguments_round_trip(values: dict[str, str]) -> None:
    assert parse_x_arguments([f"{key}={value}" for key, value in values.items()]) == values


def test_later_x_argument_wins() -> None:
    assert parse_x_arguments(["a=1", "a=2"]) == {"a": "2"}


# -- ${VAR} ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${A}", "alpha"),
        ("$A/$B_2", "alpha/beta"),
        ("x${A}y", "xalphay"),
        ("$$A", "$A"),
        ("cost: 5$", "cost: 5$"),
        ("$ {A}", "$ {A}"),
        ("no variables", "no variables"),
    ],
)
def test_expand_env(text: str, expected: str) -> None:
    environ = {"A": "alpha", "B_2": "beta"}
    assert expand_env(text, environ, name="opt", where="here") == expected


def test_expand_env_does_not_rescan_values() -> None:
    assert expand_env("$A", {"A": "$B", "B": "no"}, name="opt", where="w") == "$B"


def test_expand_env_missing() -> None:
    with pytest.raises(ConfigError) as caught:
        expand_env("x${NOPE}", {}, name="sqlalchemy.url", where="[strata] of s.ini")
    assert caught.value.message == (
        "Can't read sqlalchemy.url in [strata] of s.ini: environment variable 'NOPE' is not set."
    )


# -- mask_url -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://scott:tiger@localhost/app", "postgresql://scott:***@localhost/app"),
        (
            "postgresql+psycopg://scott:tiger@db:5432/app?sslmode=require",
            "postgresql+psycopg://scott:***@db:5432/app?sslmode=require",
        ),
        ("mysql+pymysql://u:p%40ss@h/db", "mysql+pymysql://u:***@h/db"),
        ("postgresql://u:p@ss/w:rd@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:p?x@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u:a@b?c@h/db", "postgresql://u:***@h/db"),
        ("mssql+pyodbc://u:pw@dsn?driver=x", "mssql+pyodbc://u:***@dsn?driver=x"),
        ("postgresql://user@tenant:pw@h/db", "postgresql://user@tenant:***@h/db"),
        ("postgresql://u:pw@h/db?opt=a@b", "postgresql://u:***@h/db?opt=a@b"),
        ("mssql+pyodbc://:secret@dsn", "mssql+pyodbc://:***@dsn"),
        ("postgresql://u:@h/db", "postgresql://u:***@h/db"),
        ("postgresql://scott@localhost/app", "postgresql://scott@localhost/app"),
        ("postgresql://localhost:5432/app", "postgresql://localhost:5432/app"),
        ("sqlite:///relative.db", "sqlite:///relative.db"),
        ("sqlite:////abs/with@at.db", "sqlite:////abs/with@at.db"),
        ("sqlite://", "sqlite://"),
        ("driver://user:pass@localhost/dbname", "driver://user:***@localhost/dbname"),
        ("user:pass@host", "user:***@host"),
        ("not a url", "not a url"),
        ("", ""),
        ("://", "://"),
    ],
)
def test_mask_url(url: str, masked: str) -> None:
    assert mask_url(url) == masked


# Any printable ASCII but '?': a password with '?' and '/' before an '@' reads like a query.
_SECRET = st.text(
    alphabet=st.characters(codec="ascii", categories=("L", "N", "P", "S"), exclude_characters="?"),
    min_size=1,
)


@given(
    user=st.text(alphabet="abcdefghij_", max_size=8),
    password=_SECRET,
    host=st.text(alphabet="abcdefghij.-", min_size=1, max_size=12),
    database=st.text(alphabet="abcdefghij_", max_size=8),
)
def test_mask_url_never_shows_the_password(
    user: str, password: str, host: str, database: str
) -> None:
    url = f"postgresql://{user}:{password}@{host}/{database}"
    assert mask_url(url) == f"postgresql://{user}:***@{host}/{database}"
