"""What a folder holds, for the suites that check a command made nothing
outside what it was told to make (suite_paths, suite_new_hostile)."""
import os


def listing(folder):
    """Every path below folder, folders and links included, none followed."""
    out = set()
    for dirpath, dirs, files in os.walk(folder):
        for name in dirs + files:
            out.add(os.path.relpath(os.path.join(dirpath, name), folder))
    return out
