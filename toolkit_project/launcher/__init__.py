"""The embedded-default supervisor behind ``make run``.

It starts Redis (unless ``REDIS_URL`` is set), prepares the database, then Daphne, a Celery
worker, celery beat and the gateway simulator, each in its own process group, and prints where
to log in. A child that exits is started again with backoff (Redis on the same port); only
Ctrl-C (SIGINT) or SIGTERM stops every child it started.
"""
