"""Titles and outlets: the headline without the site's decoration, and the outlet a page names.

A page's ``<title>`` often carries the site around the headline ("… - SpaceNews.com", "… | The
Courier", "Opinion | …"). The decoration is found by what it is, never from a list of sites:

* an edge segment (split at `` | ``, `` - ``, `` – ``, `` — ``, `` :: ``, `` · ``) that names the site: it
  is the page's declared site name, or its letters spell the domain or are spelled by it
  ("SpaceNews.com", "spacenews", "The Courier" for courier.example);
* a short edge segment set off by a bar (`` | ``, `` :: ``): bars separate a headline from labels
  (sections such as "Opinion" or "Editorial"); dashes are left alone there, since headlines use them;
* across a batch, an edge segment that several titles from one site share ("… | Valley Section").

The original title is kept in the article's metadata (``title_original``).

The outlet is the site name the page declares (``og:site_name``, ``application-name``, or what the
extractor found), unless that is no name at all: a copyright notice ("Copyright 2014"), a year, the
word of a subdomain ("Hosted" for hosted.example.org: a hosting platform's label), or a word the
extractor made from the host name ("Nj" for nj.com). Then the registrable
domain is the outlet ("example.org"), as written, never guessed into a brand.

A plain-text article's title is its first headline-like line; lines the boilerplate stage would flag
(a photo caption, a credit, a section label) are passed over first.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from storyweave.boilerplate import boilerplate_spans
from storyweave.model import Article

#: Separators between a headline and the site's decoration, as they appear in page titles.
_SEPARATOR = re.compile(r"\s+(\||::|·|•|-|–|—)\s+")
#: Separators that only ever set off labels; a dash may be part of the headline itself.
_BAR_SEPARATORS = frozenset({"|", "::", "·", "•"})
#: A label set off by a bar has at most this many words ("Opinion", "World news", "The Big Read").
_LABEL_WORDS = 3
#: What is left after removing decoration must still read as a headline.
_MIN_HEADLINE_WORDS = 2
#: A segment shared by at least this many titles of one site, at the same edge, is the site's.
_SHARED_BY = 2
_COPYRIGHT = re.compile(r"©|ⓒ|\(c\)|\bcopyright\b|\ball rights reserved\b", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
#: A site name of more words than this is a slogan or a sentence, not a name.
_SITE_NAME_WORDS = 8


def _letters(value: str) -> str:
    """Lower-case letters and digits only: "SpaceNews.com" -> "spacenewscom"."""
    return "".join(c for c in value.casefold() if c.isalnum())


# --------------------------------------------------------------------------- domains


def host_of(url: str | None) -> str | None:
    """The host name of ``url`` without ``www.``, or None."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def registrable_domain(url_or_host: str | None) -> str | None:
    """The domain a site registered ("ap.org" for hosted.ap.org, "bbc.co.uk"), from the public suffix
    list that ships with the ``tld`` package (through courlan); the host itself when it has none."""
    host = host_of(url_or_host)
    if host is None:
        return None
    from courlan import extract_domain

    try:
        found = extract_domain(f"https://{host}/")
    except Exception:  # a host the suffix list cannot read (an address, a bare name)
        found = None
    return found or host


def _domain_core(host: str | None) -> str:
    """The registrable domain's name without its suffix: "spacenews" for spacenews.com."""
    domain = registrable_domain(host) or ""
    return _letters(domain.split(".", 1)[0]) if domain else ""


# --------------------------------------------------------------------------- site names and outlets


def plausible_site_name(value: str | None) -> str | None:
    """``value`` cleaned when it can be a site's name; None for a copyright line, a year, a slogan."""
    if not value:
        return None
    name = " ".join(value.split())
    first = _SEPARATOR.split(name)[0].strip()  # "Autoracing | F1 | Indy" -> "Autoracing"
    name = first or name
    if not name or _COPYRIGHT.search(name) or _YEAR.search(name) or len(name.split()) > _SITE_NAME_WORDS:
        return None
    if not any(c.isalpha() for c in name) or ("/" in name and " " not in name):
        return None
    return name


