"""A software prefetch for the kernel: ask the memory system for a value before it is read.

At a million workers a worker's numbers are spread over some twenty arrays of a million
entries each, far beyond the caches, and the kernel's events come in time order, each at a
random worker: every array an event reads is a trip to memory (about 0.1 µs), and the
trips of one event follow one another through its branches. The next event's worker is
known as soon as the current one leaves the queue, so :func:`prefetch` asks for that
worker's numbers then, and the trips overlap the current event's work. It changes no
value and no order: it is a hint (LLVM's ``llvm.prefetch``), which the processor may drop.
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["prefetch"]


@intrinsic
def prefetch(typingctx, array, index):
    """Prefetch ``array[index]`` into the caches for reading (no bounds check, no effect
    on any value)."""
    sig = types.void(array, index)

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        view = context.make_array(array_type)(context, builder, args[0])
        address = cgutils.get_item_pointer(context, builder, array_type, view, [args[1]])
        byte_ptr = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        hint = ir.FunctionType(ir.VoidType(), [byte_ptr, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, hint, "llvm.prefetch.p0")
        # read (0), keep in all cache levels (3), data cache (1)
        builder.call(fn, [builder.bitcast(address, byte_ptr), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen

