"""Read and write gettext PO/POT files exactly as GNU gettext writes them.

Why our own writer: translators' tools (Poedit, Weblate) and the GNU tools
rewrite a catalog in GNU's form, and Babel and polib wrap long strings
differently (76/78 columns, other break points).  Every save would then be
a noisy diff.  ``write_po`` produces what ``msgcat`` 0.21 prints for the same
catalog, byte for byte, so ``msgcat FILE`` == FILE.  The rules were found by
running msgcat on many inputs:

* page width 79; a string that does not fit, or that has a ``\\n`` before its
  end, is written as ``msgid ""`` plus continuation lines, and every string
  is split after each ``\\n``;
* long lines break where libunistring's UAX #14 line breaker allows it (after
  spaces, but also after hyphens, em dashes, slashes...), computed on the
  *escaped* text, never inside an escape sequence, and never inside a format
  directive of the entry's first format flag (c-format, python-format);
  widths are display columns (combining marks 0, East Asian wide 2);
* escapes: ``\\a \\b \\f \\n \\r \\t \\v \\\\ \\"``; other control characters are
  written raw;
* ``#:`` references keep their order, drop exact duplicates, lose a leading
  ``./`` and are packed into lines of at most 79 bytes;
* ``#,`` flags: fuzzy (only when msgstr is non-empty), format flags in GNU's
  fixed order, ``range:``, ``no-wrap``.  GNU drops flags it does not know
  (Weblate's ``max-length:80``...); we keep them, after the known ones;
* obsolete ``#~`` entries come after all others, and GNU drops those whose
  msgstr is empty; entries are separated by one blank line, none at the end.

The line-breaking tables below are libunistring 1.0's (the library msgcat
0.21 links against): line-break class and display width of every code
point, plus the 33x33 pair table of UAX #14.
"""
from __future__ import annotations

import base64
import bisect
import codecs
import contextlib
import gc
import itertools
import os
import re
import struct
import zlib
from dataclasses import dataclass, field

from .errors import CatalogError
from .fsutil import atomic_write

__all__ = ["Entry", "PoFile", "read_po", "read_po_file", "write_po",
           "write_po_file", "write_mo", "GNU_FORMATS"]

# The largest catalog the kit reads (GNU has no bound): a line may be as long as the file.
MAX_CATALOG_BYTES = 64 * 1024 * 1024
DEFAULT_DOMAIN = "messages"       # GNU's name for the entries before any 'domain' directive


# ----------------------------------------------------------------- model ---

@dataclass
class Entry:
    msgid: str
    msgstr: str = ""
    msgid_plural: str | None = None
    msgstr_plural: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @fuzzy.setter
    def fuzzy(self, value: bool) -> None:
        if value and "fuzzy" not in self.flags:
            self.flags.insert(0, "fuzzy")
        elif not value:
            self.flags[:] = [f for f in self.flags if f != "fuzzy"]

    @property
    def translated(self) -> bool:
        if self.fuzzy:
            return False
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural)
        return self.msgstr != ""

    @property
    def first_msgstr(self) -> str:
        """msgstr, or msgstr[0] of a plural entry (GNU tests this one)."""
        if self.msgid_plural is not None:
            return self.msgstr_plural[0] if self.msgstr_plural else ""
        return self.msgstr


@dataclass
class PoFile:
    entries: list[Entry] = field(default_factory=list)
    header: Entry | None = None
    path: str | None = None
    # header field name -> the 1-based line its string starts on (when read from a file)
    header_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    # entries after a 'domain "NAME"' directive (NAME not "messages"): NAME -> its entries
    # (a header among them first), and NAME -> the line of its first directive
    domains: dict[str, list[Entry]] = field(default_factory=dict)
    domain_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def only_domain(self, name: str) -> "PoFile":
        """This catalog as the one of domain ``name``: entries a 'domain' directive gives
        ``name`` join the others; those it gives another domain are an error."""
        for other, entries in self.domains.items():
            if other != name:
                raise CatalogError(f"a 'domain \"{other}\"' directive: this file is the "
                                   f"catalog of the domain {name!r}, one domain per file",
                                   path=self.path, line=self.domain_lines.get(other),
                                   hint=f"move those entries to the catalog {other}.po, "
                                        "or remove the directive")
            seen = {e.key: e.line for e in self.entries}
            for entry in entries:
                if entry.key in seen:
                    raise CatalogError(f"msgid {entry.msgid[:60]!r} twice: in the domain "
                                       f"{name!r} and before its 'domain' directive",
                                       path=self.path, line=entry.line)
                if entry.msgid == "" and entry.msgctxt is None and self.header is None:
                    self.header = entry
                else:
                    self.entries.append(entry)
        self.domains = {}
        return self

    def header_line(self, name: str) -> int | None:
        """The line of header field ``name`` (else of the header), for error messages."""
        return self.header_lines.get(name) or (self.header.line if self.header else None)

    def header_fields(self) -> list[tuple[str, str]]:
        """``Name: value`` lines of the header, in order."""
        if self.header is None:
            return []
        fields = []
        for line in self.header.msgstr.split("\n"):
            name, sep, value = line.partition(":")
            if sep and name.strip():
                fields.append((name.strip(), value.strip()))
        return fields

    def set_header_fields(self, fields: list[tuple[str, str]]) -> None:
        if self.header is None:
            self.header = Entry(msgid="")
        self.header.msgstr = "".join(f"{k}: {v}\n" for k, v in fields)

    def header_value(self, name: str) -> str | None:
        for key, value in self.header_fields():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def charset(self) -> str | None:
        """The charset named in Content-Type, as written (None if absent)."""
        return _header_charset(self.header.msgstr) if self.header else None

    def get(self, msgctxt: str | None, msgid: str) -> Entry | None:
        key = (msgctxt, msgid)
        index = self.__dict__.get("_index")
        if index is not None:
            hit = index.get(key)
            if hit is not None and hit[1] < len(self.entries) \
                    and self.entries[hit[1]] is hit[0] and hit[0].key == key:
                return hit[0]
        # Stale or missing: rebuild (entries is a plain, mutable list).
        index = {}
        for pos, entry in enumerate(self.entries):
            index.setdefault(entry.key, (entry, pos))
        self.__dict__["_index"] = index
        hit = index.get(key)
        return hit[0] if hit else None


def _header_charset(msgstr: str) -> str | None:
    # GNU looks for "charset=" anywhere in the header and stops at white space.
    pos = msgstr.find("charset=")
    if pos < 0:
        return None
    m = re.match(r"[^ \t\n]*", msgstr[pos + 8:])
    return m.group(0) or None


# --------------------------------------------------- unicode line breaking ---