def _made_from_host(name: str, host: str | None) -> bool:
    """Whether ``name`` is just a label of the host name, capitalised ("Nj" for nj.com), as an
    extractor makes a name when the page gives none."""
    if not host or " " in name.strip():
        return False
    return (
        _letters(name) in {_letters(label) for label in host.split(".")}
        and name[:1].isupper()
        and not (name.isupper() or any(c.isupper() for c in name[1:]))
    )


def _names_a_subdomain(name: str, host: str | None) -> bool:
    """Whether ``name`` is the word of a subdomain, not of the site: "Hosted" on hosted.wire.example
    is the hosting platform's label, the site is the registrable domain."""
    domain = registrable_domain(host) if host else None
    if not host or not domain or host == domain:
        return False
    subdomains = host[: -len(domain)].rstrip(".").split(".")
    return _letters(name) in {_letters(label) for label in subdomains if label}


def outlet_for(declared: str | None, extracted: str | None, url: str | None) -> str | None:
    """The outlet of a page: its declared site name, else the extractor's, else its registrable domain.

    ``declared`` is what the page's own meta tags name (og:site_name, application-name); ``extracted``
    is the extractor's site name, which may be made from the host name or a copyright notice.
    """
    host = host_of(url)
    name = plausible_site_name(declared)
    if name and not _names_a_subdomain(name, host):
        return name
    name = plausible_site_name(extracted)
    if name and not _made_from_host(name, host) and not _names_a_subdomain(name, host):
        return name
    return registrable_domain(host) if host else name


# --------------------------------------------------------------------------- page titles


def _names_the_site(segment: str, site_names: Sequence[str], host: str | None) -> bool:
    seg = _letters(segment)
    if len(seg) < 2:
        return False
    for name in site_names:
        key = _letters(name)
        if key and (seg == key or (len(key) >= 4 and seg.startswith(key) and len(seg) - len(key) <= 4)):
            return True
    if host:
        core = _domain_core(host)
        full = _letters(registrable_domain(host) or host)
        if seg in (core, full, _letters(host)):
            return True
        if len(core) >= 4 and (seg == f"the{core}" or (seg.startswith(core) and len(seg) - len(core) <= 4)):
            return True
    return False


def _segments(title: str) -> tuple[list[str], list[str]]:
    """The title cut at its separators: (segments, separators between them)."""
    parts = _SEPARATOR.split(title)
    return [p.strip() for p in parts[0::2]], parts[1::2]


def _join(segments: list[str], separators: list[str]) -> str:
    out = segments[0]
    for sep, seg in zip(separators, segments[1:], strict=True):
        out += f" {sep} {seg}"
    return out


def clean_title(title: str | None, *, site_names: Sequence[str] = (), url: str | None = None) -> str | None:
    """``title`` without the site's decoration (see the module docstring); unchanged when unsure."""
    if not title:
        return title
    title = " ".join(title.split())
    host = host_of(url)
    names = [n for n in (plausible_site_name(s) for s in site_names) if n]
    for name in [" ".join(s.split()) for s in site_names if s]:  # a declared name may hold a separator itself
        for sep in ("|", "-", "–", "—", "::", "·"):
            suffix, prefix = f" {sep} {name}", f"{name} {sep} "
            if title.casefold().endswith(suffix.casefold()) and len(title) > len(suffix):
                title = title[: -len(suffix)].strip()
            elif title.casefold().startswith(prefix.casefold()) and len(title) > len(prefix):
                title = title[len(prefix) :].strip()
    segments, separators = _segments(title)
    changed = True
    while changed and len(segments) > 1:
        changed = False
        for edge in (-1, 0):
            sep = separators[edge]
            segment = segments[edge]
            rest = segments[:-1] if edge == -1 else segments[1:]
            if len(" ".join(rest).split()) < _MIN_HEADLINE_WORDS:
                continue
            is_label = sep in _BAR_SEPARATORS and len(segment.split()) <= _LABEL_WORDS
            if _names_the_site(segment, names, host) or (is_label and len(segment) < len(" ".join(rest))):
                segments = rest
                separators = separators[:-1] if edge == -1 else separators[1:]
                changed = True
                break
    return _join(segments, separators)


