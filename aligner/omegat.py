"""An SRX 2.0 document as OmegaT's project segmentation file (``omegat/segmentation.conf``).

OmegaT 3.6 (Debian's ``omegat``) reads a project's own segmentation rules from
``PROJECT/omegat/segmentation.conf``: its ``SRX`` object written by Java's
``XMLEncoder``, not an SRX file. :func:`segmentation_conf` writes that form of
the rules of an SRX document (the language rules in their order, each rule's
break flag and its before and after patterns, and the language map), so that
OmegaT segments a project's source as the aligner's splitter does, and its
memories match. Patterns are Java regular expressions in both.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

_SRX = "{http://www.lisa.org/srx20}"
#: The version of OmegaT's segmentation file that its loader expects (it refuses none).
OMEGAT_SRX_VERSION = "0.2.2"


def _string(value: str) -> str:
    return f"<string>{escape(value)}</string>"


def segmentation_conf(srx: str) -> str:
    """OmegaT's ``segmentation.conf`` of the SRX 2.0 document ``srx`` (text).

    :raises ValueError: ``srx`` is not an SRX 2.0 document.
    """
    root = ET.fromstring(srx)
    if root.tag != f"{_SRX}srx":
        raise ValueError(f"not an SRX 2.0 document (root element {root.tag})")
    rules = {lr.get("languagerulename", ""): lr for lr in root.iter(f"{_SRX}languagerule")}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<java version="1.8.0" class="java.beans.XMLDecoder">',
        ' <object class="org.omegat.core.segmentation.SRX">',
        '  <void property="mappingRules">',
    ]
    for mapping in root.iter(f"{_SRX}languagemap"):
        name = mapping.get("languagerulename", "")
        # OmegaT's own maps name languages in capitals ("IT.*") and match case-blind.
        pattern = mapping.get("languagepattern", ".*").upper()
        lines += [
            '   <void method="add">',
            '    <object class="org.omegat.core.segmentation.MapRule">',
            f'     <void property="language">{_string(name)}</void>',
            f'     <void property="pattern">{_string(pattern)}</void>',
            '     <void property="rules">',
            '      <object class="java.util.ArrayList">',
        ]
        for rule in rules[name].iter(f"{_SRX}rule") if name in rules else ():
            before = rule.findtext(f"{_SRX}beforebreak") or ""
            after = rule.findtext(f"{_SRX}afterbreak") or ""
            lines += [
                '       <void method="add">',
                '        <object class="org.omegat.core.segmentation.Rule">',
                f'         <void property="afterbreak">{_string(after)}</void>',
                f'         <void property="beforebreak">{_string(before)}</void>',
            ]
            if rule.get("break", "yes") == "yes":
                lines.append('         <void property="breakRule"><boolean>true</boolean></void>')
            lines += ["        </object>", "       </void>"]
        lines += ["      </object>", "     </void>", "    </object>", "   </void>"]
    lines += [
        "  </void>",
        f'  <void property="version">{_string(OMEGAT_SRX_VERSION)}</void>',
        " </object>",
        "</java>",
    ]
    return "\n".join(lines) + "\n"
