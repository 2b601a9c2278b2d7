#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["version"]):
        # Django would print its own version: the portal's is the one operators need.
        from toolkit_project.version import portal_version

        sys.stdout.write(f"{portal_version()}\n")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toolkit_project.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
