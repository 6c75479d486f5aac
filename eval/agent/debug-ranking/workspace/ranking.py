def top_scores(scores, n):
    """The n highest scores, highest first."""
    return sorted(scores)[:n]
