"""Reads the object arrays numpy stores in `.npy` files, without the pickle module.

numpy writes an object array (IMDB's and Reuters's ragged lists of word ids) as a pickle
stream: `np.load` reads it only with `allow_pickle=True`, which lets a crafted file run any
code. This module interprets the stream as data instead. It understands the opcodes that build
ints, floats, strings, bytes, None, booleans, lists and tuples, plus exactly three named
constructors, which it carries out itself: `multiarray._reconstruct` and `ndarray` (an array
rebuilt from its shape, dtype and items or raw bytes), `numpy.dtype` (plain numeric or object
dtypes only), and `_codecs.encode` (how Python 3's protocol 2 spells bytes). Any other name,
opcode, or shape that does not match its data raises `ValueError`; nothing named in the file is
ever imported or called.

>>> import io, numpy as np
>>> buf = io.BytesIO()
>>> np.save(buf, np.array([[1, 2], [3]], dtype=object))  # written by numpy's pickler
>>> stream = buf.getvalue()[128:]  # skip the .npy header
>>> [list(x) for x in read_object_array(stream)]
[[1, 2], [3]]
"""

import struct

import numpy as np

_MARK = object()
_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): "reconstruct",
    ("numpy._core.multiarray", "_reconstruct"): "reconstruct",
    ("numpy", "ndarray"): "ndarray",
    ("numpy", "dtype"): "dtype",
    ("_codecs", "encode"): "encode",
}
_DTYPE_KINDS = "biufcO"  # bool, ints, floats, complex, object: no strings, structs, datetimes


class _Global:
    def __init__(self, kind):
        self.kind = kind


class _Pending:
    """An array or dtype created by REDUCE and completed by BUILD; `.value` once built."""

    def __init__(self, kind, value=None):
        self.kind, self.value = kind, value


def _error(message, pos):
    return ValueError(f"Cannot read this numpy object array: {message} (at byte {pos}).")


def _resolve(x):
    return x.value if isinstance(x, _Pending) and x.value is not None else x


def _as_bytes(x):
    return x.encode("latin1") if isinstance(x, str) else x  # Python 2 str holds raw bytes


def _reduce(func, args, pos):
    kind = func.kind if isinstance(func, _Global) else None
    if kind == "reconstruct":
        ok = len(args) == 3 and isinstance(args[0], _Global) and args[0].kind == "ndarray"
        if not ok:
            raise _error("_reconstruct must be called as (ndarray, shape, typecode)", pos)
        return _Pending("array")
    if kind == "dtype":
        spec = _as_bytes(args[0]).decode("latin1") if args else ""
        if not (2 <= len(spec) <= 3 and spec[0] in _DTYPE_KINDS and spec[1:].isdigit()):
            raise _error(f"unsupported dtype {spec!r}", pos)
        return _Pending("dtype", None if spec[0] == "O" else np.dtype(spec))
    if kind == "encode":
        if len(args) != 2 or not isinstance(args[0], str) or args[1] not in ("latin1", "latin-1"):
            raise _error("_codecs.encode must be called as (str, 'latin1')", pos)
        return args[0].encode("latin1")
    raise _error("REDUCE applied to something other than an allowed constructor", pos)


