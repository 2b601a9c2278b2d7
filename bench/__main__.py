"""`python -m bench`: set up a throwaway PostgreSQL database and run every benchmark."""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toolkit_project.settings.test")
# Its own database (test_… is created and dropped), apart from the test suite's.
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ignition_toolkit_bench")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from bench import (  # noqa: E402
    api_lists,
    batch_overhead,
    browser_memory,
    browser_overhead,
    executions_events,
    executions_latency,
    history,
    recovery,
    soak,
)

BENCHMARKS = [
    api_lists,
    executions_latency,
    executions_events,
    browser_overhead,
    browser_memory,
    recovery,
    history,
    batch_overhead,
]
# Run only when named (`make soak`): it takes SOAK_MINUTES (default 20).
ON_REQUEST = [soak]


def main(names: list[str]) -> int:
    """Run every benchmark, or only those named (``python -m bench executions_latency``)."""
    named = [m for m in BENCHMARKS + ON_REQUEST if m.__name__.split(".")[-1] in names]
    chosen = named if names else BENCHMARKS
    databases = setup_databases(verbosity=0, interactive=False, keepdb=False, aliases={"default"})
    try:
        for module in chosen:
            print(f"\n== {module.__name__.split('.')[-1]}: {module.__doc__.strip()}")
            module.run()
    finally:
        teardown_databases(databases, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
