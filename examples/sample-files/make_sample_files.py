#!/usr/bin/env python3
"""Write the sample page-bundle files of the example network: a one-page
application form (PDF) and a drawn picture (SVG) for each institution
given, into content/institutions/<slug>/. Everything here is made by this
script; no third-party document or photo is used.

    python3 examples/sample-files/make_sample_files.py SLUG "Name" [...]
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pdf_escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def application_pdf(name):
    """A minimal PDF 1.4 file: one A4 page of Helvetica text."""
    lines = [
        (18, "Elective application form (sample)"),
        (12, name),
        (11, ""),
        (11, "Family name: ______________________________"),
        (11, "Given names: ______________________________"),
        (11, "Home medical school: _______________________"),
        (11, "Year of study: ______   E-mail: ______________"),
        (11, "Elective type (clinical / research / observership): ________"),
        (11, "Discipline: ______________  Preferred months: ____________"),
        (11, ""),
        (11, "Attach: a letter from your dean, proof of immunisation,"),
        (11, "and proof of indemnity insurance."),
        (11, ""),
        (9, "Sample document made for the partnermap example site."),
    ]
    ops = ["BT", "72 770 Td"]
    for size, text in lines:
        ops.append("/F1 %d Tf (%s) Tj 0 -%d Td" % (size, pdf_escape(text), size + 10))
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def building_svg(seed):
    """A flat drawing of a hospital building under a sky, 1200 x 600."""
    hue = [(196, 80), (28, 70), (150, 55), (260, 45)][seed % 4]
    windows = []
    for row in range(4):
        for col in range(10):
            x = 330 + col * 56
            y = 250 + row * 62
            lit = (row * 7 + col * 3 + seed) % 5 == 0
            windows.append('<rect x="%d" y="%d" width="34" height="38" rx="3" fill="%s"/>'
                           % (x, y, "#ffe9a8" if lit else "#cfe3ea"))
    return """<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="600" viewBox="0 0 1200 600">
<title>A drawing of a teaching hospital (sample picture)</title>
<rect width="1200" height="600" fill="hsl({h},{s}%,86%)"/>
<circle cx="1020" cy="110" r="56" fill="#fff6d5"/>
<rect y="470" width="1200" height="130" fill="#7aa36b"/>
<rect x="300" y="210" width="600" height="270" fill="#f4f1ea" stroke="#8b8576" stroke-width="4"/>
<rect x="540" y="150" width="120" height="70" fill="#f4f1ea" stroke="#8b8576" stroke-width="4"/>
<rect x="585" y="165" width="30" height="40" fill="#c8102e"/>
<rect x="570" y="180" width="60" height="10" fill="#c8102e"/>
<rect x="560" y="400" width="80" height="80" fill="#5b6770"/>
{windows}
<rect x="120" y="380" width="20" height="100" fill="#6b4f2a"/>
<circle cx="130" cy="350" r="60" fill="#4f7f45"/>
<rect x="1040" y="390" width="18" height="90" fill="#6b4f2a"/>
<circle cx="1049" cy="362" r="50" fill="#4f7f45"/>
</svg>
""".format(h=hue[0], s=hue[1], windows="\n".join(windows))


def main(argv):
    if len(argv) < 3 or len(argv) % 2 == 0:
        sys.exit(__doc__)
    pairs = zip(argv[1::2], argv[2::2])
    for seed, (slug, name) in enumerate(pairs):
        folder = ROOT / "content" / "institutions" / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "application.pdf").write_bytes(application_pdf(name))
        (folder / "photo.svg").write_text(building_svg(seed), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
