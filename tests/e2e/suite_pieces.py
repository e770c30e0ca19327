"""Files of one piece per institution copied from the last build
(generator/render/splice.h): partners.geojson, partners.csv, each
elective's partners.csv and countries/search.js are written again when
one record changes, with every other record's piece copied from the
last build's file by the tables in .output.partnermap-pieces
(generator/publish/reuse.c, "pieces"). A table is followed only for the
very file it describes, and a damaged one not at all."""
import os
import re
import struct
import zlib

from e2e import test, min_site, write_record, record, run
from reuse_common import build, assert_like_clean
from suite_reuse_site_files import add_schools, set_field, INST, CLUSTER_ABOVE

PIECES = ".output.partnermap-pieces"
MAGIC = b"partnermap-pieces 2\n"
END = b"end\n"
CRC = struct.Struct("=I")   # zlib's CRC-32 of every byte before it
HEAD = struct.Struct("=32s5qQQ")   # context, size and times, inode, n
PIECE = struct.Struct("=16sQIB")   # id, offset, length, lead


def read_tables(site):
    """{rel: (head fields, [[id, off, len, lead], ...])} of the pieces file."""
    with open(os.path.join(site, PIECES), "rb") as fh:
        data = fh.read()
    assert data.startswith(MAGIC) and data.endswith(END), data[:40]
    end = len(data) - len(END) - CRC.size
    assert CRC.unpack_from(data, end)[0] == zlib.crc32(data[:end]), "CRC"
    at, tables = len(MAGIC), {}
    while at < end:
        (n,) = struct.unpack_from("=I", data, at)
        rel = data[at + 4:at + 4 + n].decode()
        at += 4 + n
        head = list(HEAD.unpack_from(data, at))
        at += HEAD.size
        pieces = []
        for _ in range(head[-1]):
            pieces.append(list(PIECE.unpack_from(data, at)))
            at += PIECE.size
        tables[rel] = (head, pieces)
    return tables


def write_tables(site, tables):
    out = bytearray(MAGIC)
    for rel, (head, pieces) in tables.items():
        out += struct.pack("=I", len(rel)) + rel.encode()
        out += HEAD.pack(*head)
        for p in pieces:
            out += PIECE.pack(*p)
    out += CRC.pack(zlib.crc32(out)) + END
    path = os.path.join(site, PIECES)
    with open(path, "wb") as fh:
        fh.write(out)
    os.chmod(path, 0o600)


def csv_rows(site):
    with open(os.path.join(site, "output", "partners.csv"), encoding="utf-8",
              newline="") as fh:
        return fh.read().split("\r\n")


@test
def pieces_of_the_unchanged_records_are_copied_by_their_table():
    """After a city edit, partners.csv's other rows are the last build's
    bytes where its table says they are: a table whose two rows were
    swapped (the file itself untouched) shows in the next file, which is
    how the copy is seen. Once the file changed (its change time), its
    table is not followed: the next build is a clean build's again."""
    with min_site() as (site, tmp):
        add_schools(site, 12)
        build(site)
        tables = read_tables(site)
        assert set(tables) >= {"partners.csv", "partners.geojson"}, set(tables)
        head, pieces = tables["partners.csv"]
        # one piece per record, each where the file has it
        rows = csv_rows(site)
        assert head[-1] == len(pieces) == len(rows) - 2, (head, len(rows))
        with open(os.path.join(site, "output", "partners.csv"), "rb") as fh:
            data = fh.read()
        assert head[1] == len(data), (head, len(data))
        assert sorted(data[p[1]:p[1] + p[2]] for p in pieces) == \
            sorted((r + "\r\n").encode() for r in rows[1:-1])
        # swap where two rows are, as the table tells it
        a, b = [p for p in pieces if b"school-0001," in data[p[1]:p[1] + p[2]]
                or b"school-0002," in data[p[1]:p[1] + p[2]]]
        a[1:3], b[1:3] = b[1:3], a[1:3]
        write_tables(site, tables)
        set_field(os.path.join(site, INST, "school-0005.md"), "city", "Entebbe")
        build(site)
        rows = csv_rows(site)
        slugs = [r.split(",")[0] for r in rows[1:-1]]
        # each row where the other was: copied, not made (a clean build
        # lists them in slug order)
        assert slugs.index("school-0002") + 1 == slugs.index("school-0001"), slugs
        assert any("Entebbe" in r for r in rows), rows
        # the file changed since its table was written: not followed
        os.utime(os.path.join(site, "output", "partners.csv"))
        set_field(os.path.join(site, INST, "school-0006.md"), "city", "Jinja")
        build(site)
        assert_like_clean(site, tmp)