def _build(obj, state, pos):
    """Completes a `_Pending` array (state: [version,] shape, dtype, fortran, data) or dtype."""
    if isinstance(obj, _Pending) and obj.kind == "dtype" and isinstance(state, tuple):
        if len(state) < 4 or state[3] is not None:  # state[3] holds field names: no structs
            raise _error("structured dtypes are not supported", pos)
        dtype = obj.value if obj.value is not None else np.dtype(object)
        if state[1] in ("<", ">"):
            dtype = dtype.newbyteorder(state[1])
        obj.value = dtype
        return dtype
    if not (isinstance(obj, _Pending) and obj.kind == "array" and isinstance(state, tuple)):
        raise _error("BUILD applied to something other than an array or dtype", pos)
    if len(state) == 5:
        state = state[1:]
    if len(state) != 4:
        raise _error("malformed array state", pos)
    shape, dtype, fortran, data = state
    dtype = _resolve(dtype)
    if not isinstance(dtype, np.dtype) or not isinstance(shape, tuple):
        raise _error("malformed array state", pos)
    if not all(isinstance(n, int) and n >= 0 for n in shape):
        raise _error(f"invalid shape {shape!r}", pos)
    size = int(np.prod(shape, dtype=np.int64))
    order = "F" if fortran else "C"
    if dtype.hasobject:
        if not isinstance(data, list) or len(data) != size:
            raise _error(f"an object array of shape {shape} needs {size} items", pos)
        flat = np.empty(size, dtype=object)
        for i, item in enumerate(data):  # one by one: numpy would turn equal-length lists 2-D
            flat[i] = _resolve(item)
        array = flat.reshape(shape)  # items come in C (logical) order even for Fortran arrays
        if fortran:
            array = np.asfortranarray(array)
    else:
        raw = _as_bytes(data)
        if not isinstance(raw, bytes) or len(raw) != size * dtype.itemsize:
            raise _error(f"{len(raw)} bytes do not fill a {dtype} array of shape {shape}", pos)
        array = np.frombuffer(raw, dtype=dtype).reshape(shape, order=order).copy()
    obj.value = array
    return array


