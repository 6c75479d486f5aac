def initials(full_name):
    """Upper-case initials of each word, e.g. 'ada king lovelace' -> 'AKL'."""
    return "".join(word[0].upper() for word in full_name.split())