def base_url(site, url):
    """site.yml's base_url: every piece's links change with it."""
    path = os.path.join(site, "site.yml")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert "\nbase_url:" in text, text
    text = re.sub(r"\nbase_url:[^\n]*", "\nbase_url: " + url, text)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


@test
def pieces_after_edits_of_every_kind_match_clean_builds():
    """Adds, removals, renames and edits of the fields every piece file
    shows, one after another: each build is a clean build's."""
    with min_site() as (site, tmp):
        add_schools(site, 12)
        build(site)
        inst = os.path.join(site, INST)
        steps = [
            lambda: set_field(os.path.join(inst, "school-0003.md"), "name", "Renamed School"),
            lambda: os.rename(os.path.join(inst, "school-0004.md"), os.path.join(inst, "aaa-first.md")),
            lambda: os.unlink(os.path.join(inst, "school-0000.md")),
            lambda: write_record(site, "zzz-last", **dict(record("CM", "Douala", 4.1, 9.8),
                                                           name="Last School")),
            lambda: set_field(os.path.join(inst, "school-0008.md"), "country", "TH"),
            lambda: set_field(os.path.join(inst, "school-0009.md"), "website", "https://example.org/x"),
            lambda: base_url(site, "https://partners.example.net/"),
        ]
        for k, step in enumerate(steps):
            step()
            build(site)
            assert_like_clean(site, tmp, "step %d: " % k)


@test
def pieces_of_the_search_data_are_copied_on_a_clustered_site():
    """countries/search.js, written above CLUSTER_ABOVE institutions, is
    copied piece by piece too: its table holds every institution, and
    after a name edit the file is a clean build's."""
    with min_site() as (site, tmp):
        add_schools(site, CLUSTER_ABOVE + 1)
        build(site)
        tables = read_tables(site)
        assert "countries/search.js" in tables, set(tables)
        assert len(tables["countries/search.js"][1]) == \
            len(tables["partners.geojson"][1]), set(tables)
        set_field(os.path.join(site, INST, "school-0500.md"), "name", "Zebra School")
        build(site)
        with open(os.path.join(site, "output", "countries", "search.js"), encoding="utf-8") as fh:
            assert "zebra school" in fh.read()
        assert_like_clean(site, tmp)


