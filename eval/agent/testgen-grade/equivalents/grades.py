def letter_grade(score):
    """The letter for a score: A from 90 up, B from 80, C from 70, else F."""
    letter = "F"
    for floor, grade in ((90, "A"), (80, "B"), (70, "C")):
        if score >= floor:
            letter = grade
            break
    return letter
