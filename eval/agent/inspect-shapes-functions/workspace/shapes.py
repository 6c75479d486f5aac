import math


def perimeter_of_square(side):
    return 4 * side


def area_of_disc(radius):
    return math.pi * radius**2


def volume_of_box(w, h, d):
    return w * h * d
