"""Reads a tagged PDF's structure tree back, for the tests: what a screen reader gets.

pikepdf walks the structure tree (StructTreeRoot and its elements, in order); pdfminer.six
reads each page's content stream and gives the text of every marked-content sequence, so
each element's text can be put beside it. Prints JSON:

    {"tree": {"role": "Document", "scope": null, "text": "", "kids": [...]},
     "artifact_words": 123, "untagged_words": 0, "unreferenced": []}

`artifact_words` counts the words marked as artifacts (page headers and footers, a table's
header row repeated on a later page); `untagged_words` the words in no marked content at all;
`unreferenced` the (page, MCID) pairs on a page that no element of the tree points to.
Neither script nor checker is Lotwise's: pikepdf and pdfminer.six come from PyPI.
"""

import json
import sys

import pikepdf
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdffont import PDFUnicodeNotDefined


class MarkedText(PDFDevice):
    """Collects the text shown inside each marked-content sequence of a page."""

    def __init__(self, rsrcmgr):
        super().__init__(rsrcmgr)
        self.stack = []  # (tag, mcid)
        self.by_mcid = {}
        self.artifacts = []  # one string per text-showing operator
        self.untagged = []

    def begin_tag(self, tag, props=None):
        mcid = None
        if isinstance(props, dict) and "MCID" in props:
            mcid = props["MCID"]
        self.stack.append((tag.name, mcid))

    def end_tag(self):
        if self.stack:
            self.stack.pop()

    def do_tag(self, tag, props=None):
        pass

    def render_string(self, textstate, seq, ncs, graphicstate):
        font = textstate.font
        text = ""
        for obj in seq:
            if not isinstance(obj, bytes):
                continue
            for cid in font.decode(obj):
                try:
                    text += font.to_unichr(cid)
                except PDFUnicodeNotDefined:
                    pass
        if any(tag == "Artifact" for tag, _ in self.stack):
            self.artifacts.append(text)
            return
        mcid = next((m for _, m in reversed(self.stack) if m is not None), None)
        if mcid is None:
            self.untagged.append(text)
        else:
            self.by_mcid[mcid] = self.by_mcid.get(mcid, "") + text


def page_texts(path):
    """For each page: {mcid: text}, the artifacts' text and the untagged text."""
    out = []
    rsrc = PDFResourceManager()
    with open(path, "rb") as f:
        for page in PDFPage.get_pages(f):
            dev = MarkedText(rsrc)
            PDFPageInterpreter(rsrc, dev).process_page(page)
            out.append((dev.by_mcid, dev.artifacts, dev.untagged))
    return out


def main(path):
    pdf = pikepdf.open(path)
    page_index = {p.objgen: i for i, p in enumerate(pdf.pages)}
    texts = page_texts(path)
    referenced = set()

    def content(page, mcid):
        referenced.add((page, mcid))
        return texts[page][0].get(mcid, "")

    def element(e, page=None):
        if "/Pg" in e:
            page = page_index[e.Pg.objgen]
        node = {
            "role": str(e.S)[1:],
            "scope": None,
            "alt": str(e.Alt) if "/Alt" in e else None,
            "text": "",
            "kids": [],
        }
        if "/A" in e and "/Scope" in e.A:
            node["scope"] = str(e.A.Scope)[1:]
        kids = e.get("/K")
        if kids is None:
            return node
        if not isinstance(kids, pikepdf.Array):
            kids = [kids]
        for k in kids:
            if isinstance(k, int):
                node["text"] += content(page, int(k))
            elif k.get("/Type") == pikepdf.Name.MCR:
                node["text"] += content(page_index[k.Pg.objgen], int(k.MCID))
            else:
                node["kids"].append(element(k, page))
        return node

    root = pdf.Root.StructTreeRoot
    top = root.K
    tree = element(top) if not isinstance(top, pikepdf.Array) else {
        "role": "StructTreeRoot", "scope": None, "alt": None, "text": "",
        "kids": [element(k) for k in top],
    }
    unreferenced = [
        [p, m] for p, (by_mcid, _, _) in enumerate(texts) for m in by_mcid
        if (p, m) not in referenced
    ]
    words = lambda strings: sum(len(s.split()) for s in strings)
    print(json.dumps({
        "tree": tree,
        "artifact_words": sum(words(a) for _, a, _ in texts),
        "untagged_words": sum(words(u) for _, _, u in texts),
        "unreferenced": unreferenced,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
