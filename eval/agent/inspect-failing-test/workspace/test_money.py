import unittest

from money import round_price, to_cents


class MoneyTest(unittest.TestCase):
    def test_to_cents(self):
        self.assertEqual(to_cents(2), 200)

    def test_rounds_half_up(self):
        self.assertEqual(round_price(2.5), 3)

    def test_whole_amount(self):
        self.assertEqual(round_price(4), 4)


if __name__ == "__main__":
    unittest.main()
