import unittest

from ranking import top_scores


class RankingTest(unittest.TestCase):
    def test_top_two(self):
        self.assertEqual(top_scores([5, 1, 9, 7], 2), [9, 7])
