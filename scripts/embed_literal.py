"""Shared by embed-text.py and embed-files.py (Meson build steps): reads a source file as
UTF-8 and writes it as a C++ raw string literal that reproduces its bytes exactly."""
import sys


def read_utf8(source: str) -> str:
    """The file's text; exits naming the file unless it is UTF-8 without NUL or CR bytes
    (NUL cannot go through every compiler; a compiler may turn CR LF into LF)."""
    with open(source, 'rb') as f:
        data = f.read()
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        sys.exit('%s: not UTF-8: %s' % (source, e))
    if '\0' in text or '\r' in text:
        sys.exit('%s: contains a NUL or carriage-return byte' % source)
    return text


def raw_literal(text: str, source: str) -> str:
    """R"DELIM(text)DELIM" with a delimiter (at most 16 characters, none of them space,
    '(', ')' or '\\') such that `)DELIM"` does not occur in the text."""
    for n in range(1000):
        candidate = 'embed' if n == 0 else 'embed%d' % n
        if ')' + candidate + '"' not in text:
            return 'R"%s(%s)%s"' % (candidate, text, candidate)
    sys.exit('%s: no usable raw-string delimiter' % source)
