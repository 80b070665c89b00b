"""Read mkdocs.yml without building the site, and check it before MkDocs reads it.

A pull request can change mkdocs.yml, and MkDocs reads it with PyYAML's full loader:
a ``!!python/name:`` or ``!!python/object/apply:`` tag imports a module or calls a
function on the machine that builds the site, ``!ENV`` reads its environment and
``INHERIT`` pulls in another file. Some settings do as much: mkdocs-jupyter's
``execute: true`` runs every lab in a kernel on the host, pymdownx.snippets'
``auto_append`` (or a ``base_path`` outside the repository) publishes a host file in
every page, and ``docs_dir``, ``site_dir``, ``custom_dir`` or a hook path can point
anywhere. So `config_problems` reads the file with a SafeLoader that accepts only the
tags the book uses, then holds the settings that matter to the values the book uses;
``python -P -m book.site.cli`` runs it on every config MkDocs is about to read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from . import safe_files
from .catalog import REPO

CONFIG = REPO / "mkdocs.yml"


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


# ---------------------------------------------------------------------------
# What mkdocs.yml may hold. Each list is what the book's own mkdocs.yml uses; widening
# one is a change to this file, reviewed as code, never a change to mkdocs.yml alone.
# ---------------------------------------------------------------------------

# `!!python/name:` tags MkDocs may import while it reads the file (Material's emoji
# functions or a superfences formatter would go here). The book uses none.
PYTHON_NAMES: frozenset[str] = frozenset()
PYTHON_TAG = "tag:yaml.org,2002:python/"
PYTHON_NAME_TAG = PYTHON_TAG + "name:"
# `!relative $config_dir` is the directory of mkdocs.yml, the repository.
RELATIVE = ("!relative", "$config_dir")
ALIAS_WHY = "anchors and aliases are not used in the book's mkdocs.yml; write the value out"

SETTINGS = frozenset(
    {
        "site_name", "site_description", "site_author", "site_url", "repo_url", "repo_name",
        "edit_uri", "edit_uri_template", "copyright", "strict", "exclude_docs", "draft_docs",
        "not_in_nav", "validation", "nav", "theme", "docs_dir", "site_dir",
        "use_directory_urls", "extra", "extra_css", "extra_javascript", "plugins", "hooks",
        "markdown_extensions",
    }
)  # fmt: skip
# Why a setting MkDocs knows is kept out, where the reason is not just "unused".
REFUSED_SETTINGS = {
    "INHERIT": "merges another YAML file, which MkDocs reads with its full loader, unchecked",
    "watch": "makes mkdocs serve watch (and rebuild from) paths this check does not see",
    "dev_addr": "nox -s serve sets the address (127.0.0.1); a config could open it to the network",
    "extra_templates": "templates come from overrides/ (theme.custom_dir), nowhere else",
}
# Plugin -> the options it may set. mkdocs-jupyter 0.26.3 defaults `execute` to false.
PLUGINS = {
    "search": frozenset(),
    "mkdocs-jupyter": frozenset({"include", "execute", "cache", "remove_tag_config"}),
}
MARKDOWN_EXTENSIONS = frozenset(
    {
        "admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details",
        "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.superfences",
        "pymdownx.snippets",
    }
)  # fmt: skip
# pymdown-extensions 13.1.2: restrict_base_path defaults to true, check_paths to false.
SNIPPETS_OPTIONS = frozenset(
    {"base_path", "check_paths", "dedent_subsections", "restrict_base_path"}
)
SNIPPETS_REFUSED = {
    "auto_append": "appends a file to every page: a host file would be published in each",
    "url_download": "fetches URLs named in pages while the site is built",
}


class ConfigRefused(ValueError):
    """mkdocs.yml holds something that could run code or read the host when MkDocs reads it."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.problems = problems
        listed = "".join(f"\n  {problem}" for problem in problems)
        super().__init__(
            f"{path.name} is refused before MkDocs reads it: it may hold only what "
            f"book/site_config.py allows, because MkDocs runs what the file names.{listed}"
        )


class PythonName(str):
    """An allowed `!!python/name:` tag, kept as its dotted name (nothing is imported)."""


class ConfigDir(str):
    """A `!relative` tag, kept as its text: the directory of mkdocs.yml when `$config_dir`."""

    line: int | None = None

    @classmethod
    def at(cls, node) -> ConfigDir:
        tagged = cls(node.value)
        tagged.line = _line(node)
        return tagged


class Mapping(dict):
    """A YAML mapping that remembers the line of each key."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}


class Sequence(list):
    """A YAML sequence that remembers the line of each item."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []


def _line(node_or_event) -> int:
    return node_or_event.start_mark.line + 1


