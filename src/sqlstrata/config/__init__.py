"""Configuration: the ``Config`` object and how it is found and loaded.

``find_config`` chooses the file (``-c``, ``$STRATA_CONFIG``, ``strata.ini``, ``pyproject.toml``
with ``[tool.strata]``, ``alembic.ini``); ``Config.from_source`` loads it. ``Config`` offers
Alembic's ``Config`` API to ``env.py`` and typed accessors to the rest of sqlstrata.
``mask_url`` hides passwords before a URL is shown.
"""

from __future__ import annotations

from sqlstrata.config.config import Config
from sqlstrata.config.sources import ConfigSource, find_config
from sqlstrata.config.urls import mask_url
from sqlstrata.config.values import expand_env, parse_x_arguments, split_paths

__all__ = [
    "Config",
    "ConfigSource",
    "expand_env",
    "find_config",
    "mask_url",
    "parse_x_arguments",
    "split_paths",
]