# zlib + base85 of (delta-start varint, value) runs over all code points;
# value = line-break class | (display width + 1) << 6.
_UNICODE_BLOB = (
    "c-rk*NsOJv5l%1v^8WYUY~IE*_KcUYF<!6%V><~bHV#f$1RPA*B!om0X_P|_AmxyY%|Ed<co@$Nm"
    "Hbc0#ESAn-s@AONI_g8l!b^)2muYWks=L|kYY^^;gsYA`KtbZCgVjYx%*JB`|qx<uBxuCs;>7Xr^"
    "ZsFwyUjrn;IK<O--t4MQTpX;&)n2sk8ERUi|>@vYN@xYci9HhNm!!xy@55S7(4T7H?H!L#MG~R?Q"
    "hw9Ssm##}#ReVPpbdooHHh%#@-H9Yv#ncTGo4U<d$2K+>_ilrTzL+(XBdYaB~llTxqAp2xVilz46"
    "xtp$9nTtct$*G^y@I1h%<>N$+KeYtYLbedrjeV<+!_V$7$?dvCFGP4E(X;<gDNke<wx|wWN%|J-3"
    "duEc?CMWqf1{PDn%9)J!l~F|_ZWy~g?&{#D2Qyn;jk)BNUOP3XX+72`j4B7UxCq$2;B})j=rPxIA"
    "JHi2X&<|kcDuoo%57;YI^<MaxNjSmwk^JR|AaE9bLOF+N3fptq5<pCFZE)`^4_u%JzxR&+ox^T9<"
    "MSEqoAT^HAS;>$dHhE)@|l07QFvb)hobQOj&!&G$03b<rD15J0vsUPqe3eR?({Qet^}qq7@D!oRi"
    "?SWq+*eWnBw*;0lzXec)VQ+SRm_Xl#|lJ`u`SN}PhP(t2WOiutl=b!Aan`aEu^;Vn}EHPbdCbID)"
    "aF3-9)$7>=dGoV{axdG5ua^y@KT7ia`EAS#1OhGS8=o46ZjrW+il0vphu7vj%{b-+no47oQiURZ8"
    "gq(Us&o{HB%Gs-BzJX)Oz^bxJ3$<C6e_5*okan;-DdsMbGqqUByz|+lKE__Wi}H=`fpOK<<B7L(s"
    "+)|b1jmqTzoQFUU0`={rrp7+p9yXaeJ$e{8;^x^-L-xT?m6zqggy<()oC>uodyq+a$bZzDXZ?Vz!"
    "aPf1NdNVjll+cFdyZ7$0Jt<w_{%ASm{JQ(o7Y)jZQOv`^Ie-y8|?M(p}-3Y&S*Uj+<^D=9|K=?#A"
    "5CWL?88e2bj5Xy?F3Pe1X^Cm*AG#dh?HH{$-yRlD^%bA0c=T=kFh%^~<I8iwwNaHikFDD;An&n<q"
    "2SWHaapBuP{ga%+t%GYQOn>3VN!-)0`YL<u2{q8{)X*_{AEJ8ik=b&!T0^p$3xDvI;#GohPM%W`y"
    "vRg55vr6V3$6gVXxy_XVpYR#GCpKm5Y^o~}!!Rtnnn_mCh#YObyVu+95E}{(*+6NBovtpm?j9Ov4"
    "xkQcnZFb&&e+6xUxscEzDE76&caal%Vmz_Qb(>la3ja1atkxAQ4LxU*FhtE?c3tIpj0;Ry|P-f>G"
    "K$jJf&Uj6poayjmabIhf5C3v79eXLVLhv-KXNDn{9TqmQ9GSPFn&9bn&KgN9jkpJSYh_+@{qLFT*"
    "It?m)}O-6J@P)}ZC9$=4k?d2(9i=2^)06lk;A=lTVSnbUeoO(Q-|^Ot_n<mxBd;Y!S=Jl9d@K<~U"
    "<fpc(Ba<({!+#FRW+0|t191%QI#^4}|U@Cp=-SlQIK_u=0Sb#)jK(E^hmuol(U<J1|4#jY88F)z1"
    "--R}+!n5i$$aXU7?TAxB??|Uyxkp;a$(%E#a(qrQ0j%NmwxYohOB-R#VntT1;C-4xfpN9KK-D%Yo"
    "H}45VE>DX2A5p|#hg3@V7;T>QuHge0FM_`p@X8^{YD(_y3R%3_W|s;12p<%k4!R^1ag*p*p=1@uZ"
    "+_NV4XA<fLmCRQj1K$3&1Www=fs68Eq_#$SSfeG^io;IU`a<nH81#=mlGA7D^o}v?*x!2VFz})3F"
    "7{&|*!%>O%Gam`axrsuN>Q%RKhI$Sp>T1hjOa7xhI=L+Eb@Fnzm#wU?p4>6q_4I5x|gyB>5#unIu"
    "|D|-NuXn6E`nDp`&61oQcYb(7i^82cW<hL`2m)Tl}a8tIxS}(DG)IOSoadSM#)fGPY2<HXJ^m-h}"
    "%bNJvF95e?x+hP01t+Yer!~XXyycejHgPd9_!l(qoCB*|DWh<B*Q`>0TNqkW;qj$L_)skkg~pQoj"
    "e1K5J&zM&YrGn+9i8W29WrM>(INUog=k*$=`LX=Tn!rmqpQAS0lfs@Hg7Sa|JN14GX7E&_JIAT04"
    "J9k^L=3yy<MF&e0qqEh99<h!N1Za6Amxc=oTp9CAcg(kv`5K{aQF{&T%v3>zW>BXPHNExbu8i%ZX"
    "Lw2dU2~Ne$VvZYcdV_u+|C_CAO{2PY7hkfv(7t=$Jto#qm;+yG@0lAvP4O%9{9!PVi_k#>Ky8Oe&"
    "NB8INwfT1`yWlD<m@Fd*`F(*T0iX=gb1&d=rO*l$9PLxRrd(-YFVBap0%1AO0No3{ZWw0AjU1E!7"
    "bKv-d2pLzgAYNsPcVge?$^?=jmjtzpz#pg&hi||QxB)ld2Hb%E2Ylm+4c<O^tDm?#oZ?bg1F<!_f"
    "Y@>&BXt4q!3&6S7Z7tV=n67=&iB#ZHRmhzFv8R!&Ytl0Zp?B(?t2%h$GiG%NlN~pmSWczqU)tC*Q"
    "PKb0iZ>ig7x7_j1*~vdSAVV-z7^Nc+VpK9R>2+SS}MK5nU1qbz~$4bHneH-<zve$emFysWW)d7V2"
    "D9>^rB6QEv*w+!Zk1yoc?Ad0$He&Ybxfa$|_w!1s{6!peeCFUETOHu}Dga(>6|Lk99#`9gwP_R~J"
    "Z=@%3sv7lRhuj4nmr7?u|5hOG_9n_5;=Rac@PjgOgcGHiSU)N)TY-tx#po7Rz8r55Hxm;Dh;`=zg"
    "&Pm96&y}e`c`WXhO3XcyP;lzBx2j9AC>vzoZ-8{oAE*S1Xe*wyEF$N|N0A#_S_|C$t}F~h$j)q48"
    "`>-tJ5Ipx=;gc?mT(l7u!HM)6y@=YTx2)|dI@;akURoiuI@F!@WXVkKaAH@6OhnuXMGBhU(;M6V7"
    "B=!D+Rg-Mf&xwj&0V{fH1I=HX&6+vR)SI=nmJ*X*M%E!zDQ>u=<+ha{IV^#rYZOlSs=s$2!TBH*$"
    "dy`JkaOsSV)mJ(KYZSPD}qZFgninCWnKc>r{3n6r}9bNN=XFfJ`JR&Jz-T&Dpp$#S_%ay6Etd<1a"
    "Dc5GD<r#!hV=UjEa6#h~l2}k-1%9Bz*5X#HNNwZQ&j40v}$0fJOpMzSY-m9IYmSEgg)wQw)X8ec<"
    "6^jzBD~l7=IUonFO1{;^1Z0>*mYVkx7i+i4(sY%K$e@|~iKbsed&+_{W`#KBxGHm~JM6V&!CX4SX"
    "(5Nk!>F73H(;5f-m*O6=qT3}VJB%-<4h|B47OvgUY51xvQk?f1Jqx`7AIuIO(pA&nXe8J>KW$huN"
    "cBEW{WHEa&Yp?_55ny&@EE7kvH3ffxeos)w5+$bO+aSydcWc1n&S`9W%jY#u03Z(_#$C>iNRlyK;"
    "6rT`Z+g9_5;lY$>-qt}wQ=qjI*=YE=aHztmEyV->%yq^P}l)>6N3;-bEi_;1s9J+o4$-zxvdwe$@"
    "5y=14%8Cdq2Rc~|p2RE920UnMe52zE$|9+JIB=ht=|Hg58!{REAdU@yIL?7~H9gpRTa(<f}a0!%>"
    "<x-NDf-y_C4wkpZ|2(2c#SEUM`^77$_F<pknl$~<d3#Lx`X}1=gn#e%X*d-xd}#dcQ1gGgX8~7X0"
    "b~{+c=)OI`{s@BpNAQSDdQ&w=sTd!-jpkA@}^?XfaCqkn7ajx@r(U=e<%Hu`MU}8cghi(HbM{lKt"
    "dy6;V!?9?&f-&e}yk;gC51IjsC2nM?AYg`7@#{rt@Dz_-<79l;t~C6<X8kdsB6Pqv|gb9$VmrY?w"
    "2*(JAW=<C5IQPeJ0Ug65kC@6X5E>;IfW$A2x&s9&yYX%dnDKymy4&x!bd{<Gmt4FQzzr@ao>#Yc0"
    ">e_Xx`?Mehv^gCv~21+;6*V(lAYI!@Q{cKEMoh>VI);|C}{JLB?TrE~rT*xYdW#KWFf5ui9BF$C!"
    "SHtq0tyE-J(PP^EI7Cyatlu95{<JP^P{mCxTew!E=xu3$Dtdy#?~Yd1X%?n4Lb~%6GTghYI{I?f8"
    "7Nfi$g4xaTxy2Bmu#qAN`k)B6XHv+sIawYgj%7(2|%)_LQj!$0V}Lq&>>n-AzCy+V;pdi$0OkP7h"
    "Ksh!F(KruW<>iP>UKE^{{SnO)$W=Sfv0=Q886eQWZozFMS>E<NDx268aW;LX*pNpk@JsMFYFpMOC"
    "c3sL<-7iCy+nS|CPa{yxw)i^vA1%{fChYzNIgjMdOaMZ757fwpNyXzM|@3{+QZ8G63ephpVZN<yO"
    "rWwv?=Egfm4l(k~og?0pL)vX7qQA!=s#Wa8-XlEiRqyh&AFme~9Rst&Yi^R>ajZWfddRov_%LpW`"
    "TG))X&b%y|Ru-^RNL%S5X6R);?!$fudyUp-Fyipp=Vqz;^`}qmf+df*r~N7AK2`od37U#U"
)
_PAIR_TABLE = (
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII"
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII"
    "PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD"
    "PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD"
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII"
    "PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD"
    "PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD"
    "PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD"
    "PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD"
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD"
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD"
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD"
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP"
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP"
    "PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII"
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD"
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD"
    "PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD"
    "PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII"
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD"
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD"
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD"
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD"
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD"
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI"
    "PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD"
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD"
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD"
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD"
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD"
    "PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII"
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI"
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD"
)

# Line-break classes, numbered as in libunistring 1.0 (lbrktables.h).
_WJ, _GL, _BA, _HY, _AL, _ID1, _HL, _RI, _ZWJ = 0, 1, 3, 5, 20, 23, 28, 29, 30
_BK, _CR, _LF, _CM, _ZW, _SP, _CB, _AI, _SA, _XX = range(33, 43)
_HL_BA = 100                      # runtime-only: Hebrew letter + hyphen
_PROHIBITED, _POSSIBLE, _MANDATORY = 1, 2, 3

_tables: tuple[bytes, bytes, list[list[int]]] | None = None


def _unicode_tables():
    """(class per code point, width+1 per code point, pair table); built once."""
    global _tables
    if _tables is None:
        raw = zlib.decompress(base64.b85decode("".join(_UNICODE_BLOB)))
        props, widths = bytearray(), bytearray()
        pos, start, runs = 0, 0, []
        while pos < len(raw):
            delta = shift = 0
            while True:
                byte = raw[pos]
                pos += 1
                delta |= (byte & 0x7F) << shift
                shift += 7
                if byte < 0x80:
                    break
            start += delta
            runs.append((start, raw[pos]))
            pos += 1
        runs.append((0x110000, 0))
        for (begin, value), (end, _) in zip(runs, runs[1:]):
            props += bytes((value & 63,)) * (end - begin)
            widths += bytes((value >> 6,)) * (end - begin)
        pairs = [[".DIP".index(c) for c in _PAIR_TABLE[i * 33:(i + 1) * 33]]
                 for i in range(33)]
        _tables = (bytes(props), bytes(widths), pairs)
    return _tables