def _shown_tag(tag: str) -> str:
    """The tag as it is written in YAML: !!python/name:os.system, !ENV."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _tag_why(tag: str) -> str:
    """Why an explicit tag is refused, in words."""
    if tag == "!ENV":
        return "reads an environment variable of the machine that builds the site"
    if tag == "!relative":
        return "only `!relative $config_dir` (the repository) is allowed"
    if tag.startswith(PYTHON_NAME_TAG):
        allowed = ", ".join(sorted(PYTHON_NAMES)) or "none"
        return (
            f"MkDocs would import {tag.removeprefix(PYTHON_NAME_TAG)!r} while it reads the file; "
            f"allowed names (PYTHON_NAMES): {allowed}"
        )
    if tag.startswith(PYTHON_TAG):
        return "MkDocs would import a module or call a function while it reads the file"
    return "not a tag the book's mkdocs.yml uses (only !relative $config_dir)"


class CheckingLoader(yaml.SafeLoader):
    """A SafeLoader that refuses every explicit tag but the book's, each with its line.

    Tags are judged on the parser's events, after %TAG directives are expanded, so a
    python tag cannot hide behind another handle. A refused tag becomes None and the
    load goes on, so that every problem is listed at once."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.problems: list[tuple[int, str, str]] = []

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            # An alias repeats a node without copying it; nested aliases make a small file
            # stand for an enormous one. The book writes each setting out.
            self.problems.append((_line(event), f"alias *{event.anchor}", ALIAS_WHY))
        tag = getattr(event, "tag", None)  # None: no tag written (aliases have none)
        if tag is not None and not self._allowed(tag, event):
            self.problems.append((_line(event), f"tag {_shown_tag(tag)}", _tag_why(tag)))
        return super().compose_node(parent, index)

    @staticmethod
    def _allowed(tag: str, event) -> bool:
        if not isinstance(event, yaml.ScalarEvent):
            return False
        if tag == RELATIVE[0]:
            return event.value == RELATIVE[1]
        named = tag.startswith(PYTHON_NAME_TAG)
        return named and tag.removeprefix(PYTHON_NAME_TAG) in PYTHON_NAMES and not event.value

    def construct_located_map(self, node) -> Mapping:
        self.flatten_mapping(node)
        data = Mapping(_line(node))
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            where = _line(key_node)
            if not isinstance(key, str):
                self.problems.append((where, f"key {key!r}", "a key of mkdocs.yml must be text"))
            elif key in data:
                why = f"set twice (lines {data.lines[key]} and {where}); MkDocs keeps the last"
                self.problems.append((where, key, why))
            else:
                data[key] = self.construct_object(value_node, deep=True)
                data.lines[key] = where
        return data

    def construct_located_seq(self, node) -> Sequence:
        data = Sequence(_line(node))
        for item in node.value:
            data.append(self.construct_object(item, deep=True))
            data.lines.append(_line(item))
        return data


CheckingLoader.add_constructor("tag:yaml.org,2002:map", CheckingLoader.construct_located_map)
CheckingLoader.add_constructor("tag:yaml.org,2002:seq", CheckingLoader.construct_located_seq)
CheckingLoader.add_constructor(RELATIVE[0], lambda loader, node: ConfigDir.at(node))
CheckingLoader.add_multi_constructor(PYTHON_NAME_TAG, lambda loader, name, node: PythonName(name))
# A tag SafeLoader cannot build (a python tag, !ENV...) was refused when it was composed;
# its value is dropped, never built.
CheckingLoader.add_constructor(None, lambda loader, node: None)


# ---------------------------------------------------------------------------
# The settings, once the text is known to hold plain data.
# ---------------------------------------------------------------------------


