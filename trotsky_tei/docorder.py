"""Document order of a tree, numbered once before a stylesheet runs (libxml2's
`xmlXPathOrderDocElems`), as `xsltproc` does for every input.

Without the numbers, libxml2 decides which of two nodes comes first by walking the siblings
between them; a stylesheet that sorts a node-set spread over a body of thousands of documents
(a union, a path from many context nodes) then costs the square of the documents. With them,
each comparison is one subtraction. lxml does not call the function, so it is called here
through ctypes on the document behind an lxml tree.

The pointer to that document is read from lxml's element object as lxml's public C API lays it
out (`LxmlElement`: the object header, the document object, then the `xmlNode*`), and checked
before use: the node must be an element whose name is the root's local name and whose
document's root is that node. When any check fails (another lxml, a debug build of Python),
nothing is done and the transform only runs slower. The numbers live in the element nodes'
unused `content` field; libxml2 ignores them on nodes added later and frees nothing for them.
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache

from lxml import etree

#: Offsets in libxml2's `xmlNode` on a 64-bit build: type, name, doc.
_TYPE, _NAME, _DOC = 8, 16, 64
#: Offset of `_c_node` in lxml's element object: after the object header and the document object.
_C_NODE = object.__basicsize__ + ctypes.sizeof(ctypes.c_void_p)
_ELEMENT_NODE = 1


@cache
def _order_fn():
    """libxml2's `xmlXPathOrderDocElems`, from the library lxml is linked with, or None."""
    if ctypes.sizeof(ctypes.c_void_p) != 8 or hasattr(sys, "gettotalrefcount"):
        return None
    try:
        fn = ctypes.CDLL(etree.__file__).xmlXPathOrderDocElems
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_void_p]
    fn.restype = ctypes.c_long
    return fn


def _doc_pointer(tree: etree._ElementTree | etree._Element) -> int | None:
    """The `xmlDoc*` behind `tree`, or None when the layout is not the one expected."""
    root = (tree if isinstance(tree, etree._ElementTree) else tree.getroottree()).getroot()
    if root is None or type(root).__basicsize__ < _C_NODE + ctypes.sizeof(ctypes.c_void_p):
        return None
    node = ctypes.c_void_p.from_address(id(root) + _C_NODE).value
    if not node or ctypes.c_int.from_address(node + _TYPE).value != _ELEMENT_NODE:
        return None
    name = ctypes.c_char_p.from_address(node + _NAME).value
    if name is None or name.decode("utf-8", "replace") != etree.QName(root).localname:
        return None
    doc = ctypes.c_void_p.from_address(node + _DOC).value
    # xmlDoc: _private, type, name, children (the first child: the root or what comes before it)
    if not doc or ctypes.c_int.from_address(doc + _TYPE).value not in (9, 13):  # document, HTML document
        return None
    child = ctypes.c_void_p.from_address(doc + 24).value
    while child and ctypes.c_int.from_address(child + _TYPE).value != _ELEMENT_NODE:
        child = ctypes.c_void_p.from_address(child + 48).value    # next
    return doc if child == node else None


def number_document_order(tree: etree._ElementTree | etree._Element) -> bool:
    """Number the elements of `tree` in document order for XPath; True when done."""
    return numbered_elements(tree) is not None


def numbered_elements(tree: etree._ElementTree | etree._Element) -> int | None:
    """Number the elements of `tree` as `number_document_order` does; how many there are, or
    None when they could not be numbered."""
    fn = _order_fn()
    doc = _doc_pointer(tree) if fn is not None else None
    if doc is None:
        return None
    return int(fn(doc))
