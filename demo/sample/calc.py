"""A tiny calculator: the sample project of stork's demo (scripts/demo)."""


def div(a, b):
    return a / b


def add(a, b):
    return a + b


OPERATIONS = {
    "div": div,
    "add": add,
}
