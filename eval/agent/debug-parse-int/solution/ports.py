def parse_port(text):
    """Port number from text; ValueError unless it is 1-65535."""
    value = int(text)
    if value < 1 or value > 65535:
        raise ValueError(f"bad port {value}")
    return value
