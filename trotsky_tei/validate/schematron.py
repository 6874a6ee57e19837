"""ISO Schematron (query binding XSLT 1.0) compiled into one XSLT stylesheet whose cost is
linear in the size of the document it checks.

Why not the ISO skeleton (`lxml.isoschematron`): with `select-contexts=key` it gathers each
pattern's context nodes under one key value, and libxslt adds every node to that value after a
duplicate check against all nodes already there (and merges `a | b | ...` unions the same way):
quadratic in the number of contexts. Without it, it walks the whole document once per pattern
and once more per pattern in the default mode. Either way libxslt matches a context with a
predicate (`tei:*[@ref]`) by counting the node's siblings, walking all of them whenever the
node tried before had another parent (quadratic in the number of children of an element), or
for some forms by scanning a list of every node the pattern selects; and each failure's
location is written as a path whose positions are counted over preceding siblings.

Here each pattern is one mode, applied once to every element (`//*`) and, if its contexts match
attributes, to every attribute (`//*/@*`); the first matching rule wins, as Schematron says. A
template matches a context without its predicate and tests the predicate itself; when it fails,
the node goes on to the later rules that may match it. A failure records its node through the
extension function `element` of `NS`, which `Compiled.run` provides; no path is computed.

Supported: `sch:ns`, `sch:let` (schema, pattern and rule level, with @value), top-level
`xsl:key`, `sch:pattern`, `sch:rule` (@context matching elements or attributes, predicates on
the last step only and not positional; abstract rules and `sch:extends`), `sch:assert` and
`sch:report` (@id, @role, @flag, @diagnostics), `sch:value-of`, `sch:name`,
`sch:emph`/`sch:dir`/`sch:span` (as text), `sch:diagnostics`. Anything else (a default phase,
includes, abstract patterns, parameters, contexts that match text or the document node) is
refused with a message saying so, rather than silently ignored.
"""

from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass, replace

from lxml import etree
from lxml.isoschematron import schematron_schema_valid

from ..messages import TrotskyTeiError, error

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
#: Namespace of the extension function that hands a failing element back to Python.
NS = "urn:x-trotsky-tei:schematron"

_S = "{%s}" % SCH
_X = "{%s}" % XSL
_R = "{%s}" % SVRL

#: Children of a rule that are allowed and have no effect on validation.
_QUIET = {_S + "p", _S + "title"}
#: Inline Schematron markup kept only for its text.
_INLINE = {_S + "emph", _S + "dir", _S + "span"}


def _refuse(what: str, where: etree._Element | None = None) -> TrotskyTeiError:
    line = where.sourceline if where is not None else 0
    return error("rules-schema", f"the rules use {what}, which the rule compiler does not support",
                 line=line or 0, hint="rewrite the rule with the supported subset (see trotsky_tei/validate/schematron.py)")


def _avt(value: str) -> str:
    """A literal for an attribute of a literal result element (braces doubled)."""
    return value.replace("{", "{{").replace("}", "}}")


