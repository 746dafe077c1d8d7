#!/usr/bin/python3
"""Rebuilds the checked-in dictionary TSVs of src/Agent.Dicom/Dictionary from their public sources.

Run rarely (when a newer DCMTK or pydicom brings a newer PS3.6); the TSVs are the source of truth for the C#
generator, so a reviewer can diff facts, not code. Sources (Debian packages dcmtk and python3-pydicom):
  - /usr/share/libdcmtk17/dicom.dic: tag, VR, keyword, VM, DICOM/retired (PS3.6 2022b)
  - /usr/share/libdcmtk17/private.dic: private tags per creator
  - pydicom/_dicom_dict.py: PS3.6 names and VR wording ("OB or OW"), repeater masks; _uid_dict.py: PS3.6 Annex A
Merge rules: union of both dictionaries; pydicom wins for name, VR wording and retired flag (it copies PS3.6 text),
DCMTK supplies entries newer than pydicom's edition (names derived from the keyword). Explicit DCMTK tags that a
pydicom repeater mask covers with the same keyword are dropped, so every keyword names exactly one entry.
Usage: /usr/bin/python3 import_sources.py [output-folder]
"""
import os
import re
import sys

sys.path.insert(0, '/usr/lib/python3/dist-packages')
from pydicom._dicom_dict import DicomDictionary as PYDICT, RepeatersDictionary as PYREP  # noqa: E402
from pydicom._uid_dict import UID_dictionary as PYUID  # noqa: E402

DCMTK_DIR = '/usr/share/libdcmtk17'
DCMTK_VR = {'ox': 'OB or OW', 'px': 'OB or OW', 'xs': 'US or SS', 'lt': 'US or SS or OW', 'up': 'UL', 'na': 'NONE'}


def dcmtk_lines(name):
    with open(os.path.join(DCMTK_DIR, name), encoding='latin-1') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('#') or not line.strip():
                continue
            yield line.split('\t')


def masked(g1, g2, e1, e2):
    """(6000-60FF,3000) -> 60xx3000; only the two-hex-digit ranges DCMTK uses are supported."""
    if g2 and not (g1[2:] in ('00', '01') and g2[2:].upper() == 'FF' and g1[:2] == g2[:2]):
        raise ValueError(f'unsupported group range {g1}-{g2}')
    if e2 and not (e1[2:] == '00' and e2[2:].upper() == 'FF' and e1[:2] == e2[:2]):
        raise ValueError(f'unsupported element range {e1}-{e2}')
    g = g1.upper() if not g2 else g1[:2].upper() + 'xx'
    e = e1.upper() if not e2 else e1[:2].upper() + 'xx'
    return g + e


def name_from_keyword(keyword):
    words = re.findall(r'[A-Z]+(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|\d+', keyword)
    return ' '.join(words)


def pattern_matches(pattern, tag):
    return all(p == 'x' or p == t for p, t in zip(pattern, tag))


def public_dictionary():
    rows = {}
    for k, (vr, vm, name, retired, keyword) in PYDICT.items():
        rows['%08X' % k] = [vr, vm, keyword, name, bool(retired)]
    for k, (vr, vm, name, retired, keyword) in PYREP.items():
        rows[k.upper().replace('X', 'x')] = [vr, vm, keyword, name, bool(retired)]
    repeaters = [k for k in rows if 'x' in k]
    for f in dcmtk_lines('dicom.dic'):
        tag, vr, keyword, vm, version = f[:5]
        if version in ('PRIVATE', 'ILLEGAL', 'GENERIC'):
            continue
        m = re.fullmatch(r'\((\w{4})(?:-(\w{4}))?,(\w{4})(?:-(\w{4}))?\)', tag)
        key = masked(*m.groups())
        keyword = keyword.removeprefix('RETIRED_')
        if key in rows:
            continue
        if any(pattern_matches(r, key) and rows[r][2] == keyword for r in repeaters):
            continue
        rows[key] = [DCMTK_VR.get(vr, vr), vm, keyword, name_from_keyword(keyword), 'retired' in version]
    return rows