def _possible_breaks(cps: list[int], cjk: bool) -> list[int]:
    """UAX #14 break opportunities before each code point (libunistring 1.0)."""
    props, _, pairs = _unicode_tables()
    ai = _ID1 if cjk else _AL
    res = [_PROHIBITED] * len(cps)
    prev = last = _BK
    seen_space = False
    ri_count = 0
    for i, cp in enumerate(cps):
        prop = props[cp]
        if prop == _BK or prop == _LF or prop == _CR:
            res[i] = _MANDATORY
            prev, last, seen_space = prop, _BK, False
        else:
            if prop == _AI:
                prop = ai
            elif prop == _CB:
                prop = _ID1
            elif prop == _SA or prop == _XX:
                prop = _AL
            if prop == _SP:
                seen_space = True
            elif prop == _ZW:
                last, seen_space = _ZW, False
            elif prop == _CM or prop == _ZWJ:
                if last == _BK:
                    last, seen_space = _AL, False
                elif last == _ZW or seen_space:
                    res[i] = _POSSIBLE
                    last, seen_space = _AL, False
            else:
                if last == _BK:
                    brk = False             # (LB4-6) never at the start of a line
                elif last == _ZW:
                    brk = True              # (LB8) after a zero-width space
                elif prev == _ZWJ:
                    brk = False             # (LB8a)
                elif last == _RI and prop == _RI:
                    brk = seen_space or ri_count % 2 == 0      # (LB30a) flag pairs
                elif prev == _HL_BA:
                    brk = False             # (LB21a)
                else:
                    kind = pairs[last][prop]
                    brk = kind == 1 or (kind == 2 and seen_space)
                if brk:
                    res[i] = _POSSIBLE
                last, seen_space = prop, False
            prev = _HL_BA if prev == _HL and (prop == _HY or prop == _BA) else prop
        ri_count = ri_count + 1 if prop == _RI else 0
    return res


# ---- a faster path to the same break opportunities, for text without rare classes ----
# The state machine above walks every character in Python.  For text with none of the
# classes that need its extra state (mandatory breaks, combining marks, ZW, ZWJ, regional
# indicators), a break before position i depends only on the class before it (or before
# the spaces before it) and its own: regular expressions over a string of class letters
# find them in C.  tests/test_po.py checks both paths agree.
_CLASS_CHAR = 0x41                   # class n is written as chr(0x41 + n)
_SLOW_CLASSES = {_BK, _CR, _LF, _CM, _ZW, _ZWJ, _RI}
_class_maps: dict[bool, tuple[dict[int, str], set[str]]] = {False: ({}, set()), True: ({}, set())}
_fast_res: tuple | None = None


def _class_of(cp: int, props: bytes, cjk: bool) -> int:
    prop = props[cp]
    if prop == _AI:
        return _ID1 if cjk else _AL
    if prop == _CB:
        return _ID1
    if prop == _SA or prop == _XX:
        return _AL
    return prop


def _fast_regexes(pairs):
    """(spaced, after, before, slow), built once, over class strings.

    spaced matches a run of spaces after which a break is possible (class X before it,
    class Y after it, X SP+ Y breakable).  A break with no space (X Y breakable
    directly) is found by after, which ends at such an X of the punctuation kind, or by
    before, which starts at such a Y for the letters, digits and common punctuation of
    Latin text (they break directly only before rare classes, so the engine skips
    ahead to those).  slow finds the classes only the full machine handles.
    """
    global _fast_res
    if _fast_res is None:
        n = len(pairs)
        ch = lambda k: re.escape(chr(_CLASS_CHAR + k))  # noqa: E731
        chars = lambda ks: "".join(ch(k) for k in sorted(ks))  # noqa: E731
        sp = ch(_SP)
        props = _unicode_tables()[0]
        common = {_class_of(ord(c), props, False) for c in "a0 ,.;:!?'\"()"}
        breaks_after_space, direct_groups = {}, {}
        for x in range(n):
            ys = {y for y in range(n) if pairs[x][y] in (1, 2)}
            if ys:
                breaks_after_space[x] = ys
            direct = frozenset(y for y in range(n) if pairs[x][y] == 1)
            if direct:
                direct_groups.setdefault(direct, set()).add(x)
        # the spaces after X where X SP+ Y breaks: for most X, before any Y in ys_all;
        # the few other X each name the Y they do not break before
        ys_all = set().union(*breaks_after_space.values())
        general = {x for x, ys in breaks_after_space.items() if ys == ys_all}
        branches = [f"(?<=[{chars(general)}]{sp})"]
        branches += [f"(?<={ch(x)}{sp})(?!{sp}*[{chars(ys_all - ys)}])"
                     for x, ys in breaks_after_space.items() if x not in general]
        spaced = re.compile(f"{sp}(?:{'|'.join(branches)}){sp}*(?=[{chars(ys_all)}])")
        # Direct breaks, found from their rarer side so that the regex engine skips
        # ahead to it: after punctuation (X), or before a rare class (Y) for the letters,
        # digits and common punctuation of Latin text (quiet X, which break directly
        # only before rare classes).
        quiet = {x for ys, xs in direct_groups.items() if not ys & common for x in xs}
        after_x = [(xs - quiet, ys) for ys, xs in direct_groups.items() if xs - quiet]
        before_y = [(xs & quiet, ys) for ys, xs in direct_groups.items() if xs & quiet]
        after = re.compile(f"[{chars(set().union(*(xs for xs, _ in after_x)))}](?:" + "|".join(
            f"(?<=[{chars(xs)}])(?=[{chars(ys)}])" for xs, ys in after_x) + ")")
        before = re.compile(f"[{chars(set().union(*(ys for _, ys in before_y)))}](?:" + "|".join(
            f"(?<=[{chars(xs)}][{chars(ys)}])" for xs, ys in before_y) + ")")
        slow = re.compile(f"[{chars(_SLOW_CLASSES)}]")
        _fast_res = (spaced, after, before, slow)
    return _fast_res


def _class_string(text: str, cjk: bool) -> str:
    """``text`` with each character replaced by the letter of its line-break class."""
    table, known = _class_maps[cjk]
    if not known:
        props = _unicode_tables()[0]
        for cp in range(0x250):       # ASCII and Latin, up front
            table[cp] = chr(_CLASS_CHAR + _class_of(cp, props, cjk))
            known.add(chr(cp))
    if not text.isascii():
        props = _unicode_tables()[0]
        for c in set(text) - known:
            table[ord(c)] = chr(_CLASS_CHAR + _class_of(ord(c), props, cjk))
            known.add(c)
    return text.translate(table)


def _fast_classes(text: str, cjk: bool) -> tuple[str, list[int]] | None:
    """(class string, direct break positions, ascending) of ``text``, or None when it
    needs the full machine."""
    classes = _class_string(text, cjk)
    _, after, before, slow = _fast_regexes(_unicode_tables()[2])
    if slow.search(classes):
        return None
    direct = [m.end() for m in after.finditer(classes)]
    direct += [m.start() for m in before.finditer(classes)]
    if direct:
        hl, hy, ba = (chr(_CLASS_CHAR + k) for k in (_HL, _HY, _BA))
        # (LB21a) Hebrew letter + hyphen: no break after
        direct = sorted(i for i in direct
                        if not (i >= 2 and classes[i - 2] == hl and classes[i - 1] in (hy, ba)))
    return classes, direct


def _break_positions_fast(text: str, cjk: bool) -> list[int] | None:
    """The positions _possible_breaks marks POSSIBLE, in order, or None when ``text``
    needs the full machine."""
    found = _fast_classes(text, cjk)
    return None if found is None else _positions(*found)


def _positions(classes: str, direct: list[int]) -> list[int]:
    """Every break opportunity of a class string with its direct ones, in order."""
    spaced = [m.end() for m in _fast_regexes(_unicode_tables()[2])[0].finditer(classes)]
    return sorted(spaced + direct) if direct else spaced


def _near_linebreaks(classes: str, direct: list[int], overrides, width: int,
                     start_column: int, any_break: bool = False):
    """libunistring's greedy line breaks for fast-path text whose every character is one
    column wide (or, with ``any_break``, whether there is any opportunity at all), from
    the opportunities near the end of each line only.

    A long message has a break opportunity after nearly every word, but the greedy fill
    needs only the last one before each line's end and the first one after it: found
    with rfind/search on the class string, and the pattern of breakable spaces.
    """
    spaced = _fast_regexes(_unicode_tables()[2])[0]
    space, n = chr(_CLASS_CHAR + _SP), len(classes)
    last_space = classes.rfind(space)

    def allowed(p: int) -> bool:
        return overrides is None or not overrides[p]      # overrides only prohibit

    def run_start(p: int) -> int:
        while p > 0 and classes[p - 1] == space:
            p -= 1
        return p

    def last_in(low: int, high: int) -> int | None:
        """The last opportunity p with low < p <= high."""
        best, k = None, bisect.bisect_right(direct, high) - 1
        while k >= 0 and direct[k] > low:
            if allowed(direct[k]):
                best = direct[k]
                break
            k -= 1
        end = high + 1
        while True:
            s = classes.rfind(space, low, end - 1)    # a run of spaces ending at s + 1
            if s < 0 or (best is not None and s + 1 <= best):
                return best
            first = run_start(s)
            m = spaced.match(classes, first, high + 1)
            if m is not None and m.end() == s + 1 and s + 1 > low and allowed(s + 1):
                return s + 1
            end = first + 1

    def first_after(low: int) -> int | None:
        """The first opportunity p > low."""
        best, k = None, bisect.bisect_right(direct, low)
        while k < len(direct):
            if allowed(direct[k]):
                best = direct[k]
                break
            k += 1
        position = run_start(low)
        # no search past the last space, nor past the first direct break (none can win)
        stop = n if best is None else best + 1
        while position <= last_space:
            m = spaced.search(classes, position, stop)
            if m is None or (best is not None and m.end() > best):
                return best
            if m.end() > low and allowed(m.end()):
                return m.end()
            position = m.end()
        return best

    if any_break:               # whether there is any opportunity at all
        return first_after(0) is not None
    breaks, start, column, last = [], 0, start_column, None
    while True:
        limit = start + width - column        # the last position this line can reach
        if n <= limit:
            return breaks
        low = start if last is None else last
        if limit > low:
            found = last_in(low, limit)
            if found is not None:
                last = found
        following = first_after(max(limit, low if last is None else last))
        if following is None:
            if last is not None:
                breaks.append(last)
            return breaks
        if last is not None:
            breaks.append(last)
            start, column = last, 0
        last = following


def _possible_breaks_fast(text: str, cjk: bool) -> list[int] | None:
    """_possible_breaks's list from the fast path (for the tests that compare them)."""
    positions = _break_positions_fast(text, cjk)
    return None if positions is None else _marks(positions, len(text))


