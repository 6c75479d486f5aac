import unittest

from names import initials


class InitialsTest(unittest.TestCase):
    def test_three_words(self):
        self.assertEqual(initials("ada king lovelace"), "AKL")
