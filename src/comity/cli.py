"""The ``comity`` console script: Django's management commands under the product's name.

Every command (``setup``, ``serve``, ``demo``, ``registry``, ``user`` and the built-ins such as
``migrate``) is a management command, so the CLI and ``django-admin`` never drift apart.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comity.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["comity", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