def _marks(positions: list[int], n: int) -> list[int]:
    res = [_PROHIBITED] * n
    for i in positions:
        res[i] = _POSSIBLE
    return res


def _char_width(cp: int, widths: bytes, cjk: bool) -> int:
    w = widths[cp] - 1
    if cjk and w == 1 and 0xA1 <= cp < 0xFF61 and cp != 0x20A9:
        return 2
    return w


def _width_linebreaks(cps, overrides, width, start_column, cjk, text: str | None = None,
                      found: tuple | None | bool = False) -> list[int]:
    """Indexes before which a line break goes (libunistring u8_width_linebreaks).
    ``found``: _fast_classes(text), when the caller has it already."""
    _, widths, _ = _unicode_tables()
    if found is False:
        found = _fast_classes(text, cjk) if text is not None else None
    if found is not None and _text_width(text, cjk) == len(text):
        return _near_linebreaks(*found, overrides, width, start_column)
    if cps is None:
        cps = [ord(c) for c in text]
    if overrides is None:
        overrides = [0] * len(cps)
    p = _marks(_positions(*found), len(cps)) if found is not None else _possible_breaks(cps, cjk)
    breaks = []
    last_p = None
    column, piece = start_column, 0
    for i, cp in enumerate(cps):
        if overrides[i]:
            p[i] = overrides[i]
        kind = p[i]
        if kind >= _POSSIBLE and last_p is not None and column + piece > width:
            breaks.append(last_p)
            column = 0
        if kind == _MANDATORY:
            last_p, column, piece = None, 0, 0
            continue
        if kind == _POSSIBLE:
            last_p = i
            column += piece
            piece = 0
        w = _char_width(cp, widths, cjk)
        if w > 0:
            piece += w
    if last_p is not None and column + piece > width:
        breaks.append(last_p)
    return breaks


_odd_width_re: re.Pattern | None = None


def _odd_width_chars() -> re.Pattern:
    """Regex matching every character whose width is not 1 (built once)."""
    global _odd_width_re
    if _odd_width_re is None:
        _, widths, _ = _unicode_tables()
        ranges, start = [], None
        for cp in range(0x110000 + 1):
            odd = cp < 0x110000 and widths[cp] != 2 and not 0xD800 <= cp < 0xE000
            if odd and start is None:
                start = cp
            elif not odd and start is not None:
                ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
                start = None
        _odd_width_re = re.compile("[" + "".join(ranges) + "]")
    return _odd_width_re


def _text_width(text: str, cjk: bool) -> int:
    if text.isascii() and text.isprintable():
        return len(text)
    _, widths, _ = _unicode_tables()
    if cjk:
        return sum(max(_char_width(ord(c), widths, cjk), 0) for c in text)
    odd = _odd_width_chars().findall(text)
    return len(text) - len(odd) + sum(max(widths[ord(c)] - 1, 0) for c in odd)


# ------------------------------------------------------- format directives ---

# Format flags in the order GNU gettext 0.21 writes them (its NFORMATS order).
GNU_FORMATS = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp",
    "javascript", "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk",
    "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde", "kde-kuit",
    "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal",
    "gfc-internal", "ycp")
_FORMAT_RANK = {name: i for i, name in enumerate(GNU_FORMATS)}

# Valid directives of the formats we know; GNU never breaks a line inside one.
# (python-brace is absent on purpose: gettext 0.21 marks only a directive's
# closing brace, so in effect it protects nothing.)
_DIRECTIVE_RES = {
    "c": re.compile(r"%(?:<PRI[a-zA-Z0-9]+>|(?:\d+\$)?[-+ #0'I]*(?:\*(?:\d+\$)?|\d+)?"
                    r"(?:\.(?:\*(?:\d+\$)?|\d+)?)?(?:hh|h|ll|l|L|q|j|z|Z|t)?"
                    r"(?:[diouxXfFeEgGaAcspnm%]|<PRI[a-zA-Z0-9]+>))"),
    "python": re.compile(r"%(?:\([^)]*\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+)?)?"
                         r"[hlL]?[diouxXeEfFgGcrsa%]"),
}


def _directive_format(flags: list[str], known=None) -> str | None:
    """The format GNU parses strings with: the first 'possible' one in its order."""
    state = (known or _known_flag_state(flags))[1]
    if not state:
        return None
    for name in GNU_FORMATS:
        if state.get(name) in ("yes", "possible"):
            return name
    return None


def _directive_kind(directive: str, fmt: str) -> str | None:
    """How a directive names its argument; GNU rejects strings that mix kinds."""
    if directive == "%%":
        return None
    if fmt == "c":
        return "numbered" if re.match(r"%\d+\$", directive) else "unnumbered"
    return "named" if directive.startswith("%(") else "unnamed"


def _no_break_positions(value: str, fmt: str | None) -> set[int]:
    """Positions inside valid format directives (GNU never breaks there).

    Like GNU's parsers we scan left to right and stop at the first invalid
    directive: nothing after it is protected.
    """
    regex = _DIRECTIVE_RES.get(fmt) if fmt else None
    if regex is None or "%" not in value:
        return set()
    inside, kinds = set(), set()
    pos = value.find("%")
    while pos >= 0:
        m = regex.match(value, pos)
        if m is None:
            break
        kind = _directive_kind(m.group(0), fmt)
        if kind:
            kinds.add(kind)
            if len(kinds) > 1:
                break
        inside.update(range(m.start() + 1, m.end()))
        pos = value.find("%", m.end())
    return inside


# -------------------------------------------------------------- the writer ---

_ESCAPE = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t",
           "\v": "v", "\\": "\\", '"': '"'}
_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')
_NO_WRAP = 1 << 30
_CJK_CHARSETS = {"EUC-JP", "GB2312", "GBK", "EUC-TW", "BIG5", "EUC-KR",
                 "CP949", "JOHAB"}


def _escape_portion(value: str, start: int, end: int, no_break: set[int]):
    """Escaped text of value[start:end] and its break overrides (1 = never)."""
    chunk = value[start:end]
    if not _NEEDS_ESCAPE.search(chunk) and not no_break:
        return chunk, None
    out, overrides = [], []
    for pos in range(start, end):
        c = value[pos]
        first = _PROHIBITED if pos in no_break else 0
        esc = _ESCAPE.get(c)
        if esc is None:
            out.append(c)
            overrides.append(first)
        else:
            out.append("\\" + esc)
            overrides.extend((first, _PROHIBITED))
    if chunk.endswith("\n"):
        overrides[-2] = _PROHIBITED     # never break just before the final \n
    return "".join(out), overrides


def _wrap(lines: list[str], prefix: str, name: str, value: str,
          page_width: int, cjk: bool, no_break: set[int]) -> None:
    """Append the lines GNU's wrap() (write-po.c) writes for ``name "value"``.

    Each piece up to and including a newline is escaped and broken alone.
    If the first piece does not fit after ``name "``, or more pieces follow,
    the keyword gets an empty string and the text starts on the next line.
    """
    after_break = len(prefix) + 1                  # prefix plus opening quote
    width = page_width - 1 - after_break           # room for closing quote
    first = True
    start, n = 0, len(value)
    while True:
        nl = value.find("\n", start)
        end = n if nl < 0 else nl + 1
        text, overrides = _escape_portion(value, start, end, no_break)
        column = len(name) + 1 if first else 0
        piece = _Piece(text, overrides, width, cjk)
        if first and text and (end < n or column > width or piece.breaks_at_all(column)):
            lines.append(f'{prefix}{name} ""')
            first, column = False, 0
        breaks = piece.breaks(column)
        head = f"{prefix}{name} " if first else prefix
        if not breaks:
            lines.append(f'{head}"{text}"')
        else:
            cuts = [0] + sorted(set(breaks)) + [len(text)]
            lines.append(f'{head}"{text[cuts[0]:cuts[1]]}"')
            lines.extend(f'{prefix}"{text[a:b]}"' for a, b in zip(cuts[1:], cuts[2:]))
        first = False
        start = end
        if start >= n:
            return


class _Piece:
    """One escaped piece of a message (up to a newline) and where it breaks, its width and
    break opportunities worked out once for both start columns _wrap asks about."""
    __slots__ = ("text", "overrides", "width", "cjk", "text_width", "_found")

    def __init__(self, text: str, overrides, width: int, cjk: bool):
        self.text, self.overrides, self.width, self.cjk = text, overrides, width, cjk
        self.text_width = _text_width(text, cjk)
        self._found: tuple | None | bool = False         # False: not worked out yet

    def _fast_path(self) -> tuple | None:
        """(classes, direct) when the near-line-end search applies, else None."""
        if self._found is False:
            self._found = _fast_classes(self.text, self.cjk)
        return self._found if self.text_width == len(self.text) else None

    def breaks(self, column: int) -> list[int]:
        if column + self.text_width <= self.width:
            return []           # everything fits: no break can be needed
        fast = self._fast_path()
        if fast is not None:
            return _near_linebreaks(*fast, self.overrides, self.width, column)
        return _width_linebreaks(None, self.overrides, self.width, column, self.cjk, self.text,
                                 found=self._found)

    def breaks_at_all(self, column: int) -> bool:
        """Whether the piece starting at ``column`` is broken (GNU then starts it on a line
        of its own)."""
        if column + self.text_width <= self.width:
            return False
        fast = self._fast_path()
        if fast is None:
            return bool(self.breaks(column))
        # Greedy filling of text that does not fit breaks somewhere iff it can break anywhere.
        return _near_linebreaks(*fast, self.overrides, self.width, column, any_break=True)


def _references_lines(refs: list[str], page_width: int) -> list[str]:
    """GNU packs references greedily; ``len`` counts bytes, as strlen does."""
    seen, items = set(), []
    for ref in refs:
        if any(c in ref for c in " \t\n"):
            raise CatalogError(f"reference {ref!r} contains white space; "
                               "GNU gettext 0.21 cannot write it")
        file_name, line = _split_reference(ref)
        if (file_name, line) in seen:
            continue
        seen.add((file_name, line))
        while file_name.startswith("./"):
            file_name = file_name[2:]
        items.append(file_name if line is None else f"{file_name}:{line}")
    if not items:
        return []
    lines, current, column = [], "#:", 2
    for item in items:
        size = len(item.encode("utf-8")) + 1
        if column > 2 and column + size > page_width:
            lines.append(current)
            current, column = "#:", 2
        current += " " + item
        column += size
    lines.append(current)
    return lines


