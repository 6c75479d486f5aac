import unittest

from slug import slugify


class SlugTest(unittest.TestCase):
    def test_lowercase_and_dashes(self):
        self.assertEqual(slugify("Hello Big World"), "hello-big-world")
