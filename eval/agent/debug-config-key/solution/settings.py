DEFAULTS = {"retries": 3, "timeout": 10}


def get_timeout(overrides):
    merged = {**DEFAULTS, **overrides}
    return merged["timeout"]
