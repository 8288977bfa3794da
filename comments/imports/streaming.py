"""Reading large XML exports element by element, safely, in bounded memory."""

from xml.etree.ElementTree import ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, iterparse

from .engine import BadExport


def elements(path, *, keep_depth, check_root):
    """Yield (depth, element, parent) for each element of the file at most keep_depth
    deep, once it is complete (the root is depth 0, its parent None), then forget it.

    Elements deeper than keep_depth stay attached to their ancestor at
    keep_depth until that is yielded, so a caller reads a record (a Disqus
    post, a WordPress comment) whole; memory holds one record at a time.
    Entity declarations (XML bombs, external entities) are refused by
    defusedxml. check_root(tag) raises BadExport when the root element is not
    the expected one.
    """
    parser = DefusedXMLParser(target=TreeBuilder())
    try:
        events = iterparse(str(path), events=("start", "end"), parser=parser)
        stack = []
        for event, element in events:
            if event == "start":
                if not stack:
                    check_root(element.tag)
                stack.append(element)
                continue
            stack.pop()
            depth = len(stack)
            if depth > keep_depth:
                continue
            parent = stack[-1] if stack else None
            yield depth, element, parent
            if parent is not None:
                parent.remove(element)
    except OSError as error:
        raise BadExport(f"{path} cannot be read: {error.strerror or error}.") from error
    except ParseError as error:
        raise BadExport(f"{path} is not well-formed XML: {error}.") from error
    except DefusedXmlException as error:
        line = parser.parser.CurrentLineNumber
        raise BadExport(
            f"{path}, line {line}: the file declares an entity ({_entity_name(error)}). "
            "Exports never need one, and entities are how XML bombs and external-file "
            "attacks work, so the file is refused."
        ) from error


def _entity_name(error):
    name = getattr(error, "name", None) or getattr(error, "context", None)
    return f"“{name}”" if name else "an external reference"


def local_name(tag):
    """("namespace", "name") of a "{namespace}name" tag."""
    if tag.startswith("{"):
        namespace, _brace, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def text_of(element, path, namespaces=None):
    """The stripped text of a child element, or "" when it is missing or empty."""
    child = element.find(path, namespaces)
    return (child.text or "").strip() if child is not None else ""
