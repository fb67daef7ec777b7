import unittest

import calc


class CalcTest(unittest.TestCase):
    def test_add(self):
        self.assertEqual(calc.add(2, 3), 5)

    def test_div(self):
        self.assertEqual(calc.div(6, 3), 2)

    def test_operations_are_registered(self):
        self.assertIs(calc.OPERATIONS["add"], calc.add)


if __name__ == "__main__":
    unittest.main()