class _Compiler:
    """Builds the stylesheet of one schema (see the module's docstring for its shape)."""

    def __init__(self, schema: etree._ElementTree):
        self.root = schema.getroot()
        self.rules: dict[str, etree._Element] = {}
        self.diagnostics: dict[str, etree._Element] = {}
        self.ns: dict[str, str] = {}

    # ------------------------------------------------------------ checks and indexes

    def _index(self) -> None:
        root = self.root
        if root.tag != _S + "schema":
            raise error("rules-schema", "the rules file is not an ISO Schematron schema (sch:schema)",
                        hint="the root element must be sch:schema in the ISO Schematron namespace")
        binding = (root.get("queryBinding") or "xslt").lower()
        if binding not in ("xslt", "xslt1", "xpath"):
            raise _refuse(f'queryBinding="{binding}"', root)
        if root.get("defaultPhase"):
            raise _refuse("a default phase", root)
        for tag in ("include", "param"):
            found = root.find(f".//{_S}{tag}")
            if found is not None:
                raise _refuse(f"sch:{tag}", found)
        for ns in root.iterchildren(_S + "ns"):
            self.ns[ns.get("prefix")] = ns.get("uri")
        for rule in root.iter(_S + "rule"):
            if rule.get("abstract") == "true":
                self.rules[rule.get("id")] = rule
        for diag in root.iter(_S + "diagnostic"):
            self.diagnostics[diag.get("id")] = diag

    # ------------------------------------------------------------ output

    def compile(self) -> etree._ElementTree:
        self._index()
        nsmap = {"xsl": XSL, "svrl": SVRL, "trotsky-sch": NS, **self.ns}
        sheet = etree.Element(_X + "stylesheet", nsmap=nsmap, version="1.0")
        sheet.set("exclude-result-prefixes", " ".join(["trotsky-sch", *self.ns]))
        etree.SubElement(sheet, _X + "output", method="xml", indent="no")
        for key in self.root.iterchildren(_X + "key"):
            sheet.append(_copy(key))
        for other in self.root.iterchildren(f"{{{XSL}}}*"):
            if other.tag != _X + "key":
                raise _refuse(f"xsl:{etree.QName(other).localname} at the top level", other)
        for let in self.root.iterchildren(_S + "let"):
            sheet.append(self._variable(let))
        patterns = list(self.root.iterchildren(_S + "pattern"))
        for pattern in patterns:
            if pattern.get("abstract") == "true" or pattern.get("is-a"):
                raise _refuse("abstract patterns", pattern)
            for let in pattern.iterchildren(_S + "let"):
                sheet.append(self._variable(let))

        main = etree.SubElement(sheet, _X + "template", match="/")
        out = etree.SubElement(main, _R + "schematron-output")
        for i, pattern in enumerate(patterns, 1):
            mode = f"trotsky-sch:p{i}"
            kinds = self._pattern(sheet, pattern, mode)
            for kind, select in (("element", "//*"), ("attribute", "//*/@*")):
                if kind in kinds:
                    etree.SubElement(out, _X + "apply-templates", select=select, mode=mode)
        return etree.ElementTree(sheet)

    def _variable(self, let: etree._Element) -> etree._Element:
        if let.get("value") is None:
            raise _refuse("sch:let without @value", let)
        return etree.Element(_X + "variable", name=let.get("name"), select=let.get("value"))

    def _pattern(self, sheet: etree._Element, pattern: etree._Element, mode: str) -> set[str]:
        """One mode per pattern; each rule context's alternatives become templates, in rule order.
        Returns the kinds of node the contexts match ("element", "attribute").

        A context's predicate is not left to libxslt's matcher: for a step with a predicate
        (`tei:*[@ref]`, `tei:note[@n][...]`) it computes the element's position among its
        siblings, walking all of them whenever the previous element it tried had another parent,
        which is quadratic for an element with many children; some forms it even matches by
        scanning the list of every node the pattern selects. So the template matches the
        context without its predicate, and tests the predicate itself; when the predicate fails,
        the node goes on to the later rules that may match it (a mode holding only those)."""
        entries: list[tuple[str, str | None, etree._Element]] = []  # (match, predicate, the rule's instructions)
        kinds: set[str] = set()
        rules = [r for r in pattern.iterchildren(_S + "rule") if r.get("abstract") != "true"]
        for rule in rules:
            context = rule.get("context")
            if not context:
                raise _refuse("a rule without @context", rule)
            body = etree.Element(_X + "template")
            self._body(body, rule, set())
            for alternative in _split(context, "|"):
                base, predicate = _predicate(alternative, rule)
                kinds.add(_node_kind(base, rule))
                entries.append((base, predicate, body))
        modes = {mode: list(range(len(entries)))}
        for i, (base, predicate, _) in enumerate(entries):
            if predicate is not None:  # where a node goes when the predicate fails
                later = [j for j in range(i + 1, len(entries)) if self._may_overlap(base, entries[j][0])]
                if later:
                    modes[f"{mode}-after{i + 1}"] = later
        for name, members in modes.items():
            for i in members:
                base, predicate, body = entries[i]
                # earlier entries win: a higher priority than every later one. The rule's
                # instructions are copied into each template (libxslt pays for every instruction
                # it runs, a call-template too)
                template = etree.SubElement(sheet, _X + "template", match=base, mode=name,
                                            priority=str(len(entries) - i))
                self._entry(template, entries, i, modes.get(f"{mode}-after{i + 1}", []), f"{mode}-after{i + 1}")
            # nodes no rule matches: nothing (the built-in templates would copy text or visit children)
            etree.SubElement(sheet, _X + "template", match="*", mode=name, priority="-1")
            etree.SubElement(sheet, _X + "template", match="@*", mode=name, priority="-1")
        return kinds

    def _entry(self, template: etree._Element, entries: list, i: int, later: list[int], after: str) -> None:
        """Entry i's predicate and rule. When the predicate fails, the later entries that may
        match (`later`) take the node: tested right here while each one's context surely matches
        too (`tei:*/@ref` after `tei:persName/@ref`: no second template lookup), else through
        the mode `after` that holds them."""
        base, predicate, body = entries[i]
        chain: list[tuple[str | None, etree._Element]] = [(predicate, body)]
        if predicate is not None:
            for j in later:
                if not self._subsumes(entries[j][0], base):
                    chain.append((None, etree.Element(_X + "apply-templates", select=".", mode=after)))
                    break
                chain.append((entries[j][1], entries[j][2]))
                if entries[j][1] is None:
                    break
        if len(chain) == 1:
            target = template if predicate is None else etree.SubElement(template, _X + "if", test=predicate)
            target.extend(copy.deepcopy(child) for child in body)
            return
        choose = etree.SubElement(template, _X + "choose")
        for test, instructions in chain:
            branch = etree.SubElement(choose, _X + "when", test=test) if test is not None else \
                etree.SubElement(choose, _X + "otherwise")
            if instructions.tag == _X + "apply-templates":
                branch.append(instructions)
            else:
                branch.extend(copy.deepcopy(child) for child in instructions)

    def _subsumes(self, general: str, specific: str) -> bool:
        """Whether every node the context `specific` matches is matched by `general` (both without
        predicates); False when unsure."""
        g, s = _steps(general), _steps(specific)
        if g is None or s is None or len(g) > len(s):
            return False
        for n, ((gsep, gstep), (ssep, sstep)) in enumerate(zip(reversed(g), reversed(s))):
            first = n == len(g) - 1  # the general context's first step: anything may come before it
            if not first and gsep != ssep and not (gsep == "//" and ssep == "/"):
                return False
            gt, st = self._step_test(gstep), self._step_test(sstep)
            if gt is None or st is None or gt[0] != st[0] or gt[1] not in (None, st[1]) or gt[2] not in (None, st[2]):
                return False
        return True

    def _may_overlap(self, a: str, b: str) -> bool:
        """Whether two contexts (without predicates) may match the same node: False only when
        their last steps, or the steps joined to them by '/' on both sides, name different
        things (`tei:persName/@ref` and `tei:placeName/@ref`)."""
        sa, sb = _steps(a) or [("", _split(a, "/")[-1])], _steps(b) or [("", _split(b, "/")[-1])]
        for (sep_a, step_a), (sep_b, step_b) in zip(reversed(sa), reversed(sb)):
            ta, tb = self._step_test(step_a), self._step_test(step_b)
            if ta is not None and tb is not None and (
                    ta[0] != tb[0] or None not in (ta[1], tb[1]) and ta[1] != tb[1]
                    or None not in (ta[2], tb[2]) and ta[2] != tb[2]):
                return False
            if sep_a != "/" or sep_b != "/":
                return True
        return True

    def _step_test(self, last: str) -> tuple[str, str | None, str | None] | None:
        """(kind, namespace or None for any, local name or None for any) of one step; None for
        anything but a name test."""
        kind = "element"
        for axis in ("@", "attribute::"):
            if last.startswith(axis):
                kind, last = "attribute", last[len(axis):]
        last = last[len("child::"):] if last.startswith("child::") else last
        if not _NAME_TEST.match(last):
            return None
        if last == "*":
            return kind, None, None
        prefix, _, local = last.rpartition(":")
        uri = _XML_NS if prefix == "xml" else self.ns.get(prefix, prefix) if prefix else ""
        return kind, uri, None if local == "*" else local

    def _body(self, template: etree._Element, rule: etree._Element, seen: set[str]) -> None:
        """The rule's lets and assertions, abstract rules it extends inlined where they are named."""
        for child in rule:
            if not isinstance(child.tag, str) or child.tag in _QUIET:
                continue
            if child.tag == _S + "let":
                template.append(self._variable(child))
            elif child.tag in (_S + "assert", _S + "report"):
                template.append(self._check(child))
            elif child.tag == _S + "extends":
                if child.get("href") is not None:
                    raise _refuse("sch:extends with @href", child)
                name = child.get("rule")
                if name not in self.rules:
                    raise error("rules-schema", f"sch:extends names the rule '{name}', which is not an abstract rule",
                                line=child.sourceline or 0, hint="declare it as sch:rule abstract=\"true\" id=\"…\"")
                if name in seen:
                    raise error("rules-schema", f"the abstract rule '{name}' extends itself",
                                line=child.sourceline or 0, hint="remove the circular sch:extends")
                self._body(template, self.rules[name], seen | {name})
            else:
                raise _refuse(etree.QName(child).text, child)

    def _check(self, node: etree._Element) -> etree._Element:
        test = node.get("test")
        assertion = node.tag == _S + "assert"
        cond = etree.Element(_X + "if", test=f"not({test})" if assertion else test)
        found = etree.SubElement(cond, _R + ("failed-assert" if assertion else "successful-report"))
        for attr in ("id", "role", "flag"):
            if node.get(attr):
                found.set(attr, _avt(node.get(attr)))
        found.set("test", _avt(test))
        found.set("element", "{trotsky-sch:element(.)}")
        text = etree.SubElement(found, _R + "text")
        self._content(text, node)
        for ref in (node.get("diagnostics") or "").split():
            diag = self.diagnostics.get(ref)
            if diag is None:
                raise error("rules-schema", f"the assertion '{node.get('id') or test}' names the diagnostic '{ref}', "
                            "which is not declared", line=node.sourceline or 0,
                            hint="add it to sch:diagnostics or correct @diagnostics")
            hint = etree.SubElement(found, _R + "diagnostic-reference", diagnostic=_avt(ref))
            self._content(hint, diag)
        return cond

    def _content(self, target: etree._Element, source: etree._Element) -> None:
        """Mixed content of an assertion or diagnostic: text kept exactly, value-of and name evaluated."""
        if source.text:
            etree.SubElement(target, _X + "text").text = source.text
        for child in source:
            if isinstance(child.tag, str):
                if child.tag == _S + "value-of":
                    etree.SubElement(target, _X + "value-of", select=child.get("select"))
                elif child.tag == _S + "name":
                    etree.SubElement(target, _X + "value-of", select=f"name({child.get('path') or '.'})")
                elif child.tag in _INLINE:
                    self._content(target, child)
                else:
                    raise _refuse(f"{etree.QName(child).text} inside an assertion or diagnostic", child)
            if child.tail:
                etree.SubElement(target, _X + "text").text = child.tail