class _Report:
    """Problems as `mkdocs.yml:LINE: key: why`, in the order they are found."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []

    def add(self, line: int | None, key: str, why: str) -> None:
        where = f"{self.name}:{line}" if line else self.name
        self.problems.append(f"{where}: {key}: {why}")


def _inside(folder: Path, value: Any, within: str = "") -> bool:
    """Whether value, a path relative to folder, stays inside folder/within once links are
    resolved (an absolute value is taken as it is)."""
    if not isinstance(value, str) or not value or "\0" in value or "://" in value:
        return False
    base = (folder / within).resolve()
    target = (folder / value).resolve()
    return target == base or target.is_relative_to(base)


def _entries(value: Any, key: str, report: _Report) -> list[tuple[str, Any, int | None]]:
    """(name, options, line) of each plugin or extension, from the list or mapping form."""
    if isinstance(value, Mapping):
        return [(name, options, value.lines.get(name)) for name, options in value.items()]
    if not isinstance(value, Sequence):
        report.add(getattr(value, "line", None), key, "must be a list")
        return []
    found = []
    for item, line in zip(value, value.lines, strict=True):
        if isinstance(item, str):
            found.append((item, None, line))
        elif isinstance(item, Mapping) and len(item) == 1:
            found.append((*next(iter(item.items())), line))
        else:
            report.add(line, key, "each entry is a name, or one name with its options")
    return found


def _options(options: Any, where: str, line: int | None, report: _Report) -> Mapping:
    """The options of a plugin or extension, as a mapping (empty when none are given)."""
    if options is None:
        return Mapping(line or 0)
    if not isinstance(options, Mapping):
        report.add(line, where, "options must be a mapping")
        return Mapping(line or 0)
    return options


def _check_settings(data: Mapping, report: _Report) -> None:
    for key, line in data.lines.items():
        if key in REFUSED_SETTINGS:
            report.add(line, key, REFUSED_SETTINGS[key])
        elif key not in SETTINGS:
            report.add(line, key, "not a setting the book uses (SETTINGS in book/site_config.py)")


def _check_dirs(data: Mapping, root: Path, report: _Report) -> None:
    """docs/ is read and site/ is emptied and written: nothing else on the host."""
    for key, wanted in (("docs_dir", "docs"), ("site_dir", "site")):
        if key in data and data[key] != wanted:
            report.add(data.lines[key], key, f"must be {wanted!r} (or left out)")
        elif not _inside(root, wanted, "."):
            why = f"{wanted}/ resolves outside the repository (a link)"
            report.add(data.lines.get(key), key, why)
    theme = data.get("theme")
    line = data.lines.get("theme")
    if theme is None or theme == "material":
        return
    if not isinstance(theme, Mapping) or theme.get("name") != "material":
        report.add(line, "theme", "must be Material (name: material)")
        return
    if "custom_dir" in theme and theme["custom_dir"] != "overrides":
        why = "must be 'overrides': the theme's files are read from it and published"
        report.add(theme.lines["custom_dir"], "theme.custom_dir", why)
    elif "custom_dir" in theme and not _inside(root, "overrides", "."):
        why = "overrides/ resolves outside the repository (a link)"
        report.add(theme.lines["custom_dir"], "theme.custom_dir", why)


def _check_hooks(data: Mapping, root: Path, report: _Report) -> None:
    """A hook is Python the build imports: only the reviewed files in overrides/hooks/."""
    hooks = data.get("hooks", Sequence(0))
    if not isinstance(hooks, Sequence):
        report.add(data.lines.get("hooks"), "hooks", "must be a list of files")
        return
    for hook, line in zip(hooks, hooks.lines, strict=True):
        inside = _inside(root, hook, "overrides/hooks") and str(hook).endswith(".py")
        if isinstance(hook, ConfigDir) or not inside or Path(hook).is_absolute():
            report.add(line, "hooks", f"{hook!r} is not a .py file under overrides/hooks/")


def _check_assets(data: Mapping, root: Path, report: _Report) -> None:
    """Stylesheets and scripts are the book's own files in docs/, not another host's."""
    for key in ("extra_css", "extra_javascript"):
        items = data.get(key, Sequence(0))
        if not isinstance(items, Sequence):
            report.add(data.lines.get(key), key, "must be a list of files")
            continue
        for item, line in zip(items, items.lines, strict=True):
            path = item.get("path") if isinstance(item, Mapping) else item
            if isinstance(path, ConfigDir) or not _inside(root / "docs", path):
                report.add(line, key, f"{path!r} is not a file inside docs/")


def _check_plugins(data: Mapping, report: _Report) -> None:
    for name, options, line in _entries(data.get("plugins", Sequence(0)), "plugins", report):
        if name not in PLUGINS:
            report.add(line, "plugins", f"{name!r} is not one of {sorted(PLUGINS)}")
            continue
        options = _options(options, f"plugins.{name}", line, report)
        for option, where in options.lines.items():
            if option not in PLUGINS[name]:
                why = f"not an option the book sets ({sorted(PLUGINS[name]) or 'none'})"
                report.add(where, f"plugins.{name}.{option}", why)
        if options.get("execute", False) is not False:
            why = (
                "must be false: true runs every lab in a Jupyter kernel on the machine that "
                "builds the site; the tests run labs in the sandbox and the build shows their "
                "recorded outputs"
            )
            report.add(options.lines["execute"], f"plugins.{name}.execute", why)


def _check_extensions(data: Mapping, root: Path, report: _Report) -> None:
    value = data.get("markdown_extensions", Sequence(0))
    for name, options, line in _entries(value, "markdown_extensions", report):
        if name not in MARKDOWN_EXTENSIONS:
            why = "Python-Markdown imports an extension by this name; not one the book uses"
            report.add(line, f"markdown_extensions: {name!r}", why)
            continue
        options = _options(options, name, line, report)
        if name == "pymdownx.snippets":
            _check_snippets(options, root, report)


def _check_snippets(options: Mapping, root: Path, report: _Report) -> None:
    """Includes come from files inside the repository, and a missing one stops the build."""
    key = "pymdownx.snippets"
    for option, line in options.lines.items():
        if option in SNIPPETS_REFUSED:
            report.add(line, f"{key}.{option}", SNIPPETS_REFUSED[option])
        elif option not in SNIPPETS_OPTIONS:
            why = f"not an option the book sets {sorted(SNIPPETS_OPTIONS)}"
            report.add(line, f"{key}.{option}", why)
    if options.get("check_paths") is not True:
        line = options.lines.get("check_paths", options.line)
        report.add(line, f"{key}.check_paths", "must be true: a missing include stops the build")
    if options.get("restrict_base_path", True) is not True:
        why = "must be true (or left out): an include could climb out of the base paths with '..'"
        report.add(options.lines["restrict_base_path"], f"{key}.restrict_base_path", why)
    bases = options.get("base_path", ".")
    if not isinstance(bases, Sequence):  # one path, written without a list
        bases = Sequence(options.line)
        bases.append(options.get("base_path", "."))
        bases.lines.append(options.lines.get("base_path"))
    for base, line in zip(bases, bases.lines, strict=True):
        if isinstance(base, ConfigDir) and base == RELATIVE[1]:
            continue
        if isinstance(base, ConfigDir) or not _inside(root, base):
            why = f"{base!r} is not a folder inside the repository"
            report.add(line, f"{key}.base_path", why)


def _check_relative_tags(value: Any, report: _Report, keys: tuple[str, ...] = ()) -> None:
    """`!relative $config_dir` names the repository only as a base path of the includes."""
    if isinstance(value, ConfigDir):
        if keys != ("markdown_extensions", "pymdownx.snippets", "base_path"):
            where = ".".join(keys) or "the file"
            why = "`!relative` is allowed only in pymdownx.snippets' base_path"
            report.add(value.line, where, why)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_relative_tags(item, report, (*keys, str(key)))
    elif isinstance(value, list):
        for item in value:
            _check_relative_tags(item, report, keys)


def text_problems(text: str | bytes, path: Path) -> list[str]:
    """What in this text of the config at path could run code or read the host, or []."""
    report = _Report(path.name)
    loader = CheckingLoader(text)
    try:
        data = loader.get_single_data()
    except (yaml.YAMLError, RecursionError) as error:
        data = error
    finally:
        loader.dispose()
    for line, key, why in loader.problems:
        report.add(line, key, why)
    if isinstance(data, Exception):
        report.add(None, "YAML", f"not a file MkDocs can read safely: {data}")
        return report.problems
    if data is None or any(why == ALIAS_WHY for _, _, why in loader.problems):
        # With aliases refused, the settings are not walked: shared nodes could make the
        # walk as long as the file's unfolded size.
        return report.problems
    if not isinstance(data, Mapping):
        report.add(None, "the file", "must be a mapping of settings")
        return report.problems
    root = Path(os.path.abspath(path)).parent
    _check_settings(data, report)
    _check_dirs(data, root, report)
    _check_hooks(data, root, report)
    _check_assets(data, root, report)
    _check_plugins(data, report)
    _check_extensions(data, root, report)
    _check_relative_tags(data, report)
    return report.problems


def config_problems(path: str | os.PathLike = CONFIG, text: bytes | None = None) -> list[str]:
    """What in the config file at path could run code or read the host when MkDocs reads it.

    text: the bytes MkDocs is about to parse, when it has opened the file itself. The file
    must be a regular file reached through no link either way: a link would hand MkDocs a
    file from elsewhere on the host."""
    path = Path(os.path.abspath(path))
    try:
        if text is None:
            text = safe_files.read_bytes(path.name, root=path.parent)
        else:
            safe_files.check(path.name, root=path.parent)
    except OSError as error:
        return [f"{path.name}: {error}"]
    return text_problems(text, path)


def check_config(path: str | os.PathLike = CONFIG) -> None:
    """Raise `ConfigRefused`, listing every problem, unless the config at path is safe to read."""
    problems = config_problems(path)
    if problems:
        raise ConfigRefused(Path(path), problems)


def main(argv: list[str] | None = None) -> int:
    """python -P -m book.site_config [mkdocs.yml]: list the problems; exit status 1 if any."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else CONFIG
    problems = config_problems(path)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
