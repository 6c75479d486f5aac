import unittest

from settings import get_timeout


class SettingsTest(unittest.TestCase):
    def test_default(self):
        self.assertEqual(get_timeout({}), 10)

    def test_override(self):
        self.assertEqual(get_timeout({"timeout": 30}), 30)
