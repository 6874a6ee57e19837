"""trotsky-tei: plain-text historical documents to validated, linked, lossless TEI P5."""

__version__ = "0.1.0"

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = "{%s}id" % XML_NS
NS = {"tei": TEI_NS}
