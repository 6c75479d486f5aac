import unittest

from ports import parse_port


class PortTest(unittest.TestCase):
    def test_ok(self):
        self.assertEqual(parse_port("8080"), 8080)

    def test_zero_rejected(self):
        with self.assertRaises(ValueError):
            parse_port("0")

    def test_too_big(self):
        with self.assertRaises(ValueError):
            parse_port("65536")