def write_public(out):
    rows = public_dictionary()
    keywords = {}
    for k, r in rows.items():
        if r[2]:
            if r[2] in keywords:
                raise ValueError(f'duplicate keyword {r[2]}: {keywords[r[2]]} and {k}')
            keywords[r[2]] = k
    with open(os.path.join(out, 'dicom-dictionary.tsv'), 'w', encoding='utf-8', newline='\n') as f:
        f.write('# PS3.6 data dictionary, from DCMTK dicom.dic (2022b) and pydicom 2.3 _dicom_dict.py; see '
                'src/Agent.Dicom.Generator/Import/import_sources.py\n')
        f.write('# Tag (x = any hex digit)\tVR\tVM\tKeyword\tName\tRetired\n')
        for k in sorted(rows, key=lambda t: t.replace('x', '0')):
            vr, vm, keyword, name, retired = rows[k]
            f.write('\t'.join([k, vr, vm, keyword, name, 'RET' if retired else '']) + '\n')
    return len(rows)


def write_private(out):
    rows = {}
    for f in dcmtk_lines('private.dic'):
        m = re.fullmatch(r'\((\w{4})(?:-o-(\w{4}))?,"([^"]*)",(\w{2,4})\)', f[0])
        if not m:
            raise ValueError(f'unparsed private tag {f[0]}')
        g1, g2, creator, element = m.groups()
        group = g1.upper() if not g2 else masked(g1, g2, '0000', None)[:4]
        vr = DCMTK_VR.get(f[1], f[1]) if len(f) > 1 and f[1] else 'UN'
        vm = f[3] if len(f) > 3 else '1'
        rows[(creator, group, element[-2:].upper())] = [vr, vm, f[2]]   # later lines override, as in DCMTK
    with open(os.path.join(out, 'private-dictionary.tsv'), 'w', encoding='utf-8', newline='\n') as f:
        f.write('# Private data elements by creator, from DCMTK private.dic; see '
                'src/Agent.Dicom.Generator/Import/import_sources.py\n')
        f.write('# Creator\tGroup (xx = any odd group of the block)\tElement (low byte)\tVR\tVM\tName\n')
        for key in sorted(rows):
            f.write('\t'.join([*key, *rows[key]]) + '\n')
    return len(rows)


# Transfer syntaxes registered after pydicom 2.3's edition (Sup 235 HTJ2K, 2023; Sup 232 JPEG XL, 2024).
NEWER_UIDS = {
    '1.2.840.10008.1.2.4.110': ('JPEG XL Lossless', 'Transfer Syntax', '', '', 'JPEGXLLossless'),
    '1.2.840.10008.1.2.4.111': ('JPEG XL JPEG Recompression', 'Transfer Syntax', '', '', 'JPEGXLJPEGRecompression'),
    '1.2.840.10008.1.2.4.112': ('JPEG XL', 'Transfer Syntax', '', '', 'JPEGXL'),
    '1.2.840.10008.1.2.4.201': ('High-Throughput JPEG 2000 Image Compression (Lossless Only)', 'Transfer Syntax', '', '',
                                'HTJ2KLossless'),
    '1.2.840.10008.1.2.4.202': ('High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)',
                                'Transfer Syntax', '', '', 'HTJ2KLosslessRPCL'),
    '1.2.840.10008.1.2.4.203': ('High-Throughput JPEG 2000 Image Compression', 'Transfer Syntax', '', '', 'HTJ2K'),
}


def write_uids(out):
    with open(os.path.join(out, 'uid-registry.tsv'), 'w', encoding='utf-8', newline='\n') as f:
        f.write('# PS3.6 Annex A UID registry, from pydicom 2.3 _uid_dict.py plus newer transfer syntaxes; see '
                'src/Agent.Dicom.Generator/Import/import_sources.py\n')
        f.write('# UID\tName\tKeyword\tType\tRetired\n')
        n = 0
        registry = {**NEWER_UIDS, **PYUID}
        for uid in sorted(registry, key=lambda u: [int(p) for p in u.split('.')]):
            name, kind, _info, retired, keyword = registry[uid]
            if not name:
                name = 'Retired UID ' + uid   # two retired entries without a name in PS3.6 (2015c)
            f.write('\t'.join([uid, name, keyword, kind, 'RET' if retired else '']) + '\n')
            n += 1
    return n


if __name__ == '__main__':
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', '..', 'Agent.Dicom', 'Dictionary')
    print('public', write_public(target), 'private', write_private(target), 'uids', write_uids(target))
