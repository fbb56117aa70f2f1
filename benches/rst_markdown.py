"""reStructuredText to Markdown, as far as the Python documentation needs it for a benchmark
corpus (docs_corpus.py): paragraphs, lists and definition lists, literal blocks (`::`,
`.. code-block::`, doctest) and tables as fenced code, admonitions as quotes, version notes in
italics, roles reduced to their text (:func:`x` as `x`), `:ref:` and `:term:` as markers that
the corpus turns into links once every entry has its slug. Directives with no Markdown form
are dropped. Never writes an ```output block: pykb checks the code block before one against it.
Only the standard library.
"""

import re

# Directives that describe one thing without being an entry of their own: a bold signature.
DESCRIBED = {"opcode", "cmdoption", "option", "envvar", "describe", "object", "pdbcommand",
             "2to3fixer", "program"}
CODE = {"code-block", "sourcecode", "code", "doctest", "testcode", "testoutput", "parsed-literal",
        "productionlist"}
NOTES = {"note": "Note", "warning": "Warning", "important": "Important", "caution": "Caution",
         "attention": "Attention", "tip": "Tip", "hint": "Hint", "danger": "Danger",
         "seealso": "See also", "impl-detail": "CPython implementation detail"}
VERSIONS = {"versionadded": "New in version", "versionchanged": "Changed in version",
            "deprecated": "Deprecated since version",
            "deprecated-removed": "Deprecated since version"}
# Directives whose content is shown as it is, and those whose argument is a title above it.
TRANSPARENT = {"glossary", "container", "only", "table", "compound"}
TITLED = {"topic", "sidebar", "admonition"}
TEXT_ROLES = {"abbr", "dfn", "guilabel", "menuselection", "kbd", "mimetype", "manpage",
              "newsgroup", "emphasis", "strong", "title-reference"}

DIRECTIVE = re.compile(r"^(\s*)\.\.\s+([\w:-]+)::\s*(.*)$")
OPTION = re.compile(r"^:[\w -]+:(\s|$)")
TABLE_BORDER = re.compile(r"^=+( +=+)+\s*$")
LIST_ITEM = re.compile(r"^([-*+]|\d+[.)]|#\.|\(?[a-z0-9]\))\s")
INLINE = re.compile(
    r"``(?P<lit>.+?)``"
    r"|:(?P<role>[\w:.-]+):`(?P<rtext>.+?)`"
    r"|`(?P<ltext>[^`<]*?)\s*<(?P<url>[^<>`]+)>`__?"
    r"|`(?P<ref>[^`]+)`__?"
    r"|`(?P<title>[^`]+)`"
    r"|\s*\[(?:#[\w-]*|\*|\d+)\]_"
    r"|\|(?P<subst>[\w -]+)\|_{0,2}",
    re.S,
)
# A `:ref:` is resolved once every entry has its slug: this marker stands for it until then.
REF = re.compile("\x00([^\x01]*)\x01([^\x00]*)\x00")


def width(line):
    return len(line) - len(line.lstrip())


def adornment(line):
    line = line.rstrip()
    return len(line) >= 3 and line[0] in "=-~^*#\"'`+:." and line == line[0] * len(line)


def code_language(argument):
    name = (argument.split() or ["python"])[0].lower()
    if name in ("python", "python3", "py", "py3", "pycon", "pycon3", "default"):
        return "python"
    if name in ("none", "text", "output", "rst", "rest"):
        return "text"
    return {"shell-session": "sh", "bash": "sh", "console": "sh", "shell": "sh"}.get(name, name)


def code(text):
    text = " ".join(text.split())
    if not text:
        return ""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def escape(text):
    # `<` could open raw HTML, which pykb's sanitizer would drop with its text.
    return text.replace("\\ ", "").replace("<", "\\<").replace(" --- ", " — ")


