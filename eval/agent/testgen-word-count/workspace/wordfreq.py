def count_words(text):
    """How often each lower-cased word occurs in text."""
    counts = {}
    for word in text.lower().split():
        counts[word] = counts.get(word, 0) + 1
    return counts
