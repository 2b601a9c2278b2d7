"""The step-running engine: a service module used by the ``run_execution`` task."""
