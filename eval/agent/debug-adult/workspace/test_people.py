import unittest

from people import is_adult


class AdultTest(unittest.TestCase):
    def test_eighteen_is_adult(self):
        self.assertTrue(is_adult(18))

    def test_child(self):
        self.assertFalse(is_adult(12))