def _split_reference(ref: str) -> tuple[str, int | None]:
    """``file:12`` -> (file, 12); anything else is a file name alone (GNU)."""
    m = re.match(r"(.+):(\d{1,18})\Z", ref, re.S)   # more digits: not a line number
    if m:
        return m.group(1), int(m.group(2))
    return ref, None


_RANGE_RE = re.compile(r"range: (\d+)\.\.(\d+)\Z")
_FORMAT_FLAG_RE = re.compile(r"(no-|possible-|impossible-)?(.+)-format\Z")


def _known_flag_state(flags: list[str]):
    """What GNU makes of a flag list: (fuzzy, formats, range, no_wrap, others)."""
    fuzzy, formats, rng, no_wrap, others = False, {}, None, None, []
    for flag in flags:
        if flag == "fuzzy":
            fuzzy = True
            continue
        m = _FORMAT_FLAG_RE.match(flag)
        if m and m.group(2) in _FORMAT_RANK:
            formats[m.group(2)] = {"no-": "no", "possible-": "possible",
                                   "impossible-": "impossible"}.get(m.group(1), "yes")
            continue
        m = _RANGE_RE.match(flag)
        if m:
            low, high = (min(int(x), 2**31 - 1) if len(x) <= 10 else 2**31 - 1
                         for x in m.groups())
            if low <= high:
                rng = (low, high)
                continue
        if flag in ("wrap", "no-wrap"):
            no_wrap = flag == "no-wrap"
            continue
        if flag not in others:
            others.append(flag)
    return fuzzy, formats, rng, no_wrap, others


def _flags_line(entry: Entry, known=None) -> str | None:
    fuzzy, formats, rng, no_wrap, others = known or _known_flag_state(entry.flags)
    out = []
    if fuzzy and entry.first_msgstr:
        out.append("fuzzy")
    for name in GNU_FORMATS if formats else ():
        state = formats.get(name)
        if state in ("yes", "possible"):
            out.append(f"{name}-format")
        elif state == "no":
            out.append(f"no-{name}-format")
    if rng and not entry.obsolete:              # GNU omits ranges on #~ entries
        out.append(f"range: {rng[0]}..{rng[1]}")
    if no_wrap:
        out.append("no-wrap")
    for flag in others:
        if not flag or any(c in flag for c in ", \t\n\r\f\v"):
            raise CatalogError(f"flag {flag!r} cannot be written on a '#,' line")
        out.append(flag)
    return "#, " + ", ".join(out) if out else None


def _check_writable(entry: Entry) -> None:
    """Refuse what GNU would read back differently (or not at all)."""
    for kind, items in (("comment", entry.translator_comments),
                        ("extracted comment", entry.extracted_comments),
                        ("reference", entry.references), ("flag", entry.flags)):
        for item in items:
            # a final backslash joins the next line (GNU's lexer); \r ends a line
            parts = item.split("\n")
            if "\r" in item or any(part.endswith("\\") for part in parts) \
                    or (len(parts) > 1 and kind != "comment"):
                raise CatalogError(f"{kind} {item[:60]!r} cannot be written in a .po file "
                                   "(newline, carriage return or final backslash)")
    if entry.previous_msgid is None and (entry.previous_msgctxt is not None
                                         or entry.previous_msgid_plural is not None):
        raise CatalogError(f"entry {entry.msgid[:60]!r} has a previous msgctxt or "
                           "msgid_plural but no previous msgid")


def _entry_lines(entry: Entry, page_width: int, cjk: bool) -> list[str]:
    _check_writable(entry)
    lines = []
    for comment in entry.translator_comments:
        for part in comment.split("\n"):        # GNU writes one '#' line each
            lines.append("# " + part if part else "#")
    for comment in entry.extracted_comments:
        lines.append("#. " + comment if comment else "#.")
    lines += _references_lines(entry.references, page_width)
    known = _known_flag_state(entry.flags)
    flags = _flags_line(entry, known)
    if flags:
        lines.append(flags)
    if known[3]:
        page_width = _NO_WRAP
    fmt = _directive_format(entry.flags, known)

    def put(prefix, name, value):
        _wrap(lines, prefix, name, value, page_width, cjk, _no_break_positions(value, fmt))

    prev = "#~| " if entry.obsolete else "#| "
    for name, value in (("msgctxt", entry.previous_msgctxt), ("msgid", entry.previous_msgid),
                        ("msgid_plural", entry.previous_msgid_plural)):
        if value is not None:
            put(prev, name, value)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        put(prefix, "msgctxt", entry.msgctxt)
    put(prefix, "msgid", entry.msgid)
    if entry.msgid_plural is None:
        if entry.msgstr_plural:
            raise CatalogError(f"entry {entry.msgid!r} has msgstr[n] but no msgid_plural")
        put(prefix, "msgstr", entry.msgstr)
    else:
        put(prefix, "msgid_plural", entry.msgid_plural)
        for i, form in enumerate(entry.msgstr_plural or ["", ""]):
            put(prefix, f"msgstr[{i}]", form)
    return lines


def _output_codec(po: PoFile) -> tuple[str, bool]:
    """(Python codec, CJK widths?) for the header's charset; UTF-8 when none."""
    charset = po.charset
    for entries in po.domains.values() if charset is None else ():
        first = entries[0] if entries else None     # a domain's header, as msgcat reads it
        if first is not None and first.msgid == "" and first.msgctxt is None:
            charset = _header_charset(first.msgstr)
            break
    if charset is None or charset.upper() == "CHARSET":
        return "ascii", False
    codec = _text_codec(charset)
    if codec is None:
        raise CatalogError(_charset_problem(charset, "in the header"), path=po.path,
                           hint="declare charset=UTF-8")
    return codec, charset.upper() in _CJK_CHARSETS


def _text_codec(charset: str) -> str | None:
    """Python's codec for a .po charset, or None if it cannot be one.

    Only text encodings that write the PO keywords and quotes as ASCII qualify
    (as for GNU gettext): not 'rot13' or 'base64' (bytes-to-bytes codecs whose
    decode() raises LookupError), nor UTF-16/32, EBCDIC and the like.
    """
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in ("idna", "punycode"):
        return None
    try:
        if _ASCII_PROBE.encode(info.name) != _ASCII_PROBE.encode("ascii"):
            return None
    except (UnicodeError, LookupError):
        return None
    return info.name


def _charset_problem(charset: str, where: str) -> str:
    try:
        codecs.lookup(charset)
    except (LookupError, ValueError):
        return f"unknown charset {charset!r} {where}"
    return (f"charset {charset!r} {where} cannot be a .po file's: it does not write "
            "the ASCII keywords and quotes as ASCII")


_ASCII_PROBE = 'msgid "x" msgstr[0] #~|:,.\\\n\r\t'


def write_po(po: PoFile, width: int = 79) -> bytes:
    """The catalog as ``msgcat --width=WIDTH`` 0.21 writes it, plus the flags GNU
    drops.  Like msgcat, a width under 20 counts as 20."""
    width = max(width, 20)
    codec, cjk = _output_codec(po)
    blocks = []
    if po.header is not None:
        blocks.append(_entry_lines(po.header, width, cjk))
    _entry_blocks(blocks, po.entries, width, cjk)
    for name, entries in po.domains.items():    # as msgcat: after the default domain's
        blocks.append([f'domain "{_escape_portion(name, 0, len(name), set())[0]}"'])
        _entry_blocks(blocks, entries, width, cjk)
    text = "\n".join("\n".join(block) + "\n" for block in blocks)
    try:
        return text.encode(codec)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start:exc.end]
        declared = po.charset or "no charset"
        raise CatalogError(f"text {bad!r} cannot be written in {declared}",
                           path=po.path, hint="declare charset=UTF-8 in the header") from None


def _entry_blocks(blocks: list, entries: list[Entry], width: int, cjk: bool) -> None:
    for entry in entries:
        if not entry.obsolete:
            blocks.append(_entry_lines(entry, width, cjk))
    for entry in entries:
        if entry.obsolete and entry.first_msgstr:     # GNU drops empty obsolete
            blocks.append(_entry_lines(entry, width, cjk))


def write_po_file(po: PoFile, path: str | os.PathLike) -> None:
    atomic_write(path, write_po(po))


# -------------------------------------------------------------- the reader ---

_HEADER_FIELD_LINE_RE = re.compile(r'\s*(?:msgstr\s+)?"([A-Za-z][A-Za-z0-9-]*):')
_KEYWORD_RE = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"]|\Z)")
_STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t\r\f\v]*')
_ESCAPE_RE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.|\Z))', re.S)
_SIMPLE_UNESCAPE = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f",
                    "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_SOLARIS_LINE_RE = re.compile(r"[ \t]*line[ \t]*:(\d{1,18})[ \t\n]*")
_FLAG_SPLIT_RE = re.compile(r"[\n \t\r\f\v,]+")
_STAGES = ("msgctxt", "msgid", "msgid_plural", "msgstr")

# One entry as GNU gettext writes it: comment lines (no '#~' ones but '#~|'), then the
# keywords, each with its strings one to a line, then blank
# lines.  Obsolete entries are the same behind '#~ '.
_FAST_STR = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'


def _fast_keywords(p: str) -> str:
    strings = f"({_FAST_STR}(?:\\n{p}{_FAST_STR})*)"
    forms = f"((?:{p}msgstr\\[\\d{{1,9}}\\] {_FAST_STR}(?:\\n{p}{_FAST_STR})*\\n)+)"
    return (f"(?:{p}msgctxt {strings}\\n)?{p}msgid {strings}\\n"
            f"(?:{p}msgid_plural {strings}\\n{forms}|{p}msgstr {strings}\\n)")


_FAST_ENTRY_RE = re.compile(
    r"(((?:#(?!~(?!\|))[^\n]*\n)*)"
    f"(?:{_fast_keywords('')}|{_fast_keywords('#~ ')})\\n*)")
