"""The `keras.tree` functions: flatten, map and rebuild nested structures as Keras 3 does.

Nested: lists, tuples, namedtuples, dicts (`OrderedDict`, `defaultdict`) and deques. Leaves:
everything else, `None`, strings and arrays included. Dicts are visited in sorted key order
(insertion order for an `OrderedDict`, or when the keys do not sort).
"""

import collections


class MAP_TO_NONE:
    """Returned by a `traverse` function to replace a sub-structure with `None`."""


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_nested(structure):
    """Whether `structure` is a list, tuple, namedtuple, dict or deque (not a leaf).

    >>> import minikeras as keras
    >>> keras.tree.is_nested(42), keras.tree.is_nested({"foo": 42})
    (False, True)
    """
    return isinstance(structure, (list, tuple, dict, collections.deque))


def _keys(d):
    if isinstance(d, collections.OrderedDict):
        return list(d)
    try:
        return sorted(d)
    except TypeError:  # keys that do not sort: their insertion order
        return list(d)


def _children(structure):
    if isinstance(structure, dict):
        return [structure[k] for k in _keys(structure)]
    return list(structure)


def _paths(structure):
    if isinstance(structure, dict):
        return _keys(structure)
    return list(range(len(structure)))


def _rebuild(structure, children):
    """A container like `structure` holding `children` (given in visiting order)."""
    if isinstance(structure, dict):
        by_key = dict(zip(_keys(structure), children))
        items = [(k, by_key[k]) for k in structure]  # the structure's own key order
        if isinstance(structure, collections.defaultdict):
            return type(structure)(structure.default_factory, items)
        return type(structure)(items)
    if _is_namedtuple(structure):
        return type(structure)(*children)
    if isinstance(structure, collections.deque):
        return collections.deque(children, maxlen=structure.maxlen)
    return type(structure)(children)


def flatten(structure):
    """The leaves of `structure`, in order (dict values by sorted key).

    >>> import minikeras as keras
    >>> keras.tree.flatten([[1, 2, 3], [4, [5], [[6]]]])
    [1, 2, 3, 4, 5, 6]
    >>> keras.tree.flatten({100: "world!", 6: "Hello"})
    ['Hello', 'world!']
    >>> keras.tree.flatten(None)
    [None]
    """
    if not is_nested(structure):
        return [structure]
    out = []
    for child in _children(structure):
        out.extend(flatten(child))
    return out


def flatten_with_path(structure):
    """`(path, leaf)` pairs; a path is the tuple of keys and indices leading to the leaf.

    >>> import minikeras as keras
    >>> keras.tree.flatten_with_path([{"foo": 42}])
    [((0, 'foo'), 42)]
    """
    if not is_nested(structure):
        return [((), structure)]
    out = []
    for path, child in zip(_paths(structure), _children(structure)):
        out.extend(((path,) + p, leaf) for p, leaf in flatten_with_path(child))
    return out


def _describe(x):
    return type(x).__name__


def _check_same(a, b):
    if is_nested(a) != is_nested(b):
        raise ValueError(
            "The two structures don't have the same nested structure: "
            f"{_describe(a)} {a!r} and {_describe(b)} {b!r}."
        )
    if not is_nested(a):
        return
    if isinstance(a, dict) or isinstance(b, dict):
        if not (isinstance(a, dict) and isinstance(b, dict)):
            raise ValueError(f"Expected an instance of {_describe(a)}, got {b!r}.")
        if set(a) != set(b):
            raise ValueError(
                f"Dictionary key mismatch: expected keys {_keys(a)}, got keys {_keys(b)}."
            )
    elif _is_namedtuple(a) or _is_namedtuple(b):
        if type(a) is not type(b):
            raise ValueError(f"namedtuple type mismatch: expected {type(a)}, got {type(b)}.")
    elif type(a) is not type(b):
        raise ValueError(f"Expected an instance of {_describe(a)}, got {b!r}.")
    if len(a) != len(b):
        raise ValueError(f"{_describe(a)} arity mismatch: expected {len(a)}, got {len(b)}: {b!r}.")
    for x, y in zip(_children(a), _children(b)):
        _check_same(x, y)


def assert_same_structure(a, b, check_types=None):
    """Raises ValueError unless `a` and `b` nest the same way.

    Containers must have the same type (a list is not a tuple; namedtuples must be the same
    class) and length; dicts of any kind match when their keys match. Leaves may differ.
    `check_types` is accepted and ignored (deprecated in Keras 3).

    >>> import minikeras as keras
    >>> keras.tree.assert_same_structure([(0, 1)], [(2, 3)])
    """
    _check_same(a, b)


def assert_same_paths(a, b):
    """Raises ValueError unless `a` and `b` have the same leaf paths (container types ignored).

    >>> import minikeras as keras
    >>> keras.tree.assert_same_paths([0, 1], (2, 3))
    """
    paths_a = {p for p, _ in flatten_with_path(a)}
    paths_b = {p for p, _ in flatten_with_path(b)}
    if paths_a != paths_b:
        raise ValueError(
            "`a` and `b` don't have the same paths. "
            f"Paths in `a` missing in `b`: {paths_a - paths_b}. "
            f"Paths in `b` missing in `a`: {paths_b - paths_a}."
        )


