"""perspective.* steps: discover a view's components, test them, verify navigation and docks.

They run in the run's shared browser (``apps.steps.plugins.browser.session``); the AI steps
live elsewhere. ``params`` also serves the ``fat.*`` steps (docs/perspective.md).
"""
