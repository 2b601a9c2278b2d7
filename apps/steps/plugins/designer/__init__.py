"""Designer steps: the desktop Ignition Designer driven with xdotool on a Linux desktop worker.

They run only on workers that declare the ``desktop`` capability (``capability``) and consume
the ``designer`` Celery queue. See ``docs/ai-and-designer.md``.
"""