def role(name, text):
    name = name.split(":")[-1]
    title, target = text, text
    explicit = re.match(r"(.*?)\s*<([^<>]+)>$", text, re.S)
    if explicit and explicit[1]:
        title, target = explicit[1], explicit[2]
    if name in ("ref", "doc", "term"):
        key = {"ref": target.strip().lower(), "term": "term:" + " ".join(target.lower().split())}
        shown = title if explicit or name != "ref" else ""
        return f"\x00{key.get(name, '')}\x01{escape(' '.join(shown.split()))}\x00"
    if name == "pep":
        number = int((re.match(r"\d+", target) or ["0"])[0])
        return f"[PEP {number}](https://peps.python.org/pep-{number:04d}/)"
    if name == "rfc":
        number = int((re.match(r"\d+", target) or ["0"])[0])
        return f"[RFC {number}](https://datatracker.ietf.org/doc/html/rfc{number})"
    if name in TEXT_ROLES:
        if name == "abbr":
            title = re.sub(r"\s*\(.*\)\s*$", "", title, flags=re.S)
        shown = escape(" ".join(title.split()))
        return f"*{shown}*" if name in ("dfn", "emphasis") else shown
    if not explicit:
        title = title.lstrip("!")
        if title.startswith("~"):
            title = title[1:].rsplit(".", 1)[-1]
        if name in ("func", "meth") and not title.endswith(")"):
            title += "()"  # as Sphinx shows them
    return code(title)


def inline(text):
    """reST inline markup in Markdown: ``x`` and :func:`x` as `x`, links as links, :ref: as a
    marker that `resolve` turns into a link to the entry."""
    out, at = [], 0
    for match in INLINE.finditer(text):
        out.append(escape(text[at : match.start()]))
        at = match.end()
        if match["lit"] is not None:
            out.append(code(match["lit"]))
        elif match["role"]:
            out.append(role(match["role"], match["rtext"]))
        elif match["url"]:
            shown = escape(" ".join(match["ltext"].split())) or match["url"]
            url = match["url"].strip()
            out.append(f"[{shown}]({url})" if url.startswith(("http://", "https://")) else shown)
        elif match["ref"]:
            out.append(escape(match["ref"]))
        elif match["title"]:
            out.append(f"*{escape(match['title'].strip())}*")
        elif match["subst"]:
            out.append(escape(match["subst"]))
    out.append(escape(text[at:]))
    return "".join(out)


