"""Input specs and the nested-layer marker shared by the parity case tables."""


def L(cls, **kw):
    return ["@layer", cls, kw]


F = "f"
C1 = [((2, 6, 3), F)]
C2 = [((2, 6, 5, 3), F)]
C3 = [((2, 4, 4, 4, 2), F)]
SEQ = [((2, 5, 3), F)]
VEC = [((3, 4), F)]
IMG = [((2, 8, 8, 3), "img")]
