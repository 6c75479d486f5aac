import unittest

from pricing import apply_discount


class DiscountTest(unittest.TestCase):
    def test_quarter_off(self):
        self.assertEqual(apply_discount(80, 25), 60)

    def test_never_negative(self):
        self.assertEqual(apply_discount(10, 150), 0)

    def test_cents(self):
        self.assertEqual(apply_discount(9.99, 10), 8.99)
