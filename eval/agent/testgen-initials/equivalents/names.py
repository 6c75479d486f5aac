def initials(full_name):
    """The first letter of every word, in capitals ('ada king lovelace' gives 'AKL')."""
    letters = ""
    for part in full_name.split(None):
        letters += part[0].upper()
    return letters
