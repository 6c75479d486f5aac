import unittest

from grades import letter_grade


class GradeTest(unittest.TestCase):
    def test_boundaries(self):
        self.assertEqual(letter_grade(90), "A")
        self.assertEqual(letter_grade(89), "B")
        self.assertEqual(letter_grade(80), "B")
        self.assertEqual(letter_grade(79), "C")
        self.assertEqual(letter_grade(70), "C")
        self.assertEqual(letter_grade(69), "F")
