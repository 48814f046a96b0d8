"""A consumer of the Arrow C stream interface in plain ctypes, for tests: what any Arrow
library does with ``__arrow_c_stream__``, without one installed. Reads each batch's length
and each top-level column's null count, then releases everything."""
import ctypes


class ArrowSchema(ctypes.Structure):
    pass


ArrowSchema._fields_ = [
    ("format", ctypes.c_char_p), ("name", ctypes.c_char_p), ("metadata", ctypes.c_char_p),
    ("flags", ctypes.c_int64), ("n_children", ctypes.c_int64),
    ("children", ctypes.POINTER(ctypes.POINTER(ArrowSchema))), ("dictionary", ctypes.POINTER(ArrowSchema)),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowSchema))), ("private_data", ctypes.c_void_p)]


class ArrowArray(ctypes.Structure):
    pass


ArrowArray._fields_ = [
    ("length", ctypes.c_int64), ("null_count", ctypes.c_int64), ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64), ("n_children", ctypes.c_int64), ("buffers", ctypes.POINTER(ctypes.c_void_p)),
    ("children", ctypes.POINTER(ctypes.POINTER(ArrowArray))), ("dictionary", ctypes.POINTER(ArrowArray)),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowArray))), ("private_data", ctypes.c_void_p)]


class ArrowArrayStream(ctypes.Structure):
    pass


ArrowArrayStream._fields_ = [
    ("get_schema", ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ArrowArrayStream), ctypes.POINTER(ArrowSchema))),
    ("get_next", ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ArrowArrayStream), ctypes.POINTER(ArrowArray))),
    ("get_last_error", ctypes.CFUNCTYPE(ctypes.c_char_p, ctypes.POINTER(ArrowArrayStream))),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowArrayStream))), ("private_data", ctypes.c_void_p)]

_get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_get_pointer.restype = ctypes.c_void_p
_get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


def consume(obj):
    """(column names and formats, [(batch length, [null count per column])]) of obj's stream."""
    capsule = obj.__arrow_c_stream__()
    stream = ctypes.cast(_get_pointer(capsule, b"arrow_array_stream"), ctypes.POINTER(ArrowArrayStream)).contents
    moved = ArrowArrayStream()
    ctypes.memmove(ctypes.byref(moved), ctypes.byref(stream), ctypes.sizeof(ArrowArrayStream))
    stream.release = ctypes.cast(None, type(stream.release))  # the capsule no longer owns it
    try:
        schema = ArrowSchema()
        if moved.get_schema(ctypes.byref(moved), ctypes.byref(schema)) != 0:
            raise RuntimeError(moved.get_last_error(ctypes.byref(moved)))
        fields = [(schema.children[i].contents.name.decode(), schema.children[i].contents.format.decode())
                  for i in range(schema.n_children)]
        schema.release(ctypes.byref(schema))
        batches = []
        while True:
            array = ArrowArray()
            if moved.get_next(ctypes.byref(moved), ctypes.byref(array)) != 0:
                raise RuntimeError(moved.get_last_error(ctypes.byref(moved)))
            if not array.release:
                break
            batches.append((array.length, [array.children[i].contents.null_count for i in range(array.n_children)]))
            array.release(ctypes.byref(array))
        return fields, batches
    finally:
        moved.release(ctypes.byref(moved))
