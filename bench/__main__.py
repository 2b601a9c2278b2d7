"""`python -m bench`: set up a throwaway PostgreSQL database and run every benchmark."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toolkit_project.settings.test")
# Its own database (test_… is created and dropped), apart from the test suite's.
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ignition_toolkit_bench")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from bench import api_lists  # noqa: E402

BENCHMARKS = [api_lists]


def main() -> int:
    databases = setup_databases(verbosity=0, interactive=False, keepdb=False, aliases={"default"})
    try:
        for module in BENCHMARKS:
            print(f"\n== {module.__name__.split('.')[-1]}: {module.__doc__.strip()}")
            module.run()
    finally:
        teardown_databases(databases, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
