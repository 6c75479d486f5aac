class RateCounter:
    def __init__(self, window_s):
        self.window_s = window_s
        self.count = 0

    def hit(self):
        self.count += 1

    def per_second(self):
        return self.count / self.window_s