def map_structure(func, *structures, none_is_leaf=True):
    """`func` applied to the leaves of `structures` (which must nest the same way).

    Args:
        func: a callable taking one argument per structure.
        *structures: one or more structures.
        none_is_leaf: if False, `None` leaves are kept as `None` without calling `func`.

    >>> import minikeras as keras
    >>> keras.tree.map_structure(lambda v: v ** 2, [[1], [2], [3]])
    [[1], [4], [9]]
    """
    if not structures:
        raise ValueError("Must provide at least one structure")
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func!r}")
    for other in structures[1:]:
        _check_same(structures[0], other)

    def walk(*items):
        first = items[0]
        if is_nested(first):
            columns = zip(*[_children(s) for s in items])
            return _rebuild(first, [walk(*c) for c in columns])
        if first is None and not none_is_leaf:
            if any(s is not None for s in items[1:]):
                raise ValueError(f"Expected None, got {[s for s in items if s is not None][0]!r}.")
            return None
        return func(*items)

    return walk(*structures)


def map_structure_up_to(shallow_structure, func, *structures):
    """`func` applied to the sub-structures of `structures` found at the leaves of
    `shallow_structure`; deeper nesting is passed to `func` as is.

    >>> import minikeras as keras
    >>> keras.tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2]])
    [2, 2]
    >>> keras.tree.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]])
    ['[1, 1]', ['2', '2']]
    """
    if not structures:
        raise ValueError("Must provide at least one structure")

    def walk(shallow, items):
        if not is_nested(shallow):
            return func(*items)
        for s in items:
            if not is_nested(s):
                raise ValueError(
                    f"Expected an instance of {_describe(shallow)}, got {s!r}: the structure "
                    "is shallower than `shallow_structure`."
                )
            if isinstance(shallow, dict):
                if not isinstance(s, dict) or set(s) != set(shallow):
                    raise ValueError(f"Expected a dict with keys {_keys(shallow)}, got {s!r}.")
            elif type(s) is not type(shallow) or len(s) != len(shallow):
                raise ValueError(
                    f"Expected an instance of {_describe(shallow)} of length {len(shallow)}, "
                    f"got {s!r}."
                )
        columns = zip(*[_children(s) for s in items])
        return _rebuild(shallow, [walk(sh, c) for sh, c in zip(_children(shallow), columns)])

    return walk(shallow_structure, structures)


def pack_sequence_as(structure, flat_sequence):
    """`flat_sequence` nested as `structure` (the inverse of `flatten`: dict values are taken
    in sorted key order; the dicts keep `structure`'s key order).

    >>> import minikeras as keras
    >>> keras.tree.pack_sequence_as({"key3": "", "key1": "", "key2": ""},
    ...                             ["value1", "value2", "value3"])
    {'key3': 'value3', 'key1': 'value1', 'key2': 'value2'}
    >>> keras.tree.pack_sequence_as((("a", "b"), ("c", "d", "e"), "f"), [1, 2, 3, 4, 5, 6])
    ((1, 2), (3, 4, 5), 6)
    """
    try:
        leaves = list(flat_sequence)
    except TypeError:
        raise TypeError(
            f"`flat_sequence` must be a sequence. Received: {type(flat_sequence).__name__} "
            f"{flat_sequence!r}"
        ) from None
    expected = len(flatten(structure))
    if len(leaves) != expected:
        word = "few" if len(leaves) < expected else "many"
        raise ValueError(
            f"Too {word} leaves to pack: the structure holds {expected}, "
            f"`flat_sequence` has {len(leaves)}."
        )
    it = iter(leaves)

    def build(s):
        if not is_nested(s):
            return next(it)
        return _rebuild(s, [build(c) for c in _children(s)])

    return build(structure)


def traverse(func, structure, top_down=True):
    """Applies `func` to every sub-structure, depth first.

    Top down: a parent is visited before its children; a non-None result replaces the
    sub-structure and its children are skipped. Bottom up: children first; a non-None result
    replaces the (already traversed) sub-structure. Return `MAP_TO_NONE` to put `None`.

    >>> import minikeras as keras
    >>> seen = []
    >>> keras.tree.traverse(seen.append, [(1, 2), [3], {"a": 4}])
    [(1, 2), [3], {'a': 4}]
    >>> seen
    [[(1, 2), [3], {'a': 4}], (1, 2), 1, 2, [3], 3, {'a': 4}, 4]
    """
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func!r}")

    def children_traversed(s):
        if not is_nested(s):
            return s
        return _rebuild(s, [traverse(func, c, top_down=top_down) for c in _children(s)])

    if top_down:
        result = func(structure)
        if result is None:
            return children_traversed(structure)
    else:
        traversed = children_traversed(structure)
        result = func(traversed)
        if result is None:
            return traversed
    return None if result is MAP_TO_NONE else result


def lists_to_tuples(structure):
    """`structure` with every list turned into a tuple.

    >>> import minikeras as keras
    >>> keras.tree.lists_to_tuples([1, {"a": [2, (3, [4])]}])
    (1, {'a': (2, (3, (4,)))})
    """
    return traverse(lambda s: tuple(s) if isinstance(s, list) else None, structure, top_down=False)


def _is_shape(x):
    return isinstance(x, (list, tuple)) and all(isinstance(e, (int, type(None))) for e in x)


def map_shape_structure(func, structure):
    """`map_structure` where lists and tuples of ints and Nones are leaves (shapes).

    >>> import minikeras as keras
    >>> keras.tree.map_shape_structure(len, {"a": (None, 3), "b": [(2, 3, 4)]})
    {'a': 2, 'b': [3]}
    """
    if _is_shape(structure) or not is_nested(structure):
        return func(structure)
    return _rebuild(structure, [map_shape_structure(func, c) for c in _children(structure)])
