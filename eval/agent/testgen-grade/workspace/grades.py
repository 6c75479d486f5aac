def letter_grade(score):
    """A for 90+, B for 80+, C for 70+, otherwise F."""
    if score >= 90:
        return "A"
    if score >= 80:
        return "B"
    if score >= 70:
        return "C"
    return "F"