def _copy(el: etree._Element) -> etree._Element:
    """A foreign (xsl:) element of the schema, namespace declarations kept by lxml."""
    return etree.fromstring(etree.tostring(el))


#: A predicate that may be a position: position(), last(), a number, or a variable (which may hold one).
_POSITIONAL = re.compile(r"\b(position|last)\s*\(|^\s*[-+]?[\d.]+\s*$|^\s*\$[\w.:-]+\s*$")
#: A name test: `*`, `name`, `prefix:name`, `prefix:*`.
_NAME_TEST = re.compile(r"^(\*|[\w.-]+(:[\w.-]+|:\*)?)$")
#: An element step: `*`, `name`, `prefix:name`, `prefix:*`, optionally on the child axis.
_NODE_TEST = re.compile(r"^(child::)?(\*|[\w.-]+(:[\w.-]+|:\*)?)$")


def _scan(text: str):
    """(index, character, depth) of each character of an XPath expression outside string
    literals; depth counts the brackets and parentheses around it."""
    depth, quote = 0, ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        yield i, ch, depth


def _split(text: str, sep: str) -> list[str]:
    """The parts of `text` between occurrences of `sep` outside brackets, parentheses and strings."""
    parts, start = [], 0
    for i, ch, depth in _scan(text):
        if ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _predicate(alternative: str, rule: etree._Element) -> tuple[str, str | None]:
    """`tei:back//tei:note[@a][b]` -> (`tei:back//tei:note`, `(@a) and (b)`); refuses predicates
    before the last step and positional ones, which the element alone cannot decide."""
    groups, open_at = [], None
    for i, ch, depth in _scan(alternative):
        if ch == "[" and depth == 1:
            open_at = i
        elif ch == "]" and depth == 0 and open_at is not None:
            groups.append((open_at, i))
            open_at = None
    trailing: list[str] = []
    end = len(alternative)
    for start, stop in reversed(groups):
        if alternative[stop + 1:end].strip():
            break
        trailing.insert(0, alternative[start + 1:stop])
        end = start
    base = alternative[:end].strip()
    if "[" in base:
        raise _refuse(f"a predicate before the last step of the rule context '{alternative}'", rule)
    if not trailing:
        return base, None
    for pred in trailing:
        if _POSITIONAL.search(pred):
            raise _refuse(f"a positional predicate in the rule context '{alternative}'", rule)
    return base, " and ".join(f"({p})" for p in trailing) if len(trailing) > 1 else trailing[0]


