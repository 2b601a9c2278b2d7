"""Every write to executions: launch, control commands and the run's life cycle."""