def damaged(site, how):
    path = os.path.join(site, PIECES)
    with open(path, "rb") as fh:
        data = fh.read()
    if how == "truncated":
        data = data[:len(data) // 2]
    elif how == "garbage":
        data = MAGIC + b"\xff" * 64 + END
    elif how == "version line harmed":
        data = data.replace(b"pieces", b"pieceS", 1)
    elif how == "another version":
        data = data.replace(b"pieces 2\n", b"pieces 7\n", 1)
    elif how == "beyond the file":
        tables = read_tables(site)
        for head, pieces in tables.values():
            pieces[-1][1] = head[1]  # starts at the file's end
        write_tables(site, tables)
        return
    elif how == "another file's":
        tables = read_tables(site)
        tables["partners.csv"], tables["partners.geojson"] = \
            tables["partners.geojson"], tables["partners.csv"]
        write_tables(site, tables)
        return
    elif how in ("overlapping", "empty"):
        tables = read_tables(site)
        for head, pieces in tables.values():
            if how == "empty":
                pieces[0][2] = 0
            elif len(pieces) > 1:
                pieces[1][1] = pieces[0][1]  # on the first one's place
        write_tables(site, tables)
        return
    elif how == "a piece cut short":
        # one piece's length made 40 bytes shorter in place, the CRC left:
        # followed, it would copy a row cut off mid-field (found by a review)
        tables = read_tables(site)
        rel = sorted(tables)[0]
        at = data.index(rel.encode()) + len(rel) + HEAD.size
        fields = list(PIECE.unpack(data[at:at + PIECE.size]))
        fields[2] = max(1, fields[2] - 40)
        data = data[:at] + PIECE.pack(*fields) + data[at + PIECE.size:]
    elif how == "a link":
        os.unlink(path)
        other = os.path.join(os.path.dirname(site), "elsewhere")
        with open(other, "wb") as fh:
            fh.write(data)
        os.symlink(other, path)
        return
    with open(path, "wb") as fh:
        fh.write(data)
    if how == "others may write it":
        os.chmod(path, 0o666)


@test
def pieces_tables_damaged_or_planted_are_not_followed():
    """A pieces file cut short, of garbage, with its version line harmed or
    of another version, with a piece past its file's
    end, two pieces on one place or an empty one, one piece's length
    changed in place, with the tables of two
    files swapped, a link in its place or one others may write: the build
    makes every piece, and its output is a clean build's."""
    for how in ("truncated", "garbage", "version line harmed", "another version",
                "beyond the file", "overlapping", "empty",
                "a piece cut short", "another file's", "a link", "others may write it"):
        with min_site() as (site, tmp):
            add_schools(site, 6)
            build(site)
            damaged(site, how)
            set_field(os.path.join(site, INST, "school-0002.md"), "city", "Gulu")
            rc, so, se = run("build", "-C", site)
            assert rc == 0, se
            # a file of pieces' tables that breaks their rules is told;
            # two tables swapped, or one not read, are not damage it shows
            said = ("partnermap: did not use '%s': it was cut short or changed "
                    "since a build wrote it; this build had to make every piece, "
                    "and wrote a new one"
                    % os.path.join(site, PIECES))
            told = how in ("truncated", "garbage", "version line harmed",
                           "beyond the file", "overlapping", "empty",
                           "a piece cut short")
            assert (said in se) == told, "%s: %r" % (how, se)
            linked = ("partnermap: did not use '%s': it is a symbolic link, which a "
                      "build never follows; this build wrote its own\n"
                      % os.path.join(site, PIECES))
            assert (linked in se) == (how == "a link"), "%s: %r" % (how, se)
            assert_like_clean(site, tmp, how + ": ")
            # and the next build writes a true table again
            tables = read_tables(site)
            assert "partners.csv" in tables, (how, set(tables))


def restat(site, rel):
    """The table of rel made to name the file there now (its size, times
    and inode), as if the last build had written it."""
    tables = read_tables(site)
    st = os.stat(os.path.join(site, "output", rel))
    head = tables[rel][0]
    head[1:7] = [st.st_size, st.st_mtime_ns // 10**9, st.st_mtime_ns % 10**9,
                 st.st_ctime_ns // 10**9, st.st_ctime_ns % 10**9, st.st_ino]
    write_tables(site, tables)


@test
def pieces_are_not_copied_from_a_file_linked_in_from_elsewhere():
    """partners.csv replaced by a hard link to a file outside the output
    (the same size, other bytes), its table made to name it: a file of
    more than one name is not copied from, and the build is a clean
    build's, without the outside bytes."""
    with min_site() as (site, tmp):
        add_schools(site, 6)
        build(site)
        csv = os.path.join(site, "output", "partners.csv")
        with open(csv, "rb") as fh:
            data = fh.read()
        outside = os.path.join(tmp, "outside.csv")
        with open(outside, "wb") as fh:
            fh.write(data.replace(b"School 1,", b"OUTSIDE!,"))
        os.unlink(csv)
        os.link(outside, csv)
        restat(site, "partners.csv")
        set_field(os.path.join(site, INST, "school-0002.md"), "city", "Gulu")
        build(site)
        with open(csv, "rb") as fh:
            assert b"OUTSIDE!" not in fh.read()
        assert_like_clean(site, tmp)


@test
def pieces_file_not_written_or_not_read_is_told():
    """A folder in the pieces file's place: the build succeeds and says it
    could not keep the tables, and why; a pieces file others may write is
    not read, and the build says so, as it does of the manifest."""
    with min_site() as (site, tmp):
        add_schools(site, 6)
        build(site)
        path = os.path.join(site, PIECES)
        os.chmod(path, 0o666)
        set_field(os.path.join(site, INST, "school-0002.md"), "city", "Gulu")
        rc, so, se = run("build", "-q", "-C", site)
        assert rc == 0, se
        assert "partnermap: did not use '%s': another user owns it, or its group or " \
            "others may write it; this build wrote its own\n" % path in se, se
        os.unlink(path)
        os.mkdir(path)
        set_field(os.path.join(site, INST, "school-0002.md"), "city", "Jinja")
        rc, so, se = run("build", "-q", "-C", site)
        assert rc == 0, se
        assert ("partnermap: could not keep where each record's piece of the open data "
                "lies in '%s' (Is a directory): remove what is in its place; the next "
                "build may make every piece again\n" % path) in se, se
        assert_like_clean(site, tmp)