def read_object_array(data):
    """Rebuilds the array from numpy's pickle stream `data` (bytes after the `.npy` header)."""
    data = bytes(data)
    stack, marks, memo = [], [], {}
    push = stack.append
    pos = 0

    def pop_mark():
        if not marks:
            raise _error("missing MARK", pos)
        start = marks.pop()
        items = stack[start:]
        del stack[start:]
        return items

    def read_line():
        nonlocal pos
        end = data.find(b"\n", pos)
        if end < 0:
            raise _error("truncated stream", pos)
        line, pos = data[pos:end].decode("latin1"), end + 1
        return line

    def take(n):
        nonlocal pos
        if n < 0 or pos + n > len(data):
            raise _error("truncated stream", pos)
        chunk, pos = data[pos : pos + n], pos + n
        return chunk

    def length(fmt):
        return struct.unpack(fmt, take(struct.calcsize(fmt)))[0]

    try:
        while True:
            op = data[pos]
            pos += 1
            if op == 0x4B or op == 0x4D or op == 0x4A:  # BININT1, BININT2, BININT
                # the hot loop: a run of word ids inside a list (a truncated last int is
                # caught later, since the stream then has no STOP)
                pos -= 1
                while True:
                    op = data[pos]
                    if op == 0x4B:
                        push(data[pos + 1])
                        pos += 2
                    elif op == 0x4D:
                        push(data[pos + 1] | data[pos + 2] << 8)
                        pos += 3
                    elif op == 0x4A:
                        push(int.from_bytes(data[pos + 1 : pos + 5], "little", signed=True))
                        pos += 5
                    else:
                        break
            elif op == 0x28:  # MARK
                marks.append(len(stack))
            elif op == 0x65:  # APPENDS
                items = pop_mark()
                stack[-1].extend(items)
            elif op == 0x61:  # APPEND
                item = stack.pop()
                stack[-1].append(item)
            elif op == 0x5D:  # EMPTY_LIST
                push([])
            elif op == 0x6C:  # LIST
                push(pop_mark())
            elif op in (0x94, 0x71, 0x72, 0x70):  # MEMOIZE, BINPUT, LONG_BINPUT, PUT
                if op == 0x94:
                    key = len(memo)
                elif op == 0x71:
                    key = take(1)[0]
                elif op == 0x72:
                    key = length("<I")
                else:
                    key = int(read_line())
                memo[key] = stack[-1]
            elif op in (0x68, 0x6A, 0x67):  # BINGET, LONG_BINGET, GET
                key = take(1)[0] if op == 0x68 else length("<I") if op == 0x6A else int(read_line())
                if key not in memo:
                    raise _error(f"memo key {key} was never stored", pos)
                push(_resolve(memo[key]))
            elif op == 0x8A or op == 0x8B:  # LONG1, LONG4
                n = take(1)[0] if op == 0x8A else length("<i")
                push(int.from_bytes(take(n), "little", signed=True))
            elif op == 0x49:  # INT (text): "I01" and "I00" are True and False
                text = read_line()
                push(True if text == "01" else False if text == "00" else int(text))
            elif op == 0x4C:  # LONG (text)
                push(int(read_line().rstrip("L")))
            elif op == 0x47:  # BINFLOAT
                push(struct.unpack(">d", take(8))[0])
            elif op in (0x4E, 0x88, 0x89):  # NONE, NEWTRUE, NEWFALSE
                push(None if op == 0x4E else op == 0x88)
            elif op in (0x29, 0x85, 0x86, 0x87, 0x74):  # EMPTY_TUPLE, TUPLE1-3, TUPLE
                n = {0x29: 0, 0x85: 1, 0x86: 2, 0x87: 3}.get(op)
                if n is None:
                    push(tuple(pop_mark()))
                else:
                    items = tuple(stack[len(stack) - n :]) if n else ()
                    if len(items) != n:
                        raise _error("stack underflow", pos)
                    del stack[len(stack) - n :]
                    push(items)
            elif op in (0x8C, 0x58, 0x8D):  # SHORT_BINUNICODE, BINUNICODE, BINUNICODE8
                n = take(1)[0] if op == 0x8C else length("<I" if op == 0x58 else "<Q")
                push(take(n).decode("utf-8", "surrogatepass"))
            elif op in (0x55, 0x54):  # SHORT_BINSTRING, BINSTRING (Python 2 str)
                n = take(1)[0] if op == 0x55 else length("<i")
                push(take(n).decode("latin1"))
            elif op in (0x43, 0x42, 0x8E):  # SHORT_BINBYTES, BINBYTES, BINBYTES8
                n = take(1)[0] if op == 0x43 else length("<I" if op == 0x42 else "<Q")
                push(take(n))
            elif op == 0x63 or op == 0x93:  # GLOBAL, STACK_GLOBAL
                if op == 0x63:
                    module, name = read_line(), read_line()
                else:
                    name, module = stack.pop(), stack.pop()
                kind = _GLOBALS.get((module, name))
                if kind is None:
                    raise _error(f"refusing the name {module}.{name}", pos)
                push(_Global(kind))
            elif op == 0x52:  # REDUCE
                args, func = stack.pop(), stack.pop()
                if not isinstance(args, tuple):
                    raise _error("REDUCE without an argument tuple", pos)
                push(_reduce(func, args, pos))
            elif op == 0x62:  # BUILD
                state = stack.pop()
                stack[-1] = _build(stack[-1], state, pos)
            elif op == 0x80:  # PROTO
                take(1)
            elif op == 0x95:  # FRAME: only a length hint
                take(8)
            elif op == 0x30:  # POP
                if marks and marks[-1] == len(stack):
                    marks.pop()
                else:
                    stack.pop()
            elif op == 0x31:  # POP_MARK
                pop_mark()
            elif op == 0x32:  # DUP
                push(stack[-1])
            elif op == 0x2E:  # STOP
                break
            else:
                raise _error(f"unsupported opcode {bytes([op])!r}", pos - 1)
    except IndexError:
        raise _error("truncated stream or stack underflow", pos) from None
    except (AttributeError, TypeError, UnicodeDecodeError) as e:
        raise _error(f"malformed stream ({e})", pos) from None
    if len(stack) != 1 or not isinstance(_resolve(stack[0]), np.ndarray):
        raise _error("the stream does not hold a single array", pos)
    return _resolve(stack[0])
