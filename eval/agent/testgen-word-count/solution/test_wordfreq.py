import unittest

from wordfreq import count_words


class CountTest(unittest.TestCase):
    def test_counts_case_insensitively(self):
        self.assertEqual(count_words("The cat the Dog"), {"the": 2, "cat": 1, "dog": 1})
