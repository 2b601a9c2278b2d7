"""browser.* steps: a browser context per run, shared with nested playbooks.

``config`` is the only module here that reads Django settings; ``chromium`` owns the worker
process's Chromium (kept between runs); ``session`` owns a run's context and tab;
each step module holds one ``run(context, params)`` (docs/browser.md).
"""
