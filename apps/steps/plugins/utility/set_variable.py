"""utility.set_variable: store a value for ``{{ variable.<name> }}`` in later steps."""


def run(context, params: dict) -> dict:
    name, value = params["name"], params.get("value")
    context.set_variable(name, value)
    return {"variable": name, "value": value}
