import unittest

from numbers_util import sum_evens


class EvensTest(unittest.TestCase):
    def test_mixed(self):
        self.assertEqual(sum_evens([1, 2, 3, 4]), 6)

    def test_none_even(self):
        self.assertEqual(sum_evens([1, 3]), 0)
