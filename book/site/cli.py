"""Start MkDocs the one way the book does: ``python -P -m book.site.cli build|serve [options]``.

MkDocs reads its config with PyYAML's full loader, and a pull request can change
mkdocs.yml (see book/site_config.py). This runs MkDocs' own command line in this
process after putting book.site_config's check in front of MkDocs' config loading:
whenever MkDocs is about to parse a config (the build, and every rebuild of ``serve``,
which reads the file again), the very bytes it will parse are checked first, and a
refused file stops MkDocs with each problem and its line. The check sits where the
file is read, not where arguments are parsed, so no option can route around it.

``-P`` keeps the working directory off ``sys.path``: a module of the tree cannot be
imported by name from there, not even through something the check missed. The book
package itself is installed (editable) and the hooks are loaded by path.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from book.site_config import ConfigRefused, config_problems

COMMANDS = ("build", "serve")
USAGE = "usage: python -P -m book.site.cli build|serve [mkdocs options]"


def command(python: str, *args: str) -> list[str]:
    """The command line that starts MkDocs the book's way with this interpreter."""
    return [python, "-P", "-m", "book.site.cli", *args]


def install_guard() -> None:
    """Check every config MkDocs loads in this process before its YAML is parsed."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import ConfigurationError

    original = MkDocsConfig.__dict__.get("load_file")
    if original is None:
        # MkDocs moved its config reading: stop rather than build unchecked.
        raise RuntimeError("book.site.cli: MkDocsConfig.load_file is gone; update install_guard")
    if getattr(original, "book_guard", False):
        return

    def load_file(self, config_file) -> None:
        data = config_file.read()
        if not self.config_file_path:
            raise ConfigurationError("the book reads its config from a file, not standard input")
        path = Path(self.config_file_path)
        problems = config_problems(path, data)
        if problems:
            raise ConfigurationError(str(ConfigRefused(path, problems)))
        original(self, io.BytesIO(data))  # the bytes that were checked, not a second read

    load_file.book_guard = True
    MkDocsConfig.load_file = load_file


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not sys.flags.safe_path:
        print(f"book.site.cli: start it with python -P (the tree stays off sys.path)\n{USAGE}",
              file=sys.stderr)  # fmt: skip
        return 2
    if not args or args[0] not in COMMANDS:
        print(USAGE, file=sys.stderr)
        return 2
    install_guard()
    from mkdocs.__main__ import cli

    return cli.main(args=args, prog_name="mkdocs", standalone_mode=True)


if __name__ == "__main__":
    raise SystemExit(main())