# A '#:' line of plain 'file:N' references (N without leading zeros), which the line
# reader would give back unchanged.
_FAST_REFERENCES_RE = re.compile(r"(?:[ \t]+[^\s:]\S*:(?:0|[1-9][0-9]{0,17}))+[ \t]*")
_FAST_FORMS_RE = re.compile(f"msgstr\\[(\\d+)\\] ({_FAST_STR}(?:\\n{_FAST_STR})*)")
_FAST_OBSOLETE_FORMS_RE = re.compile(
    f"#~ msgstr\\[(\\d+)\\] ({_FAST_STR}(?:\\n#~ {_FAST_STR})*)")


def read_po_file(path: str | os.PathLike) -> PoFile:
    path = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror}", path=path) from None
    return read_po(data, path)


def read_po(data: bytes, path: str | None = None) -> PoFile:
    """Parse a PO/POT file (one pass); CatalogError with path:line when broken."""
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogError(f"{len(data) // (1024 * 1024)} MB: larger than the "
                           f"{MAX_CATALOG_BYTES // (1024 * 1024)} MB a catalog may be",
                           path=path, hint="is this a catalog? split it if it really is one")
    text, codec = _decode(data, path)
    _check_line_ends(text, path)
    with _no_cycle_collection():
        po = _Parser(text, codec, path).parse()
    if po.header is None and not po.entries and not po.domains and text.strip():
        raise CatalogError("the file is not empty but holds no entry", path=path, line=1,
                           hint="is it a catalog? every entry needs msgid and msgstr lines")
    return po


_LONE_CR_RE = re.compile("\r(?!\n)")


def _check_line_ends(text: str, path: str | None) -> None:
    """CR-only line ends (old Mac files) would read as one long line: refused."""
    lone = _LONE_CR_RE.search(text)
    if lone is not None:
        raise CatalogError("a carriage return (CR) not followed by a line feed: this file's "
                           "lines end in CR alone", path=path,
                           line=text.count("\n", 0, lone.start()) + 1,
                           hint="save it with LF (or CRLF) line ends")