def _steps(base: str) -> list[tuple[str, str]] | None:
    """A relative context without predicates as (separator before, step) pairs:
    `tei:text//tei:ref` -> [("", "tei:text"), ("//", "tei:ref")]; None for other forms."""
    if base.startswith("/") or "(" in base or "[" in base:
        return None
    parts = re.split(r"(//|/)", base)
    return [("", parts[0].strip())] + [(parts[k], parts[k + 1].strip()) for k in range(1, len(parts), 2)]


def _node_kind(base: str, rule: etree._Element) -> str:
    """"element" or "attribute": what the context (without predicates) matches, from its last
    step. Text, comments, `node()` and the document node are refused: only elements and their
    attributes are visited."""
    last = _split(base, "/")[-1]
    if last.startswith("@") or last.startswith("attribute::"):
        return "attribute"
    if _NODE_TEST.match(last):
        return "element"
    raise _refuse(f"the rule context '{base}' (contexts must match elements or attributes)", rule)


def compile_schema(schema: etree._ElementTree) -> etree._ElementTree:
    """The validating stylesheet for an ISO Schematron schema (checked against the ISO grammar)."""
    if not schematron_schema_valid(schema):
        log = schematron_schema_valid.error_log
        first = log[0] if len(log) else None
        raise error("rules-schema", f"the rules file is not valid ISO Schematron: {first.message if first else '?'}",
                    line=first.line if first else 0, hint="correct the Schematron markup")
    return _Compiler(schema).compile()


