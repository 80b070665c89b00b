"""Read mkdocs.yml's navigation without building the site."""

from __future__ import annotations

import yaml

from .catalog import REPO


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader that accepts MkDocs' and Python-Markdown's custom tags."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_config() -> dict:
    return yaml.load((REPO / "mkdocs.yml").read_text(), Loader=_ConfigLoader)


def nav_pages(nav=None) -> list[str]:
    """Every page file named in the nav, in reading order."""
    if nav is None:
        nav = load_config()["nav"]
    pages: list[str] = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            pages.extend(nav_pages(value))
        elif isinstance(value, str) and not value.startswith(("http://", "https://")):
            pages.append(value)
    return pages
