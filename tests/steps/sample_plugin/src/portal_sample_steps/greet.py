"""The handler of ``sample.greet``: everything it needs comes through the step's context."""

from apps.steps.context import StepContext
from apps.steps.errors import StepError


def run(context: StepContext, params: dict) -> dict:
    name = str(params["name"]).strip()
    if not name:
        raise StepError("Nobody to greet: 'name' is empty.", retryable=False)
    greeting = f"Hello, {name}!"
    for _ in range(int(params.get("times", 1))):
        context.check()
        context.log(greeting)
    return {"greeting": greeting}
