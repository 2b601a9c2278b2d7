"""AI steps: ``perspective.verify_with_ai`` and ``perspective.analyze_with_ai``.

A screenshot of the run's page goes, base64-encoded, to a vision model through a
provider-neutral client (Anthropic Messages API or an OpenAI-compatible chat-completions API).
The key comes from a vault credential of kind ``ai_api_key`` (see ``keys``), never from a
playbook parameter. See ``docs/ai-and-designer.md``.
"""