def with_clean_title(article: Article, cleaned: str | None) -> Article:
    """``article`` with title ``cleaned``, the page's own title kept in ``meta`` as ``title_original``
    (the first one, when a title is cleaned twice)."""
    if not cleaned or cleaned == article.title:
        return article
    if any(key == "title_original" for key, _value in article.meta):
        return replace(article, title=cleaned)
    return replace(article, title=cleaned, meta=(*article.meta, ("title_original", article.title or "")))


def strip_shared_decoration(articles: Iterable[Article]) -> list[Article]:
    """Titles of one site (registrable domain) lose an edge segment that several of them share.

    One page cannot tell "… | Valley Section" from a headline ending in a bar; several pages of the
    same site that all end (or start) with it can.
    """
    items = list(articles)
    by_site: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(items):
        site = registrable_domain(a.url) if a.url else None
        if site and a.title:
            by_site[site].append(i)
    for indexes in by_site.values():
        if len(indexes) < _SHARED_BY:
            continue
        ends: Counter[tuple[int, str, str]] = Counter()
        for i in indexes:
            segments, separators = _segments(items[i].title or "")
            if len(segments) > 1:
                ends[(-1, separators[-1], segments[-1])] += 1
                ends[(0, separators[0], segments[0])] += 1
        shared = {key for key, count in ends.items() if count >= _SHARED_BY}
        for i in indexes:
            article = items[i]
            segments, separators = _segments(article.title or "")
            for edge, sep, seg in shared:
                if len(segments) > 1 and separators[edge] == sep and segments[edge] == seg:
                    rest = segments[:-1] if edge == -1 else segments[1:]
                    if len(" ".join(rest).split()) >= _MIN_HEADLINE_WORDS:
                        segments = rest
                        separators = separators[:-1] if edge == -1 else separators[1:]
            items[i] = with_clean_title(article, _join(segments, separators))
    return items


# --------------------------------------------------------------------------- plain text

_HEADLINE_END = re.compile(r"[.,;:]$")
_WIKI_HEADING = re.compile(r"^(=+)\s*(.+?)\s*\1$")
#: Lines read when looking for a plain-text article's headline below its captions and labels.
_HEAD_LINES = 6


def _headline_like(line: str) -> bool:
    words = line.split()
    if not 3 <= len(words) <= 25 or len(line) > 200:
        return False
    return not _HEADLINE_END.search(line) and (line[0].isalnum() or line[0] in "\"'‘“")


def text_title(text: str) -> str | None:
    """The first headline-like line (short, several words, no final period) of a plain text, after
    any caption, photo credit or section label above it; None when the text opens with a sentence."""
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append((pos, pos + len(raw), raw.strip()))
            if len(lines) >= _HEAD_LINES:
                break
        pos += len(raw) + 1
    if not lines:
        return None
    head = text[: lines[-1][1]]
    flags = boilerplate_spans(head)
    for start, end, line in lines:
        wiki = _WIKI_HEADING.match(line)
        if wiki:
            return wiki.group(2)
        lead = start + len(text[start:end]) - len(text[start:end].lstrip())
        covered = any(s <= lead and lead + len(line) <= e for s, e, _r in flags)
        if covered:
            continue
        return line if _headline_like(line) else None
    return None


# --------------------------------------------------------------------------- the page's own meta tags

_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_SITE_NAME_KEYS = ("og:site_name", "application-name")
#: The site name is declared in the head: only this much of a page is searched for it.
_HEAD_CHARS = 200_000


def declared_site_name(html: str) -> str | None:
    """The site name the page declares in its meta tags (``og:site_name``, then ``application-name``)."""
    import html as html_module

    found: dict[str, str] = {}
    for tag in _META_TAG.finditer(html[:_HEAD_CHARS]):
        attrs = {
            m.group(1).casefold(): next(g for g in m.groups()[1:] if g is not None)
            for m in _ATTRIBUTE.finditer(tag.group())
        }
        key = (attrs.get("property") or attrs.get("name") or "").casefold()
        if key in _SITE_NAME_KEYS and attrs.get("content", "").strip() and key not in found:
            found[key] = " ".join(html_module.unescape(attrs["content"]).split())
    return next((found[k] for k in _SITE_NAME_KEYS if k in found), None)
