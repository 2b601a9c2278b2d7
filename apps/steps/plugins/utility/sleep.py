"""utility.sleep: wait, stopping at once on cancel, skip or timeout."""


def run(context, params: dict) -> dict:
    seconds = float(params.get("seconds", 1))
    context.sleep(seconds)
    return {"slept": seconds}