@contextlib.contextmanager
def _no_cycle_collection():
    """Reading makes tens of thousands of small objects and no reference cycles: the cycle
    collector would only walk the whole heap, again and again, for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes, path: str | None) -> tuple[str, str]:
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    nul = data.find(b"\0")
    if nul >= 0:
        raise CatalogError("NUL byte in catalog", path=path, line=_line_of(data, nul),
                           hint="a .po file is text; is this a .mo or a UTF-16 file?")
    charset, line = _sniff_charset(data)
    if charset is None or charset.upper() == "CHARSET":
        codec = "utf-8"           # no header, or a template's placeholder
    else:
        codec = _text_codec(charset)
        if codec is None:
            raise CatalogError(_charset_problem(charset, "declared in the header"),
                               path=path, line=line, hint="declare charset=UTF-8")
        if bom and codec != "utf-8":
            raise CatalogError(f"file starts with a UTF-8 byte-order mark but the header "
                               f"declares charset={charset}", path=path, line=line)
    try:
        text = data.decode(codec)
    except UnicodeError as exc:
        start = getattr(exc, "start", 0)
        byte = data[start] if start < len(data) else 0
        if not isinstance(exc, UnicodeDecodeError):
            raise CatalogError(f"the text is not valid {charset}", path=path, line=line,
                               hint="convert the file or fix the charset= in the header") from None
        raise CatalogError(f"byte 0x{byte:02x} is not valid {charset or 'UTF-8'}"
                           f"{' as the header declares' if charset else ''}",
                           path=path, line=_line_of(data, start),
                           hint="convert the file or fix the charset= in the header") from None
    if codec != "utf-8" and not codec.startswith("utf"):
        c1 = re.search("[\x80-\x9f]", text)
        if c1:            # C1 controls: UTF-8 bytes read as a single-byte charset
            offset = len(text[:c1.start()].encode(codec))
            raise CatalogError(f"byte 0x{ord(c1.group()):02x} is a control character in "
                               f"{charset}; the bytes contradict the declared charset",
                               path=path, line=_line_of(data, offset),
                               hint="the file is probably UTF-8: declare charset=UTF-8")
    return text, codec


_HEADER_RE = re.compile(
    rb'^[ \t]*msgid[ \t]+""[ \t]*\r?\n[ \t]*msgstr[ \t]+((?:"[^\n]*"[ \t]*\r?\n?[ \t]*)+)', re.M)
_FIRST_KEYWORD_RE = re.compile(rb"^[ \t]*(msgctxt|msgid)\b", re.M)


def _sniff_charset(data: bytes) -> tuple[str | None, int | None]:
    """charset= of the header, read from the raw bytes before decoding."""
    first = _FIRST_KEYWORD_RE.search(data)
    if first is None or first.group(1) != b"msgid":
        return None, None
    m = _HEADER_RE.match(data, first.start())
    if m is None:
        return None, None
    found = re.search(rb"charset=([^ \t\n\\\"]*)", m.group(1))
    if found is None:
        return None, None
    name = found.group(1).decode("ascii", "replace")
    return (name or None), _line_of(data, m.start(1) + found.start())


class _Parser:
    """Line-oriented PO parser; keeps the state of the entry being read."""

    def __init__(self, text: str, codec: str, path: str | None):
        self.text, self.codec, self.path = text, codec, path
        self.po = PoFile(path=path)
        self.seen: dict[tuple[str | None, str], int] = {}
        self.lineno = 0
        self.domain = DEFAULT_DOMAIN
        self.rest: int | None = None    # where a second keyword starts on the line read
        self._reset()

    def error(self, message: str, hint: str | None = None, line: int | None = None):
        return CatalogError(message, path=self.path, line=line or self.lineno, hint=hint)

    def _reset(self):
        self.cur = Entry(msgid="")
        self.stage = None           # last keyword read: msgctxt/msgid/msgid_plural/msgstr
        self.field = None           # where continuation strings go: (attr, index)
        self.obsolete = None        # obsolete state of the entry's keywords
        self.prev_field = None

    # -- driving loop
    def parse(self) -> PoFile:
        fast = self._parse_fast()
        if fast is not None:
            return fast
        self.po, self.seen = PoFile(path=self.path), {}
        self._reset()
        return self._parse_lines()

    def _parse_lines(self) -> PoFile:
        lines = self.text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for self.lineno, line in enumerate(lines, 1):
            if line.endswith("\r"):
                line = line[:-1]
            if line.endswith("\\") and self.lineno < len(lines):
                line = self._join_continued(lines, line)
            line = line.lstrip(" \t\f\v")
            if not line:
                continue
            c = line[0]
            if c == "#":
                self._comment(line)
            elif c == '"':
                self._continuation(line, 0, False)
            else:
                self._keyword(line, False)
        self._finish()
        self._header_lines(lines)
        return self.po

    def _parse_fast(self) -> PoFile | None:
        """The catalog, if every line of it is in the layout GNU gettext writes; else None.

        Whole entries are matched at once (the line loop costs most of the time a
        catalog takes to read).  Anything the pattern does not cover: a file whose
        entries are not all matched back to back, a line that GNU's lexer would join
        or strip, any error: and the line parser reads the file from the start, so
        every result and every error is the line parser's.
        """
        text = self.text
        if "\r" in text or "\\\n" in text:
            return None
        if not text.endswith("\n"):
            text += "\n"
        position = len(text) - len(text.lstrip("\n"))
        lineno, end, match = 1 + position, len(text), _FAST_ENTRY_RE.match
        try:
            # Entry after entry from where the last ended; at the first place that is not
            # an entry, give up (scanning on past it would cost time quadratic in the file).
            while position < end:
                found = match(text, position)
                if found is None:
                    return None
                groups = found.groups()
                self._fast_entry(groups, lineno)
                lineno += groups[0].count("\n")
                position = found.end()
        except CatalogError:
            return None
        if self.stage is not None:
            return None
        self._header_lines(text.split("\n", self.po.header.line + 200)
                           if self.po.header is not None else [])
        return self.po

    def _fast_entry(self, match: tuple, lineno: int) -> None:
        (whole, comments, ctx, msgid, plural, forms, msgstr,
         o_ctx, o_msgid, o_plural, o_forms, o_msgstr) = match
        cur = self.cur
        if comments:
            references = cur.references
            for line in comments[:-1].split("\n"):
                if line.startswith("#: ") and _FAST_REFERENCES_RE.fullmatch(line, 2):
                    for token in line[3:].split():      # 'file:N' as GNU would write it
                        if token not in references:
                            references.append(token)
                else:
                    self._comment(line)             # errors: the line reader says where
            lineno += comments.count("\n")
        obsolete = not msgid
        if obsolete:
            ctx, msgid, plural, forms, msgstr = o_ctx, o_msgid, o_plural, o_forms, o_msgstr
            join = '"\n#~ "'
        else:
            join = '"\n"'
        if ctx:
            cur.msgctxt = self._fast_string(ctx, join)
            lineno += ctx.count("\n") + 1
        cur.msgid, cur.line = self._fast_string(msgid, join), lineno
        if plural:
            cur.msgid_plural = self._fast_string(plural, join)
            expected = 0
            for index, value in (_FAST_FORMS_RE if not obsolete else _FAST_OBSOLETE_FORMS_RE
                                 ).findall(forms):
                if int(index) != expected:
                    raise CatalogError("msgstr[n] out of order")   # the line parser says where
                cur.msgstr_plural.append(self._fast_string(value, join))
                expected += 1
        else:
            cur.msgstr = self._fast_string(msgstr, join)
        self.stage, self.obsolete = "msgstr", obsolete
        self._finish()

    def _fast_string(self, quoted: str, join: str) -> str:
        value = quoted[1:-1]
        if "\n" in value:
            value = value.replace(join, "")
        return self._unescape(value) if "\\" in value else value

    def _header_lines(self, lines: list[str]) -> None:
        """Where each header field's string starts, so errors in it point at its line."""
        header = self.po.header
        if header is None or not header.line:
            return
        for number in range(header.line, min(len(lines), header.line + 200)):
            match = _HEADER_FIELD_LINE_RE.match(lines[number])
            if match:
                self.po.header_lines.setdefault(match[1], number + 1)
            elif lines[number].strip() == "" or lines[number].lstrip().startswith(("#", "msgid")):
                break

    def _join_continued(self, lines: list[str], line: str) -> str:
        """GNU's lexer drops every backslash-newline: join all the lines it continues.

        The joined lines are blanked in ``lines`` so that line numbers stay right.
        """
        parts, following = [], self.lineno
        while line.endswith("\\") and following < len(lines):
            parts.append(line[:-1])
            line = lines[following]
            lines[following] = ""
            following += 1
            if line.endswith("\r"):
                line = line[:-1]
        parts.append(line)
        return "".join(parts)

    # -- comments
    def _comment(self, line: str):
        kind = line[1:2]
        if kind == "~":
            rest = line[2:]
            if rest.startswith("|"):
                return self._previous(rest[1:])
            rest = rest.lstrip(" \t")
            if not rest:
                return
            if rest[0] == '"':
                return self._continuation(rest, 0, True)
            if rest[0] == "#":
                return self._comment(rest)
            return self._keyword(rest, True)
        if kind == "|":
            return self._previous(line[2:])
        self._start_comment()
        body = line[2:]
        if kind == ".":
            self.cur.extracted_comments.append(body[1:] if body.startswith(" ") else body)
        elif kind == ":":
            self._add_references(body)
        elif kind in (",", "!"):
            self._add_flags(body)
        else:
            body = line[1:]
            m = _solaris_reference(body)
            if m:
                self._add_reference_token(*m)
            else:
                self.cur.translator_comments.append(body[1:] if body.startswith(" ") else body)

    def _start_comment(self):
        """A comment starts a new entry after a complete one; inside one it is an error."""
        if self.stage == "msgstr":
            self._finish()
        elif self.stage is not None:
            raise self.error(f"comment line inside an entry, after its {self.stage}",
                             hint="comments go before msgctxt/msgid")

    def _add_references(self, body: str):
        for file_name, number in _parse_filepos(body):
            self._add_reference_token(file_name, number)

    def _add_reference_token(self, file_name: str, number: int | None):
        token = file_name if number is None else f"{file_name}:{number}"
        if token not in self.cur.references:        # GNU drops exact duplicates
            self.cur.references.append(token)

    def _add_flags(self, body: str):
        tokens = [t for t in _FLAG_SPLIT_RE.split(body) if t]
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token == "range:" and i + 1 < len(tokens) \
                    and re.fullmatch(r"\d+\.\.\d+", tokens[i + 1]):
                token = "range: " + tokens[i + 1]
                i += 1
            self.cur.flags.append(token)
            i += 1

    def _previous(self, rest: str):
        if self.stage == "msgstr":
            self._finish()
        elif self.stage is not None:
            raise self.error(f"'#|' line inside an entry, after its {self.stage}")
        rest = rest.lstrip(" \t")
        if rest.startswith('"'):
            if self.prev_field is None:
                raise self.error("'#|' string without a keyword before it")
            attr = self.prev_field
            setattr(self.cur, attr, getattr(self.cur, attr) + self._strings(rest, 0))
            if self.rest is not None:
                rest, self.rest = rest[self.rest:], None
                self._previous(rest)
            return
        m = _KEYWORD_RE.match(rest)
        if not m or m.group(1) not in ("msgctxt", "msgid", "msgid_plural"):
            word = rest.split(None, 1)[0] if rest.split() else rest
            raise self.error(f"unknown keyword {word!r} in a '#|' line",
                             hint="'#|' lines hold the previous msgctxt, msgid or msgid_plural")
        attr = "previous_" + m.group(1)
        setattr(self.cur, attr, self._strings(rest, m.end(), need_one=True))
        self.prev_field = attr
        if self.rest is not None:       # '#| msgctxt "..." msgid "..."'
            rest, self.rest = rest[self.rest:], None
            self._previous(rest)

    # -- keywords and strings
    def _keyword(self, line: str, obsolete: bool):
        """One or more keywords with their strings (GNU reads ``msgid "2" msgstr "2"``)."""
        while line:
            self._one_keyword(line, obsolete)
            line, self.rest = (line[self.rest:] if self.rest is not None else ""), None

    def _one_keyword(self, line: str, obsolete: bool):
        m = _KEYWORD_RE.match(line)
        if not m:
            word = line.split(None, 1)[0] if line.split() else line
            if word == "domain" and not obsolete:
                return self._domain(line)
            raise self.error(f"unknown keyword {word[:40]!r}",
                             hint="expected msgctxt, msgid, msgid_plural, msgstr or msgstr[N]")
        keyword, index = m.group(1), m.group(2)
        value = self._strings(line, m.end(), need_one=True)
        if keyword == "msgctxt" or keyword == "msgid":
            self._begin(keyword, obsolete)
        else:
            self._check_obsolete(obsolete)
        cur = self.cur
        if keyword == "msgctxt":
            cur.msgctxt = value
            self.stage, self.field = "msgctxt", ("msgctxt", None)
        elif keyword == "msgid":
            cur.msgid, cur.line = value, self.lineno
            self.stage, self.field = "msgid", ("msgid", None)
        elif keyword == "msgid_plural":
            if self.stage != "msgid":
                raise self.error(self._order_message("msgid_plural"))
            cur.msgid_plural = value
            self.stage, self.field = "msgid_plural", ("msgid_plural", None)
        elif index is None:
            if self.stage == "msgid_plural":
                raise self.error("entry has msgid_plural but plain msgstr",
                                 hint="a plural entry needs msgstr[0], msgstr[1], ...")
            if self.stage == "msgstr":
                raise self.error("msgstr out of order: this entry already has a msgstr"
                                 if not cur.msgstr_plural
                                 else "entry has both msgstr[n] and msgstr")
            if self.stage != "msgid":
                raise self.error(self._order_message("msgstr"))
            cur.msgstr = value
            self.stage, self.field = "msgstr", ("msgstr", None)
        else:
            if len(index) > 9:
                raise self.error(f"msgstr[{index[:20]}...] is not a plural form index")
            self._plural_form(int(index), value)

    def _domain(self, line: str):
        """'domain "NAME"': the entries after it belong to NAME (msgfmt writes NAME.mo)."""
        name = self._strings(line, len("domain"), need_one=True)
        if self.rest is not None:
            raise self.error("text after the domain name")
        if self.stage == "msgstr":
            self._finish()
        elif self.stage is not None:
            raise self.error(f"'domain' directive inside an entry, after its {self.stage}")
        self._reset()                   # comments before a directive: dropped, as GNU does
        if not name or "/" in name or name in (".", ".."):
            raise self.error(f"{name!r} cannot be a domain name (it names the .mo file)")
        self.domain = name
        if name != DEFAULT_DOMAIN:
            self.po.domains.setdefault(name, [])
            self.po.domain_lines.setdefault(name, self.lineno)

    def _plural_form(self, index: int, value: str):
        cur = self.cur
        if self.stage == "msgid":
            raise self.error("msgstr[n] in an entry without msgid_plural",
                             hint="use plain msgstr, or add msgid_plural")
        if self.stage == "msgstr" and not cur.msgstr_plural:
            raise self.error("entry has both msgstr and msgstr[n]")
        if self.stage not in ("msgid_plural", "msgstr"):
            raise self.error(self._order_message(f"msgstr[{index}]"))
        if index != len(cur.msgstr_plural):
            raise self.error(f"msgstr[{index}] where msgstr[{len(cur.msgstr_plural)}] "
                             "was expected; indexes must run 0, 1, 2, ... in order")
        cur.msgstr_plural.append(value)
        self.stage, self.field = "msgstr", ("msgstr_plural", index)

    def _order_message(self, keyword: str) -> str:
        after = f"after {self.stage}" if self.stage else "without a msgid before it"
        return f"keyword {keyword} out of order ({after})"

    def _begin(self, keyword: str, obsolete: bool):
        if self.stage == "msgstr":
            self._finish()
        elif self.stage == "msgctxt" and keyword == "msgid":
            self._check_obsolete(obsolete)
            return
        elif self.stage is not None:
            raise self.error(f"{self.stage} without msgstr before this {keyword}"
                             if self.stage != "msgctxt" else
                             "msgctxt followed by another msgctxt",
                             hint="every entry ends with msgstr (or msgstr[n])")
        self.obsolete = obsolete

    def _check_obsolete(self, obsolete: bool):
        if self.obsolete is not None and obsolete != self.obsolete:
            raise self.error("inconsistent use of #~ within one entry")

    def _continuation(self, line: str, pos: int, obsolete: bool):
        if self.field is None:
            raise self.error("string without a keyword before it",
                             hint="a continuation string must follow msgid, msgstr, ...")
        self._check_obsolete(obsolete)
        attr, index = self.field
        more = self._strings(line, pos)
        if index is None:
            setattr(self.cur, attr, getattr(self.cur, attr) + more)
        else:
            self.cur.msgstr_plural[index] += more
        if self.rest is not None:       # '"...." msgstr "..."': a keyword after the strings
            rest, self.rest = line[self.rest:], None
            self._keyword(rest, obsolete)

    def _strings(self, line: str, pos: int, need_one: bool = False) -> str:
        """Concatenated value of the quoted strings from ``pos`` to end of line."""
        parts = []
        n = len(line)
        while pos < n and line[pos] in " \t\r\f\v":
            pos += 1
        while pos < n:
            if line[pos] != '"':
                if parts and _KEYWORD_RE.match(line, pos):
                    self.rest = pos     # the next keyword on the same line
                    break
                raise self.error(f"unexpected text {line[pos:pos + 20]!r} where a "
                                 "quoted string was expected")
            m = _STRING_RE.match(line, pos)
            if m is None:
                raise self.error("unterminated string (no closing quote on this line)",
                                 hint='a string ends on its own line: "..." ; write " as \\"')
            parts.append(m.group(1))
            pos = m.end()
        if need_one and not parts:
            raise self.error("keyword without a string after it")
        value = "".join(parts)
        return self._unescape(value) if "\\" in value else value

    def _unescape(self, s: str) -> str:
        has_bytes = False
        for m in _ESCAPE_RE.finditer(s):
            if m.group(4) is not None:
                bad = m.group(4)
                raise self.error(f"invalid escape sequence '\\{bad}' in string" if bad
                                 else "backslash at the end of a string",
                                 hint="PO strings allow \\n \\t \\\\ \\\" \\a \\b \\f \\r \\v, "
                                      "octal \\ooo and hex \\xhh")
            if m.group(2) is not None or m.group(3) is not None:
                has_bytes = True
        if not has_bytes:
            return _ESCAPE_RE.sub(lambda m: _SIMPLE_UNESCAPE[m.group(1)], s)
        return self._unescape_bytes(s)

    def _unescape_bytes(self, s: str) -> str:
        """Octal/hex escapes are bytes in the file's charset: rebuild, then decode."""
        out, last = bytearray(), 0
        for m in _ESCAPE_RE.finditer(s):
            out += s[last:m.start()].encode(self.codec)
            if m.group(1):
                out += _SIMPLE_UNESCAPE[m.group(1)].encode(self.codec)
            else:
                value = int(m.group(2), 8) if m.group(2) else int(m.group(3), 16)
                if value == 0 or value > 0xFF:
                    raise self.error(f"escape sequence '{m.group(0)}' is "
                                     f"{'a NUL byte' if value == 0 else 'not a byte'}")
                out.append(value)
            last = m.end()
        out += s[last:].encode(self.codec)
        try:
            return out.decode(self.codec)
        except UnicodeDecodeError:
            raise self.error(f"escaped bytes in this string are not valid {self.codec}") from None

    # -- completing an entry
    def _finish(self):
        if self.stage is None:
            self._reset()           # comments with no entry after them: dropped, as GNU does
            return
        if self.stage != "msgstr":
            raise self.error(f"entry ends after its {self.stage} without a msgstr",
                             hint="add msgstr \"\"")
        cur = self.cur
        cur.obsolete = bool(self.obsolete)
        key = (self.domain, cur.key)
        first = self.seen.get(key)
        if first is not None:
            what = f"msgid {cur.msgid[:60]!r}" + (f" in context {cur.msgctxt!r}"
                                                  if cur.msgctxt is not None else "")
            raise self.error(f"duplicate {what}; first defined at line {first}", line=cur.line,
                             hint="merge the two entries or give one a msgctxt")
        self.seen[key] = cur.line
        if self.domain != DEFAULT_DOMAIN:
            self.po.domains[self.domain].append(cur)
        elif cur.msgid == "" and cur.msgctxt is None and not cur.obsolete \
                and self.po.header is None:
            self.po.header = cur
        else:
            self.po.entries.append(cur)
        self._reset()


