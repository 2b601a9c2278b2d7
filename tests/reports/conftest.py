"""Fixtures of the report tests: the Perspective simulator, and a finished run to report on."""

import pytest

from tests.executions.factories import playbook
from tests.steps.plugins.browser.site import Site
from tests.steps.plugins.perspective.conftest import perspective  # noqa: F401 - fixture

SECRET = "Zq7-report-secret-93"
CHILD = """
- id: greet
  name: Greet from the child
  type: utility.log
  parameters: {message: "hello from the child"}
"""
PARENT = """
- id: open
  name: Open the form
  type: browser.navigate
  parameters: {{url: "{url}"}}
- id: shot
  name: Screenshot
  type: browser.screenshot
  parameters: {{name: page.png}}
- id: show
  name: Log the pin
  type: utility.log
  parameters: {{message: "pin={{{{ admin_pin }}}}"}}
- id: call
  name: Call the child
  type: playbook.run
  parameters: {{playbook: reports/child.yaml}}
- id: wait
  name: Wait a pin's worth
  type: utility.sleep
  on_failure: continue
  parameters: {{seconds: "{{{{ admin_pin }}}}"}}
"""
PARAMETERS = """
- name: admin_pin
  type: string
  secret: true
- name: line
  type: string
  default: Line 4
"""


@pytest.fixture
def site():
    served = Site()
    yield served
    served.stop()


@pytest.fixture
def reported_run(team, run_in_process, site, settings, tmp_path):
    """A finished run: a screenshot, a log line with a secret, a child playbook and a failed
    step (with on_failure: continue, so the run completes)."""
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    settings.BROWSER_TRACE = False
    playbook(team, CHILD, path="reports/child.yaml", name="Child")
    parent = playbook(
        team, PARENT.format(url=site.url("/form.html")), parameters=PARAMETERS, name="Parent"
    )
    run = run_in_process(parent, parameters={"admin_pin": SECRET})
    return run.wait(timeout=90)
