"""browser.* steps: one Playwright Chromium per run, shared with nested playbooks.

``config`` is the only module here that reads Django settings; ``session`` owns the browser;
each step module holds one ``run(context, params)`` (docs/browser.md).
"""
