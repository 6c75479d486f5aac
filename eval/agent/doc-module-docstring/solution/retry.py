"""Retry a flaky operation with exponential backoff between attempts."""

import time


def backoff(attempt, base=0.1):
    return base * 2**attempt


def retry(fn, attempts=3):
    for i in range(attempts):
        try:
            return fn()
        except OSError:
            time.sleep(backoff(i))
    return fn()