@dataclass(frozen=True)
class Finding:
    """One failed assertion or successful report, read from the stylesheet's output."""

    element: etree._Element
    #: its line in the source (0 when unknown), read while the rules ran
    line: int
    id: str
    role: str
    text: str
    hint: str


class _Marks(threading.local):
    """The nodes of the findings of the run in progress, with their lines (one list per thread)."""

    def __init__(self) -> None:
        self.elements: list[tuple[etree._Element, int]] = []


_MARKS = _Marks()


def _element(_context, nodes) -> str:
    """`trotsky-sch:element(.)`: remembers the failing element (for an attribute, the element that
    carries it); its number goes into the output."""
    node = nodes[0]
    element = node if isinstance(node, etree._Element) else node.getparent()
    # the line is read now: past line 65535 libxml2 keeps it in a field of the text nodes that
    # libxslt clears when a transformation that built keys ends
    _MARKS.elements.append((element, element.sourceline or 0))
    return str(len(_MARKS.elements) - 1)


class Compiled:
    """A compiled Schematron schema, ready to run on many documents."""

    def __init__(self, schema: etree._ElementTree, access: etree.XSLTAccessControl | None = None, name: str = ""):
        self.name = name
        try:
            self.stylesheet = compile_schema(schema)
            kw = {"access_control": access} if access is not None else {}
            self.xslt = etree.XSLT(self.stylesheet, extensions={(NS, "element"): _element}, **kw)
        except TrotskyTeiError as exc:
            raise TrotskyTeiError(replace(exc.message, file=name)) from None
        except etree.XSLTParseError as exc:
            raise error("rules-schema", f"the rules cannot be compiled: {' '.join(str(exc).split())}", file=name,
                        hint="check the XPath of the rule contexts, lets and tests") from None

    def run(self, tree: etree._ElementTree) -> list[Finding]:
        """Every failed assertion and successful report: attribute patterns' findings after
        element patterns' of the same pattern, each in document order."""
        _MARKS.elements = []
        try:
            result = self.xslt(tree)
            marks = _MARKS.elements
        except etree.XSLTApplyError as exc:
            raise error("rules-schema", f"the rules failed while checking the document: {' '.join(str(exc).split())}",
                        file=self.name, hint="check the XPath of the rule contexts, lets and tests") from None
        finally:
            _MARKS.elements = []
        out = []
        for node in result.getroot().iterchildren(_R + "failed-assert", _R + "successful-report"):
            out.append(Finding(
                element=marks[int(node.get("element"))][0], line=marks[int(node.get("element"))][1],
                id=node.get("id") or "", role=node.get("role") or "",
                text=_words(node.iterchildren(_R + "text")),
                hint=_words(node.iterchildren(_R + "diagnostic-reference"))))
        return out


def _words(nodes) -> str:
    """The text of output nodes on one line, whitespace collapsed."""
    return " ".join(" ".join("".join(n.itertext()).split()) for n in nodes)
