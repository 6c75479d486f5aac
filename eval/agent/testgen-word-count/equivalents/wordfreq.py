def count_words(text):
    """A dict from each word of text, in lower case, to the times it occurs."""
    tally = {}
    lowered = text.lower()
    for token in lowered.split():
        if token in tally:
            tally[token] += 1
        else:
            tally[token] = 1
    return tally