def _solaris_reference(body: str) -> tuple[str, int] | None:
    """'# File: NAME, line: N' (Solaris) -> (NAME, N).

    Not one regular expression: " [Ff]ile:[ \\t]*(.*?)[ \\t]*,..." took time cubic in
    a run of spaces ("# File:" and 4000 spaces: 12 s).
    """
    if not body.startswith((" File:", " file:")):
        return None
    head, comma, tail = body[6:].rpartition(",")
    m = _SOLARIS_LINE_RE.fullmatch(tail) if comma else None
    if m is None:
        return None
    return head.strip(" \t"), int(m.group(1))


def _parse_filepos(s: str):
    """GNU's reading of a '#:' line: 'file:N', 'file :N', 'file: N' or 'file'."""
    tokens = s.split()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        name, colon, number = tok.rpartition(":")
        if name and number and number.isdecimal() and number.isascii() and len(number) <= 18 \
                and (i + 1 == len(tokens) or tokens[i + 1][0] != ":"):
            yield name, int(number)         # the usual 'file:N'
            i += 1
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.startswith(":"):
            num = nxt[1:] or (tokens[i + 2] if i + 2 < len(tokens) else "")
            if num.isdigit() and num.isascii() and len(num) <= 18:
                yield tok, int(num)
                i += 2 if nxt[1:] else 3
                continue
        if tok.endswith(":") and len(tok) > 1 and nxt is not None \
                and nxt.isdigit() and nxt.isascii() and len(nxt) <= 18:
            yield tok[:-1], int(nxt)
            i += 2
            continue
        m = re.match(r"(.+):(\d{1,18})\Z", tok)
        if m and m.group(2).isascii():
            yield m.group(1), int(m.group(2))
        else:
            yield tok, None
        i += 1


# ------------------------------------------------------------- .mo writer ---

def _hashpjw(data: bytes) -> int:
    value = 0
    for byte in data:
        value = ((value << 4) + byte) & 0xFFFFFFFF
        g = value & 0xF0000000
        if g:
            value ^= g >> 24
            value ^= g
    return value


_HASH_GROUP = 2048          # keys hashed together, in 64-bit lanes of one integer
_HASH_BUFFER = 8 << 20      # at most this many bytes of byte columns for one group
_LONG_KEY = 4096            # a longer key is hashed byte by byte, alone


def _hashpjw_all(keys: list[bytes]) -> list[int]:
    """_hashpjw of every key, with the same answers, about seven times faster.

    The byte loop runs once per byte position instead of once per byte: keys of
    similar length share one big integer, each in a 64-bit lane (room for the 33 bits
    a step needs), and each step is a few integer operations over all their lanes.
    A group's byte columns take 8 bytes per lane and position, so groups of long keys
    are smaller, and a very long key is hashed alone.
    """
    hashes = [0] * len(keys)
    order = sorted(range(len(keys)), key=lambda i: len(keys[i]), reverse=True)
    first = 0
    while first < len(order) and len(keys[order[first]]) > _LONG_KEY:
        hashes[order[first]] = _hashpjw(keys[order[first]])
        first += 1
    while first < len(order):
        longest = max(1, len(keys[order[first]]))
        size = max(1, min(_HASH_GROUP, _HASH_BUFFER // (8 * longest)))
        group = order[first:first + size]
        for i, value in zip(group, _hashpjw_lanes([keys[i] for i in group])):
            hashes[i] = value
        first += size
    return hashes


def _hashpjw_lanes(keys: list[bytes]) -> list[int]:
    """Hashes of ``keys``, longest first; lane k of each step holds key k."""
    n, longest = len(keys), len(keys[0])
    stride = 8 * n
    columns = bytearray(longest * stride)     # byte j of key k at j * stride + 8 * k
    for k, key in enumerate(keys):
        if key:
            columns[8 * k:8 * k + len(key) * stride:stride] = key
    low32 = int.from_bytes(b"\xff\xff\xff\xff\0\0\0\0" * n, "little")
    top4 = int.from_bytes(b"\0\0\0\xf0\0\0\0\0" * n, "little")
    done: list[bytes] = []                 # lanes of finished keys, last key first
    lanes, active = 0, n
    for j in range(longest):
        still = active
        while still and len(keys[still - 1]) <= j:
            still -= 1
        if still < active:                 # keys that have no byte j are hashed
            done.append((lanes >> (64 * still)).to_bytes(8 * (active - still), "little"))
            lanes &= (1 << (64 * still)) - 1
            active = still
        column = int.from_bytes(columns[j * stride:j * stride + 8 * active], "little")
        lanes = ((lanes << 4) + column) & low32
        high = lanes & top4
        lanes ^= high | (high >> 24)
    done.append(lanes.to_bytes(8 * active, "little"))
    flat = b"".join(reversed(done))
    return list(struct.unpack(f"<{n}Q", flat)) if n else []


def _msgfmt_is_prime(candidate: int) -> bool:
    # msgfmt's own test, quirks included (it calls 3 composite); only
    # matching it gives msgfmt's table size.
    divisor, square = 3, 9
    while square < candidate and candidate % divisor != 0:
        divisor += 1
        square += 4 * divisor
        divisor += 1
    return candidate % divisor != 0


def _hash_size(count: int) -> int:
    """msgfmt: next 'prime' from 4/3 of the string count, at least 3."""
    size = ((count * 4) // 3) | 1
    while not _msgfmt_is_prime(size):
        size += 2
    return max(size, 3)


def write_mo(po: PoFile) -> bytes:
    """GNU .mo bytes: header + translated entries, with msgfmt's hash table.

    We write the hash table (msgfmt does too) so the file is msgfmt-like
    byte for byte; readers such as Python's gettext simply ignore it.
    """
    codec = _output_codec(po)[0] if po.charset else "utf-8"
    pairs = []
    if po.header is not None and po.header.msgstr:
        # msgfmt leaves POT-Creation-Date out, so a .mo changes only with its translations
        header = "\n".join(line for line in po.header.msgstr.split("\n")
                           if not line.startswith("POT-Creation-Date:"))
        pairs.append((b"", header.encode(codec)))
    for entry in po.entries:
        if entry.obsolete or not entry.translated:
            continue
        key = entry.msgid.encode(codec)
        if entry.msgctxt is not None:
            key = entry.msgctxt.encode(codec) + b"\x04" + key
        if entry.msgid_plural is not None:
            orig = key + b"\0" + entry.msgid_plural.encode(codec)
            trans = b"\0".join(s.encode(codec) for s in entry.msgstr_plural)
        else:
            orig, trans = key, entry.msgstr.encode(codec)
        pairs.append((orig, trans))
    pairs.sort(key=lambda pair: pair[0])
    return _mo_bytes(pairs)


def _mo_bytes(pairs: list[tuple[bytes, bytes]]) -> bytes:
    n = len(pairs)
    size = _hash_size(n)
    orig_at, trans_at, hash_at = 28, 28 + 8 * n, 28 + 16 * n
    strings = [orig for orig, _ in pairs] + [trans for _, trans in pairs]
    lengths = [len(s) for s in strings]
    # each string follows the previous one and its NUL, after the tables
    offsets = list(itertools.accumulate((length + 1 for length in lengths[:-1]),
                                        initial=hash_at + 4 * size))[:len(lengths)]
    descriptors = [0] * (2 * len(strings))
    descriptors[0::2], descriptors[1::2] = lengths, offsets
    table = [0] * size
    hashes = _hashpjw_all([orig.split(b"\0", 1)[0] for orig, _ in pairs])
    for i, h in enumerate(hashes):
        idx, incr = h % size, 1 + h % (size - 2)
        while table[idx]:
            idx = idx - (size - incr) if idx >= size - incr else idx + incr
        table[idx] = i + 1
    header = struct.pack("<7I", 0x950412DE, 0, n, orig_at, trans_at, size, hash_at)
    return b"".join([header, struct.pack(f"<{len(descriptors)}I", *descriptors),
                     struct.pack(f"<{size}I", *table), b"\0".join(strings), b"\0" if n else b""])
