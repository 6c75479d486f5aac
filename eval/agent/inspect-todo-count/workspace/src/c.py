# TODO: remove this module
VALUE = 3
