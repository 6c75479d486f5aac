class RateCounter:
    """Counts events and reports their rate over a fixed window."""

    def __init__(self, window_s):
        self.window_s = window_s
        self.count = 0

    def hit(self):
        """Record one event."""
        self.count += 1

    def per_second(self):
        """Events per second over the window."""
        return self.count / self.window_s