def plain(text, keep_refs=False):
    """Inline markup reduced to its words: for titles and summaries (`keep_refs`: the markers of
    `:ref:` stay, for the corpus to name their targets)."""
    text = inline(text)
    if not keep_refs:
        text = REF.sub(lambda m: m[2] or m[1].replace("-", " "), text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("\\<", "<").replace("`", "").replace("**", "").replace(" --- ", " — ")
    return " ".join(re.sub(r"(?<!\w)\*(\S.*?)\*(?!\w)", r"\1", text).split())


def dedent(lines):
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    indent = min((width(l) for l in lines if l.strip()), default=0)
    return [l[indent:].rstrip() for l in lines]


def fence(lines, language):
    body = "\n".join(dedent(lines))
    ticks = "```"
    while ticks in body:
        ticks += "`"
    return f"{ticks}{language}\n{body}\n{ticks}" if body.strip() else ""


def block_end(lines, start, indent):
    """The end of the block that starts at `start`: lines indented deeper than `indent`."""
    end = start
    while end < len(lines) and (not lines[end].strip() or width(lines[end]) > indent):
        end += 1
    return end


def blocks(lines, language):
    """reST body lines as Markdown blocks (paragraphs, fences, quotes)."""
    out, i = [], 0
    while i < len(lines):
        line, text = lines[i], lines[i].strip()
        indent = width(line)
        if not text or adornment(text):
            i += 1
            continue
        match = DIRECTIVE.match(line)
        if match or text.startswith(".."):
            end = block_end(lines, i + 1, indent)
            if match:
                out += directive(match[2].removeprefix("py:"), match[3].strip(),
                                 lines[i + 1 : end], language)
                if match[2] == "highlight":
                    language = code_language(match[3])
            i = end
            continue
        end = i + 1
        if text.startswith(("+-", "+=")) or TABLE_BORDER.match(text) or text.startswith(">>>"):
            if text.startswith("+"):
                while end < len(lines) and lines[end].strip().startswith(("+", "|")):
                    end += 1
            elif text.startswith("="):
                while end < len(lines) and not (TABLE_BORDER.match(lines[end - 1].strip())
                                                and end - 1 > i and not lines[end].strip()):
                    end += 1
            else:
                while end < len(lines) and lines[end].strip():
                    end += 1
            out.append(fence(lines[i:end], "python" if text.startswith(">>>") else "text"))
            i = end
            continue
        if (end < len(lines) and lines[end].strip() and width(lines[end]) > indent
                and not LIST_ITEM.match(text)):
            # A definition list: the term, then its definition.
            out.append(f"**{inline(text)}**")
            end = block_end(lines, end, indent)
            out += blocks(lines[i + 1 : end], language)
            i = end
            continue
        while end < len(lines) and lines[end].strip():
            end += 1
        paragraph = [l.strip() for l in lines[i:end]]
        # A literal block is indented deeper than the line that announces it (a list item's
        # continuation, say), not only deeper than the paragraph's first line.
        item = LIST_ITEM.match(text)
        indent = width(lines[end - 1]) if end - 1 > i else indent + (item.end() if item else 0)
        i = end
        literal = paragraph[-1].endswith("::")
        if literal:
            last = paragraph[-1]
            paragraph[-1] = last[:-3] if last.endswith(" ::") else last[:-1]
            if paragraph[-1] in ("", ":"):
                paragraph.pop()
        if paragraph:
            converted = inline("\n".join(paragraph)).split("\n")
            out.append("\n".join(md_line(l) for l in converted))
        if literal:
            start = i
            while start < len(lines) and not lines[start].strip():
                start += 1
            if start < len(lines) and width(lines[start]) > indent:
                i = block_end(lines, start, indent)
                out.append(fence(lines[start:i], language))
    return [b for b in out if b.strip()]


def md_line(line):
    """A line of a paragraph, kept from starting a heading, a quote or an underline."""
    line = re.sub(r"^#\.\s", "1. ", line)
    if line.startswith(("#", ">", "=", "|")) or re.match(r"^-{2,}\s*$", line):
        return "\\" + line
    return line


def directive(name, argument, body, language):
    """The Markdown blocks of one directive, `body` its indented lines."""
    content = list(body)
    while content and content[0].strip() and OPTION.match(content[0].strip()):
        content.pop(0)
    if name in CODE:
        language = code_language(argument) if name in ("code-block", "sourcecode", "code") else (
            "python" if name in ("doctest", "testcode") else "text")
        return [fence(content, language)]
    if name in TRANSPARENT:
        return blocks(content, language)
    if name in TITLED:
        return [f"**{plain(argument)}**"] * bool(argument) + blocks(content, language)
    if name == "centered":
        return [inline(argument)]
    if name in NOTES:
        inner = blocks(content, language)
        if argument:
            inner.insert(0, inline(argument))
        text = f"**{NOTES[name]}:** " + "\n\n".join(inner)
        return ["\n".join("> " + l if l else ">" for l in text.split("\n"))]
    if name in VERSIONS:
        version, _, rest = argument.partition(" ")
        if name == "deprecated-removed":
            removed, _, rest = rest.partition(" ")
            version = f"{version}, removed in version {removed}"
        inner = blocks(content, language)
        if rest:
            inner.insert(0, inline(rest))
        # "Changed in version 3.4: what changed", as Sphinx shows it, when a paragraph says it.
        if inner and not re.match(r"[`>*\\]", inner[0]):
            return [f"*{VERSIONS[name]} {version}:* {inner[0]}"] + inner[1:]
        return [f"*{VERSIONS[name]} {version}.*"] + inner
    if name == "rubric" and argument.lower() != "footnotes":
        return [f"## {plain(argument)}"]
    if name == "availability":
        return [f"*Availability: {inline(argument)}.*"]
    if name in DESCRIBED or ":" in name:  # c:function and the like
        return [f"**{code(argument)}**"] + blocks(content, language)
    return []
