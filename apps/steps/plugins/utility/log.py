"""utility.log: a line in the run's own log (shown on the run page)."""


def run(context, params: dict) -> dict:
    level = params.get("level", "info")
    message = str(params.get("message", ""))
    context.log(message, level)
    return {"logged": message, "level": level}
